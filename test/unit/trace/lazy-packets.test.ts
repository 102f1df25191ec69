// A finished trace's snapshots get their accessors when someone first reads `packets`; to every
// reader (JSON, spreads, structured clones, assignment) the Trace is still plain data.
import { strict as assert } from 'node:assert';
import { TraceBuilder } from '../../../src/core/trace/builder';
import { encodeStack, toHex, type Header } from '../../../src/core/wire';
import type { Trace } from '../../../src/core/trace/types';

const frame = (ttl: number): Header[] => [
  { proto: 'ethernet', dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01' },
  { proto: 'ipv4', ttl, src: '10.0.0.1', dst: '10.0.0.2' },
  { proto: 'udp', srcPort: 40000, dstPort: 53 },
];

function traced(frames: number): { builder: TraceBuilder; trace: Trace } {
  const builder = new TraceBuilder(new Map());
  for (let i = 0; i < frames; i++) builder.snapshot(i, i + 1, 'lan', 'a', 'b', frame(64 - i));
  const trace = builder.finish({ version: 1, scenario: 's', file: 'f', seed: 1, devices: [], links: [], payloadInvariant: { holds: true, checkedHops: 0, note: '' }, outcome: { ok: true, totals: [] } } as unknown as Parameters<TraceBuilder['finish']>[0]);
  return { builder, trace };
}

describe('trace: packets made on their first read', () => {
  it('counts frames without making snapshots, and keeps the key order of the Trace', () => {
    const { builder, trace } = traced(3);
    assert.equal(builder.packetCount, 3);
    assert.deepEqual(Object.keys(trace).slice(-6), ['events', 'packets', 'phases', 'transformations', 'state', 'simplifications']);
    assert.equal(Object.getOwnPropertySymbols(trace).length, 1, 'until read, the trace knows its builder under a symbol');
  });

  it('reads as full snapshots whose bytes are the frame, then holds them as a plain value', () => {
    const { trace } = traced(3);
    const packets = trace.packets;
    assert.equal(packets.length, 3);
    assert.deepEqual(Object.keys(packets[1]), ['id', 'packetId', 'time', 'link', 'from', 'to', 'layers', 'bytes', 'visible', 'hidden']);
    assert.equal(packets[1].bytes, toHex(encodeStack(frame(63)).bytes));
    const d = Object.getOwnPropertyDescriptor(trace, 'packets');
    assert.ok(d && 'value' in d && d.value === packets && d.enumerable && d.writable, 'a data property after the first read');
    assert.equal(trace.packets, packets, 'the same list on every read');
    assert.equal(Object.getOwnPropertySymbols(trace).length, 0);
  });

  it('serialises, spreads and clones the same whether or not packets were read first', () => {
    const unread = traced(4).trace;
    const json = JSON.stringify(unread);
    const fresh = traced(4).trace;
    assert.equal(JSON.stringify(structuredClone(fresh)), json);
    assert.deepEqual(JSON.parse(JSON.stringify({ ...traced(4).trace })), JSON.parse(json));
    assert.equal((JSON.parse(json) as Trace).packets.length, 4);
  });

  it('takes an assigned list as its value, unread packets and all', () => {
    const { trace } = traced(2);
    trace.packets = [];
    assert.deepEqual(trace.packets, []);
    assert.equal(JSON.parse(JSON.stringify(trace)).packets.length, 0);
    assert.equal(Object.getOwnPropertySymbols(trace).length, 0);
  });
});
