// A first-in, first-out queue for the bounded caches: taking the oldest item is O(1) and lets
// go of it at once. (An array's shift() moves every element; a Map's or Set's oldest entry is
// found by walking past every entry deleted before it, a walk that grows with every trace a
// long-lived process makes.)
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number { return this.items.length - this.head; }

  push(x: T): void { this.items.push(x); }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

/** A map that keeps the `limit` entries added last (the oldest goes first): for caches by value
 * that a long-lived process must not let grow. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  private readonly order = new Fifo<K>();
  constructor(private readonly limit: number) {}

  get(k: K): V | undefined { return this.map.get(k); }

  set(k: K, v: V): void {
    if (!this.map.has(k)) {
      if (this.order.size >= this.limit) this.map.delete(this.order.shift() as K);
      this.order.push(k);
    }
    this.map.set(k, v);
  }
}
