// The traced documents and what shows them: one panel per traced file (tracing again reveals
// it), the text view, the status bar and the language server's hop hovers. Each file traces on
// its own worker thread (TraceRunner); edits cancel the running trace and trace again
// (debounced, if the settings say so); a file with errors keeps its last trace, marked stale.
// EditorSync does the cursor <-> panel part.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SourceRange, Trace } from '../core/trace/types';
import { TraceCompletedNotification } from '../server/protocol';
import type { ExportFormat, ToPanel } from '../shared/protocol';
import { Config } from './config';
import { EditorSync } from './editorSync';
import { exportTrace } from './exports';
import { parsePersistedState } from './panelMessages';
import { TraceStatus } from './statusBar';
import { TRACE_VIEW_TYPE, TracePanel, type PanelHost } from './tracePanel';
import { TraceTextView } from './traceTextView';
import { TraceRunner } from './traceRunner';

/** Run (by the host) when the user first steps in a panel: the walkthrough's step 3 completes on it. */
export const STEPPED_COMMAND = 'packetJourney.walkthrough.stepped';
import { sourceKey, sourceUri, traceDocument, type TraceResult } from './tracing';

interface Session {
  source: vscode.Uri;
  /** The scenario asked for (code lens); undefined: the file's first scenario. */
  scenario?: string;
  /** The last good trace: it stays while the file has errors. */
  trace?: Trace;
  error?: string;
  panel?: TracePanel;
  /** The column the source was shown in when traced: reveals go back there. */
  column?: vscode.ViewColumn;
  timer?: ReturnType<typeof setTimeout>;
  /** Where this file's traces run; a new trace cancels the one still running. */
  runner?: TraceRunner;
}

