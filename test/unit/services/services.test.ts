// The pure editor services, in-process: exact offsets, cursor marked with `|`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { buildNetwork } from '../../../src/core/model/build';
import { parseJourney } from '../../../src/core/model/build';
import {
  blockAt, linePrefix, argSpecs, nextArgSpecs, complete, hover, symbolAt, findDefinition, findReferences, rename, prepareRename,
  documentSymbols, foldingRanges, formatDocument, semanticTokens, codeActions, codeLenses, traceHoverSection, lastSnapshotAt,
  allSnippets, generatedSnippet, type ServiceInput,
} from '../../../src/core/services';
import { findKeyword } from '../../../src/core/language/schema';
import type { Trace } from '../../../src/core/trace/types';
import { ROOT } from '../helpers';

const FILE = '/virtual/test.journey';
function input(text: string): ServiceInput {
  return { file: FILE, text, result: buildNetwork(text, { file: FILE }) };
}
/** The text without its `|` marks, and the offsets of the marks. */
function cursor(src: string): { text: string; at: number[] } {
  const at: number[] = [];
  let text = '';
  for (const ch of src) { if (ch === '|') at.push(text.length); else text += ch; }
  return { text, at };
}
const NET = fs.readFileSync(path.join(ROOT, 'test', 'lsp', 'fixtures', 'net.journey'), 'utf8');

describe('services: context', () => {
  it('finds the innermost block, also while it is still open', () => {
    const { text, at } = cursor('host a {\n  interface e {\n    |\n  }\n  |\n}\n|router r {\n  |');
    const doc = parseJourney(text);
    assert.deepEqual(at.map((o) => blockAt(doc, o).context), ['interface', 'host', 'file', 'router']);
    assert.deepEqual(blockAt(doc, at[0]).parents.map((p) => p.keyword), ['host', 'interface']);
  });

  it('reads the statement being typed on the line', () => {
    const { text, at } = cursor('link l { between a.e| b');
    const p = linePrefix(text, at[0]);
    assert.deepEqual(p.words.map((w) => w.value), ['between', 'a.e']);
    assert.equal(p.partial?.value, 'a.e');
    assert.deepEqual({ start: p.partial?.start, end: p.partial?.end }, { start: 17, end: 20 });
    assert.equal(linePrefix('host a # note|', 13).inert, true);
  });

  it('assigns argument specs as the reader does, optional literals included', () => {
    const record = findKeyword('zone', 'record');
    assert.ok(record);
    assert.deepEqual(argSpecs(record, ['api', 'A', '1.2.3.4', 'ttl', '300']).map((a) => a?.name), ['name', 'type', 'value', 'ttl', 'seconds']);
    assert.deepEqual(argSpecs(record, ['api', 'A', '1.2.3.4', '300']).map((a) => a?.name), ['name', 'type', 'value', 'seconds']);
    assert.deepEqual(nextArgSpecs(record, ['api', 'A', '1.2.3.4']).map((a) => a.name), ['ttl', 'seconds']);
    assert.deepEqual(nextArgSpecs(record, ['api', 'A', '1.2.3.4', '300', 'x']), []);
  });
});

describe('services: completion', () => {
  const labels = (src: string): string[] => { const { text, at } = cursor(src); return complete(input(text), at[0]).map((i) => i.label); };

  it('suggests enum values, literals and references by kind', () => {
    assert.deepEqual(labels('router r {\n  nat |'), ['masquerade']);
    assert.deepEqual(labels('router r {\n  dnat 1.2.3.4 |'), ['to']);
    assert.deepEqual(labels('dns-server d {\n  zone z {\n    record a A 1.2.3.4 |'), ['ttl']);
    assert.deepEqual(labels('scenario s {\n  cache |'), ['browser-dns', 'os-dns', 'resolver', 'http', 'hsts', 'connection-pool', 'arp', 'infrastructure-arp']);
    assert.deepEqual(labels('load-balancer l {\n  listener https 443 {\n    tls 1.2 |'), ['1.3']);
    assert.deepEqual(labels('host h {\n  interface e { mac 02:00:00:00:00:01 }\n  interface f { mac 02:00:00:00:00:02 }\n  route 10.0.0.0/8 dev |'), ['e', 'f']);
  });

  it('offers nothing for names being defined or after the last argument', () => {
    assert.deepEqual(labels('host |'), []);
    assert.deepEqual(labels('link l {\n  latency 1ms |'), []);
  });

  it('does not pop up keywords when a space or a dot triggered it at the start of a line', () => {
    const { text, at } = cursor('host a {\n  |');
    assert.equal(complete(input(text), at[0], { triggerCharacter: ' ' }).length, 0);
    assert.ok(complete(input(text), at[0]).length > 0);
  });

  it('builds a template from the schema for keywords without one', () => {
    const spec = findKeyword('link', 'medium');
    assert.ok(spec);
    assert.equal(generatedSnippet(spec), 'medium ${1|ethernet,wifi|}$0');
    const tg = findKeyword('load-balancer', 'target-group');
    assert.ok(tg);
    assert.equal(generatedSnippet(tg), 'target-group ${1:name} {\n\t$0\n}');
  });
});

