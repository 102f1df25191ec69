// The editor and the panel following each other: a line the panel asks for is selected in the
// editor, and the statement the user's cursor is in is highlighted in the panel. The selection
// made for the panel is not reported back to it, or a click would echo.
import * as vscode from 'vscode';
import type { Trace } from '../core/trace/types';
import { focusAt } from './editorFocus';
import type { TracePanel } from './tracePanel';
import { sourceKey } from './tracing';

/** Cursor moves come in bursts (arrow keys held, a drag): tell the panel once they settle. */
const FOCUS_DELAY_MS = 120;
/** How long a selection the host made itself is not reported back to the panel. */
const REVEAL_GUARD_MS = 1000;

/** The panel and last good trace of a traced document, if it has them. */
export type PanelLookup = (uri: vscode.Uri) => { panel?: TracePanel; trace?: Trace } | undefined;

export class EditorSync implements vscode.Disposable {
  private focusTimer: ReturnType<typeof setTimeout> | undefined;
  private hostSelection: { uri: string; line: number; until: number } | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly lookup: PanelLookup) {
    this.subscription = vscode.window.onDidChangeTextEditorSelection((e) => this.selectionChanged(e));
  }

  /** Selects `line` (0-based) of `uri` in `column`, from its first character to its end. */
  async revealLine(uri: vscode.Uri, line: number, column: vscode.ViewColumn): Promise<void> {
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      void vscode.window.showWarningMessage(`Packet Journey: cannot open ${uri.fsPath || uri.toString()}: ${(e as Error).message}`);
      return;
    }
    // The trace may be older than the text: a line past the end goes to the last one.
    const at = Math.max(0, Math.min(line, doc.lineCount - 1));
    const text = doc.lineAt(at);
    const range = new vscode.Range(at, text.firstNonWhitespaceCharacterIndex, at, text.range.end.character);
    this.hostSelection = { uri: doc.uri.toString(), line: at, until: Date.now() + REVEAL_GUARD_MS };
    // preserveFocus: the user goes on stepping in the panel with the keyboard.
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: range, preserveFocus: true, preview: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    const doc = e.textEditor.document;
    const traced = this.lookup(doc.uri);
    if (!traced?.panel || !traced.trace) return;
    const line = e.selections[0].active.line;
    const guard = this.hostSelection;
    if (guard && guard.uri === doc.uri.toString() && guard.line === line && Date.now() < guard.until) return;
    clearTimeout(this.focusTimer);
    this.focusTimer = setTimeout(() => {
      const now = this.lookup(doc.uri);
      if (now?.panel && now.trace) now.panel.showFocus(focusAt(doc.getText(), line, now.trace, sourceKey(doc.uri)));
    }, FOCUS_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.focusTimer);
    this.subscription.dispose();
  }
}
