// The Trace Packet command and the exports: run the core simulation on a .journey document,
// show the journey beside the code as a read-only timeline that follows the file's edits, and
// hand the trace to the language server for its hop hovers.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { buildNetwork } from '../core/model/build';
import { simulate } from '../core/sim/run';
import { traceToText } from '../core/export/text';
import { traceToMermaid } from '../core/export/mermaid';
import { traceToPcapng } from '../core/export/trace-pcap';
import type { Trace } from '../core/trace/types';
import { resolveImportFromDisk } from '../node/files';
import { TraceCompletedNotification, TRACE_PACKET_COMMAND } from '../server/protocol';

const SCHEME = 'journey-trace';

interface Traced { source: vscode.Uri; scenario?: string; trace?: Trace; error?: string }

export class TraceCommands implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly traced = new Map<string, Traced>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: LanguageClient | undefined) {
    this.status.command = TRACE_PACKET_COMMAND;
    this.disposables.push(
      this.status, this.changed,
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.commands.registerCommand(TRACE_PACKET_COMMAND, (uri?: string, scenario?: string) => this.tracePacket(uri, scenario)),
      vscode.commands.registerCommand('packetJourney.exportPcap', () => this.export('pcapng')),
      vscode.commands.registerCommand('packetJourney.exportMermaid', () => this.export('mermaid')),
      vscode.workspace.onDidChangeTextDocument((e) => this.sourceChanged(e.document)),
    );
  }

  dispose(): void { for (const d of this.disposables) d.dispose(); }

  private viewUri(source: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: SCHEME, path: `${source.path}.trace.txt`, query: source.toString() });
  }

  /** Runs the simulation; returns the trace or a message saying what to fix. */
  private run(doc: vscode.TextDocument, scenario?: string): Traced {
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
    try {
      const built = buildNetwork(doc.getText(), { file, resolveImport: doc.uri.scheme === 'file' ? resolveImportFromDisk : undefined });
      const result = simulate(built, { scenario });
      return result.ok ? { source: doc.uri, scenario: result.trace.scenario, trace: result.trace } : { source: doc.uri, scenario, error: result.error };
    } catch (e) {
      // A bug of ours must not surface as an exception in the extension host: say it plainly.
      return { source: doc.uri, scenario, error: `internal error while tracing (please report it): ${(e as Error).message}` };
    }
  }

  async tracePacket(uriArg?: string, scenario?: string): Promise<Trace | undefined> {
    const uri = uriArg ? vscode.Uri.parse(uriArg) : vscode.window.activeTextEditor?.document.uri;
    if (!uri) { void vscode.window.showWarningMessage('Packet Journey: open a .journey file to trace.'); return undefined; }
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'journey') { void vscode.window.showWarningMessage('Packet Journey: Trace Packet works on .journey files.'); return undefined; }
    const traced = this.run(doc, scenario);
    this.traced.set(uri.toString(), traced);
    if (traced.error || !traced.trace) {
      void vscode.window.showErrorMessage(`Packet Journey: cannot trace: ${traced.error}`);
      return undefined;
    }
    await this.publish(traced);
    const view = this.viewUri(uri);
    this.changed.fire(view);
    const shown = await vscode.workspace.openTextDocument(view);
    await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    return traced.trace;
  }

  private async publish(t: Traced): Promise<void> {
    const trace = t.trace;
    if (!trace) return;
    const totals = trace.outcome.totals.map((x) => `${x.toFixed(1)} ms`).join(' / ');
    this.status.text = trace.outcome.ok ? `$(pulse) ${totals}` : '$(error) journey failed';
    this.status.tooltip = trace.outcome.ok ? `Packet Journey: scenario ${trace.scenario}, request times` : trace.outcome.symptom;
    this.status.show();
    await this.client?.sendNotification(TraceCompletedNotification, { uri: t.source.toString(), trace });
  }

  /** A traced document changed: trace again after a pause, so the timeline follows the edits. */
  private sourceChanged(doc: vscode.TextDocument): void {
    const t = this.traced.get(doc.uri.toString());
    if (!t) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const again = this.run(doc, t.scenario);
      // A file that stops being traceable keeps its last good trace, with the reason shown.
      this.traced.set(doc.uri.toString(), again.trace ? again : { ...t, error: again.error });
      if (again.trace) void this.publish(again);
      this.changed.fire(this.viewUri(doc.uri));
    }, 400);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const t = this.traced.get(uri.query);
    if (!t) return 'Run "Packet Journey: Trace Packet" on a .journey file.';
    const head = t.error ? `(The file cannot be traced right now: ${t.error}. Showing the last trace.)\n\n` : '';
    return head + (t.trace ? traceToText(t.trace, { details: true }) : '');
  }

  private async export(kind: 'pcapng' | 'mermaid'): Promise<void> {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const key = uri?.scheme === SCHEME ? uri.query : uri?.toString();
    const t = key ? this.traced.get(key)?.trace ?? (await this.tracePacket(key)) : undefined;
    if (!t || !uri) return;
    const base = uri.scheme === SCHEME ? vscode.Uri.parse(uri.query) : uri;
    const target = await vscode.window.showSaveDialog({ defaultUri: base.with({ path: base.path.replace(/\.journey$/, kind === 'pcapng' ? '.pcapng' : '.mmd') }) });
    if (!target) return;
    const bytes = kind === 'pcapng' ? traceToPcapng(t) : new TextEncoder().encode(traceToMermaid(t));
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Packet Journey: wrote ${target.fsPath}`);
  }
}
