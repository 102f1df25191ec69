/**
 * AEAD cipher suites (TLS 1.3 RFC 8446 B.4; TLS 1.2 RFC 5288 / RFC 5289 / RFC 7905): which hash
 * and key length each uses and how to get its AEAD from @noble/ciphers.
 */
import { gcm } from '@noble/ciphers/aes';
import { chacha20poly1305 } from '@noble/ciphers/chacha';
import { HashName } from './hash';

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

const aesGcm = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array): Aead => gcm(key, nonce, aad);
const chacha = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array): Aead => chacha20poly1305(key, nonce, aad);

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