describe('services: hover, navigation, rename', () => {
  const net = input(NET);
  const off = (needle: string, k = 0): number => NET.indexOf(needle) + k;

  it('hovers a keyword with its usage and doc', () => {
    const h = hover(net, off('  mtu', 3));
    assert.equal(h, undefined, 'net.journey has no mtu: nothing to hover there');
    const g = hover(net, off('  gateway 192.168.1.1', 3));
    assert.equal(g?.markdown.split('\n')[0], '`gateway <address>`');
    assert.deepEqual(g?.span, { start: off('  gateway 192.168.1.1', 2), end: off('  gateway 192.168.1.1', 9) });
  });

  it('explains a bad value with the parser\'s message', () => {
    const h = hover(input('link l {\n  latency 5 \n}\n'), 19);
    assert.equal(h?.markdown, '`latency` <one-way>: ⚠ "5" needs a unit (us, ms, s, m, h), written without a space, e.g. 12ms.');
  });

  it('resolves symbols: definitions, references, interface parts, zone names', () => {
    assert.deepEqual(symbolAt(net, off('laptop.wlan0', 3)), { namespace: 'device', name: 'laptop', span: { start: off('laptop.wlan0'), end: off('laptop.wlan0', 6) }, file: FILE, isDefinition: false });
    assert.equal(symbolAt(net, off('laptop.wlan0', 8))?.name, 'laptop.wlan0');
    assert.equal(symbolAt(net, off('https://api.example.com', 14))?.namespace, 'zone');
    assert.equal(symbolAt(net, off('https://api.example.com', 9)), undefined, '"api." is the record, not the zone');
    assert.deepEqual(findDefinition(net, off('from laptop', 6)), [{ file: FILE, span: { start: off('host laptop', 5), end: off('host laptop', 11) } }]);
    assert.equal(findReferences(net, off('service web', 9)).length, 1);
  });

  it('renames and validates', () => {
    const r = rename(net, off('container app', 11), 'server');
    assert.ok('edits' in r && r.edits.length === 1);
    assert.deepEqual(rename(net, off('host laptop', 6), 'a b'), { error: '"a b" is not a valid name: start with a letter or "_" and use only letters, digits, "-" and "_".' });
    assert.deepEqual(rename(net, off('host laptop', 6), 'laptop'), { edits: [] });
    assert.deepEqual(prepareRename(input('link l {\n  between ghost.e x.y\n}\n'), 20), { error: 'No device "ghost" is defined: there is nothing to rename.' });
  });

  it('renames are consistent: after a rename, the file has the same diagnostics (property)', () => {
    const names = ['laptop', 'home-router', 'ns', 'alb', 'fabric', 'node-1', 'web-1'];
    fc.assert(fc.property(fc.constantFrom(...names), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), (old, fresh) => {
      fc.pre(!NET.includes(fresh));
      const r = rename(net, off(` ${old} {`, 1), fresh);
      assert.ok('edits' in r);
      let t = NET;
      for (const e of [...r.edits].sort((a, b) => b.span.start - a.span.start)) t = t.slice(0, e.span.start) + e.newText + t.slice(e.span.end);
      assert.deepEqual(buildNetwork(t, { file: FILE }).diagnostics, []);
    }), { numRuns: 30 });
  });
});

