// Bad input and bad timing: nothing crashes the server, every request is answered, and
// diagnostics never go back in time.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CompletionRequest, HoverRequest, DefinitionRequest, ReferencesRequest, RenameRequest, PrepareRenameRequest, DocumentSymbolRequest,
  FoldingRangeRequest, DocumentFormattingRequest, SemanticTokensRequest, CodeActionRequest, CodeLensRequest, CancellationTokenSource,
  LSPErrorCodes, type Position,
} from 'vscode-languageserver-protocol/node';
import { generateTopology } from '../../bench/lsp';
import { FIXTURES, fixtureUri, TestServer } from './harness';

/** Every request the server supports, at one position; each must answer (a value or an error
 * response), never hang or kill the process. */
async function askEverything(s: TestServer, uri: string, position: Position): Promise<void> {
  const td = { textDocument: { uri } };
  const range = { start: position, end: position };
  const requests: Promise<unknown>[] = [
    s.conn.sendRequest(CompletionRequest.type, { ...td, position }),
    s.conn.sendRequest(HoverRequest.type, { ...td, position }),
    s.conn.sendRequest(DefinitionRequest.type, { ...td, position }),
    s.conn.sendRequest(ReferencesRequest.type, { ...td, position, context: { includeDeclaration: true } }),
    s.conn.sendRequest(PrepareRenameRequest.type, { ...td, position }).catch((e: Error) => e),
    s.conn.sendRequest(RenameRequest.type, { ...td, position, newName: 'x' }).catch((e: Error) => e),
    s.conn.sendRequest(DocumentSymbolRequest.type, td),
    s.conn.sendRequest(FoldingRangeRequest.type, td),
    s.conn.sendRequest(DocumentFormattingRequest.type, { ...td, options: { tabSize: 2, insertSpaces: true } }),
    s.conn.sendRequest(SemanticTokensRequest.type, td),
    s.conn.sendRequest(CodeActionRequest.type, { ...td, range, context: { diagnostics: [{ range, message: 'x', code: 'extra-argument' }, { range, message: 'y', code: 'no-route' }, { range, message: 'z', code: 'bad-mac', data: { suggestion: 'q' } }] } }),
    s.conn.sendRequest(CodeLensRequest.type, td),
  ];
  const results = await Promise.all(requests);
  assert.equal(results.length, requests.length);
}

