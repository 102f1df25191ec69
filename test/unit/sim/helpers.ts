// Shared helpers for simulation tests: trace an example, or a mutation of it.
import { strict as assert } from 'node:assert';
import { simulate } from '../../../src/core/sim/run';
import type { Trace, Phase } from '../../../src/core/trace/types';
import { build, example } from '../helpers';

export const SEED = example('follow-a-packet.journey');

/** Applies exact text replacements (each must match once) and traces the result. */
export function traceOf(text: string, ...edits: [string | RegExp, string][]): Trace {
  let t = text;
  for (const [from, to] of edits) {
    const before = t;
    t = t.replace(from, to);
    assert.notEqual(t, before, `mutation did not apply: ${String(from)}`);
  }
  const b = build(t);
  const errors = b.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), []);
  const r = simulate(b);
  if (!r.ok) throw new Error(r.error);
  return r.trace;
}

export function phase(t: Trace, name: string, request = 1): Phase | undefined {
  return t.phases.find((p) => p.name === name && p.request === request);
}

export function duration(t: Trace, name: string, request = 1): number {
  const p = phase(t, name, request);
  assert.ok(p, `no ${name} phase in request ${request}`);
  return p.end - p.start;
}

export function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}
