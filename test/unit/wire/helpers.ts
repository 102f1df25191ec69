import { strict as assert } from 'node:assert';
import { WireError, toHex } from '../../../src/core/wire';

export const MARKER = 0xa5;

export interface Codec<T> {
  encode(value: T): Uint8Array;
  /** decode exactly [start, end) of `bytes` */
  decode(bytes: Uint8Array, start: number, end: number): T;
}

/**
 * The one round-trip check every codec goes through (dns-packet/hpack.js habit): encode, decode,
 * re-encode to the same bytes; then decode again from the middle of a bigger buffer pre-filled
 * with a marker byte, so reading outside [start, end) or relying on offset 0 shows up.
 */
export function roundTrip<T>(codec: Codec<T>, value: T, expected?: Uint8Array): { bytes: Uint8Array; decoded: T } {
  const bytes = codec.encode(value);
  if (expected) assert.equal(toHex(bytes), toHex(expected), 'encoding differs from the expected bytes');
  const decoded = codec.decode(bytes, 0, bytes.length);
  assert.equal(toHex(codec.encode(decoded)), toHex(bytes), 're-encoding the decoded value differs');

  const big = new Uint8Array(bytes.length + 37).fill(MARKER);
  big.set(bytes, 17);
  const atOffset = codec.decode(big, 17, 17 + bytes.length);
  assert.equal(toHex(codec.encode(atOffset)), toHex(bytes), 'decoding at an offset differs');
  return { bytes, decoded };
}

/** Decoding every strict prefix must fail with a WireError (or succeed), never anything else. */
export function assertTruncationsSafe(decode: (b: Uint8Array) => unknown, bytes: Uint8Array): void {
  for (let n = 0; n < bytes.length; n++) {
    try {
      decode(bytes.subarray(0, n));
    } catch (e) {
      assert.ok(e instanceof WireError, `prefix of ${n} bytes threw ${String(e)}`);
    }
  }
}

export const hex = (s: string): Uint8Array => Uint8Array.from((s.replace(/[^0-9a-fA-F]/g, '').match(/../g) ?? []).map((x) => parseInt(x, 16)));
