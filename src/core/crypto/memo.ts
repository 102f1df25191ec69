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
 * memoize for byte results whose inputs can be large (record payloads): bounded by the bytes
 * the keys and results hold as well as by count, so a long transfer cycles through a few
 * megabytes instead of keeping every record it ever protected.
 */
export function memoizeBytes<A extends unknown[]>(limit: number, maxBytes: number, keyOf: (...args: A) => string, compute: (...args: A) => Uint8Array): (...args: A) => Uint8Array {
  const cache = new Map<string, Uint8Array>();
  let held = 0;
  return (...args: A): Uint8Array => {
    const key = keyOf(...args);
    let r = cache.get(key);
    if (r === undefined) {
      r = compute(...args);
      const size = key.length + r.length;
      if (size <= maxBytes) {
        while (cache.size > 0 && (cache.size >= limit || held + size > maxBytes)) {
          const [k, v] = cache.entries().next().value as [string, Uint8Array];
          cache.delete(k);
          held -= k.length + v.length;
        }
        cache.set(key, r);
        held += size;
      }
    }
    return r.slice();
  };
}

/** A Map key for bytes: one character per byte (shorter and quicker to make than hex). */
export function bytesKey(b: Uint8Array): string {
  let s = '';
  if (b.length <= 64) {
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, Math.min(b.length, i + 4096)) as unknown as number[]);
  return s;
}
