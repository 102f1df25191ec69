// Extension entry point: activation only. Language features run in the language server
// (dist/server.js); this side starts it, tells it about workspace trust, and registers the trace
// commands and panels.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WorkspaceTrustNotification, type JourneyInitializationOptions } from '../server/protocol';
import { quietWhenStopped } from './quietShutdown';
import { TraceCommands } from './traceCommands';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  // In Restricted Mode the server refuses imports: an untrusted folder's file must not make it
  // read other files.
  const initializationOptions: JourneyInitializationOptions = { workspaceTrusted: vscode.workspace.isTrusted };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'journey' }],
    outputChannelName: 'Packet Journey',
    initializationOptions,
    middleware: quietWhenStopped(() => client),
  };
  client = new LanguageClient('journey', 'Packet Journey Language Server', serverOptions, clientOptions);
  const started = client;
  context.subscriptions.push(
    client,
    new TraceCommands(context, client),
    // A client still starting queues the notification; one that failed to start has no server
    // to tell.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void started.sendNotification(WorkspaceTrustNotification, { trusted: true }).catch(() => undefined)),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
