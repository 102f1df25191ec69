// A small seeded PRNG (mulberry32): every "random" value of a trace (ISNs, ports, DNS ids, key
// shares, ciphertext) comes from here, so the same seed gives the same trace.
export class Rng {
  private state: number;
  constructor(seed: number) { this.state = (seed >>> 0) ^ 0x9e3779b9; }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  u32(): number { return Math.floor(this.next() * 4294967296) >>> 0; }
  bytes(n: number): Uint8Array {
    // next() inlined: floor(x / 2^32 * 256) is x >>> 24 exactly, so the stream is unchanged;
    // ciphertext of a long transfer asks for millions of these.
    const b = new Uint8Array(n);
    let state = this.state;
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      b[i] = ((t ^ (t >>> 14)) >>> 0) >>> 24;
    }
    this.state = state;
    return b;
  }
}
