// Not a test: a measurement (issue #11) of the time from a keystroke (didChange) to the
// diagnostics of that version, on a document of MIB mebibytes (default 10), through the real
// server over stdio. It includes the server's 150 ms debounce. `npm run bench` calls it.
import { spawn } from 'node:child_process';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, PublishDiagnosticsNotification,
} from 'vscode-languageserver-protocol/node';
import * as path from 'node:path';

/** `root` is the repository: the built server (dist/server.js) is what runs. */
export async function measureKeystrokes(root: string, mib: number, n: number): Promise<string[]> {
  const proc = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiting = new Map<number, (t: number) => void>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => { const w = waiting.get(p.version ?? -1); waiting.delete(p.version ?? -1); w?.(performance.now()); });
  conn.onRequest('workspace/configuration', () => []);
  conn.listen();
  try {
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
    await conn.sendNotification(InitializedNotification.type, {});
    const unit = 'host a {\n  gateway 10.0.0.1\n}\n';
    const text = unit.repeat(Math.ceil((mib * 1048576) / unit.length));
    const uri = 'untitled:large.journey';
    const published = (v: number): Promise<number> => new Promise((resolve) => waiting.set(v, resolve));
    let done = published(1);
    let t0 = performance.now();
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'journey', version: 1, text } });
    const open = (await done) - t0;
    const times: number[] = [];
    for (let v = 2; v < 2 + n; v++) {
      done = published(v);
      t0 = performance.now();
      await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } }, text: 'x' }] });
      times.push((await done) - t0);
    }
    times.sort((a, b) => a - b);
    return [
      `LSP on a ${(text.length / 1048576).toFixed(2)} MiB document (server: dist/server.js)`,
      `  open -> diagnostics:      ${open.toFixed(0)} ms`,
      `  keystroke -> diagnostics: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms over ${n} keystrokes (150 ms of it is the debounce)`,
    ];
  } finally {
    conn.dispose();
    proc.kill();
  }
}
