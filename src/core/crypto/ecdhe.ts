/**
 * (EC)DHE key shares for the two groups the simulation offers (x25519, secp256r1), drawn from
 * the caller's seeded random bytes so the same seed gives the same handshake.
 */
import { x25519 } from '@noble/curves/ed25519';
import { p256 } from './p256';
import { mapHashToField } from '@noble/curves/abstract/modular';
import { RandomBytes } from './bytes';
import { memoizeByBytes } from './memo';

export type Group = 'x25519' | 'secp256r1';
/** TLS NamedGroup code points (RFC 8446 4.2.7) */
export const GROUP_ID: Record<Group, number> = { x25519: 0x001d, secp256r1: 0x0017 };

export interface KeyShare {
  group: Group;
  privateKey: Uint8Array;
  /** the key_exchange bytes: 32 for x25519, the 65-byte uncompressed point for secp256r1 */
  publicKey: Uint8Array;
}

/** A P-256 scalar in [1, n-1] from 48 bytes, without modulo bias (FIPS 186-5 A.2.1). */
export function p256ScalarFrom(bytes48: Uint8Array): Uint8Array {
  return mapHashToField(bytes48, p256.CURVE.n);
}

// X25519 costs ~1.5 ms per operation in pure JavaScript and a handshake needs four; the same
// seed draws the same private keys on every re-trace of an edited file, so results are cached.
const x25519Public = memoizeByBytes(64, (priv: Uint8Array) => ['', priv], (priv: Uint8Array) => x25519.getPublicKey(priv), (b) => b.slice());
const x25519Shared = memoizeByBytes(64, (priv: Uint8Array, peer: Uint8Array) => ['', priv, peer], (priv: Uint8Array, peer: Uint8Array) => x25519.getSharedSecret(priv, peer), (b) => b.slice());

export function generateKeyShare(group: Group, random: RandomBytes): KeyShare {
  if (group === 'x25519') {
    const privateKey = random(32);
    return { group, privateKey, publicKey: x25519Public(privateKey) };
  }
  const privateKey = p256ScalarFrom(random(48));
  return { group, privateKey, publicKey: p256.getPublicKey(privateKey, false) };
}

/**
 * The shared secret both versions feed into their schedule: the X25519 output, or for
 * secp256r1 only the x-coordinate of the shared point (RFC 8446 7.4.2, RFC 8422 5.10).
 */
export function sharedSecret(share: KeyShare, peerPublic: Uint8Array): Uint8Array {
  if (share.group === 'x25519') return x25519Shared(share.privateKey, peerPublic);
  return p256.getSharedSecret(share.privateKey, peerPublic, true).subarray(1);
}
