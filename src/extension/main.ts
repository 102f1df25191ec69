// Extension entry point: activation only. Language features run in the language server
// (dist/server.js); this side starts it and registers the trace commands.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TraceCommands } from './traceCommands';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'journey' }],
    outputChannelName: 'Packet Journey',
  };
  client = new LanguageClient('journey', 'Packet Journey Language Server', serverOptions, clientOptions);
  context.subscriptions.push(client, new TraceCommands(client));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
