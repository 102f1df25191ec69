// The trace as a terminal timeline: phases with durations per request, then every event.
import type { Trace } from '../trace/types';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const ms = (t: number): string => `${t.toFixed(3)} ms`;

export interface TextOptions { events?: boolean; details?: boolean }

export function traceToText(t: Trace, o: TextOptions = {}): string {
  return [...traceTextLines(t, o)].join('\n');
}

/** The same text line by line, so a long trace can be written without holding it whole. */
export function* traceTextLines(t: Trace, o: TextOptions = {}): Generator<string> {
  yield `Packet Journey: scenario "${t.scenario}" (seed ${t.seed})`;
  const requests = [...new Set(t.phases.map((p) => p.request))];
  for (const r of requests) {
    const total = t.outcome.totals[r - 1];
    yield* lines('', `Request ${r}${total !== undefined ? `: ${ms(total)} from Enter to render` : ''}`);
    for (const p of t.phases.filter((x) => x.request === r)) yield* lines(`  ${pad(p.name, 10)} ${pad(ms(p.start), 14)} -> ${pad(ms(p.end), 14)} ${ms(p.end - p.start)}`);
  }
  yield* lines('', t.outcome.ok ? 'Outcome: the response reached the browser.' : `Outcome: FAILED at ${t.outcome.stoppedAt}: ${t.outcome.symptom}\n  detect with: ${t.outcome.detectWith}`);
  yield* lines(`Payload: ${t.payloadInvariant.note}`);
  if (o.events !== false) {
    yield* lines('', 'Timeline');
    let req = 0;
    for (const e of t.events) {
      if (e.request !== req) { req = e.request; yield* lines(`  -- request ${req} --`); }
      yield* lines(`  ${pad(ms(e.time), 14)} ${pad(e.device, 16)} ${pad(e.kind, 8)} ${e.summary}`);
      if (o.details) for (const d of e.details) yield* lines(`  ${' '.repeat(40)}${d}`);
      if (o.details) for (const c of e.changes) yield* lines(`  ${' '.repeat(40)}${c.field}: ${c.before} -> ${c.after}`);
    }
  }
  if (t.transformations.length) {
    yield* lines('', 'Transformations');
    for (const x of t.transformations) yield* lines(`  ${pad(x.device, 16)} ${pad(x.kind, 16)} ${x.description} (x${x.count})`);
  }
  if (t.simplifications.length) {
    yield* lines('', 'Simplifications');
    for (const s of t.simplifications) yield* lines(`  - ${s}`);
  }
}

/** Several lines at once (a blank line and a heading, say). */
function* lines(...xs: string[]): Generator<string> { yield* xs; }
