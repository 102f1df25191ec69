// Helpers for extension-host tests: locating the examples, waiting on diagnostics (polling with a
// timeout, never a blind sleep).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'packet-journey.packet-journey';
export const LANGUAGE_ID = 'journey';

/**
 * The folder holding the example .journey files: $PJ_EXAMPLES_DIR, else a workspace folder that
 * holds them (or its examples/), else <repo>/examples relative to the compiled suite.
 */
export function examplesDir(): string {
  const candidates: string[] = [];
  if (process.env.PJ_EXAMPLES_DIR) candidates.push(process.env.PJ_EXAMPLES_DIR);
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    candidates.push(f.uri.fsPath, path.join(f.uri.fsPath, 'examples'));
  }
  candidates.push(path.resolve(__dirname, '..', '..', 'examples'));
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'broken.journey')));
  if (!found) throw new Error(`no examples folder with broken.journey among: ${candidates.join(', ')}`);
  return found;
}

export function codeOf(d: vscode.Diagnostic): string | number | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? c.value : c;
}

export function errorsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return '(no diagnostics)';
  return all
    .map((d) => `${vscode.DiagnosticSeverity[d.severity]} ${codeOf(d) ?? '-'} @${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
    .join('\n');
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined/false. */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Resolves true when diagnostics for `uri` change (the server published, even an empty list), or
 * false after `timeoutMs`. Create it before the action that should trigger the publication.
 */
export function diagnosticsChanged(uri: vscode.Uri, timeoutMs = 20_000): Promise<boolean> {
  return new Promise((resolve) => {
    const key = uri.toString();
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(false);
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(true);
      }
    });
  });
}

export async function open(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Zero-based numbers of the lines whose text contains `marker`. */
export function linesContaining(doc: vscode.TextDocument, marker: string): number[] {
  const lines: number[] = [];
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(marker)) lines.push(i);
  return lines;
}
