/** Byte helpers shared by the crypto modules. */
import { concatBytes } from '../wire/bytes';

// Hex is the wire layer's (one implementation for the project); the crypto modules import it
// from here so that each of them has one place for its byte helpers.
export { toHex, fromHex } from '../wire/bytes';

export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

export function u16be(v: number): Uint8Array {
  return Uint8Array.of((v >>> 8) & 0xff, v & 0xff);
}

// one encoder for the module: it holds no state between calls
const UTF8 = new TextEncoder();
export const utf8 = (s: string): Uint8Array => UTF8.encode(s);

/** Constant-time comparison: Finished and tag checks must not leak where bytes differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** A random-bytes source: the simulation passes its seeded generator, never a global one. */
export type RandomBytes = (n: number) => Uint8Array;
