// Every editor feature over the real protocol, against a separate server process.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CompletionRequest, HoverRequest, DefinitionRequest, ReferencesRequest, RenameRequest, PrepareRenameRequest, DocumentSymbolRequest,
  FoldingRangeRequest, DocumentFormattingRequest, SemanticTokensRequest, CodeActionRequest, CodeLensRequest,
  CompletionItemKind, InsertTextFormat, SymbolKind, type CompletionItem, type Location, type MarkupContent, type DocumentSymbol,
  type WorkspaceEdit, type CodeAction, type Diagnostic, type Range, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../src/core/language/range';
import { FIXTURES, fixtureUri, marked, TestServer } from './harness';

const NET = fs.readFileSync(path.join(FIXTURES, 'net.journey'), 'utf8');
const NET_URI = fixtureUri('net.journey');
const idx = new LineIndex(NET);
/** Position of the `k`-th character of the `n`-th occurrence of `needle` in net.journey. */
const pos = (needle: string, k = 0, n = 0): { line: number; character: number } => {
  let at = -1;
  for (let i = 0; i <= n; i++) at = NET.indexOf(needle, at + 1);
  assert.ok(at >= 0, `fixture lacks ${needle}`);
  return idx.position(at + k);
};
const rangeOf = (needle: string, k = 0, len = needle.length - k, n = 0): Range => {
  const s = pos(needle, k, n);
  return { start: s, end: { line: s.line, character: s.character + len } };
};
const textAt = (text: string, r: Range): string => { const i = new LineIndex(text); return text.slice(i.offset(r.start), i.offset(r.end)); };
/** Applies one document's edits (non-overlapping) to its text. */
function apply(text: string, edits: TextEdit[]): string {
  const i = new LineIndex(text);
  return [...edits].sort((a, b) => i.offset(b.range.start) - i.offset(a.range.start))
    .reduce((t, e) => t.slice(0, i.offset(e.range.start)) + e.newText + t.slice(i.offset(e.range.end)), text);
}
const md = (h: unknown): string => ((h as { contents: MarkupContent } | null)?.contents.value ?? '');