describe('language server over stdio: robustness', function () {
  this.timeout(120000);
  let s: TestServer;
  before(async () => { s = await TestServer.start(); });
  after(async () => {
    assert.ok(s.alive, `the server is still running; stderr: ${s.stderr}`);
    await s.stop();
  });

  it('answers every request past the end of the file', async () => {
    const uri = 'untitled:end.journey';
    await s.open(uri, 'host a {\n  gateway 10.0.0.1\n}\n');
    for (const p of [{ line: 3, character: 0 }, { line: 2, character: 500 }, { line: 1e6, character: 1e6 }, { line: -5, character: -5 }]) await askEverything(s, uri, p);
    assert.equal(await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1e6, character: 0 } }), null);
  });

  it('answers requests for a document it was never told about', async () => {
    await askEverything(s, 'file:///nowhere/never-opened.journey', { line: 0, character: 0 });
  });

  it('survives a file of random bytes', async () => {
    // A fixed generator, so a failure reproduces.
    let seed = 12345;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    let text = '';
    for (let i = 0; i < 200_000; i++) text += String.fromCharCode(rnd() % 0x800);
    const uri = 'untitled:random.journey';
    await s.open(uri, text);
    const d = await s.diagnosticsFor(uri, 1, 60000);
    assert.ok(d.diagnostics.length > 0);
    await askEverything(s, uri, { line: 0, character: 3 });
    await askEverything(s, uri, { line: 40, character: 7 });
  });

  it('survives an unterminated block and still completes inside it', async () => {
    const uri = 'untitled:open.journey';
    await s.open(uri, 'host a {\n  interface eth0 {\n    mac 02:00:00:00:00:01\n    \n');
    const d = await s.diagnosticsFor(uri, 1);
    assert.deepEqual(d.diagnostics.map((x) => x.code), ['syntax-unclosed-block', 'syntax-unclosed-block']);
    const r = await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 4 } });
    assert.deepEqual((Array.isArray(r) ? r : r?.items ?? []).map((i) => i.label).sort(), ['ip', 'mtu']);
    await askEverything(s, uri, { line: 4, character: 0 });
  });

  it('reports an import cycle instead of following it', async () => {
    const uri = fixtureUri('cycle-a.journey');
    await s.open(uri, fs.readFileSync(path.join(FIXTURES, 'cycle-a.journey'), 'utf8'));
    const d = await s.diagnosticsFor(uri, 1);
    const cycle = d.diagnostics.find((x) => x.code === 'import-cycle');
    assert.deepEqual(cycle?.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 24 } });
    assert.match(cycle?.message ?? '', /^cycle-b\.journey:1:8: Import cycle: cycle-a\.journey -> cycle-b\.journey -> cycle-a\.journey/);
    assert.equal(cycle?.relatedInformation?.[0].location.uri, fixtureUri('cycle-b.journey'));
    await askEverything(s, uri, { line: 3, character: 6 });
  });

  it('handles a 10 MB file', async () => {
    const text = generateTopology(720_000);
    assert.ok(text.length >= 10 * 1024 * 1024, `${text.length} bytes`);
    const uri = 'untitled:huge.journey';
    await s.open(uri, text);
    const d = await s.diagnosticsFor(uri, 1, 110000);
    assert.ok(Array.isArray(d.diagnostics));
    await askEverything(s, uri, { line: 12345, character: 4 });
  });

  it('publishes diagnostics only for the newest version, after rapid edits', async () => {
    const uri = 'untitled:edits.journey';
    const start = s.diagnostics.length;
    await s.open(uri, 'host a {\n  procesing 1ms\n}\n', 1);
    // Three quick incremental edits: fix the typo, then break it twice more.
    await s.change(uri, 2, [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 11 } }, text: 'processing' }]);
    await s.change(uri, 3, [{ range: { start: { line: 1, character: 13 }, end: { line: 1, character: 14 } }, text: 'x' }]);
    await s.change(uri, 4, [{ range: { start: { line: 1, character: 13 }, end: { line: 1, character: 14 } }, text: '2' }, { range: { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } }, text: 'b' }]);
    const last = await s.diagnosticsFor(uri, 4);
    assert.deepEqual(last.diagnostics, []);
    await new Promise((r) => setTimeout(r, 400));
    const published = s.diagnostics.slice(start).filter((d) => d.uri === uri).map((d) => d.version ?? -1);
    assert.deepEqual(published, [...published].sort((a, b) => a - b), `versions in order: ${published.join(',')}`);
    assert.equal(published[published.length - 1], 4);
    assert.ok(!published.includes(2) && !published.includes(3), `debounced: ${published.join(',')}`);
  });

  it('answers a request overtaken by an edit with ContentModified, and a cancelled one with RequestCancelled', async () => {
    const uri = 'untitled:race.journey';
    await s.open(uri, 'host a {\n  gateway 10.0.0.1\n}\n', 1);
    // The hover and the edit reach the server in one read: the hover must see that its
    // position belongs to an old version.
    const modified = await s.writeTogether([
      { id: 'race-1', method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 1 } } },
      { method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' }] } },
    ], 'race-1');
    assert.equal(modified.error?.code, LSPErrorCodes.ContentModified);
    const cancelled = await s.writeTogether([
      { id: 'race-2', method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 1, character: 1 } } },
      { method: '$/cancelRequest', params: { id: 'race-2' } },
    ], 'race-2');
    assert.equal(cancelled.error?.code, LSPErrorCodes.RequestCancelled);
    // Through the client library as well: a token cancelled at once.
    const cts = new CancellationTokenSource();
    const viaClient = s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 } }, cts.token);
    cts.cancel();
    await viaClient.then((h) => assert.ok(h === null || typeof h === 'object'), (e: { code?: number }) => assert.equal(e.code, LSPErrorCodes.RequestCancelled));
    // And the next request is served normally.
    const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 } });
    assert.match(JSON.stringify(h), /An end host/);
  });

  it('re-checks an open importer when the imported file changes', async () => {
    const shared = fixtureUri('shared.journey');
    const user = fixtureUri('uses-shared.journey');
    await s.open(user, fs.readFileSync(path.join(FIXTURES, 'uses-shared.journey'), 'utf8'), 1);
    assert.deepEqual((await s.diagnosticsFor(user, 1)).diagnostics, []);
    const before = s.diagnostics.length;
    const text = fs.readFileSync(path.join(FIXTURES, 'shared.journey'), 'utf8').replace('interface lan', 'interface lan2');
    await s.open(shared, text, 1);
    for (let i = 0; i < 100; i++) {
      const again = s.diagnostics.slice(before).find((d) => d.uri === user);
      if (again) {
        assert.deepEqual(again.diagnostics.map((d) => d.code), ['unknown-name']);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('the importer was not re-checked');
  });
});
