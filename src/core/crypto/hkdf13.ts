/**
 * The TLS 1.3 HKDF layer (RFC 8446 section 7.1): HKDF-Extract, HKDF-Expand-Label and
 * Derive-Secret. HKDF itself is @noble/hashes; this module only builds the HkdfLabel structure.
 */
import { extract, expand } from '@noble/hashes/hkdf';
import { HashName, hashFn, hashLen } from './hash';
import { utf8 } from './bytes';
import { memoizeByBytes } from './memo';

// Every handshake of a trace, and every trace of the same file and seed (the language server
// traces again on each edit), derives the same secrets from the same inputs: each HMAC chain is
// computed once. Results are copied out, as with every memoised crypto result.
const copy = (b: Uint8Array): Uint8Array => b.slice();

export const hkdfExtract: (hash: HashName, salt: Uint8Array, ikm: Uint8Array) => Uint8Array = memoizeByBytes(
  256,
  (hash, salt, ikm) => [hash, salt, ikm],
  (hash, salt, ikm) => extract(hashFn(hash), ikm, salt),
  copy,
);

/** struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; } */
export function hkdfLabel(label: string, context: Uint8Array, length: number): Uint8Array {
  const l = utf8('tls13 ' + label);
  if (l.length > 255 || context.length > 255 || length > 0xffff) throw new RangeError('HkdfLabel field too long');
  const info = new Uint8Array(4 + l.length + context.length);
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = l.length;
  info.set(l, 3);
  info[3 + l.length] = context.length;
  info.set(context, 4 + l.length);
  return info;
}

export const hkdfExpandLabel: (hash: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number) => Uint8Array = memoizeByBytes(
  1024,
  (hash, secret, label, context, length) => [`${hash}\u0000${length}\u0000${label}`, secret, context],
  (hash, secret, label, context, length) => expand(hashFn(hash), secret, hkdfLabel(label, context, length), length),
  copy,
);

/** Derive-Secret takes the transcript hash, not the messages, so callers hash once and reuse it. */
export function deriveSecret(hash: HashName, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, hashLen(hash));
}

/** Transcript-Hash of no messages: the context of every "derived" step, hashed once per process. */
const emptyHashes = new Map<HashName, Uint8Array>();
export function emptyHash(hash: HashName): Uint8Array {
  let h = emptyHashes.get(hash);
  if (!h) emptyHashes.set(hash, (h = hashFn(hash)(new Uint8Array(0))));
  // a copy: the cached value must survive a caller that writes into the result
  return h.slice();
}
