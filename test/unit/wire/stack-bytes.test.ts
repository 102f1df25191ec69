// The bytes-only encode (pcapng export) shares the codecs with the field-recording one: every
// frame of the examples must come out the same both ways, also when a message is met again.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { snapshotBytes } from '../../../src/core/trace/builder';
import { simulate } from '../../../src/core/sim/run';
import { encodeStack, encodeStackBytes, toHex, type Header } from '../../../src/core/wire';
import { ROOT, build } from '../helpers';

describe('wire: encodeStackBytes', () => {
  for (const name of ['follow-a-packet.journey', 'big-response.journey', 'tls12.journey', 'http11.journey', 'no-kubernetes.journey']) {
    it(`gives encodeStack's bytes for every frame of ${name}, twice over`, () => {
      const file = path.join(ROOT, 'examples', name);
      const r = simulate(build(fs.readFileSync(file, 'utf8'), file));
      if (!r.ok) throw new Error(r.error);
      const fast = r.trace.packets.map((p) => toHex(snapshotBytes(p)));
      const again = r.trace.packets.map((p) => toHex(snapshotBytes(p)));
      const slow = r.trace.packets.map((p) => p.bytes);
      assert.ok(slow.length > 10);
      assert.deepEqual(fast, slow);
      assert.deepEqual(again, slow);
    });
  }

  it('keeps field spans off only for its own call, also when the encode throws', () => {
    const bad: Header[] = [{ proto: 'ethernet', dst: 'not a mac', src: '02:00:00:00:00:01', ethertype: 0x0800 }];
    assert.throws(() => encodeStackBytes(bad));
    const ok: Header[] = [{ proto: 'ethernet', dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', ethertype: 0x0800 }, { proto: 'raw', data: new Uint8Array([1, 2, 3]) }];
    const e = encodeStack(ok);
    assert.deepEqual(e.layers[0].fields.map((f) => f.name), ['dst', 'src', 'ethertype']);
    assert.deepEqual(encodeStackBytes(ok), e.bytes);
  });

  it('toHex writes every byte value as two lower-case digits, short and long inputs alike', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const expect = Array.from(all, (b) => b.toString(16).padStart(2, '0')).join('');
    assert.equal(toHex(all), expect);
    assert.equal(toHex(all.subarray(0, 5)), expect.slice(0, 10));
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
    assert.equal(toHex(big), Array.from(big, (b) => b.toString(16).padStart(2, '0')).join(''));
  });
});
