// The extension's commands, registered from one table. Each finds the document it acts on (its
// argument, the active editor or the active trace panel) and hands it to the trace sessions.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TRACE_PACKET_COMMAND } from '../server/protocol';
import type { ExportFormat } from '../shared/protocol';
import { Config } from './config';
import { NEW_JOURNEY_COMMAND, newJourney } from './newJourney';
import { STEPPED_COMMAND, TraceSessions } from './traceSessions';

export const OPEN_TEXT_COMMAND = 'packetJourney.openTraceAsText';

/** Command id -> export format; package.json declares each id. */
export const EXPORT_COMMANDS: Record<string, ExportFormat> = {
  'packetJourney.exportPcap': 'pcapng',
  'packetJourney.exportJson': 'json',
  'packetJourney.exportMermaid': 'mermaid',
  'packetJourney.exportHtml': 'html',
};

export class TraceCommands implements vscode.Disposable {
  private readonly sessions: TraceSessions;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext, client: LanguageClient | undefined) {
    this.sessions = new TraceSessions(context, client);
    const table: Record<string, (...args: unknown[]) => unknown> = {
      // Arguments: [uri, scenario] from the code lens, [Uri] from the editor title, none from
      // the palette and the keybinding.
      [TRACE_PACKET_COMMAND]: (uri, scenario) => this.withTarget(uri, (u) => this.sessions.tracePacket(u, typeof scenario === 'string' ? scenario : undefined)),
      [OPEN_TEXT_COMMAND]: (uri) => this.withTarget(uri, (u) => this.sessions.openText(u)),
      // Nothing to do: executing it is the walkthrough's completion event (onCommand:).
      [STEPPED_COMMAND]: () => undefined,
      // Argument: a template id from the walkthrough's links; none from the palette.
      [NEW_JOURNEY_COMMAND]: (id) => newJourney(context.extensionUri, new Config(), id).catch((e: unknown) => {
        void vscode.window.showErrorMessage(`Packet Journey: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }),
    };
    for (const [id, format] of Object.entries(EXPORT_COMMANDS)) table[id] = (uri) => this.withTarget(uri, (u) => this.sessions.exportCommand(u, format));
    for (const [id, run] of Object.entries(table)) this.disposables.push(vscode.commands.registerCommand(id, run));
    this.disposables.push(this.sessions);
  }

  private async withTarget<T>(arg: unknown, run: (uri: vscode.Uri) => Promise<T>): Promise<T | undefined> {
    const uri = this.sessions.target(arg instanceof vscode.Uri || typeof arg === 'string' ? arg : undefined);
    if (!uri) {
      void vscode.window.showWarningMessage('Packet Journey: open a .journey file to trace.');
      return undefined;
    }
    try {
      return await run(uri);
    } catch (e) {
      // A failure of ours is said in one line, not left as a stack in the log.
      void vscode.window.showErrorMessage(`Packet Journey: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

