// The CLI writes long traces piece by piece (JSON lines, pcapng blocks): the pieces must add up
// to exactly the file a one-shot export makes.
import { strict as assert } from 'node:assert';
import { traceJsonLines } from '../../../src/core/export/json';
import { traceToPcapng, traceToPcapngBlocks } from '../../../src/core/export/trace-pcap';
import { pcapngOf } from '../../../src/core/export/pcapCapture';
import { fromHex } from '../../../src/core/wire/bytes';
import { SEED, traceOf } from '../sim/helpers';

describe('export: streamed JSON and pcapng equal the one-shot exports', () => {
  const traces = [traceOf(SEED), traceOf(SEED, ['  interval 1s\n', '  interval 1s\n  fail nxdomain\n'])];

  it('JSON lines join to JSON.stringify(trace, null, 2), byte for byte', () => {
    for (const t of traces) assert.equal([...traceJsonLines(t)].join('\n'), JSON.stringify(t, null, 2));
  });

  it('JSON lines of a trace read back from JSON (no lazy views) are the same too', () => {
    const plain = JSON.parse(JSON.stringify(traces[0]));
    assert.equal([...traceJsonLines(plain)].join('\n'), JSON.stringify(plain, null, 2));
  });

  it('pcapng blocks concatenate to the one-shot capture', () => {
    const t = traces[0];
    const blocks = [...traceToPcapngBlocks(t)];
    const joined = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
    let o = 0;
    for (const b of blocks) { joined.set(b, o); o += b.length; }
    assert.deepEqual(joined, traceToPcapng(t));
    assert.equal(blocks.length, 1 + new Set(t.packets.map((p) => p.link)).size + (t.tlsKeyLog?.length ? 1 : 0) + t.packets.length, 'section header, one interface per link, the Decryption Secrets Block, one block per packet');
  });

  it('the extension host\'s capture of a trace read back from JSON (frames from their hex) is the same file', () => {
    const t = traces[0];
    const plain = JSON.parse(JSON.stringify(t));
    assert.deepEqual(pcapngOf(plain, (p) => fromHex(p.bytes)), traceToPcapng(t));
  });
});
