// The trace as a terminal timeline: phases with durations per request, then every event.
import type { Trace } from '../trace/types';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const ms = (t: number): string => `${t.toFixed(3)} ms`;

export interface TextOptions { events?: boolean; details?: boolean }

export function traceToText(t: Trace, o: TextOptions = {}): string {
  const out: string[] = [];
  out.push(`Packet Journey: scenario "${t.scenario}" (seed ${t.seed})`);
  const requests = [...new Set(t.phases.map((p) => p.request))];
  for (const r of requests) {
    const total = t.outcome.totals[r - 1];
    out.push('', `Request ${r}${total !== undefined ? `: ${ms(total)} from Enter to render` : ''}`);
    for (const p of t.phases.filter((x) => x.request === r)) out.push(`  ${pad(p.name, 10)} ${pad(ms(p.start), 14)} -> ${pad(ms(p.end), 14)} ${ms(p.end - p.start)}`);
  }
  out.push('', t.outcome.ok ? 'Outcome: the response reached the browser.' : `Outcome: FAILED at ${t.outcome.stoppedAt}: ${t.outcome.symptom}\n  detect with: ${t.outcome.detectWith}`);
  out.push(`Payload: ${t.payloadInvariant.note}`);
  if (o.events !== false) {
    out.push('', 'Timeline');
    let req = 0;
    for (const e of t.events) {
      if (e.request !== req) { req = e.request; out.push(`  -- request ${req} --`); }
      out.push(`  ${pad(ms(e.time), 14)} ${pad(e.device, 16)} ${pad(e.kind, 8)} ${e.summary}`);
      if (o.details) for (const d of e.details) out.push(`  ${' '.repeat(40)}${d}`);
      if (o.details) for (const c of e.changes) out.push(`  ${' '.repeat(40)}${c.field}: ${c.before} -> ${c.after}`);
    }
  }
  if (t.transformations.length) {
    out.push('', 'Transformations');
    for (const x of t.transformations) out.push(`  ${pad(x.device, 16)} ${pad(x.kind, 16)} ${x.description} (x${x.count})`);
  }
  if (t.simplifications.length) {
    out.push('', 'Simplifications');
    for (const s of t.simplifications) out.push(`  - ${s}`);
  }
  return out.join('\n');
}
