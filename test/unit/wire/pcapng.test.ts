import { strict as assert } from 'node:assert';
import { writePcapng } from '../../../src/core/export/pcapng';

interface Block { type: number; body: DataView; total: number }

/** A tiny independent reader: walks blocks checking lengths, alignment and trailing lengths. */
function blocks(b: Uint8Array): Block[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Block[] = [];
  for (let o = 0; o < b.length;) {
    const type = dv.getUint32(o, true);
    const total = dv.getUint32(o + 4, true);
    assert.equal(total % 4, 0, 'block length is 32-bit aligned');
    assert.equal(dv.getUint32(o + total - 4, true), total, 'trailing block length matches');
    out.push({ type, total, body: new DataView(b.buffer, b.byteOffset + o + 8, total - 12) });
    o += total;
  }
  return out;
}

function options(dv: DataView, from: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let o = from; o < dv.byteLength;) {
    const code = dv.getUint16(o, true);
    const len = dv.getUint16(o + 2, true);
    if (code === 0) break;
    out.push([code, new TextDecoder().decode(new Uint8Array(dv.buffer, dv.byteOffset + o + 4, len))]);
    o += 4 + ((len + 3) & ~3);
  }
  return out;
}

describe('export: pcapng', () => {
  it('writes SHB, one IDB per interface, EPBs with split timestamps, padded data and comments', () => {
    const pkt = Uint8Array.of(1, 2, 3, 4, 5);
    const t = 1_700_000_000_123_456;
    const file = writePcapng([{ name: 'eth0', description: 'laptop' }, { name: 'vxlan0', linkType: 1, snapLen: 3 }], [
      { interface: 0, timeMicros: t, bytes: pkt, comment: 'DNS query' },
      { interface: 1, timeMicros: t + 1, bytes: pkt },
    ]);
    const bs = blocks(file);
    assert.deepEqual(bs.map((b) => b.type), [0x0a0d0d0a, 1, 1, 6, 6]);
    assert.equal(bs[0].body.getUint32(0, true), 0x1a2b3c4d);
    assert.equal(bs[0].body.getUint16(4, true), 1);
    assert.equal(bs[1].body.getUint16(0, true), 1);
    assert.deepEqual(options(bs[1].body, 8), [[2, 'eth0'], [3, 'laptop'], [9, '\u0006']]);
    assert.equal(bs[2].body.getUint32(4, true), 3);
    const e = bs[3].body;
    assert.equal(e.getUint32(0, true), 0);
    assert.equal(e.getUint32(4, true) * 2 ** 32 + e.getUint32(8, true), t);
    assert.equal(e.getUint32(12, true), 5);
    assert.equal(e.getUint32(16, true), 5);
    assert.deepEqual(options(e, 20 + 8), [[1, 'DNS query']]);
    // snapLen 3: captured 3 of 5 bytes
    assert.equal(bs[4].body.getUint32(12, true), 3);
    assert.equal(bs[4].body.getUint32(16, true), 5);
    assert.equal(file.length % 4, 0);
  });

  it('refuses packets on undefined interfaces', () => {
    assert.throws(() => writePcapng([], [{ interface: 0, timeMicros: 0, bytes: new Uint8Array(1) }]), RangeError);
  });
});
