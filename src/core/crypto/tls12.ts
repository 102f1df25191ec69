/**
 * TLS 1.2 key derivation (RFC 5246 section 5 and 8.1, RFC 7627, RFC 5288 6.1): the PRF, the
 * master secret, the key block for AES-GCM suites, Finished, and the bytes the server signs in
 * its ECDHE ServerKeyExchange (RFC 8422 5.4).
 */
import { hmac } from '@noble/hashes/hmac';
import { HashName, hashFn } from './hash';
import { concat, u16be, utf8 } from './bytes';
import { CipherSuite } from './suites';

/** P_hash(secret, label + seed) cut to length (RFC 5246 section 5). */
export function prf(hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const h = hashFn(hash);
  const ls = concat(utf8(label), seed);
  const out = new Uint8Array(length);
  // one keyed HMAC cloned per step: the key schedule is computed once per secret, not per block
  const keyed = hmac.create(h, secret);
  let a = ls;
  for (let o = 0; o < length; ) {
    a = keyed.clone().update(a).digest();
    const block = keyed.clone().update(a).update(ls).digest();
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

export function masterSecret(hash: HashName, premaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): Uint8Array {
  return prf(hash, premaster, 'master secret', concat(clientRandom, serverRandom), 48);
}

/** RFC 7627: sessionHash = Hash(handshake messages up to and including ClientKeyExchange). */
export function extendedMasterSecret(hash: HashName, premaster: Uint8Array, sessionHash: Uint8Array): Uint8Array {
  return prf(hash, premaster, 'extended master secret', sessionHash, 48);
}

export interface Tls12GcmKeys {
  clientKey: Uint8Array;
  serverKey: Uint8Array;
  /** the 4-byte implicit nonce part (salt) */
  clientIv: Uint8Array;
  serverIv: Uint8Array;
}

/** AEAD suites have no MAC keys: key_block = client key, server key, client iv, server iv. */
export function keyBlock(suite: CipherSuite, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): Tls12GcmKeys {
  if (suite.version !== '1.2') throw new RangeError(`${suite.name} is not a TLS 1.2 suite`);
  const k = suite.keyLen;
  const iv = suite.ivLen;
  const kb = prf(suite.hash, master, 'key expansion', concat(serverRandom, clientRandom), 2 * k + 2 * iv);
  return { clientKey: kb.slice(0, k), serverKey: kb.slice(k, 2 * k), clientIv: kb.slice(2 * k, 2 * k + iv), serverIv: kb.slice(2 * k + iv) };
}

/** verify_data (12 bytes); handshakeHash covers every handshake message before this Finished. */
export function finished12(hash: HashName, master: Uint8Array, sender: 'client' | 'server', handshakeHash: Uint8Array): Uint8Array {
  return prf(hash, master, sender === 'client' ? 'client finished' : 'server finished', handshakeHash, 12);
}

/** ServerECDHParams for a named curve: curve_type 3, NamedCurve, the point as opaque<1..255>. */
export function ecdhParams(namedGroup: number, publicKey: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(3), u16be(namedGroup), Uint8Array.of(publicKey.length), publicKey);
}

/** What the ServerKeyExchange signature covers: client_random + server_random + params. */
export function serverKeyExchangeSignedData(clientRandom: Uint8Array, serverRandom: Uint8Array, params: Uint8Array): Uint8Array {
  return concat(clientRandom, serverRandom, params);
}
