// Drives the language server as the editor does: a separate process over stdio, spoken to with
// the protocol library. The built bundle (dist/server.js) is used when it is newer than the
// sources (as in CI, where `npm test` builds first); otherwise the sources run through tsx, so a
// stale bundle can never make the tests pass or fail for the wrong reason.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, PublishDiagnosticsNotification,
  ShutdownRequest, ExitNotification, type ProtocolConnection, type PublishDiagnosticsParams, type InitializeResult,
  type Position, type TextDocumentContentChangeEvent, type InitializeParams,
} from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../src/core/language/range';

export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(__dirname, 'fixtures');
export const fixtureUri = (name: string): string => pathToFileURL(path.join(FIXTURES, name)).toString();

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function serverCommand(): { args: string[]; how: string } {
  const bundle = path.join(ROOT, 'dist', 'server.js');
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestSource(path.join(ROOT, 'src'))) {
    return { args: [bundle, '--stdio'], how: 'dist/server.js' };
  }
  return { args: ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'server', 'main.ts'), '--stdio'], how: 'tsx src/server/main.ts' };
}

/** A document with `|` marking cursor positions: the text without the marks, and the marks. */
export function marked(src: string): { text: string; offsets: number[]; positions: Position[] } {
  const offsets: number[] = [];
  let text = '';
  for (const ch of src) {
    if (ch === '|') offsets.push(text.length);
    else text += ch;
  }
  const idx = new LineIndex(text);
  return { text, offsets, positions: offsets.map((o) => idx.position(o)) };
}

export class TestServer {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  stderr = '';
  private waiters: (() => void)[] = [];
  private constructor(readonly proc: ChildProcess, readonly conn: ProtocolConnection, readonly init: InitializeResult) {}

  /** `params` override the initialize parameters (workspace folders, initializationOptions). */
  static async start(params: Partial<InitializeParams> = {}): Promise<TestServer> {
    const { args } = serverCommand();
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout as NodeJS.ReadableStream), new StreamMessageWriter(proc.stdin as NodeJS.WritableStream));
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const holder: { s?: TestServer } = {};
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      holder.s?.diagnostics.push(p);
      for (const w of holder.s?.waiters.splice(0) ?? []) w();
    });
    conn.onRequest('workspace/configuration', () => []);
    conn.onRequest('client/registerCapability', () => null);
    conn.onNotification('window/logMessage', () => undefined);
    conn.listen();
    const init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: pathToFileURL(ROOT).toString(), workspaceFolders: null,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] } } },
      ...params,
    });
    await conn.sendNotification(InitializedNotification.type, {});
    const s = new TestServer(proc, conn, init);
    s.stderr = stderr;
    proc.stderr?.on('data', (d: Buffer) => { s.stderr += d.toString(); });
    holder.s = s;
    return s;
  }

  get alive(): boolean { return this.proc.exitCode === null && this.proc.signalCode === null; }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'journey', version, text } });
  }
  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }
  async close(uri: string): Promise<void> {
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The first diagnostics published for `uri` (at `version`, when given) after this call's
   * start or already received. */
  async diagnosticsFor(uri: string, version?: number, timeoutMs = 15000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = [...this.diagnostics].reverse().find((d) => d.uri === uri && (version === undefined || d.version === version));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}${version !== undefined ? ` v${version}` : ''}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, Math.max(1, deadline - Date.now())); this.waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
  }

  /** Writes several JSON-RPC messages in ONE write, so the server reads them together: the way
   * to make "a request and, right behind it, an edit or a cancel" deterministic. Resolves with the
   * raw response to the request with id `awaitId` (ids here must not be numbers, so they never
   * collide with the connection's own). */
  async writeTogether(messages: object[], awaitId: string, timeoutMs = 10000): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
    const out = this.proc.stdout as NodeJS.ReadableStream;
    let seen = '';
    const response = new Promise<{ result?: unknown; error?: { code: number; message: string } }>((resolve, reject) => {
      const t = setTimeout(() => { out.off('data', onData); reject(new Error(`no response to ${awaitId}`)); }, timeoutMs);
      const onData = (d: Buffer): void => {
        seen += d.toString('utf8');
        for (const m of seen.split(/Content-Length: \d+\r\n\r\n/)) {
          if (!m.includes(`"id":"${awaitId}"`)) continue;
          try {
            const parsed = JSON.parse(m) as { result?: unknown; error?: { code: number; message: string } };
            clearTimeout(t);
            out.off('data', onData);
            resolve(parsed);
            return;
          } catch { /* not complete yet */ }
        }
      };
      out.on('data', onData);
    });
    const frames = messages.map((m) => { const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8'); return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]); });
    (this.proc.stdin as NodeJS.WritableStream).write(Buffer.concat(frames));
    return response;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 3000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch { /* already gone */ }
    await new Promise<void>((resolve) => {
      if (!this.alive) { resolve(); return; }
      const t = setTimeout(() => { this.proc.kill(); resolve(); }, 3000);
      this.proc.once('exit', () => { clearTimeout(t); resolve(); });
    });
    this.conn.dispose();
  }
}
