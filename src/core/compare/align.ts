import type { Aligned, Mismatch, PacketRecord } from './types';

/** The fields of `real` and `sim` that differ, over the union of their names, sorted. */
export function diff(real: PacketRecord, sim: PacketRecord): Mismatch[] {
  const names = [...new Set([...Object.keys(real), ...Object.keys(sim)])].sort();
  return names.filter((f) => real[f] !== sim[f]).map((field) => ({ field, real: real[field], sim: sim[field] }));
}

export interface AlignOptions { key?: readonly string[]; weights?: Readonly<Record<string, number>> }

function similarity(real: PacketRecord, sim: PacketRecord, opts: AlignOptions): number {
  for (const k of opts.key ?? []) if (real[k] !== sim[k]) return -1;
  const names = new Set([...Object.keys(real), ...Object.keys(sim)]);
  if (names.size === 0) return 1;
  let same = 0;
  let all = 0;
  for (const f of names) {
    const w = opts.weights?.[f] ?? 1;
    all += w;
    if (real[f] === sim[f]) same += w;
  }
  // Always above zero for alignable packets, so pairing beats two gaps.
  return 0.01 + same / all;
}

/**
 * Global sequence alignment (Needleman-Wunsch, gaps cost nothing, a pair earns its share of
 * equal fields): a missing or extra packet shifts nothing after it, and packets whose key
 * fields differ are never paired.
 */
export function align(real: readonly PacketRecord[], sim: readonly PacketRecord[], opts: AlignOptions = {}): Aligned[] {
  const n = real.length;
  const m = sim.length;
  const sim2 = real.map((r) => sim.map((s) => similarity(r, s, opts)));
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = sim2[i][j];
      const pair = s > 0 ? s + best[i + 1][j + 1] : -Infinity;
      best[i][j] = Math.max(pair, best[i + 1][j], best[i][j + 1]);
    }
  }
  const steps: Aligned[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && sim2[i][j] > 0 && best[i][j] === sim2[i][j] + best[i + 1][j + 1]) {
      steps.push({ kind: 'pair', real: i, sim: j, mismatches: diff(real[i], sim[j]) });
      i++;
      j++;
    } else if (i < n && (j >= m || best[i][j] === best[i + 1][j])) {
      steps.push({ kind: 'missing', real: i++ });
    } else {
      steps.push({ kind: 'extra', sim: j++ });
    }
  }
  return steps;
}
