/**
 * AEAD cipher suites (TLS 1.3 RFC 8446 B.4; TLS 1.2 RFC 5288 / RFC 5289 / RFC 7905): which hash
 * and key length each uses and how to get its AEAD from @noble/ciphers.
 */
import { gcm } from '@noble/ciphers/aes';
import { chacha20poly1305 } from '@noble/ciphers/chacha';
import { HashName } from './hash';
import { bytesKey, memoizeBytes } from './memo';

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
}

type AeadFn = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) => Aead;

// An AEAD is a function of key, nonce, associated data and input. A re-trace of an edited file
// usually repeats the same handshakes and records byte for byte, and in pure JavaScript each
// record costs a key expansion, a fresh GHASH table and the cipher itself: results are cached
// by the full input. A failed decryption throws and is never cached.
function cached(name: string, make: AeadFn): AeadFn {
  const keyOf = (op: string, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array): string =>
    // the lengths make the key unambiguous (the byte strings may hold any character)
    `${op}${key.length},${nonce.length},${aad.length}\u0000${bytesKey(key)}${bytesKey(nonce)}${bytesKey(aad)}${bytesKey(data)}`;
  const seal = memoizeBytes(4096, 4 * 1024 * 1024, (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array) => keyOf(`${name}+`, key, nonce, aad, data), (key, nonce, aad, data) => make(key, nonce, aad).encrypt(data));
  // only handshake records are opened (receivers read the plaintext carried beside records)
  const open = memoizeBytes(1024, 1024 * 1024, (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array) => keyOf(`${name}-`, key, nonce, aad, data), (key, nonce, aad, data) => make(key, nonce, aad).decrypt(data));
  return (key, nonce, aad) => ({ encrypt: (plaintext) => seal(key, nonce, aad, plaintext), decrypt: (ciphertext) => open(key, nonce, aad, ciphertext) });
}

const aesGcm = cached('aes-gcm', (key, nonce, aad) => gcm(key, nonce, aad));
const chacha = cached('chacha20-poly1305', (key, nonce, aad) => chacha20poly1305(key, nonce, aad));

export const TLS_AES_128_GCM_SHA256: CipherSuite = { id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', version: '1.3', hash: 'sha256', keyLen: 16, ivLen: 12, aead: aesGcm };
export const TLS_AES_256_GCM_SHA384: CipherSuite = { id: 0x1302, name: 'TLS_AES_256_GCM_SHA384', version: '1.3', hash: 'sha384', keyLen: 32, ivLen: 12, aead: aesGcm };
export const TLS_CHACHA20_POLY1305_SHA256: CipherSuite = { id: 0x1303, name: 'TLS_CHACHA20_POLY1305_SHA256', version: '1.3', hash: 'sha256', keyLen: 32, ivLen: 12, aead: chacha };

export const TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: CipherSuite = { id: 0xc02b, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', version: '1.2', hash: 'sha256', keyLen: 16, ivLen: 4, aead: aesGcm };
export const TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: CipherSuite = { id: 0xc02c, name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', version: '1.2', hash: 'sha384', keyLen: 32, ivLen: 4, aead: aesGcm };
export const TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: CipherSuite = { id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', version: '1.2', hash: 'sha256', keyLen: 16, ivLen: 4, aead: aesGcm };
export const TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: CipherSuite = { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', version: '1.2', hash: 'sha384', keyLen: 32, ivLen: 4, aead: aesGcm };

const ALL = [
  TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
];

/** The suite for a code point, or undefined when it is not one this module can run. */
export function cipherSuite(id: number): CipherSuite | undefined {
  return ALL.find((s) => s.id === id);
}
