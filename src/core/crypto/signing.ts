/**
 * ECDSA P-256 with SHA-256: deterministic key pairs (one per seed and name, so a scenario's CA
 * and servers keep their keys across runs) and RFC 6979 deterministic signatures, DER-encoded as
 * X.509 and TLS carry them.
 */
import { p256 } from './p256';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { concat, toHex, utf8 } from './bytes';
import { bytesKey, memoize } from './memo';
import { p256ScalarFrom } from './ecdhe';

export interface SigningKey {
  privateKey: Uint8Array;
  /** 65-byte uncompressed point 0x04 || X || Y */
  publicKey: Uint8Array;
}

/** TLS SignatureScheme ecdsa_secp256r1_sha256 */
export const ECDSA_SECP256R1_SHA256 = 0x0403;

function seedBytes(seed: Uint8Array | number): Uint8Array {
  if (typeof seed !== 'number') return seed;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a safe integer');
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const lo = seed >>> 0;
  return Uint8Array.of(hi >>> 24, hi >>> 16, hi >>> 8, hi, lo >>> 24, lo >>> 16, lo >>> 8, lo);
}

function computeSigningKey(seed: Uint8Array | number, name: string): SigningKey {
  const okm = hkdf(sha256, seedBytes(seed), utf8('packet-journey p256 signing key'), utf8(name), 48);
  const privateKey = p256ScalarFrom(okm);
  return { privateKey, publicKey: p256.getPublicKey(privateKey, false) };
}

/** The same (seed, name) always gives the same key; different names give unrelated keys. */
export const deriveSigningKey: (seed: Uint8Array | number, name: string) => SigningKey = memoize(
  256,
  (seed, name) => `${toHex(seedBytes(seed))}/${name}`,
  computeSigningKey,
  (k) => ({ privateKey: k.privateKey.slice(), publicKey: k.publicKey.slice() }),
);

/** DER ECDSA-Sig-Value over SHA-256(data). RFC 6979 makes the signature a function of key and
 * digest, so a re-trace of the same seed reuses it instead of paying ~1 ms again. */
export const signEcdsaSha256: (privateKey: Uint8Array, data: Uint8Array) => Uint8Array = memoize(
  256,
  (privateKey, data) => `${privateKey.length}\u0000${bytesKey(privateKey)}${bytesKey(data)}`,
  (privateKey, data) => p256.sign(sha256(data), privateKey).toDERRawBytes(),
  (sig) => sig.slice(),
);

function verify(publicKey: Uint8Array, data: Uint8Array, derSignature: Uint8Array): boolean {
  try {
    return p256.verify(derSignature, sha256(data), publicKey, { lowS: false, format: 'der' });
  } catch {
    return false;
  }
}

/** Accepts high-S signatures too: other implementations (OpenSSL) do not normalise s. A verify
 * costs two scalar multiplications (~3 ms here); the answer is a function of its inputs, so a
 * re-trace of the same seed reuses it. */
export const verifyEcdsaSha256: (publicKey: Uint8Array, data: Uint8Array, derSignature: Uint8Array) => boolean = memoize(
  256,
  (publicKey, data, sig) => `${publicKey.length},${sig.length}\u0000${bytesKey(publicKey)}${bytesKey(sig)}${bytesKey(data)}`,
  verify,
  (ok) => ok,
);

/**
 * The TLS 1.3 CertificateVerify signature input (RFC 8446 4.4.3): 64 spaces, the context
 * string, a zero byte, then Transcript-Hash(ClientHello..Certificate).
 */
export function certificateVerifyInput(sender: 'server' | 'client', transcriptHash: Uint8Array): Uint8Array {
  return concat(new Uint8Array(64).fill(0x20), utf8(`TLS 1.3, ${sender} CertificateVerify`), Uint8Array.of(0), transcriptHash);
}
