// The hover section that ties the editor to the last simulation: the headers of the last packet
// seen at a device and what that device changed in it. Pure over the Trace, so the CLI or the
// panel could show the same text.
import type { PacketSnapshot, Trace, TraceEvent } from '../trace/types';

const MAX_FIELDS = 10;
const MAX_VALUE = 48;

const cell = (s: string): string => {
  const one = s.replace(/\s+/g, ' ');
  return (one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE - 1)}…` : one).replace(/\|/g, '\\|').replace(/`/g, "'");
};

/** The last snapshot (by time, then order) that left or reached the device. */
export function lastSnapshotAt(trace: Trace, device: string): PacketSnapshot | undefined {
  let best: PacketSnapshot | undefined;
  for (const p of trace.packets ?? []) {
    if (p.from !== device && p.to !== device) continue;
    if (!best || p.time >= best.time) best = p;
  }
  return best;
}

/** Events at the device that changed fields of that packet (or, failing that, of any packet). */
function changesAt(trace: Trace, device: string, snap: PacketSnapshot | undefined): TraceEvent[] {
  const here = (trace.events ?? []).filter((e) => e.device === device && (e.changes?.length ?? 0) > 0);
  const same = snap ? here.filter((e) => e.packetId === snap.packetId) : [];
  return same.length ? same : here.slice(-3);
}

/** Markdown, or undefined when the trace never touched this device. */
export function traceHoverSection(trace: Trace, device: string): string | undefined {
  const snap = lastSnapshotAt(trace, device);
  const events = changesAt(trace, device, snap);
  if (!snap && events.length === 0) return undefined;
  const lines: string[] = [];
  if (snap) {
    const dir = snap.to === device ? `arriving from \`${snap.from}\`` : `leaving to \`${snap.to}\``;
    lines.push(`**Last packet at this device** (${dir} on \`${snap.link}\`, t = ${snap.time.toFixed(3)} ms, scenario \`${trace.scenario}\`)`, '');
    lines.push('| layer | fields |', '| --- | --- |');
    for (const l of snap.layers ?? []) {
      const fields = (l.fields ?? []).slice(0, MAX_FIELDS).map((f) => `${cell(f.name)}=${cell(f.value)}`).join(', ');
      const more = (l.fields?.length ?? 0) > MAX_FIELDS ? `, … ${(l.fields?.length ?? 0) - MAX_FIELDS} more` : '';
      lines.push(`| ${cell(l.proto)} | ${fields}${more} |`);
    }
  }
  if (events.length) {
    lines.push('', '**What this hop changed**', '');
    for (const e of events) for (const c of e.changes) lines.push(`- ${cell(c.field)}: \`${cell(c.before)}\` → \`${cell(c.after)}\`${e.summary ? ` (${cell(e.summary)})` : ''}`);
  }
  return lines.join('\n');
}
