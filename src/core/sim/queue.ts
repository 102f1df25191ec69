// The simulated clock's agenda: a binary min-heap ordered by time, then by insertion, so
// simultaneous events run in the order they were scheduled (deterministic).
// `run` gets `arg`: a frame in flight is a record handed to one module-level function, not a
// closure (and its context) per frame.
interface Entry { time: number; seq: number; run: (arg: never) => void; arg: unknown }

export class EventQueue {
  private heap: Entry[] = [];
  private seq = 0;
  get size(): number { return this.heap.length; }
  push(time: number, run: () => void): void { this.pushWith(time, run, undefined); }
  pushWith<T>(time: number, run: (arg: T) => void, arg: T): void {
    const e: Entry = { time, seq: this.seq++, run, arg };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    // sift up by moving parents down (no swap arrays: this runs for every event)
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }
  pop(): Entry | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as Entry;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = l;
        if (l >= h.length) break;
        if (r < h.length && less(h[r], h[l])) m = r;
        if (!less(h[m], last)) break;
        h[i] = h[m];
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
