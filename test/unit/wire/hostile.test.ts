import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Header, TcpHeader, TcpOption, WireError, decodeStack, encodeStack, toHex } from '../../../src/core/wire';
import { buildFrames } from './fixtures';

function decodesOrWireError(bytes: Uint8Array, first: 'ethernet' | 'ipv4'): boolean {
  try {
    const hs = decodeStack(bytes, first);
    // whatever decodes must re-encode to exactly the input (lossless), or fail typed
    try {
      return toHex(encodeStack(hs).bytes) === toHex(bytes);
    } catch (e) {
      return e instanceof WireError;
    }
  } catch (e) {
    if (e instanceof WireError) return true;
    throw e;
  }
}

describe('wire: hostile input', () => {
  const valid = buildFrames().map((f) => encodeStack(f.headers).bytes);

  it('random bytes: decodeStack returns or throws WireError, never anything else (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom<'ethernet' | 'ipv4'>('ethernet', 'ipv4'), (b, first) => decodesOrWireError(b, first)), { numRuns: 3000 });
  });

  it('random bytes behind a valid IPv4/TCP or UDP header reach every app decoder (property)', () => {
    const prefixes = valid.map((v) => v.subarray(0, 54));
    fc.assert(fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), (prefix, tail) => {
      const b = new Uint8Array(prefix.length + tail.length);
      b.set(prefix);
      b.set(tail, prefix.length);
      // fix up the IPv4 total length so decoding reaches the app layer
      const tl = b.length - 14;
      b[16] = tl >> 8;
      b[17] = tl & 0xff;
      return decodesOrWireError(b, 'ethernet');
    }), { numRuns: 2000 });
  });

  it('mutated and truncated real frames never crash (property)', () => {
    fc.assert(fc.property(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(), (frame, flips, cut) => {
      const b = frame.slice(0, frame.length - (cut % Math.max(1, frame.length)));
      for (const [i, v] of flips) if (b.length) b[i % b.length] = v;
      return decodesOrWireError(b, 'ethernet');
    }), { numRuns: 3000 });
  });

  it('generated TCP headers round-trip through encodeStack/decodeStack (property)', () => {
    const opt: fc.Arbitrary<TcpOption> = fc.oneof(
      fc.constant<TcpOption>({ kind: 'nop' }),
      fc.integer({ min: 0, max: 65535 }).map((value): TcpOption => ({ kind: 'mss', value })),
      fc.integer({ min: 0, max: 14 }).map((shift): TcpOption => ({ kind: 'wscale', shift })),
      fc.constant<TcpOption>({ kind: 'sack_perm' }),
      fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([tsval, tsecr]): TcpOption => ({ kind: 'timestamps', tsval, tsecr })),
    );
    const tcp = fc.record({
      srcPort: fc.integer({ min: 1, max: 65535 }), dstPort: fc.constantFrom(22, 7000, 9), seq: fc.nat({ max: 0xffffffff }), ack: fc.nat({ max: 0xffffffff }),
      window: fc.integer({ min: 0, max: 65535 }), syn: fc.boolean(), fin: fc.boolean(), options: fc.array(opt, { maxLength: 4 }),
    });
    fc.assert(fc.property(tcp, fc.uint8Array({ maxLength: 64 }), (t, payload) => {
      const h: TcpHeader = { proto: 'tcp', srcPort: t.srcPort, dstPort: t.dstPort, seq: t.seq, ack: t.ack, window: t.window, flags: { syn: t.syn, fin: t.fin, ack: true }, options: t.options };
      const stack: Header[] = [{ proto: 'ipv4', ttl: 64, src: '10.1.2.3', dst: '10.3.2.1' }, h];
      if (payload.length) stack.push({ proto: 'raw', data: payload });
      const bytes = encodeStack(stack).bytes;
      const back = decodeStack(bytes, 'ipv4');
      assert.equal(toHex(encodeStack(back).bytes), toHex(bytes));
      const d = back[1] as TcpHeader;
      return d.seq === t.seq && d.ack === t.ack && d.srcPort === t.srcPort;
    }), { numRuns: 500 });
  });
});
