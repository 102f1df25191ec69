// The journey as a Mermaid sequence diagram: one participant per device that sent or took a
// packet, one arrow per packet per link, phases as notes.
import type { Trace } from '../trace/types';

const id = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');
/** Mermaid treats some characters as syntax inside messages; keep messages plain. */
const text = (s: string): string => s.replace(/[;#:<>{}]/g, ' ').replace(/\s+/g, ' ').trim();

export function traceToMermaid(t: Trace, o: { maxArrows?: number } = {}): string {
  const out = ['sequenceDiagram', '  autonumber'];
  const used = new Set<string>();
  for (const p of t.packets) { used.add(p.from); used.add(p.to); }
  for (const d of t.devices) if (used.has(d.name)) out.push(`  participant ${id(d.name)} as ${text(d.name)}`);
  const phases = [...t.phases].sort((a, b) => a.start - b.start);
  let pi = 0;
  const max = o.maxArrows ?? 2000;
  let n = 0;
  for (const p of t.packets) {
    while (pi < phases.length && phases[pi].start <= p.time) {
      const ph = phases[pi++];
      out.push(`  Note over ${id(p.from)}: ${text(`${ph.name} (request ${ph.request}) ${(ph.end - ph.start).toFixed(1)} ms`)}`);
    }
    if (n++ >= max) { out.push(`  Note over ${id(p.from)}: ${t.packets.length - max} more packets not drawn`); break; }
    const top = p.layers.filter((l) => l.proto !== 'ethernet').map((l) => l.summary).slice(0, 2).join(' | ');
    out.push(`  ${id(p.from)}->>${id(p.to)}: ${text(`${p.time.toFixed(3)}ms ${top}`)}`);
  }
  return out.join('\n') + '\n';
}
