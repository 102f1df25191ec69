// "Open Trace as Text": the trace as a read-only text document beside the code (the CLI's
// output with details), which follows the file's edits like the panel does.
import * as vscode from 'vscode';
import { traceToText } from '../core/export/text';
import type { Trace } from '../core/trace/types';

export const TRACE_TEXT_SCHEME = 'journey-trace';

export interface TextViewSource { trace?: Trace; error?: string }

export class TraceTextView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  /** `lookup` gives the current trace (and problem) of a traced document. */
  constructor(private readonly lookup: (source: string) => TextViewSource | undefined) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(TRACE_TEXT_SCHEME, this);
  }

  static uriFor(source: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: TRACE_TEXT_SCHEME, path: `${source.path}.trace.txt`, query: source.toString() });
  }

  /** The traced document behind a text view, or undefined for another document. */
  static sourceOf(uri: vscode.Uri): vscode.Uri | undefined {
    return uri.scheme === TRACE_TEXT_SCHEME && uri.query ? vscode.Uri.parse(uri.query) : undefined;
  }

  isOpen(source: vscode.Uri): boolean {
    const view = TraceTextView.uriFor(source).toString();
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === view);
  }

  refresh(source: vscode.Uri): void {
    this.changed.fire(TraceTextView.uriFor(source));
  }

  async open(source: vscode.Uri, column: vscode.ViewColumn = vscode.ViewColumn.Beside): Promise<vscode.TextEditor> {
    const view = TraceTextView.uriFor(source);
    this.changed.fire(view);
    const doc = await vscode.workspace.openTextDocument(view);
    return vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: true, preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const t = this.lookup(uri.query);
    if (!t?.trace) return t?.error ? `The file cannot be traced: ${t.error}` : 'Run "Packet Journey: Trace Packet" on a .journey file.';
    const head = t.error ? `(The file cannot be traced right now: ${t.error}. Showing the last trace.)\n\n` : '';
    return head + traceToText(t.trace, { details: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
