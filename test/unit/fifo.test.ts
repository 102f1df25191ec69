// The bounded caches' queue and map: oldest out first, nothing kept past the limit, and the
// queue compacts itself without losing or reordering what it holds.
import * as assert from 'node:assert/strict';
import { BoundedMap, Fifo } from '../../src/core/fifo';

describe('Fifo and BoundedMap', () => {
  it('hands items back in the order they came, across its compaction', () => {
    const q = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      q.push(i);
      if (i % 3 === 2) out.push(q.shift() as number, q.shift() as number);
    }
    while (q.size > 0) out.push(q.shift() as number);
    assert.deepEqual(out, Array.from({ length: 5000 }, (_, i) => i));
    assert.equal(q.shift(), undefined);
  });

  it('keeps the entries added last, up to its limit, and a value set again keeps its place', () => {
    const m = new BoundedMap<string, number>(3);
    m.set('a', 1); m.set('b', 2); m.set('c', 3);
    m.set('a', 10);
    assert.equal(m.get('a'), 10);
    m.set('d', 4);
    assert.equal(m.get('a'), undefined, 'the oldest key went first, though its value was set again');
    assert.deepEqual(['b', 'c', 'd'].map((k) => m.get(k)), [2, 3, 4]);
    for (let i = 0; i < 10000; i++) m.set(`k${i}`, i);
    assert.equal(m.get('k9999'), 9999);
    assert.equal(m.get('k9996'), undefined);
  });
});
