import { strict as assert } from 'node:assert';
import { parseJourney } from '../../../src/core/model/build';
import { Reader, type ReadArg } from '../../../src/core/model/reader';
import type { Diagnostic } from '../../../src/core/language/diagnostics';
import type { ContextName } from '../../../src/core/language/schema';

function read(text: string, context: ContextName): { block: ReturnType<Reader['block']>; diagnostics: Diagnostic[]; reader: Reader } {
  const diagnostics: Diagnostic[] = [];
  const reader = new Reader('/r.journey', diagnostics);
  return { block: reader.block(parseJourney(text).statements, context), diagnostics, reader };
}

// Read arguments and references make their span when it is read: compared by their fields.
const fields = (a: ReadArg | undefined): unknown => a && { raw: a.raw, span: a.span, value: a.value };

describe('reader', () => {
  it('reads single-argument properties: typed value, raw text and place', () => {
    const text = 'gateway 10.0.0.1\nprocessing 20us\nresolver 10.0.0.53\nresolver 10.0.0.54\n';
    const { block, diagnostics } = read(text, 'host');
    assert.deepEqual(diagnostics, []);
    assert.equal(block.get<number>('gateway'), 0x0a000001);
    assert.equal(block.get<number>('processing'), 0.02);
    assert.equal(block.get<number>('render', 7), 7);
    const gw = block.first('gateway')?.args.get('address');
    assert.deepEqual(fields(gw), { raw: '10.0.0.1', span: { start: 8, end: 16 }, value: 0x0a000001 });
    assert.equal(block.first('gateway')?.args.get('nothing'), undefined);
    assert.deepEqual(block.all('resolver').map((s) => s.args.get('address')?.value), [0x0a000035, 0x0a000036]);
    assert.deepEqual(block.all('trust'), []);
    assert.deepEqual(block.first('gateway')?.rest, []);
  });

  it('reads arguments by name, skips an absent optional literal, and keeps the rest', () => {
    const zone = read('record api A 203.0.113.10 ttl 300\nrecord www CNAME api\n', 'zone').block.all('record');
    assert.deepEqual(zone.map((r) => ['name', 'type', 'value', 'ttl', 'seconds'].map((n) => r.args.get(n)?.value)), [['api', 'A', '203.0.113.10', 'ttl', 300], ['www', 'CNAME', 'api', undefined, undefined]]);
    const route = read('route 10.0.0.0/8 via 10.0.0.1\n', 'router').block;
    assert.deepEqual(route.get('route'), { address: 0x0a000000, prefix: 8 }, 'get: the first argument read');
    assert.deepEqual(fields(route.first('route')?.args.get('next-hop-or-interface')), { raw: '10.0.0.1', span: { start: 21, end: 29 }, value: '10.0.0.1' });
    const fail = read('fail slow-server 2s\n', 'scenario').block.first('fail');
    assert.equal(fail?.args.get('failure')?.value, 'slow-server');
    assert.deepEqual(fail?.rest.map((a) => [a.raw, a.value]), [['2s', '2s']]);
  });

  it('reports unknown keywords, repeats, arity and bad values once each, in order', () => {
    const { block, diagnostics, reader } = read('mac 02:00:00:00:00:01\nmac 02:00:00:00:00:02\nip 10.0.0.300/24\nmtu\nmtu 1500 9000\nmacc x\n', 'interface');
    assert.deepEqual(diagnostics.map((d) => d.code), ['duplicate-property', 'bad-cidr', 'missing-argument', 'duplicate-property', 'unknown-keyword']);
    assert.deepEqual(diagnostics[0].related?.[0].span, { start: 0, end: 3 });
    assert.equal(diagnostics[4].data?.suggestion, 'mac');
    assert.equal(block.get('mac'), '02:00:00:00:00:01');
    assert.equal(block.first('ip')?.args.get('address/prefix')?.value, undefined, 'a bad value reads as undefined');
    assert.equal(reader.suppressed, 0);
    const extra = read('mtu 1500 9000\n', 'interface');
    assert.deepEqual(extra.diagnostics.map((d) => [d.code, d.span]), [['extra-argument', { start: 9, end: 13 }]]);
    assert.equal(extra.block.get('mtu'), 1500);
  });

  it('records references as it reads them', () => {
    const { reader } = read('from laptop\n', 'scenario');
    assert.deepEqual(reader.references.map((r) => ({ kind: r.kind, name: r.name, span: r.span, file: r.file })), [{ kind: 'host', name: 'laptop', span: { start: 5, end: 11 }, file: '/r.journey' }]);
  });
});