describe('language server over stdio: features', function () {
  this.timeout(30000);
  let s: TestServer;
  before(async () => {
    s = await TestServer.start();
    await s.open(NET_URI, NET);
  });
  after(async () => {
    assert.ok(s.alive, 'the server is still running');
    await s.stop();
  });

  const complete = async (uri: string, text: string, version: number): Promise<CompletionItem[]> => {
    const m = marked(text);
    await s.open(uri, m.text, version);
    const r = await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: m.positions[0] });
    return Array.isArray(r) ? r : r?.items ?? [];
  };

  it('announces every capability', () => {
    const c = s.init.capabilities;
    assert.equal(c.textDocumentSync, 2, 'incremental sync');
    for (const k of ['completionProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'documentFormattingProvider', 'semanticTokensProvider', 'codeActionProvider', 'codeLensProvider'] as const) {
      assert.ok(c[k], k);
    }
    assert.deepEqual(c.renameProvider, { prepareProvider: true });
  });

  it('publishes no diagnostics for a correct file', async () => {
    const d = await s.diagnosticsFor(NET_URI, 1);
    assert.deepEqual(d.diagnostics, []);
  });

  describe('completion', () => {
    it('offers device kinds and top-level keywords at the top level, with docs and snippets', async () => {
      const items = await complete('untitled:c1.journey', '|', 1);
      const byLabel = new Map(items.map((i) => [i.label, i]));
      for (const k of ['host', 'router', 'access-point', 'switch', 'internet-gateway', 'dns-server', 'load-balancer', 'database']) assert.equal(byLabel.get(k)?.kind, CompletionItemKind.Class, k);
      for (const k of ['link', 'scenario', 'cluster', 'certificate', 'import']) assert.ok(byLabel.has(k), k);
      assert.ok(!byLabel.has('mac'), 'no interface property at the top level');
      const host = byLabel.get('host');
      assert.match((host?.documentation as MarkupContent).value, /An end host/);
      const full = byLabel.get('host (device)');
      assert.equal(full?.kind, CompletionItemKind.Snippet);
      assert.equal(full?.insertTextFormat, InsertTextFormat.Snippet);
      assert.match((full?.textEdit as TextEdit).newText, /^host \$\{1:laptop\} \{\n\tinterface/);
      const scenario = byLabel.get('scenario (skeleton)');
      assert.match((scenario?.textEdit as TextEdit).newText, /request \{\n\t\turl/);
      assert.ok(byLabel.has('dns-server (device)') && byLabel.has('load-balancer (device)') && byLabel.has('cluster (template)'));
    });

    it('offers the properties of the enclosing block, minus those already set', async () => {
      const items = await complete('untitled:c2.journey', 'host a {\n  interface eth0 {\n    mac 02:00:00:00:00:01\n    |\n  }\n}\n', 1);
      const labels = items.filter((i) => i.kind !== CompletionItemKind.Snippet).map((i) => i.label).sort();
      assert.deepEqual(labels, ['ip', 'mtu']);
    });

    it('replaces the half-typed keyword', async () => {
      const items = await complete('untitled:c3.journey', 'link l {\n  lat|\n}\n', 1);
      const latency = items.find((i) => i.label === 'latency');
      assert.deepEqual((latency?.textEdit as TextEdit).range, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
      assert.equal(latency?.kind, CompletionItemKind.Property);
    });

    it('offers enum values from the schema', async () => {
      const items = await complete('untitled:c4.journey', 'link l {\n  medium |\n}\n', 1);
      assert.deepEqual(items.map((i) => [i.label, i.kind]), [['ethernet', CompletionItemKind.EnumMember], ['wifi', CompletionItemKind.EnumMember]]);
      const roles = await complete('untitled:c5.journey', 'dns-server d {\n  role r|\n}\n', 1);
      assert.deepEqual(roles.map((i) => i.label), ['recursive', 'root', 'tld', 'authoritative', 'forwarder']);
    });

    it('offers interfaces as device.interface for link ends, from the whole file', async () => {
      const m = marked(NET.replace('  between ns.eth0 fabric.p2', '  between ns.eth0 |'));
      await s.open('file:///tmp/c6.journey', m.text, 1);
      const r = await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: 'file:///tmp/c6.journey' }, position: m.positions[0] });
      const labels = (Array.isArray(r) ? r : r?.items ?? []).map((i) => i.label);
      assert.ok(labels.includes('fabric.p2') && labels.includes('laptop.wlan0') && labels.includes('node-1.eth0'), labels.join(' '));
      assert.ok(labels.every((l) => l.includes('.')));
    });

    it('offers names of the right kind for each reference', async () => {
      const at = async (needle: string, replacement: string): Promise<string[]> => {
        const m = marked(NET.replace(needle, replacement));
        const uri = `file:///tmp/c-${replacement.replace(/\W/g, '')}.journey`;
        await s.open(uri, m.text, 1);
        const r = await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: m.positions[0] });
        return (Array.isArray(r) ? r : r?.items ?? []).map((i) => i.label);
      };
      assert.deepEqual(await at('  from laptop', '  from |'), ['laptop']);
      assert.deepEqual(await at('    certificate api-cert', '    certificate |'), ['api-cert']);
      assert.deepEqual(await at('      forward nodes', '      forward |'), ['nodes']);
      assert.deepEqual((await at('  dns kube-dns', '  dns |')).sort(), ['kube-dns', 'web']);
      assert.deepEqual(await at('    node node-1\n    ip 10.244.1.15', '    node |\n    ip 10.244.1.15'), ['node-1']);
      assert.deepEqual(await at('    out wan', '    out |'), ['lan', 'wan']);
      const targets = await at('    target node-1', '    target |');
      assert.ok(targets.includes('node-1') && targets.includes('laptop') && targets.includes('web-1'));
    });

    it('offers nothing inside a comment or a string, and never fails past the end', async () => {
      assert.deepEqual(await complete('untitled:c7.journey', 'host a { # no|\n}\n', 1), []);
      assert.deepEqual(await complete('untitled:c8.journey', 'scenario s {\n  request {\n    url "https://a|\n', 1), []);
      const r = await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: NET_URI }, position: { line: 99999, character: 5 } });
      assert.ok(Array.isArray(r));
    });
  });

  describe('hover', () => {
    it('documents keywords from the schema', async () => {
      const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: NET_URI }, position: pos('  latency 2ms', 3) });
      assert.equal(md(h), '`latency <one-way>`\n\nOne-way propagation delay, e.g. `12ms`. A round trip over the link costs twice this.');
      assert.deepEqual(h?.range, rangeOf('  latency 2ms', 2, 7));
    });

    it('summarises a device: kind, addresses, links with latency, role', async () => {
      const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: NET_URI }, position: pos('router home-router', 9) });
      const v = md(h);
      assert.ok(v.startsWith('**router** `home-router`\n\nNAT masquerade out `wan`; DNS forwarder'), v);
      assert.ok(v.includes('| lan | aa:bb:cc:dd:ee:02 | 192.168.1.1/24 | wifi -> laptop.wlan0, 2 ms, 300 Mbit/s |'), v);
      assert.ok(v.includes('| wan | aa:bb:cc:dd:ee:03 | 10.0.1.2/24 | uplink -> fabric.p1, 1 ms, 1 Gbit/s |'), v);
      assert.ok(v.includes('default gateway 10.0.1.1'), v);
      // The same summary on a reference (`between ... home-router.lan`).
      const r = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: NET_URI }, position: pos('home-router.lan', 2) });
      assert.equal(md(r), v);
      const dns = md(await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: NET_URI }, position: pos('dns-server ns', 11) }));
      assert.ok(dns.includes('DNS authoritative, zones `example.com`'), dns);
    });

    it('explains values: durations, subnets, ports, bandwidth', async () => {
      const at = async (needle: string, k: number): Promise<string> => md(await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: NET_URI }, position: pos(needle, k) }));
      assert.equal(await at('latency 100us', 9), '`latency` <one-way>: 100 µs one way (a round trip over this link costs 200 µs)');
      assert.equal(await at('ip 192.168.1.100/24', 4), '`ip` <address/prefix>: address `192.168.1.100`; network `192.168.1.0/24`, netmask `255.255.255.0`; 254 host addresses (`192.168.1.1` to `192.168.1.254`), broadcast `192.168.1.255`');
      assert.equal(await at('listen 8080', 8), '`listen` <port>: port 8080: HTTP (alternate) — registered');
      assert.equal(await at('bandwidth 300Mbps', 11), '`bandwidth` <rate>: 300 Mbit/s: a 1500-byte packet takes 40 µs to serialise');
      assert.equal(await at('gateway 192.168.1.1', 9), '`gateway` <address>: `192.168.1.1`: private (RFC 1918) address, the address of `home-router.lan`');
    });

    it('answers null on blank space and past the end of the file', async () => {
      assert.equal(await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: NET_URI }, position: { line: 10, character: 0 } }), null);
      assert.equal(await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: NET_URI }, position: { line: 100000, character: 100000 } }), null);
    });
  });

  describe('navigation', () => {
    it('goes to the definition of a device from a link end, and of an interface', async () => {
      const d = await s.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: NET_URI }, position: pos('between laptop.wlan0', 9) }) as Location[];
      assert.deepEqual(d, [{ uri: NET_URI, range: rangeOf('host laptop', 5) }]);
      const i = await s.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: NET_URI }, position: pos('between laptop.wlan0', 17) }) as Location[];
      assert.deepEqual(i, [{ uri: NET_URI, range: rangeOf('interface wlan0', 10) }]);
      const tg = await s.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: NET_URI }, position: pos('forward nodes', 9) }) as Location[];
      assert.deepEqual(tg, [{ uri: NET_URI, range: rangeOf('target-group nodes', 13) }]);
    });

    it('finds every reference of a device, an interface, a zone', async () => {
      const refs = async (p: { line: number; character: number }, includeDeclaration = true): Promise<string[]> =>
        ((await s.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: NET_URI }, position: p, context: { includeDeclaration } })) ?? [])
          .map((l) => `${l.range.start.line}:${l.range.start.character} ${textAt(NET, l.range)}`);
      const l = (needle: string, k: number, n = 0): string => { const p = pos(needle, k, n); return `${p.line}:${p.character}`; };
      assert.deepEqual(await refs(pos('node node-1 {', 6)), [`${l('target node-1', 7)} node-1`, `${l('node node-1 {', 5)} node-1`, `${l('    node node-1', 9)} node-1`, `${l('    node node-1', 9, 1)} node-1`, `${l('between node-1', 8)} node-1`]);
      assert.deepEqual(await refs(pos('interface wan', 11)), [`${l('interface wan', 10)} wan`, `${l('out wan', 4)} wan`, `${l('home-router.wan', 12)} wan`]);
      assert.deepEqual(await refs(pos('interface wan', 11), false), [`${l('out wan', 4)} wan`, `${l('home-router.wan', 12)} wan`]);
      const zone = await refs(pos('zone example.com', 6));
      assert.deepEqual(zone.map((z) => z.split(' ')[1]), ['example.com', 'example.com', 'example.com', 'example.com', 'example.com', 'example.com']);
    });

    it('renames a device everywhere, including the device part of `device.interface`', async () => {
      const e = await s.conn.sendRequest(RenameRequest.type, { textDocument: { uri: NET_URI }, position: pos('router home-router', 8), newName: 'gw' }) as WorkspaceEdit;
      const out = apply(NET, e.changes?.[NET_URI] ?? []);
      assert.equal(e.changes?.[NET_URI]?.length, 3);
      assert.ok(out.includes('router gw {') && out.includes('between laptop.wlan0 gw.lan') && out.includes('between gw.wan fabric.p1'));
      assert.ok(!out.includes('home-router'));
    });

    it('renames an interface from its use in a link and from its definition', async () => {
      for (const p of [pos('home-router.lan', 12), pos('interface lan', 11)]) {
        const e = await s.conn.sendRequest(RenameRequest.type, { textDocument: { uri: NET_URI }, position: p, newName: 'inside' }) as WorkspaceEdit;
        const out = apply(NET, e.changes?.[NET_URI] ?? []);
        assert.ok(out.includes('interface inside {') && out.includes('between laptop.wlan0 home-router.inside'), out.slice(0, 400));
        assert.equal(e.changes?.[NET_URI]?.length, 2);
      }
      // route `dev` and nat `out` are uses of the interface too.
      const e = await s.conn.sendRequest(RenameRequest.type, { textDocument: { uri: NET_URI }, position: pos('out wan', 5), newName: 'outside' }) as WorkspaceEdit;
      const out = apply(NET, e.changes?.[NET_URI] ?? []);
      assert.ok(out.includes('interface outside {') && out.includes('out outside') && out.includes('between home-router.outside fabric.p1'));
    });

    it('renames zones, target groups, certificates, services and pods', async () => {
      const ren = async (needle: string, k: number, newName: string): Promise<string> => {
        const e = await s.conn.sendRequest(RenameRequest.type, { textDocument: { uri: NET_URI }, position: pos(needle, k), newName }) as WorkspaceEdit;
        return apply(NET, e.changes?.[NET_URI] ?? []);
      };
      const z = await ren('zone example.com', 6, 'example.org');
      assert.ok(z.includes('zone example.org {') && z.includes('url "https://api.example.org/users/42"') && z.includes('subject api.example.org') && z.includes('CNAME api.example.org.') && z.includes('host api.example.org'));
      assert.ok(!z.includes('example.com'));
      const tg = await ren('forward nodes', 9, 'k8s');
      assert.ok(tg.includes('target-group k8s {') && tg.includes('forward k8s'));
      const cert = await ren('certificate api-cert {', 13, 'tls-cert');
      assert.ok(cert.includes('certificate tls-cert {') && cert.includes('    certificate tls-cert\n'));
      const svc = await ren('dns kube-dns', 5, 'coredns');
      assert.ok(svc.includes('service coredns {') && svc.includes('dns coredns'));
      const pod = await ren('pod web-1', 5, 'web-2');
      assert.ok(pod.includes('pod web-2 {'));
    });

    it('rejects invalid and clashing new names with an error', async () => {
      await assert.rejects(s.conn.sendRequest(RenameRequest.type, { textDocument: { uri: NET_URI }, position: pos('router home-router', 8), newName: '9 lives' }), /is not a valid name/);
      await assert.rejects(s.conn.sendRequest(RenameRequest.type, { textDocument: { uri: NET_URI }, position: pos('router home-router', 8), newName: 'laptop' }), /A device named "laptop" already exists/);
      await assert.rejects(s.conn.sendRequest(RenameRequest.type, { textDocument: { uri: NET_URI }, position: pos('zone example.com', 6), newName: 'not a domain' }), /is not a zone name/);
      const prep = await s.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: NET_URI }, position: pos('home-router.lan', 13) });
      assert.deepEqual(prep, { range: rangeOf('home-router.lan', 12), placeholder: 'lan' });
      assert.equal(await s.conn.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: NET_URI }, position: pos('latency 2ms', 2) }), null);
    });

    it('goes to definitions in an imported file', async () => {
      const uri = fixtureUri('uses-shared.journey');
      const text = fs.readFileSync(path.join(FIXTURES, 'uses-shared.journey'), 'utf8');
      await s.open(uri, text, 1);
      const p = new LineIndex(text).position(text.indexOf('edge.lan') + 1);
      const d = await s.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: p }) as Location[];
      assert.deepEqual(d, [{ uri: fixtureUri('shared.journey'), range: { start: { line: 1, character: 7 }, end: { line: 1, character: 11 } } }]);
      assert.deepEqual((await s.diagnosticsFor(uri, 1)).diagnostics, []);
    });
  });

  it('outlines devices > interfaces, clusters > nodes/pods/services, scenarios', async () => {
    const syms = await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: NET_URI } }) as DocumentSymbol[];
    assert.deepEqual(syms.map((x) => [x.name, x.kind]), [
      ['laptop', SymbolKind.Class], ['home-router', SymbolKind.Class], ['ns', SymbolKind.Class], ['api-cert', SymbolKind.Key], ['alb', SymbolKind.Class],
      ['fabric', SymbolKind.Class], ['prod', SymbolKind.Namespace], ['wifi', SymbolKind.Event], ['uplink', SymbolKind.Event], ['to-ns', SymbolKind.Event],
      ['to-alb', SymbolKind.Event], ['to-node', SymbolKind.Event], ['first-visit', SymbolKind.Function],
    ]);
    const prod = syms.find((x) => x.name === 'prod');
    assert.deepEqual(prod?.children?.map((c) => [c.name, c.kind, c.children?.map((g) => g.name)]), [
      ['node-1', SymbolKind.Class, ['eth0']], ['web-1', SymbolKind.Module, ['app']], ['dns-1', SymbolKind.Module, ['coredns']], ['web', SymbolKind.Interface, []], ['kube-dns', SymbolKind.Interface, []],
    ]);
    const laptop = syms[0];
    assert.deepEqual(laptop.range, { start: { line: 1, character: 0 }, end: { line: 9, character: 1 } });
    assert.deepEqual(laptop.selectionRange, { start: { line: 1, character: 5 }, end: { line: 1, character: 11 } });
    assert.deepEqual(laptop.children?.map((c) => c.name), ['wlan0']);
    assert.equal(syms[7].detail, 'laptop.wlan0 <-> home-router.lan');
  });

  it('folds blocks and comment runs', async () => {
    const uri = 'untitled:fold.journey';
    await s.open(uri, '# one\n# two\n# three\nhost a {\n  interface e { mac 02:00:00:00:00:01 }\n  interface f {\n    mac 02:00:00:00:00:02\n  }\n}\n# region x\n# endregion\n', 1);
    const r = await s.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.deepEqual(r, [
      { startLine: 0, endLine: 2, kind: 'comment' }, { startLine: 3, endLine: 7 }, { startLine: 5, endLine: 6 }, { startLine: 9, endLine: 10, kind: 'region' },
    ]);
  });

  it('formats the document with the editor\'s indentation', async () => {
    const uri = 'untitled:fmt.journey';
    await s.open(uri, 'host a {\ninterface e {   mac 02:00:00:00:00:01 }\n      gateway   10.0.0.1   # gw\n}\n', 1);
    const e = await s.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.equal(e?.length, 1);
    assert.equal(e?.[0].newText, 'host a {\n    interface e { mac 02:00:00:00:00:01 }\n    gateway 10.0.0.1   # gw\n}\n');
    assert.deepEqual(e?.[0].range, { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } });
    await s.open('untitled:fmt2.journey', 'host a {\n  gateway 10.0.0.1\n}\n', 1);
    assert.deepEqual(await s.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: 'untitled:fmt2.journey' }, options: { tabSize: 2, insertSpaces: true } }), []);
  });

  it('classifies tokens semantically', async () => {
    const uri = 'untitled:sem.journey';
    const text = '# c\nrouter r {\n  interface e { mac 02:00:00:00:00:01 }\n  nat masquerade { out e }\n}\nlink l {\n  between r.e x.y\n  latency 2ms\n  medium wifi\n}\ncertificate c { issuer "X" }\n';
    await s.open(uri, text, 1);
    const r = await s.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    const types = (s.init.capabilities.semanticTokensProvider?.legend.tokenTypes ?? []);
    const mods = (s.init.capabilities.semanticTokensProvider?.legend.tokenModifiers ?? []);
    const lines = text.split('\n');
    const decoded: string[] = [];
    let line = 0;
    let ch = 0;
    for (let i = 0; i < (r?.data.length ?? 0); i += 5) {
      const [dl, dc, len, type, mod] = (r?.data ?? []).slice(i, i + 5);
      line += dl;
      ch = dl === 0 ? ch + dc : dc;
      const m = mods.filter((_, b) => mod & (1 << b));
      decoded.push(`${lines[line].slice(ch, ch + len)}:${types[type]}${m.length ? `.${m.join('.')}` : ''}`);
    }
    assert.deepEqual(decoded, [
      '# c:comment', 'router:type', 'r:variable.declaration', 'interface:keyword', 'e:variable.declaration', 'mac:property', '02:00:00:00:00:01:number',
      'nat:keyword', 'masquerade:enumMember.readonly', 'out:property', 'e:variable', 'link:keyword', 'l:variable.declaration', 'between:property', 'r:variable', 'e:variable', 'x:variable', 'y:variable',
      'latency:property', '2ms:number', 'medium:property', 'wifi:enumMember.readonly', 'certificate:keyword', 'c:variable.declaration', 'issuer:property', '"X":string',
    ]);
  });

  describe('code actions', () => {
    const actionsFor = async (uri: string, text: string, code: string): Promise<{ actions: CodeAction[]; diag: Diagnostic; text: string }> => {
      await s.open(uri, text, 1);
      const d = await s.diagnosticsFor(uri, 1);
      const diag = d.diagnostics.find((x) => x.code === code);
      assert.ok(diag, `expected ${code} in ${JSON.stringify(d.diagnostics.map((x) => x.code))}`);
      const actions = await s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } }) as CodeAction[];
      return { actions, diag, text };
    };
    const applied = (uri: string, text: string, a: CodeAction): string => apply(text, a.edit?.changes?.[uri] ?? []);

    it('did you mean: unknown name, unknown keyword, bad enum value', async () => {
      const base = 'host a {\n  interface eth0 { mac 02:00:00:00:00:01 }\n  procesing 1ms\n}\nhost b {\n  interface eth0 { mac 02:00:00:00:00:02 }\n}\nlink l {\n  between a.eth0 bb.eth0\n  latency 1ms\n  medium wify\n}\n';
      const u1 = 'untitled:ca1.journey';
      const r1 = await actionsFor(u1, base, 'unknown-keyword');
      assert.equal(r1.actions[0].title, 'Change to "processing"');
      assert.equal(r1.actions[0].isPreferred, true);
      assert.deepEqual(r1.actions[0].diagnostics, [r1.diag]);
      assert.ok(applied(u1, base, r1.actions[0]).includes('  processing 1ms\n'));
      const r2 = await actionsFor('untitled:ca2.journey', base, 'unknown-name');
      assert.equal(r2.actions[0].title, 'Change to "b"');
      assert.ok(applied('untitled:ca2.journey', base, r2.actions[0]).includes('between a.eth0 b.eth0'));
      const r3 = await actionsFor('untitled:ca3.journey', base, 'bad-value');
      assert.equal(r3.actions[0].title, 'Change to "wifi"');
    });

    it('adds the prefix length, rewrites a MAC, removes or joins extra arguments', async () => {
      const text = 'host a {\n  interface eth0 {\n    mac AA-BB-CC-DD-EE-01\n    ip 10.0.0.2\n  }\n}\nlink l {\n  latency 2 ms\n}\nscenario s {\n  requests 2 3\n}\n';
      const u = 'untitled:ca4.journey';
      const cidr = await actionsFor(u, text, 'bad-cidr');
      assert.equal(cidr.actions[0].title, 'Add the prefix length: 10.0.0.2/24');
      assert.ok(applied(u, text, cidr.actions[0]).includes('    ip 10.0.0.2/24\n'));
      const mac = await actionsFor(u, text, 'bad-mac');
      assert.equal(mac.actions[0].title, 'Write the MAC address as aa:bb:cc:dd:ee:01');
      assert.ok(applied(u, text, mac.actions[0]).includes('    mac aa:bb:cc:dd:ee:01\n'));
      const extra = await actionsFor(u, text, 'extra-argument');
      const titles = extra.actions.map((a) => a.title);
      assert.deepEqual(titles, ['Join into "2ms"', 'Remove "ms"']);
      assert.ok(applied(u, text, extra.actions[0]).includes('  latency 2ms\n'));
      const u2 = 'untitled:ca5.journey';
      const t2 = 'scenario s {\n  requests 2 3\n}\n';
      const rm = await actionsFor(u2, t2, 'extra-argument');
      assert.deepEqual(rm.actions.map((a) => a.title), ['Remove "3"']);
      assert.equal(applied(u2, t2, rm.actions[0]), 'scenario s {\n  requests 2\n}\n');
    });

    it('adds the missing gateway when one router is next to the host', async () => {
      const text = NET.replace('  gateway 192.168.1.1\n  resolver 192.168.1.1\n', '  resolver 10.0.1.53\n');
      const u = 'file:///tmp/ca6.journey';
      const r = await actionsFor(u, text, 'no-route');
      assert.equal(r.actions.length, 1);
      assert.equal(r.actions[0].title, 'Add "gateway 192.168.1.1" to laptop (home-router.lan)');
      const fixed = applied(u, text, r.actions[0]);
      assert.ok(fixed.includes('  resolver 10.0.1.53\n  trust "Test Root CA"\n  gateway 192.168.1.1\n}\n'), fixed.slice(0, 300));
      // The diagnostic points at where the path stops.
      assert.match(r.diag.relatedInformation?.[0].message ?? '', /the path stops at laptop/);
    });

    it('fixes a gateway that is on no subnet of the device', async () => {
      const text = NET.replace('  gateway 192.168.1.1\n', '  gateway 192.168.2.1\n');
      const u = 'file:///tmp/ca7.journey';
      const r = await actionsFor(u, text, 'gateway-unreachable');
      assert.equal(r.actions[0].title, 'Use gateway 192.168.1.1 (home-router.lan)');
      assert.ok(applied(u, text, r.actions[0]).includes('  gateway 192.168.1.1\n'));
      assert.equal(r.diag.relatedInformation?.[0].message, 'laptop.wlan0 is 192.168.1.100/24');
    });

    it('relates a duplicate name to its first definition', async () => {
      const u = 'untitled:dup.journey';
      await s.open(u, 'host a {\n  interface e { mac 02:00:00:00:00:01 }\n}\nhost a {\n  interface e { mac 02:00:00:00:00:02 }\n}\n', 1);
      const d = (await s.diagnosticsFor(u, 1)).diagnostics.find((x) => x.code === 'duplicate-name');
      assert.deepEqual(d?.range, { start: { line: 3, character: 5 }, end: { line: 3, character: 6 } });
      assert.deepEqual(d?.relatedInformation, [{ message: 'first defined here', location: { uri: u, range: { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } } } }]);
    });
  });

  it('puts a "▶ Trace Packet" lens above each scenario', async () => {
    const lenses = await s.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: NET_URI } });
    assert.deepEqual(lenses, [{ range: rangeOf('scenario first-visit', 0, 8), command: { title: '▶ Trace Packet', command: 'packetJourney.tracePacket', arguments: [NET_URI, 'first-visit'] } }]);
  });
});
