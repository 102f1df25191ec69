// Runs the core simulation on a .journey document, with imports bound to the document's
// workspace folder and to workspace trust. Never throws: a file that cannot be traced gives the
// reason and, when it is in this file, the line to look at.
import * as vscode from 'vscode';
import { buildNetwork } from '../core/model/build';
import { LineIndex } from '../core/language/range';
import { simulate } from '../core/sim/run';
import type { Trace } from '../core/trace/types';
import { makeImportResolver } from '../node/files';

export type TraceResult =
  | { ok: true; trace: Trace }
  /** `line` is 0-based, in the traced document; absent when the problem is elsewhere. */
  | { ok: false; error: string; line?: number };

/** The name the core knows the document by: the path on disk, else the URI. Trace sources
 * (`SourceRange.file`) carry this name. */
export function sourceKey(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** Where a SourceRange's file is, given the traced document it came from. */
export function sourceUri(file: string, traced: vscode.Uri): vscode.Uri {
  if (file === sourceKey(traced)) return traced;
  return /^[a-z][a-z0-9+.-]+:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
}

/** An imported file's text as the editor has it, saved or not: the trace follows unsaved edits. */
function unsavedText(file: string): string | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file)?.getText();
}

export function traceDocument(doc: vscode.TextDocument, scenario: string | undefined): TraceResult {
  const file = sourceKey(doc.uri);
  const text = doc.getText();
  try {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    // Untitled and virtual documents have no folder on disk to read imports from.
    const resolveImport = doc.uri.scheme === 'file'
      ? makeImportResolver({ root: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, trusted: vscode.workspace.isTrusted, openText: unsavedText })
      : undefined;
    const built = buildNetwork(text, { file, resolveImport });
    const first = built.diagnostics.find((d) => d.severity === 'error');
    if (first) {
      const inThisFile = !first.file || first.file === file;
      const where = inThisFile ? '' : ` (in ${first.file})`;
      return { ok: false, error: `${first.message}${where}`, line: inThisFile ? new LineIndex(text).position(first.span.start).line : undefined };
    }
    const result = simulate(built, { scenario });
    return result.ok ? { ok: true, trace: result.trace } : { ok: false, error: result.error };
  } catch (e) {
    // A bug of ours must not surface as an exception in the extension host: say it plainly.
    return { ok: false, error: `internal error while tracing (please report it): ${(e as Error).message}` };
  }
}