export class TraceSessions implements PanelHost, vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly config = new Config();
  private readonly contextCounts = new Map<string, number>();
  private readonly status = new TraceStatus();
  private readonly textView = new TraceTextView((key) => this.sessions.get(key));
  private readonly editorSync = new EditorSync((uri) => this.sessions.get(uri.toString()));
  private readonly disposables: vscode.Disposable[] = [this.status, this.textView, this.editorSync];

  constructor(private readonly context: vscode.ExtensionContext, private readonly client: LanguageClient | undefined) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, { deserializeWebviewPanel: (p, state) => this.restore(p, state) }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this.documentChanged(e.document); }),
      vscode.workspace.onDidCloseTextDocument((d) => { const s = TraceTextView.sourceOf(d.uri); if (s) this.forgetIfUnused(s.toString()); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (Config.affectsPanel(e)) for (const s of this.sessions.values()) s.panel?.sendSettings(); }),
      // Imports were refused in Restricted Mode: with trust they resolve, so trace again.
      vscode.workspace.onDidGrantWorkspaceTrust(() => { for (const s of this.sessions.values()) void this.retrace(s); }),
    );
  }

  /** The document a command acts on: its argument, the active editor's, or the active panel's. */
  target(arg?: string | vscode.Uri): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return TraceTextView.sourceOf(arg) ?? arg;
    if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active) return TraceTextView.sourceOf(active) ?? active;
    return [...this.sessions.values()].find((s) => s.panel?.active)?.source;
  }

  /** Trace Packet: traces `uri` and shows the panel beside it. Returns the trace. */
  async tracePacket(uri: vscode.Uri, scenario?: string): Promise<Trace | undefined> {
    const doc = await this.openJourney(uri);
    if (!doc) return undefined;
    const session = this.session(doc.uri);
    if (scenario) {
      session.scenario = scenario;
      await this.context.workspaceState.update(this.scenarioKey(doc.uri), scenario);
    }
    session.column = vscode.window.visibleTextEditors.find((e) => e.document === doc)?.viewColumn ?? session.column;
    const version = doc.version;
    const result = await this.trace(session, doc);
    // Replaced by a newer trace of the same file (an edit): that one shows itself.
    if (!result) return session.trace;
    // Typed into while the first trace ran (no panel yet to follow the edits): trace again.
    if (doc.version !== version) queueMicrotask(() => this.documentChanged(doc));
    if (!result.ok && !session.trace) {
      void vscode.window.showErrorMessage(`Packet Journey: cannot trace ${this.name(doc.uri)}: ${result.error}`);
      this.forgetIfUnused(doc.uri.toString());
      return undefined;
    }
    if (session.panel) session.panel.reveal();
    else if (this.config.openIn === 'text') {
      // The user prefers the trace as text: it opens instead of a new panel.
      await this.apply(session, result);
      await this.textView.open(doc.uri);
      return session.trace;
    } else session.panel = TracePanel.create(this.context.extensionUri, doc.uri, this);
    await this.apply(session, result);
    return session.trace;
  }

  /** Open Trace as Text: the trace as a read-only document. */
  async openText(uri: vscode.Uri, column: vscode.ViewColumn = vscode.ViewColumn.Beside): Promise<void> {
    const trace = await this.traceOf(uri);
    if (trace) await this.textView.open(uri, column);
  }

  async exportCommand(uri: vscode.Uri, format: ExportFormat): Promise<vscode.Uri | undefined> {
    const trace = await this.traceOf(uri);
    return trace ? exportTrace(trace, format, uri, this.distDir()) : undefined;
  }

  // ---- PanelHost: what a panel asks for

  async revealSource(panel: TracePanel, source: SourceRange): Promise<void> {
    const session = this.sessions.get(panel.source.toString());
    // Only the files the trace came from: the message is the webview's word, not the user's.
    if (!session?.trace || !this.traceFiles(session).has(source.file)) return;
    // An imported file opens in the traced file's column too: the panel stays where it is.
    await this.editorSync.revealLine(sourceUri(source.file, session.source), source.start.line, this.sourceColumn(session));
  }

  async exportFrom(panel: TracePanel, format: ExportFormat): Promise<void> {
    const trace = this.sessions.get(panel.source.toString())?.trace;
    if (trace) await exportTrace(trace, format, panel.source, this.distDir());
  }

  async openTextFrom(panel: TracePanel): Promise<void> {
    await this.openText(panel.source, panel.viewColumn ?? vscode.ViewColumn.Beside);
  }

  settings(): Extract<ToPanel, { type: 'settings' }> {
    return { type: 'settings', timeUnit: this.config.timeUnit, layout: this.config.layout, views: this.config.views };
  }

  stepped(): void {
    // A command, not a context key: the focus is in the webview now, and VS Code's walkthrough
    // evaluates a context change against the focused element's context, where it is missed.
    // Through the workbench's runCommands: a command of ours executed here would run in the
    // extension host only, unseen by the walkthrough.
    void Promise.resolve(vscode.commands.executeCommand('runCommands', { commands: [STEPPED_COMMAND] })).catch(() => undefined);
  }

  disposed(panel: TracePanel): void {
    const session = this.sessions.get(panel.source.toString());
    if (session?.panel === panel) session.panel = undefined;
    this.forgetIfUnused(panel.source.toString());
  }

  // ---- following the file

  private documentChanged(doc: vscode.TextDocument): void {
    const key = sourceKey(doc.uri);
    for (const s of this.sessions.values()) {
      const shown = s.panel || this.textView.isOpen(s.source);
      // The traced file itself, or a file it imports.
      if (!shown || (s.source.toString() !== doc.uri.toString() && !this.traceFiles(s).has(key))) continue;
      clearTimeout(s.timer);
      // The running trace is of text that no longer exists: stop it now, not after the delay.
      s.runner?.cancel();
      if (this.config.retraceOnEdit) s.timer = setTimeout(() => void this.retrace(s), this.config.retraceDelayMs);
    }
  }

  // ---- tracing

  private async retrace(session: Session): Promise<void> {
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(session.source);
    } catch (e) {
      session.panel?.showStale(`cannot read ${this.name(session.source)}: ${(e as Error).message}`);
      return;
    }
    const result = await this.trace(session, doc);
    if (result) await this.apply(session, result);
  }

  /** Traces `doc` on the session's worker; undefined when a newer trace replaced this one. */
  private trace(session: Session, doc: vscode.TextDocument): Promise<TraceResult | undefined> {
    session.runner ??= new TraceRunner(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'traceWorker.js').fsPath);
    return traceDocument(doc, session.scenario, session.runner, this.config.traceTimeoutMs);
  }

  private async apply(session: Session, result: TraceResult): Promise<void> {
    if (result.ok) {
      session.trace = result.trace;
      session.error = undefined;
      session.panel?.showTrace(result.trace);
      this.status.show(result.trace);
      if (!result.trace.outcome.ok) this.walkthroughDone('packetJourney.failureTraced');
    } else {
      session.error = result.error;
      session.panel?.showStale(result.error, result.line);
    }
    if (this.textView.isOpen(session.source)) this.textView.refresh(session.source);
    if (result.ok && this.client?.isRunning()) {
      await this.client.sendNotification(TraceCompletedNotification, { uri: session.source.toString(), trace: result.trace }).catch(() => undefined);
    }
  }

  /** The trace of `uri` for a command that does not open the panel: the last one, else a new one. */
  private async traceOf(uri: vscode.Uri): Promise<Trace | undefined> {
    const known = this.sessions.get(uri.toString());
    if (known?.trace && !known.error) return known.trace;
    const doc = await this.openJourney(uri);
    if (!doc) return undefined;
    const session = this.session(doc.uri);
    const result = await this.trace(session, doc);
    if (!result) return session.trace;
    if (!result.ok) {
      void vscode.window.showErrorMessage(`Packet Journey: cannot trace ${this.name(doc.uri)}: ${result.error}`);
      this.forgetIfUnused(doc.uri.toString());
      return undefined;
    }
    await this.apply(session, result);
    return result.trace;
  }

  private async restore(webviewPanel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const state = parsePersistedState(raw);
    let uri: vscode.Uri | undefined;
    try {
      uri = state ? vscode.Uri.parse(state.file, true) : undefined;
    } catch {
      uri = undefined;
    }
    // Without a state the panel cannot know what it showed: close it rather than show nothing.
    const doc = uri ? await this.openJourney(uri, true) : undefined;
    if (!doc || !state) {
      webviewPanel.dispose();
      if (uri) void vscode.window.showWarningMessage(`Packet Journey: closed the trace of ${this.name(uri)}: the file cannot be opened.`);
      return;
    }
    const session = this.session(doc.uri);
    if (session.panel) { webviewPanel.dispose(); session.panel.reveal(); return; }
    session.scenario = this.context.workspaceState.get<string>(this.scenarioKey(doc.uri));
    session.panel = TracePanel.revive(webviewPanel, this.context.extensionUri, doc.uri, state.selection, this);
    const result = await this.trace(session, doc);
    if (result) await this.apply(session, result);
  }

  // ---- helpers

  /** Marks a walkthrough step done: its completion event is `onContext:<key>`. The value
   * changes each time (a count), because VS Code's walkthrough only notices a context change,
   * and one made before the walkthrough page was first shown is missed. */
  private walkthroughDone(key: string): void {
    const n = (this.contextCounts.get(key) ?? 0) + 1;
    this.contextCounts.set(key, n);
    void vscode.commands.executeCommand('setContext', key, n);
  }

  private async openJourney(uri: vscode.Uri, quiet = false): Promise<vscode.TextDocument | undefined> {
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      if (!quiet) void vscode.window.showWarningMessage(`Packet Journey: cannot open ${this.name(uri)}: ${(e as Error).message}`);
      return undefined;
    }
    if (doc.languageId !== 'journey') {
      if (!quiet) void vscode.window.showWarningMessage('Packet Journey: Trace Packet works on .journey files.');
      return undefined;
    }
    return doc;
  }

  private session(uri: vscode.Uri): Session {
    const key = uri.toString();
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = { source: uri }));
    return s;
  }

  private forgetIfUnused(key: string): void {
    const s = this.sessions.get(key);
    if (!s || s.panel || this.textView.isOpen(s.source)) return;
    clearTimeout(s.timer);
    s.runner?.dispose();
    this.sessions.delete(key);
  }

  /** Files whose lines the trace points at: the traced file and the files it imports. */
  private traceFiles(s: Session): Set<string> {
    const files = new Set([sourceKey(s.source)]);
    for (const d of s.trace?.devices ?? []) if (d.source) files.add(d.source.file);
    for (const e of s.trace?.events ?? []) if (e.source) files.add(e.source.file);
    return files;
  }

  /** The column showing the traced file, else where it was, else one away from the panel. */
  private sourceColumn(s: Session): vscode.ViewColumn {
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === s.source.toString())?.viewColumn;
    if (shown) return shown;
    if (s.column && s.column !== s.panel?.viewColumn) return s.column;
    return s.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  }

  private scenarioKey(uri: vscode.Uri): string { return `packetJourney.scenario:${uri.toString()}`; }
  private name(uri: vscode.Uri): string { return uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString(); }
  private distDir(): string { return vscode.Uri.joinPath(this.context.extensionUri, 'dist').fsPath; }

  dispose(): void {
    for (const s of this.sessions.values()) { clearTimeout(s.timer); s.runner?.dispose(); s.panel?.dispose(); }
    this.sessions.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
