// Traces a .journey document on a worker thread (TraceRunner), with imports bound to the
// document's workspace folder and to workspace trust. Never throws: a file that cannot be traced
// gives the reason and, when it is in this file, the line to look at.
import * as vscode from 'vscode';
import type { TraceRequest } from './traceJob';
import type { TraceResult, TraceRunner } from './traceRunner';

export type { TraceResult };

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

/** The text of the other .journey files open in the editor, saved or not, by path: the trace
 * follows unsaved edits of imported files. */
function openTexts(except: vscode.TextDocument): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const d of vscode.workspace.textDocuments) {
    if (d !== except && d.uri.scheme === 'file' && d.languageId === 'journey') texts[d.uri.fsPath] = d.getText();
  }
  return texts;
}

/** What the worker needs to trace `doc`: its text and everything it may import. */
export function traceRequest(doc: vscode.TextDocument, scenario: string | undefined): Omit<TraceRequest, 'id'> {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  // Untitled and virtual documents have no folder on disk to read imports from.
  const imports = doc.uri.scheme === 'file'
    ? { root: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, trusted: vscode.workspace.isTrusted, openTexts: openTexts(doc) }
    : undefined;
  return { text: doc.getText(), file: sourceKey(doc.uri), scenario, imports };
}

/** The trace of `doc`, or undefined when a newer job for the same runner replaced this one. */
export function traceDocument(doc: vscode.TextDocument, scenario: string | undefined, runner: TraceRunner, timeoutMs: number): Promise<TraceResult | undefined> {
  return runner.run(traceRequest(doc, scenario), timeoutMs);
}
