import { align } from './align';
import { normalize } from './normalize';
import type { Aligned, CompareOptions, LinkPackets, LinkScore, Mismatch, PacketRecord, Report } from './types';

export function compareLink(link: LinkPackets, opts: CompareOptions = {}): LinkScore {
  const real = normalize(link.real, opts);
  const sim = normalize(link.sim, opts);
  const steps = opts.stream ? alignStreams(real, sim, opts, opts.stream) : align(real, sim, opts);
  const matchedPairs = steps.filter((s): s is Extract<Aligned, { kind: 'pair' }> => s.kind === 'pair' && s.mismatches.length === 0);
  const matched = matchedPairs.length;
  const score = real.length === 0 ? (sim.length === 0 ? 1 : 0) : matched / real.length;
  return { link: link.link, realCount: real.length, simCount: sim.length, matched, score, inOrder: longestIncreasing(matchedPairs.map((p) => p.sim)), steps };
}

/** Aligns each stream's real packets with the same stream's simulated ones. The steps come back
 * in the real capture's order; a simulated packet with no real counterpart goes after the real
 * packet paired with the simulated one before it. */
function alignStreams(real: PacketRecord[], sim: PacketRecord[], opts: CompareOptions, stream: (p: PacketRecord) => string): Aligned[] {
  const groups = new Map<string, { real: number[]; sim: number[] }>();
  const group = (k: string) => { let g = groups.get(k); if (!g) { g = { real: [], sim: [] }; groups.set(k, g); } return g; };
  real.forEach((p, i) => group(stream(p)).real.push(i));
  sim.forEach((p, j) => group(stream(p)).sim.push(j));
  const steps: Aligned[] = [];
  for (const g of groups.values()) {
    for (const s of align(g.real.map((i) => real[i]), g.sim.map((j) => sim[j]), opts)) {
      if (s.kind === 'pair') steps.push({ ...s, real: g.real[s.real], sim: g.sim[s.sim] });
      else if (s.kind === 'missing') steps.push({ kind: 'missing', real: g.real[s.real] });
      else steps.push({ kind: 'extra', sim: g.sim[s.sim] });
    }
  }
  const realOf = new Array<number>(sim.length).fill(-1);
  for (const s of steps) if (s.kind === 'pair') realOf[s.sim] = s.real;
  let last = -1;
  const after = realOf.map((r) => (last = r >= 0 ? r : last));
  const at = (s: Aligned): number => (s.kind === 'extra' ? (s.sim > 0 ? after[s.sim - 1] : -1) + 0.5 : s.real);
  return steps.map((s, k) => ({ s, k })).sort((a, b) => at(a.s) - at(b.s) || a.k - b.k).map((x) => x.s);
}

/** The length of the longest strictly increasing subsequence (patience sorting). */
function longestIncreasing(xs: readonly number[]): number {
  const tails: number[] = [];
  for (const x of xs) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (tails[mid] < x) lo = mid + 1; else hi = mid; }
    tails[lo] = x;
  }
  return tails.length;
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
    const order = l.matched === 0 ? '' : pct(l.inOrder / l.matched);
    return `${l.link.padEnd(w)} ${String(l.realCount).padStart(5)} ${String(l.simCount).padStart(5)} ${String(l.matched).padStart(7)} ${String(missing).padStart(7)} ${String(extra).padStart(5)} ${pct(l.score)} ${order.padStart(5)}`.trimEnd();
  });
  return [
    `${'link'.padEnd(w)}  real   sim matched missing extra score order`,
    ...rows,
    `${'overall'.padEnd(w)} ${String(report.realCount).padStart(5)} ${''.padStart(5)} ${String(report.matched).padStart(7)} ${''.padStart(7)} ${''.padStart(5)} ${pct(report.score)}`,
  ].join('\n');
}
