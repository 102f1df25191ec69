/**
 * The two hashes TLS suites use here. One table so every module (HKDF, PRF, transcript) picks
 * the hash by name and never imports a hash directly.
 */
import { sha256, sha384 } from '@noble/hashes/sha2';

export type HashName = 'sha256' | 'sha384';

/** The noble hash object: callable, with `create()` for incremental use and `outputLen`. */
export type HashFn = typeof sha256;

export function hashFn(name: HashName): HashFn {
  return name === 'sha256' ? sha256 : sha384;
}

export function hashLen(name: HashName): number {
  return name === 'sha256' ? 32 : 48;
}
