// Fixture traces for the panel's tests and benchmark: real ones from the core (buildNetwork +
// simulate on the examples), a failure, a large generated one, and a hostile one.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../../src/core/model/build';
import { simulate } from '../../src/core/sim/run';
import type { Trace } from '../../src/core/trace/types';

const ROOT = path.resolve(__dirname, '../..');
export const EXAMPLE = path.join(ROOT, 'examples/follow-a-packet.journey');

/** Traces a .journey text (throws with the core's message if it cannot). */
export function traceText(text: string, file: string): Trace {
  const result = simulate(buildNetwork(text, { file }));
  if (!result.ok) throw new Error(`cannot trace ${file}: ${result.error}`);
  return result.trace;
}

const cache = new Map<string, Trace>();
function once(key: string, make: () => Trace): Trace {
  let t = cache.get(key);
  if (!t) { t = make(); cache.set(key, t); }
  return structuredClone(t);
}

/** The seed example: two requests through home, ISP, AWS and Kubernetes. */
export function exampleTrace(): Trace {
  return once('example', () => traceText(readFileSync(EXAMPLE, 'utf8'), EXAMPLE));
}

/** The seed example with PostgreSQL refusing connections: the journey stops at the pod. */
export function failureTrace(): Trace {
  return once('failure', () => {
    const text = readFileSync(EXAMPLE, 'utf8').replace(/(\n\s*interval 1s\n)/, '$1  fail db-refused\n');
    if (!text.includes('fail db-refused')) throw new Error('could not inject the failure into the example');
    return traceText(text, EXAMPLE);
  });
}

/**
 * The example tiled in time until it has at least `events` events and `packets` frames, then cut
 * to exactly that many (references to frames past the cut are dropped).
 */
export function largeTrace(events = 5000, packets = 2000): Trace {
  return once(`large-${events}-${packets}`, () => {
    const base = exampleTrace();
    const span = Math.ceil((base.events.at(-1)?.time ?? 0) + 1000);
    const maxPid = Math.max(...base.packets.map((p) => p.packetId)) + 1;
    const requests = base.outcome.totals.length;
    const out: Trace = { ...base, scenario: `${base.scenario} (tiled)`, events: [], packets: [], phases: [], state: [], outcome: { ...base.outcome, totals: [] } };
    for (let k = 0; out.events.length < events || out.packets.length < packets; k++) {
      const dt = k * span, dseq = out.events.length, did = out.packets.length;
      for (const e of base.events) out.events.push({ ...e, seq: e.seq + dseq, time: e.time + dt, snapshot: e.snapshot === undefined ? undefined : e.snapshot + did, packetId: e.packetId === undefined ? undefined : e.packetId + k * maxPid, request: e.request + k * requests });
      for (const p of base.packets) out.packets.push({ ...p, id: p.id + did, packetId: p.packetId + k * maxPid, time: p.time + dt });
      for (const ph of base.phases) out.phases.push({ ...ph, request: ph.request + k * requests, start: ph.start + dt, end: ph.end + dt });
      for (const st of base.state) out.state.push({ ...st, time: st.time + dt });
      out.outcome.totals.push(...base.outcome.totals);
    }
    out.events = out.events.slice(0, events).map((e) => (e.snapshot !== undefined && e.snapshot >= packets ? { ...e, snapshot: undefined } : e));
    out.packets = out.packets.slice(0, packets);
    const lastRequest = Math.max(...out.events.map((e) => e.request));
    out.phases = out.phases.filter((p) => p.request <= lastRequest);
    out.outcome.totals = out.outcome.totals.slice(0, lastRequest);
    return out;
  });
}

/** Strings that would run or inject markup if rendered as HTML or evaluated as a template. */
export const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(2)</script>',
  'javascript:alert(3)',
  "{{constructor.constructor('alert(4)')()}}",
];

/** A real trace with hostile text in device names, header values, URLs and every free text. */
export function hostileTrace(base: Trace = exampleTrace()): Trace {
  const [img, script, js, tmpl] = HOSTILE;
  const swap = (s: string) => s.split('laptop').join(img).split('home-router').join(script).split('api.example.com').join(js);
  const t = JSON.parse(swap(JSON.stringify(base))) as Trace;
  t.scenario = tmpl;
  t.file = `${js}/${script}.journey`;
  const p = t.packets.find((x) => x.layers.some((l) => l.fields.length)) ?? t.packets[0];
  for (const l of p.layers) { l.summary = `${img} ${tmpl}`; for (const f of l.fields) f.value = `${script}${f.value}`; }
  p.visible = img; p.hidden = script;
  t.events[3] = { ...t.events[3], summary: `GET ${js} ${tmpl}`, details: [`L7: ${img}`], changes: [{ field: 'ip.src', before: script, after: img }] };
  t.transformations.push({ device: img, kind: script, description: tmpl, count: 1 });
  t.state.push({ device: img, table: 'dns-cache', time: 0, rows: [{ [img]: script, name: js }] });
  t.simplifications.push(tmpl);
  t.payloadInvariant = { ...t.payloadInvariant, note: `${img} ${script}` };
  return t;
}
