// The language server under hostile input (issue #11): imports that try to leave the workspace
// or run in Restricted Mode, rename outside the workspace, odd URIs, deep nesting, floods of
// mistakes, BOMs and CR line endings, markdown in user strings, and a 10 MB document.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DocumentSymbolRequest, FoldingRangeRequest, DocumentFormattingRequest, HoverRequest, RenameRequest, CompletionRequest,
  type PublishDiagnosticsParams, type Hover, type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { TestServer } from './harness';
import { LARGE_DOCUMENT } from '../../src/server/analysis';
import { WorkspaceTrustNotification } from '../../src/server/protocol';
import { MAX_DIAGNOSTICS_PER_FILE } from '../../src/core/model/diagnosticCap';

const SECRET = 'TOP-SECRET root:x:0:0';

/** Waits until the newest diagnostics published for `uri` satisfy `ok`. */
async function until(s: TestServer, uri: string, ok: (p: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
  const deadline = Date.now() + 20000;
  for (;;) {
    const last = [...s.diagnostics].reverse().find((d) => d.uri === uri);
    if (last && ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last?.diagnostics.map((d) => d.message))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const everything = (p: PublishDiagnosticsParams): string => JSON.stringify(p);

describe('language server over stdio: hostile input', function () {
  this.timeout(120000);
  let tmp: string;
  let ws: string;
  let outside: string;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pj-lsp-hostile-')));
    ws = path.join(tmp, 'ws');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'loot.journey'), `${SECRET}\n`);
    fs.writeFileSync(path.join(ws, '.env'), `${SECRET}\n`);
    fs.symlinkSync(path.join(outside, 'loot.journey'), path.join(ws, 'link.journey'));
    fs.writeFileSync(path.join(ws, 'lib.journey'), 'host shared {\n  bogus 1\n}\n');
    fs.writeFileSync(path.join(outside, 'lib.journey'), 'host srv {\n  interface e {\n    mac 02:00:00:00:00:01\n  }\n}\n');
  });
  after(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

  describe('imports in Restricted Mode and out of the workspace', () => {
    let s: TestServer;
    before(async () => {
      s = await TestServer.start({ workspaceFolders: [{ uri: pathToFileURL(ws).toString(), name: 'ws' }], initializationOptions: { workspaceTrusted: false } });
    });
    after(async () => { assert.ok(s.alive, s.stderr); await s.stop(); });

    it('untrusted: imports are off with a diagnostic on the import line; trust turns them on; escapes stay refused', async () => {
      const uri = pathToFileURL(path.join(ws, 'main.journey')).toString();
      const imports = ['lib.journey', '/etc/passwd', '../outside/loot.journey', '.env', 'link.journey', '/proc/self/environ'];
      await s.open(uri, imports.map((i) => `import "${i}"`).join('\n') + '\n');
      const first = await s.diagnosticsFor(uri, 1);
      assert.doesNotMatch(everything(first), /TOP-SECRET|root:x/);
      for (let line = 0; line < imports.length; line++) {
        const here = first.diagnostics.filter((d) => d.range.start.line === line);
        assert.equal(here.length, 1, `line ${line}: ${JSON.stringify(first.diagnostics)}`);
        assert.equal(here[0].code, 'import-untrusted');
      }
      await s.conn.sendNotification(WorkspaceTrustNotification, { trusted: true });
      const trusted = await until(s, uri, (p) => p.diagnostics.some((d) => d.range.start.line === 0 && /lib\.journey:2:3/.test(d.message)), 'the imported file to be read once trusted');
      assert.doesNotMatch(everything(trusted), /TOP-SECRET|root:x/);
      const codes = imports.map((_, line) => trusted.diagnostics.filter((d) => d.range.start.line === line).map((d) => d.code));
      assert.deepEqual(codes.slice(1), [['import-outside-workspace'], ['import-outside-workspace'], ['import-not-journey'], ['import-outside-workspace'], ['import-outside-workspace']]);
      for (let line = 1; line < imports.length; line++) assert.ok(trusted.diagnostics.find((d) => d.range.start.line === line)?.message.includes(`"${imports[line]}"`), 'the diagnostic names the path');
    });
  });

  describe('rename, URIs and the editor under stress', () => {
    let s: TestServer;
    before(async () => { s = await TestServer.start({ workspaceFolders: [{ uri: pathToFileURL(ws).toString(), name: 'ws' }] }); });
    after(async () => { assert.ok(s.alive, s.stderr); await s.stop(); });

    it('rename never edits a file outside the workspace folders', async () => {
      const uri = pathToFileURL(path.join(outside, 'main.journey')).toString();
      await s.open(uri, 'import "lib.journey"\nlink l {\n  between srv.e srv.e\n}\n');
      await s.diagnosticsFor(uri, 1);
      const err = await s.conn.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 2, character: 11 }, newName: 'server' }).then(() => undefined, (e: Error) => e);
      assert.ok(err, 'the rename is refused');
      assert.match(err.message, /outside the workspace/);
    });

    it('file://host/..., untitled: and vscode-vfs: documents are analysed without an exception', async () => {
      for (const uri of ['file://fileserver/share/a.journey', 'untitled:Untitled-1', 'vscode-vfs://github/owner/repo/a.journey']) {
        await s.open(uri, 'import "b.journey"\nhost a {\n  bogus 1\n}\n');
        const d = await s.diagnosticsFor(uri, 1);
        assert.deepEqual(d.diagnostics.map((x) => x.code).sort(), ['import-unavailable', 'unknown-keyword'], uri);
        await s.change(uri, 2, [{ text: 'host a {\n}\n' }]);
        assert.deepEqual((await s.diagnosticsFor(uri, 2)).diagnostics, []);
      }
      assert.doesNotMatch(s.stderr, /TypeError|analysis failed/);
    });

    it('3,000 levels of nesting: outline, folding and formatting answer', async () => {
      const uri = 'untitled:deep.journey';
      await s.open(uri, `${'a {\n'.repeat(3000)}${'}\n'.repeat(3000)}`);
      const d = await s.diagnosticsFor(uri, 1);
      assert.ok(d.diagnostics.some((x) => x.code === 'syntax-too-deep'));
      assert.ok(Array.isArray(await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })));
      assert.ok(Array.isArray(await s.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })));
      assert.ok(Array.isArray(await s.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })));
    });

    it('a megabyte of "}" or of mistakes publishes a bounded list, the last saying how many more', async () => {
      const braces = 'untitled:braces.journey';
      await s.open(braces, '}'.repeat(1 << 20));
      assert.equal((await s.diagnosticsFor(braces, 1)).diagnostics.length, 1);
      const junk = 'untitled:junk.journey';
      await s.open(junk, 'host a {\n  nonsense 1\n}\n'.repeat(3000));
      const d = (await s.diagnosticsFor(junk, 1)).diagnostics;
      assert.ok(d.length <= MAX_DIAGNOSTICS_PER_FILE, `${d.length}`);
      assert.match(d[d.length - 1].message, /^\d+ more problems in this file/);
    });

    it('a byte-order mark and CR-only line endings: diagnostics on the right line', async () => {
      const bom = 'untitled:bom.journey';
      await s.open(bom, '\ufeffhost a {\n  interface e {\n    mac 02:00:00:00:00:01\n  }\n}\n');
      assert.deepEqual((await s.diagnosticsFor(bom, 1)).diagnostics.filter((x) => x.severity === 1), []);
      const cr = 'untitled:cr.journey';
      await s.open(cr, '# old Mac file\rhost a {\r  interface e {\r    mac nope\r  }\r}\r');
      const d = (await s.diagnosticsFor(cr, 1)).diagnostics;
      assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character]), [['bad-mac', 3, 8]]);
    });

    it('certificate issuers, SANs and record names are escaped in hover markdown', async () => {
      const uri = 'untitled:cert.journey';
      const text = 'certificate c {\n  subject api.example.com\n  san api.example.com\n  issuer "Evil ``](javascript:alert(1)) <img src=x>"\n  valid-from 2026-01-01\n  valid-until 2027-01-01\n}\nhost h {\n  listen 443\n  certificate c\n}\n';
      await s.open(uri, text);
      await s.diagnosticsFor(uri, 1);
      const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 9, character: 15 } }) as Hover;
      const md = (h.contents as MarkupContent).value;
      assert.ok(md.includes('- issuer ```Evil ``](javascript:alert(1)) <img src=x>```'), md);
    });

    it('a 10 MB document: one diagnostic saying features are off, and each keystroke is answered', async () => {
      const uri = 'untitled:huge.journey';
      const text = 'host a {\n  gateway 10.0.0.1\n}\n'.repeat(Math.ceil(10 * 1048576 / 30));
      await s.open(uri, text);
      const d = (await s.diagnosticsFor(uri, 1, 60000)).diagnostics;
      assert.deepEqual(d.map((x) => x.code), ['document-too-large']);
      assert.match(d[0].message, new RegExp(`This file is \\d+\\.\\d MB: files over ${LARGE_DOCUMENT / 1024} KB are not checked as you type`));
      await s.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }]);
      assert.equal((await s.diagnosticsFor(uri, 2, 60000)).diagnostics.length, 1);
      assert.equal(await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } }), null);
      assert.deepEqual(await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } }), []);
    });
  });
});
