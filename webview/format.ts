// How times, sizes and rates read in the panel; one place so the settings' unit applies everywhere.

export type TimeUnit = 'ms' | 'us';

/** A trace time (ms) in the chosen unit, trimmed to the trace's microsecond resolution. */
export function fmtTime(ms: number, unit: TimeUnit): string {
  if (unit === 'us') return `${Math.round(ms * 1000).toLocaleString('en-US')} µs`;
  return `${Number(ms.toFixed(3))} ms`;
}

export function fmtBytes(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

export function fmtRate(bps: number): string {
  const units: [number, string][] = [[1e9, 'Gbit/s'], [1e6, 'Mbit/s'], [1e3, 'kbit/s']];
  for (const [f, u] of units) if (bps >= f) return `${Number((bps / f).toFixed(1))} ${u}`;
  return `${bps} bit/s`;
}
