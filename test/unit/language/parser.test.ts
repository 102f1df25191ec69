import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseJourney } from '../../../src/core/model/build';
import { buildNetwork } from '../../../src/core/model/build';
import { format } from '../../../src/core/language/format';
import { TOP_LEVEL_KEYWORDS } from '../../../src/core/language/schema';
import type { Statement } from '../../../src/core/language/parser';
import { example } from '../helpers';

/** The tree without positions: what must survive formatting. */
function shape(statements: Statement[]): unknown {
  return statements.map((s) => [s.keyword, s.args.map((a) => a.value), s.block ? shape(s.block.statements) : null]);
}

describe('parser', () => {
  it('reads statements, arguments and nested blocks with exact offsets', () => {
    const text = 'host laptop {\n  interface wlan0 { mac aa:bb:cc:dd:ee:01 }\n  gateway 192.168.1.1 # gw\n}\n';
    const doc = parseJourney(text);
    assert.deepEqual(doc.diagnostics, []);
    assert.equal(doc.statements.length, 1);
    const host = doc.statements[0];
    assert.equal(host.keyword, 'host');
    assert.deepEqual(host.keywordSpan, { start: 0, end: 4 });
    assert.equal(host.args[0].value, 'laptop');
    assert.deepEqual(host.args[0].span, { start: 5, end: 11 });
    const [iface, gw] = host.block?.statements ?? [];
    assert.equal(iface.keyword, 'interface');
    assert.equal(iface.block?.statements[0].args[0].value, 'aa:bb:cc:dd:ee:01');
    assert.equal(gw.args[0].value, '192.168.1.1');
    assert.equal(text.slice(gw.span.start, gw.span.end), 'gateway 192.168.1.1');
    assert.equal(doc.comments[0].text, '# gw');
    assert.deepEqual(host.span, { start: 0, end: text.length - 1 });
  });

  it('unescapes strings and reports an unterminated one at its position', () => {
    const doc = parseJourney('header X "a \\"b\\" c"\nquery "SELECT 1\n');
    assert.equal(doc.statements[0].args[1].value, 'a "b" c');
    assert.equal(doc.diagnostics.length, 1);
    assert.equal(doc.diagnostics[0].code, 'syntax-unterminated-string');
    assert.deepEqual(doc.diagnostics[0].span, { start: 27, end: 36 });
  });

  it('recovers from a forgotten "}" at the next top-level declaration', () => {
    const doc = parseJourney('host a {\n  gateway 1.1.1.1\nrouter b {\n  gateway 2.2.2.2\n}\n');
    assert.deepEqual(doc.statements.map((s) => s.keyword), ['host', 'router']);
    assert.deepEqual(doc.diagnostics.map((d) => d.code), ['syntax-unclosed-block']);
    assert.equal(doc.statements[1].block?.statements[0].args[0].value, '2.2.2.2');
  });

  it('reports a stray "}" and a statement that starts with a string, and keeps going', () => {
    const doc = parseJourney('}\n"x" y\nhost a { }\n');
    assert.deepEqual(doc.diagnostics.map((d) => d.code), ['syntax-unmatched-brace', 'syntax-expected-keyword']);
    assert.equal(doc.statements[0].keyword, 'host');
  });

  it('turns control characters into a diagnostic, not an exception', () => {
    const doc = parseJourney('host a\u0000b {\n}\n');
    assert.equal(doc.diagnostics[0].code, 'syntax-bad-character');
    assert.deepEqual(doc.diagnostics[0].span, { start: 6, end: 7 });
  });

  it('never throws and always terminates on random input (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => {
      const doc = parseJourney(s);
      assert.ok(Array.isArray(doc.statements));
      for (const d of doc.diagnostics) assert.ok(d.span.start >= 0 && d.span.end <= s.length && d.span.start <= d.span.end);
      buildNetwork(s); // the model builder must survive whatever the parser gives it
    }), { numRuns: 400 });
  });

  it('never throws on mutations of the real example (property)', () => {
    const base = example('follow-a-packet.journey');
    const alphabet = ['{', '}', '"', '#', ';', '\n', ' ', 'x', '.', '/', ':', '0', '\u0007'];
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(base.length), fc.nat(20), fc.constantFrom(...alphabet)), { minLength: 1, maxLength: 8 }), (edits) => {
      let s = base;
      for (const [at, del, ins] of edits) s = s.slice(0, at) + ins + s.slice(Math.min(s.length, at + del));
      const r = buildNetwork(s);
      assert.ok(r.network.devices instanceof Map);
    }), { numRuns: 150 });
  });
});

describe('formatter', () => {
  it('leaves the shipped example unchanged (it is already formatted)', () => {
    const text = example('follow-a-packet.journey');
    assert.equal(format(text), text);
  });

  it('re-indents, splits statements on ";" and keeps comments', () => {
    assert.equal(format('host a {\ninterface e { mac 02:00:00:00:00:01 ; ip 10.0.0.1/24 }\n   gateway 10.0.0.254   # gw\n}'),
      'host a {\n  interface e {\n    mac 02:00:00:00:00:01\n    ip 10.0.0.1/24\n  }\n  gateway 10.0.0.254   # gw\n}\n');
  });

  it('gives back the same tree: format, parse again, same AST (property over mutations)', () => {
    const base = example('follow-a-packet.journey');
    fc.assert(fc.property(fc.nat(base.length), fc.constantFrom('{', '}', ';', '\n\n', '"'), (at, ins) => {
      const s = base.slice(0, at) + ins + base.slice(at);
      const before = parseJourney(s);
      const after = parseJourney(format(s, { topLevelKeywords: TOP_LEVEL_KEYWORDS }));
      assert.deepEqual(shape(after.statements), shape(before.statements));
    }), { numRuns: 100 });
  });

  it('is idempotent', () => {
    const once = format('host a{gateway 1.1.1.1;interface e{mac 02:00:00:00:00:01}}');
    assert.equal(format(once), once);
  });
});
