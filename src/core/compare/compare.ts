import { align } from './align';
import { normalize } from './normalize';
import type { CompareOptions, LinkPackets, LinkScore, Mismatch, Report } from './types';

export function compareLink(link: LinkPackets, opts: CompareOptions = {}): LinkScore {
  const real = normalize(link.real, opts);
  const sim = normalize(link.sim, opts);
  const steps = align(real, sim, opts);
  const matched = steps.filter((s) => s.kind === 'pair' && s.mismatches.length === 0).length;
  const score = real.length === 0 ? (sim.length === 0 ? 1 : 0) : matched / real.length;
  return { link: link.link, realCount: real.length, simCount: sim.length, matched, score, steps };
}

/** Per link and overall: the share of real packets whose fields all match. */
export function compare(links: readonly LinkPackets[], opts: CompareOptions = {}): Report {
  const scores = links.map((l) => compareLink(l, opts));
  const realCount = scores.reduce((a, s) => a + s.realCount, 0);
  const matched = scores.reduce((a, s) => a + s.matched, 0);
  return { links: scores, realCount, matched, score: realCount === 0 ? 1 : matched / realCount };
}

/** How often each field differed in the aligned pairs of a link, most frequent first. */
export function mismatchSummary(link: LinkScore): { field: string; count: number; example: Mismatch }[] {
  const by = new Map<string, { field: string; count: number; example: Mismatch }>();
  for (const s of link.steps) {
    if (s.kind !== 'pair') continue;
    for (const m of s.mismatches) {
      const e = by.get(m.field);
      if (e) e.count++;
      else by.set(m.field, { field: m.field, count: 1, example: m });
    }
  }
  return [...by.values()].sort((a, b) => b.count - a.count || a.field.localeCompare(b.field));
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`.padStart(5);

/** The per-link score table, as plain text. */
export function formatTable(report: Report): string {
  const w = Math.max(8, ...report.links.map((l) => l.link.length));
  const rows = report.links.map((l) => {
    const missing = l.steps.filter((s) => s.kind === 'missing').length;
    const extra = l.steps.filter((s) => s.kind === 'extra').length;
    return `${l.link.padEnd(w)} ${String(l.realCount).padStart(5)} ${String(l.simCount).padStart(5)} ${String(l.matched).padStart(7)} ${String(missing).padStart(7)} ${String(extra).padStart(5)} ${pct(l.score)}`;
  });
  return [
    `${'link'.padEnd(w)}  real   sim matched missing extra score`,
    ...rows,
    `${'overall'.padEnd(w)} ${String(report.realCount).padStart(5)} ${''.padStart(5)} ${String(report.matched).padStart(7)} ${''.padStart(7)} ${''.padStart(5)} ${pct(report.score)}`,
  ].join('\n');
}
