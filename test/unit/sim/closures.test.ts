import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

// `obj.prop = (x) => ...` (or `= function`): V8's parser takes a function literal assigned
// straight to a property for a method being installed and allocates the closure in the old
// generation. A closure over a run's state (a TLS session, the simulation) is then an old
// object pointing at young ones: every young-generation collection keeps the whole trace alive
// and promotes it, until the next full collection. That made the seed trace's collector copy
// about a quarter of everything it allocated; assigned through a local, the closure is an
// ordinary young object and dies with its run.
const CLOSURE_ON_PROPERTY = /(?:\.[A-Za-z_$][\w$]*|\])\s*(?:\?\?|\|\||&&)?=\s*(?:async\s+)?(?:function\b|(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=;{]*)?=>)/g;

// The same holds for an accessor defined with a function literal: the accessor's functions are
// held from the old generation, and a closure over a trace keeps that trace alive (a getter
// per finished trace tripled the collector's time). Accessors use module-level functions that
// read `this`.
const ACCESSOR_CLOSURE = /definePropert(?:y|ies)\([^;]*?\b(?:get|set)\s*(?::\s*(?:async\s+)?(?:function\b|(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=;{]*)?=>)|\([^()]*\)\s*(?::[^{;]*)?\{)/g;

/** Where `pattern` matches in src/core, as file:line: text. */
function offenders(pattern: RegExp): string[] {
  const found: string[] = [];
  for (const f of files(path.join(ROOT, 'src', 'core'))) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(pattern)) found.push(`${path.relative(ROOT, f)}:${text.slice(0, m.index).split('\n').length}: ${m[0].slice(0, 80)}`);
  }
  return found;
}

/** Each sample with the number of matches `pattern` should find in it. */
function assertHits(pattern: RegExp, samples: [string, number][]): void {
  for (const [s, n] of samples) assert.equal([...s.matchAll(pattern)].length, n, s);
}

describe('closures the simulation keeps', () => {
  it('no function literal is assigned straight to a property in src/core', () => {
    assert.deepEqual(offenders(CLOSURE_ON_PROPERTY), []);
  });

  it('no accessor in src/core is defined with a function literal', () => {
    assert.deepEqual(offenders(ACCESSOR_CLOSURE), []);
    assertHits(ACCESSOR_CLOSURE, [
      ["Object.defineProperty(t, 'packets', { enumerable: true, get: () => settle(this.packets), set: settle });", 1],
      ["Object.defineProperty(o, 'x', { get() { return 1; } });", 1],
      ["Object.defineProperty(o, 'x', { set: function (v) { w = v; } });", 1],
      ["Object.defineProperty(trace, 'packets', UNREAD_PACKETS);", 0],
      ["Object.defineProperty(t, 'packets', { value: packets, writable: true });", 0],
    ]);
  });

  it('the pattern it looks for is the one that matters', () => {
    assertHits(CLOSURE_ON_PROPERTY, [
      ['this.alertSeal = (b) => this.sealed13(k, 21, b);', 1],
      ['pool.onResult = (rows: number): void => {', 1],
      ['x.y ??= () => 1;', 1],
      ['table[id] = (uri) => open(uri);', 1],
      ['o.f = function () {};', 1],
      // through a local, as an argument, in an object literal, compared: fine
      ['const settle = (r) => reply(r); bk.inflight = settle;', 0],
      ['sim.after(1, () => run()); const o = { f: (x) => x };', 0],
      ['if (a.b === c) return; if (a.b >= (c)) return;', 0],
    ]);
  });
});
