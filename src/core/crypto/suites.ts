/**
 * AEAD cipher suites (TLS 1.3 RFC 8446 B.4; TLS 1.2 RFC 5288 / RFC 5289 / RFC 7905): which hash
 * and key length each uses and how to get its AEAD from @noble/ciphers.
 */
import { gcm } from '@noble/ciphers/aes';
import { chacha20poly1305 } from '@noble/ciphers/chacha';
import { HashName } from './hash';
import { memoizeBytes, memoizeBytesShared, type BytesKey } from './memo';

export interface Aead {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
}

export interface CipherSuite {
  id: number;
  name: string;
  /** 1.3: the suite only names AEAD + hash; 1.2 suites also fix ECDHE and the signature */
  version: '1.3' | '1.2';
  hash: HashName;
  keyLen: number;
  /** 1.3 and ChaCha20: the full 12-byte nonce; 1.2 AES-GCM: the 4-byte implicit salt */
  ivLen: number;
  aead(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array): Aead;
  /** aead(key, nonce, aad).encrypt(plaintext) without the copy: the array is the cache's, so
   * read it (record protection copies it into the record) and never write it */
  sealShared(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
}

type AeadFn = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) => Aead;
type SealFn = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array) => Uint8Array;

// An AEAD is a function of key, nonce, associated data and input. A re-trace of an edited file
// usually repeats the same handshakes and records byte for byte, and in pure JavaScript each
// record costs a key expansion, a fresh GHASH table and the cipher itself: results are cached
// by the full input. A failed decryption throws and is never cached.
function cached(name: string, make: AeadFn): { aead: AeadFn; sealShared: SealFn } {
  const sealTag = `${name}+`;
  const openTag = `${name}-`;
  const seal = memoizeBytesShared(4096, 4 * 1024 * 1024, (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array): BytesKey => [sealTag, key, nonce, aad, data], (key, nonce, aad, data) => make(key, nonce, aad).encrypt(data));
  // only handshake records are opened (receivers read the plaintext carried beside records)
  const open = memoizeBytes(1024, 1024 * 1024, (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array): BytesKey => [openTag, key, nonce, aad, data], (key, nonce, aad, data) => make(key, nonce, aad).decrypt(data));
  function aead(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array): Aead {
    // encrypt hands out its own copy, as every memoised result
    return { encrypt: (plaintext) => seal(key, nonce, aad, plaintext).slice(), decrypt: (ciphertext) => open(key, nonce, aad, ciphertext) };
  }
  return { aead, sealShared: seal };
}

const aesGcm = cached('aes-gcm', (key, nonce, aad) => gcm(key, nonce, aad));
const chacha = cached('chacha20-poly1305', (key, nonce, aad) => chacha20poly1305(key, nonce, aad));

export const TLS_AES_128_GCM_SHA256: CipherSuite = { id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', version: '1.3', hash: 'sha256', keyLen: 16, ivLen: 12, ...aesGcm };
export const TLS_AES_256_GCM_SHA384: CipherSuite = { id: 0x1302, name: 'TLS_AES_256_GCM_SHA384', version: '1.3', hash: 'sha384', keyLen: 32, ivLen: 12, ...aesGcm };
export const TLS_CHACHA20_POLY1305_SHA256: CipherSuite = { id: 0x1303, name: 'TLS_CHACHA20_POLY1305_SHA256', version: '1.3', hash: 'sha256', keyLen: 32, ivLen: 12, ...chacha };

export const TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: CipherSuite = { id: 0xc02b, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', version: '1.2', hash: 'sha256', keyLen: 16, ivLen: 4, ...aesGcm };
export const TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: CipherSuite = { id: 0xc02c, name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', version: '1.2', hash: 'sha384', keyLen: 32, ivLen: 4, ...aesGcm };
export const TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: CipherSuite = { id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', version: '1.2', hash: 'sha256', keyLen: 16, ivLen: 4, ...aesGcm };
export const TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: CipherSuite = { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', version: '1.2', hash: 'sha384', keyLen: 32, ivLen: 4, ...aesGcm };

const ALL = [
  TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
];

/** The suite for a code point, or undefined when it is not one this module can run. */
export function cipherSuite(id: number): CipherSuite | undefined {
  return ALL.find((s) => s.id === id);
}
