import { Fifo } from '../fifo';

/**
 * A small bounded cache for deterministic, expensive results (signing keys, certificates): the
 * language server traces again on every edit and the same seed gives the same bytes, so
 * recomputing them would only cost time. Oldest entries go first once the limit is reached.
 */
export function memoize<A extends unknown[], R>(limit: number, keyOf: (...args: A) => string, compute: (...args: A) => R, copy: (r: R) => R): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A): R => {
    const key = keyOf(...args);
    let r = cache.get(key);
    if (r === undefined) {
      r = compute(...args);
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
      cache.set(key, r);
    }
    // callers get their own bytes, so mutating a result cannot corrupt the cache
    return copy(r);
  };
}

/**
 * What a byte-keyed result is looked up by: a short text first (the operation and its small
 * arguments), then the byte arguments. Each part's length is part of the key, so the parts
 * cannot run into each other.
 */
export type BytesKey = readonly [string, ...Uint8Array[]];

interface Entry<R> {
  hash: number;
  tag: string;
  /** copies of the byte arguments: a caller may reuse or overwrite its arrays afterwards */
  parts: Uint8Array[];
  result: R;
  size: number;
}

// Every byte of a part up to this length is hashed; of a longer part its ends and an even
// sample of the middle. The hash only picks the bucket: a hit compares every byte, so a
// sampled hash can cost a comparison, never a wrong result.
const FULL_HASH = 64;
const SAMPLES = 64;

function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 0x01000193);
}

function hashKey(key: BytesKey): number {
  const tag = key[0];
  let h = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) h = mix(h, tag.charCodeAt(i));
  for (let p = 1; p < key.length; p++) {
    const b = key[p] as Uint8Array;
    const n = b.length;
    h = mix(h, n);
    if (n <= FULL_HASH) {
      for (let i = 0; i < n; i++) h = mix(h, b[i]);
    } else {
      for (let i = 0; i < 16; i++) h = mix(h, b[i]);
      for (let i = n - 16; i < n; i++) h = mix(h, b[i]);
      const step = Math.floor(n / SAMPLES);
      for (let i = 16; i < n - 16; i += step) h = mix(h, b[i]);
    }
  }
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  let i = 0;
  // long parts (record payloads) four bytes at a time when both start on a word boundary
  if (n >= 64 && ((a.byteOffset | b.byteOffset) & 3) === 0) {
    const words = n >>> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset, words);
    const y = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let j = 0; j < words; j++) if (x[j] !== y[j]) return false;
    i = words << 2;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function matches<R>(e: Entry<R>, key: BytesKey): boolean {
  if (e.tag !== key[0] || e.parts.length !== key.length - 1) return false;
  for (let p = 1; p < key.length; p++) if (!sameBytes(e.parts[p - 1], key[p] as Uint8Array)) return false;
  return true;
}

/**
 * A bounded map from byte arguments to results, by count and by the bytes its keys and results
 * hold (oldest out first). Looking up hashes a sample of the bytes and compares them once,
 * instead of turning every argument into a string for a Map key, which cost more than some of
 * the results it saved.
 */
class BytesCache<R> {
  private readonly buckets = new Map<number, Entry<R>[]>();
  /** insertion order, for eviction */
  private readonly order = new Fifo<Entry<R>>();
  private held = 0;

  constructor(private readonly limit: number, private readonly maxBytes: number, private readonly sizeOf: (r: R) => number) {}

  get(key: BytesKey, hash: number): R | undefined {
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) return undefined;
    for (const e of bucket) if (matches(e, key)) return e.result;
    return undefined;
  }

  set(key: BytesKey, hash: number, result: R): void {
    let size = key[0].length + this.sizeOf(result);
    for (let p = 1; p < key.length; p++) size += key[p].length;
    if (size > this.maxBytes) return;
    while (this.order.size > 0 && (this.order.size >= this.limit || this.held + size > this.maxBytes)) this.evictOldest();
    const parts: Uint8Array[] = [];
    for (let p = 1; p < key.length; p++) parts.push((key[p] as Uint8Array).slice());
    const e: Entry<R> = { hash, tag: key[0], parts, result, size };
    const bucket = this.buckets.get(hash);
    if (bucket) bucket.push(e);
    else this.buckets.set(hash, [e]);
    this.order.push(e);
    this.held += size;
  }

  private evictOldest(): void {
    const e = this.order.shift() as Entry<R>;
    this.held -= e.size;
    const bucket = this.buckets.get(e.hash);
    if (!bucket) return;
    if (bucket.length === 1) this.buckets.delete(e.hash);
    else bucket.splice(bucket.indexOf(e), 1);
  }
}

const noSize = (): number => 0;

/** `compute` through `cache`: the cached result itself, computed on a miss. */
function cachedBy<A extends unknown[], R>(cache: BytesCache<R>, keyOf: (...args: A) => BytesKey, compute: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    const key = keyOf(...args);
    const hash = hashKey(key);
    let r = cache.get(key, hash);
    if (r === undefined) {
      r = compute(...args);
      cache.set(key, hash, r);
    }
    return r;
  };
}

/** memoize for functions of byte arguments, looked up by their bytes (see BytesCache). */
export function memoizeByBytes<A extends unknown[], R>(limit: number, keyOf: (...args: A) => BytesKey, compute: (...args: A) => R, copy: (r: R) => R): (...args: A) => R {
  const cached = cachedBy(new BytesCache<R>(limit, Infinity, noSize), keyOf, compute);
  return (...args: A): R => copy(cached(...args));
}

const byteLength = (b: Uint8Array): number => b.length;

/**
 * memoizeByBytes for byte results whose inputs can be large (record payloads): bounded by the
 * bytes the keys and results hold as well as by count, so a long transfer cycles through a few
 * megabytes instead of keeping every record it ever protected.
 */
export function memoizeBytes<A extends unknown[]>(limit: number, maxBytes: number, keyOf: (...args: A) => BytesKey, compute: (...args: A) => Uint8Array): (...args: A) => Uint8Array {
  const shared = memoizeBytesShared(limit, maxBytes, keyOf, compute);
  return (...args: A): Uint8Array => shared(...args).slice();
}

/** memoizeBytes whose results are the cached arrays themselves, for callers that only read
 * them (and copy what they keep): one allocation and copy fewer per call. */
export function memoizeBytesShared<A extends unknown[]>(limit: number, maxBytes: number, keyOf: (...args: A) => BytesKey, compute: (...args: A) => Uint8Array): (...args: A) => Uint8Array {
  return cachedBy(new BytesCache<Uint8Array>(limit, maxBytes, byteLength), keyOf, compute);
}
