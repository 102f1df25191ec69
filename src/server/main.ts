// Entry point of the bundled language server (dist/server.js): stdio, IPC or a socket, as the
// client asks on the command line (vscode-languageserver reads --stdio / --node-ipc).
import { startServer } from './server';

startServer();
