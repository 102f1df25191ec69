/**
 * ECDSA P-256 with SHA-256 or Ed25519 (RFC 8032): deterministic key pairs (one per seed, name
 * and key type, so a scenario's CA and servers keep their keys across runs) and deterministic
 * signatures (RFC 6979 for ECDSA, DER-encoded as X.509 and TLS carry them; Ed25519's are
 * deterministic by design, always 64 bytes).
 */
import { p256 } from './p256';
import { ed25519 } from '@noble/curves/ed25519';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { concat, toHex, utf8 } from './bytes';
import { memoize, memoizeByBytes } from './memo';
import { p256ScalarFrom } from './ecdhe';

/** The key types a certificate can have (the `key` statement of a `certificate`). */
export type KeyType = 'ecdsa-p256' | 'ed25519';

export interface SigningKey {
  type: KeyType;
  /** P-256: the 32-byte scalar; Ed25519: the 32-byte private seed (RFC 8032 5.1.5) */
  privateKey: Uint8Array;
  /** P-256: the 65-byte uncompressed point 0x04 || X || Y; Ed25519: the 32-byte encoded point */
  publicKey: Uint8Array;
}

/** TLS SignatureScheme ecdsa_secp256r1_sha256 */
export const ECDSA_SECP256R1_SHA256 = 0x0403;
/** TLS SignatureScheme ed25519 (RFC 8446 4.2.3) */
export const ED25519 = 0x0807;

/** The TLS SignatureSchemes a key can sign with. TLS 1.3 ties ECDSA to its curve's hash
 * (0x0403 only for P-256), and this PKI signs TLS 1.2 with the same one; Ed25519 has one. */
export const SCHEMES_OF: Readonly<Record<KeyType, readonly number[]>> = { 'ecdsa-p256': [ECDSA_SECP256R1_SHA256], ed25519: [ED25519] };

function seedBytes(seed: Uint8Array | number): Uint8Array {
  if (typeof seed !== 'number') return seed;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a safe integer');
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const lo = seed >>> 0;
  return Uint8Array.of(hi >>> 24, hi >>> 16, hi >>> 8, hi, lo >>> 24, lo >>> 16, lo >>> 8, lo);
}

function computeSigningKey(seed: Uint8Array | number, name: string, type: KeyType = 'ecdsa-p256'): SigningKey {
  if (type === 'ed25519') {
    // any 32 bytes are an Ed25519 private key (RFC 8032 5.1.5 hashes and clamps them)
    const privateKey = hkdf(sha256, seedBytes(seed), utf8('packet-journey ed25519 signing key'), utf8(name), 32);
    return { type, privateKey, publicKey: ed25519.getPublicKey(privateKey) };
  }
  const okm = hkdf(sha256, seedBytes(seed), utf8('packet-journey p256 signing key'), utf8(name), 48);
  const privateKey = p256ScalarFrom(okm);
  return { type, privateKey, publicKey: p256.getPublicKey(privateKey, false) };
}

/** The same (seed, name, type) always gives the same key; different names or types give
 * unrelated keys. */
export const deriveSigningKey: (seed: Uint8Array | number, name: string, type?: KeyType) => SigningKey = memoize(
  256,
  (seed, name, type) => `${type ?? 'ecdsa-p256'}/${toHex(seedBytes(seed))}/${name}`,
  computeSigningKey,
  (k) => ({ type: k.type, privateKey: k.privateKey.slice(), publicKey: k.publicKey.slice() }),
);

/** DER ECDSA-Sig-Value over SHA-256(data). RFC 6979 makes the signature a function of key and
 * digest, so a re-trace of the same seed reuses it instead of paying ~1 ms again. */
export const signEcdsaSha256: (privateKey: Uint8Array, data: Uint8Array) => Uint8Array = memoizeByBytes(
  256,
  (privateKey, data) => ['', privateKey, data],
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
export const verifyEcdsaSha256: (publicKey: Uint8Array, data: Uint8Array, derSignature: Uint8Array) => boolean = memoizeByBytes(
  256,
  (publicKey, data, sig) => ['', publicKey, sig, data],
  verify,
  (ok) => ok,
);

/** A pure Ed25519 signature (RFC 8032 PureEdDSA: the message itself, no prehash), as X.509
 * (RFC 8410) and TLS (RFC 8446 4.2.3) use it. Signing costs a scalar multiplication, so a
 * re-trace of the same seed reuses it. */
export const signEd25519: (privateKey: Uint8Array, data: Uint8Array) => Uint8Array = memoizeByBytes(
  256,
  (privateKey, data) => ['', privateKey, data],
  (privateKey, data) => ed25519.sign(data, privateKey),
  (sig) => sig.slice(),
);

/** RFC 8032 verification with noble's default strictness (canonical encodings; cofactored
 * equation, which accepts every signature a conforming signer makes). */
export const verifyEd25519: (publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array) => boolean = memoizeByBytes(
  256,
  (publicKey, data, sig) => ['', publicKey, sig, data],
  (publicKey, data, sig) => {
    try {
      return ed25519.verify(sig, data, publicKey);
    } catch {
      return false;
    }
  },
  (ok) => ok,
);

/** Signs with whatever the key is: the DER ECDSA-Sig-Value over SHA-256, or a 64-byte Ed25519 signature. */
export function sign(key: SigningKey, data: Uint8Array): Uint8Array {
  return key.type === 'ed25519' ? signEd25519(key.privateKey, data) : signEcdsaSha256(key.privateKey, data);
}

/** Whether a TLS SignatureScheme's signature over data verifies with a public key of the given type. */
export function verifyScheme(scheme: number, type: KeyType, publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (!SCHEMES_OF[type].includes(scheme)) return false;
  return type === 'ed25519' ? verifyEd25519(publicKey, data, signature) : verifyEcdsaSha256(publicKey, data, signature);
}

/**
 * The TLS 1.3 CertificateVerify signature input (RFC 8446 4.4.3): 64 spaces, the context
 * string, a zero byte, then Transcript-Hash(ClientHello..Certificate).
 */
export function certificateVerifyInput(sender: 'server' | 'client', transcriptHash: Uint8Array): Uint8Array {
  return concat(new Uint8Array(64).fill(0x20), utf8(`TLS 1.3, ${sender} CertificateVerify`), Uint8Array.of(0), transcriptHash);
}
