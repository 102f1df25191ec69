// One trace panel: owns its webview panel, its listeners and what it shows (as
// vscode-extension-samples' webview-sample does). The webview is not kept alive while hidden
// (retainContextWhenHidden off): it keeps its place with setState and says `ready` each time it
// loads, and the panel answers with everything it needs.
import * as path from 'path';
import * as vscode from 'vscode';
import type { SourceRange, Trace } from '../core/trace/types';
import { splitTraceMessage, type EditorFocus, type ExportFormat, type PanelSelection, type ToPanel } from '../shared/protocol';
import { sameFocus } from './editorFocus';
import { parseFromPanel } from './panelMessages';
import { distRoot, panelHtmlFor } from './webviewHtml';

export const TRACE_VIEW_TYPE = 'packetJourney.trace';

/** What the panel asks of its host. */
export interface PanelHost {
  revealSource(panel: TracePanel, source: SourceRange): void | Promise<void>;
  exportFrom(panel: TracePanel, format: ExportFormat): void | Promise<void>;
  openTextFrom(panel: TracePanel): void | Promise<void>;
  settings(): Extract<ToPanel, { type: 'settings' }>;
  /** The user moved to another event of the same trace (the walkthrough's "step" is done). */
  stepped(panel: TracePanel): void;
  disposed(panel: TracePanel): void;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    enableFindWidget: true,
    localResourceRoots: [distRoot(extensionUri)],
  };
}

export class TracePanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** The webview's script is loaded and listening; messages sent before it would be lost. */
  private ready = false;
  private isDisposed = false;
  private trace: Trace | undefined;
  private stale: { error: string; line?: number } | undefined;
  private focus: EditorFocus | undefined;
  /** The first step in this panel was reported to the host (once is enough). */
  private stepReported = false;
  /** The user's place in the trace, as the panel last reported it. */
  selection: PanelSelection | undefined;

  static create(extensionUri: vscode.Uri, source: vscode.Uri, host: PanelHost): TracePanel {
    const panel = vscode.window.createWebviewPanel(
      TRACE_VIEW_TYPE,
      TracePanel.title(source),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri),
    );
    return new TracePanel(panel, extensionUri, source, host);
  }

  /** A panel VS Code restored after a reload (WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: vscode.Uri, selection: PanelSelection | undefined, host: PanelHost): TracePanel {
    const p = new TracePanel(panel, extensionUri, source, host);
    p.selection = selection;
    return p;
  }

  static title(source: vscode.Uri): string {
    return `Trace: ${path.posix.basename(source.path)}`;
  }

  private constructor(
    readonly webviewPanel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    /** The traced document. */
    readonly source: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    const webview = webviewPanel.webview;
    // A revived panel comes back with default options: set them again before loading the HTML.
    webview.options = webviewOptions(extensionUri);
    webviewPanel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'journey-icon.svg');
    this.disposables.push(
      webviewPanel.onDidDispose(() => this.dispose()),
      webviewPanel.onDidChangeViewState(() => {
        // Hidden without retained context, the webview is torn down; it says `ready` again.
        if (!webviewPanel.visible) this.ready = false;
      }),
      webview.onDidReceiveMessage((raw: unknown) => this.received(raw)),
    );
    webview.html = panelHtmlFor(webview, extensionUri, TracePanel.title(source));
  }

  get visible(): boolean { return !this.isDisposed && this.webviewPanel.visible; }
  get active(): boolean { return !this.isDisposed && this.webviewPanel.active; }
  get viewColumn(): vscode.ViewColumn | undefined { return this.isDisposed ? undefined : this.webviewPanel.viewColumn; }
  get lastTrace(): Trace | undefined { return this.trace; }

  reveal(): void {
    if (!this.isDisposed) this.webviewPanel.reveal(this.webviewPanel.viewColumn, true);
  }

  /** A new trace: the panel keeps the user's place in it. */
  showTrace(trace: Trace): void {
    this.trace = trace;
    this.stale = undefined;
    this.postTrace(trace);
  }

  /** The file cannot be traced right now: the last trace stays, marked stale. */
  showStale(error: string, line?: number): void {
    this.stale = { error, line };
    this.post({ type: 'stale', error, line });
  }

  showFocus(focus: EditorFocus | undefined): void {
    if (sameFocus(focus, this.focus)) return;
    this.focus = focus;
    this.post({ type: 'editorFocus', focus });
  }

  sendSettings(): void {
    this.post(this.host.settings());
  }

  private postTrace(trace: Trace): void {
    for (const m of splitTraceMessage({ type: 'trace', file: this.source.toString(), trace, selection: this.selection })) this.post(m);
  }

  private post(message: ToPanel): void {
    if (this.ready && !this.isDisposed) void this.webviewPanel.webview.postMessage(message);
  }

  private received(raw: unknown): void {
    const message = parseFromPanel(raw);
    if (!message) return; // not a message of the protocol: nothing to act on
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(this.host.settings());
        if (this.trace) this.postTrace(this.trace);
        if (this.stale) this.post({ type: 'stale', ...this.stale });
        if (this.focus) this.post({ type: 'editorFocus', focus: this.focus });
        return;
      case 'selection': {
        // A new trace reports its (kept) place too: only a different event is a step.
        const before = this.selection?.event;
        this.selection = message.selection;
        if (!this.stepReported && before !== undefined && message.selection.event !== undefined && message.selection.event !== before) {
          this.stepReported = true;
          this.host.stepped(this);
        }
        return;
      }
      case 'reveal':
        this.guarded(() => this.host.revealSource(this, message.source));
        return;
      case 'export':
        this.guarded(() => this.host.exportFrom(this, message.format));
        return;
      case 'openText':
        this.guarded(() => this.host.openTextFrom(this));
        return;
    }
  }

  /** Runs a host action for the webview: a failure becomes a message, not an unhandled rejection. */
  private guarded(action: () => void | Promise<void>): void {
    Promise.resolve()
      .then(action)
      .catch((e: unknown) => void vscode.window.showErrorMessage(`Packet Journey: ${e instanceof Error ? e.message : String(e)}`));
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.host.disposed(this);
    this.webviewPanel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