describe('services: outline, folding, formatting, tokens, lenses', () => {
  it('outlines nested blocks', () => {
    const syms = documentSymbols(input('cluster c {\n  node n {\n    interface e { mac 02:00:00:00:00:01 }\n  }\n}\nscenario s {\n  request {\n  }\n}\n'));
    assert.deepEqual(syms.map((s) => [s.name, s.kind, s.children.map((c) => [c.name, c.kind, c.children.map((g) => g.name)])]), [
      ['c', 'cluster', [['n', 'node', ['e']]]], ['s', 'scenario', [['request', 'block', []]]],
    ]);
  });

  it('folds an unclosed block to its last statement', () => {
    assert.deepEqual(foldingRanges(input('host a {\n  gateway 1.2.3.4\n  resolver 1.2.3.4\n')), [{ startLine: 0, endLine: 2 }]);
  });

  it('formats with tabs when asked, and is idempotent', () => {
    const once = formatDocument({ file: FILE, text: 'host a {\ngateway 1.2.3.4\n}\n' }, { tabSize: 4, insertSpaces: false });
    assert.equal(once[0].newText, 'host a {\n\tgateway 1.2.3.4\n}\n');
    assert.deepEqual(formatDocument({ file: FILE, text: once[0].newText }, { tabSize: 4, insertSpaces: false }), []);
  });

  it('semantic tokens never overlap and stay inside the text, whatever the input (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(NET.slice(0, 600), 'host a {\n'), (junk, base) => {
      const text = base + junk;
      const toks = semanticTokens(input(text));
      let end = 0;
      for (const t of toks) {
        assert.ok(t.span.start >= end && t.span.end <= text.length && t.span.end > t.span.start);
        end = t.span.end;
      }
    }), { numRuns: 100 });
  });

  it('every service answers at every offset of arbitrary text, never throwing (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: -10, max: 400 }), (junk, o) => {
      const i = input(`host a {\n  interface e {${junk}\n}\n`);
      complete(i, o); hover(i, o); findDefinition(i, o); findReferences(i, o); prepareRename(i, o); rename(i, o, 'z');
      codeActions(i, [{ code: 'extra-argument', span: { start: o, end: o + 3 }, message: '' }, { code: 'no-route', span: { start: o, end: o }, message: '' }]);
    }), { numRuns: 200 });
  });

  it('puts a lens on each scenario keyword', () => {
    assert.deepEqual(codeLenses(input('scenario a {\n}\nscenario b {\n}\n')).map((l) => [l.span, l.scenario]), [[{ start: 0, end: 8 }, 'a'], [{ start: 15, end: 23 }, 'b']]);
  });
});

describe('services: trace hover', () => {
  const trace = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'lsp', 'fixtures', 'trace.json'), 'utf8')) as Trace;
  it('picks the last snapshot that left or reached the device', () => {
    assert.equal(lastSnapshotAt(trace, 'home-router')?.id, 2);
    assert.equal(lastSnapshotAt(trace, 'laptop')?.id, 1);
    assert.equal(lastSnapshotAt(trace, 'nobody'), undefined);
    assert.equal(traceHoverSection(trace, 'nobody'), undefined);
  });
  it('escapes table cells and shortens long values', () => {
    const t: Trace = { ...trace, packets: [{ ...trace.packets[0], layers: [{ proto: 'HTTP', offset: 0, length: 1, summary: '', fields: [{ name: 'path', value: `/a|b${'x'.repeat(100)}`, offset: 0, length: 1 }] }] }] };
    const md = traceHoverSection(t, 'laptop') ?? '';
    assert.ok(md.includes('| HTTP | path=/a\\|bxxxxxxxx'), md);
    assert.ok(md.includes('…'));
  });
});

describe('snippets', () => {
  it('media/snippets.json holds the same templates as completion, and each parses cleanly', () => {
    const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'media', 'snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const byKeyword = new Map(allSnippets().map((s) => [s.keyword, s.body]));
    for (const k of ['host', 'router', 'link', 'dns-server', 'load-balancer', 'cluster', 'scenario']) assert.ok(Object.values(file).some((s) => s.prefix === k), k);
    for (const [name, s] of Object.entries(file)) {
      assert.equal(s.body.join('\n'), byKeyword.get(s.prefix), `${name} matches completion's template`);
      const text = s.body.join('\n').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
      const doc = parseJourney(text);
      assert.deepEqual(doc.diagnostics, [], name);
      const codes = buildNetwork(text, { file: FILE }).diagnostics.map((d) => d.code);
      assert.ok(!codes.some((c) => c === 'unknown-keyword' || c.startsWith('bad-') || c === 'extra-argument' || c === 'missing-argument'), `${name}: ${codes.join(', ')}`);
    }
  });
});
