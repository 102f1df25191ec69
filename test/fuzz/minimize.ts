// Shrinks a failing case to a small, self-contained reproducer with the same failure class:
// imports are inlined, then top-level statements, blocks and lines are removed (ddmin) as long
// as the case still fails with the same signature.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyse, PCAP } from './mutate';
import { Pool, type PoolOptions } from './pool';
import { signature } from './property';
import { describeFailure, tempRoot, type FuzzFailure, type FuzzSummary } from './runner';

export interface Reproducer { text: string; traceArgs: string[]; runs: number; signature: string }

/** The main file with the case files it imports appended (definitions do not depend on order). */
export function flatten(files: Map<string, string>, main: string): string {
  const seen = new Set<string>([main]);
  const parts: string[] = [];
  const visit = (name: string): string => {
    const text = files.get(name) ?? '';
    return text.replace(/^\s*import\s+"([^"]+)"[^\n]*$/gm, (line, p: string) => {
      const target = path.normalize(p);
      if (!files.has(target)) return line;
      if (!seen.has(target)) { seen.add(target); parts.push(visit(target)); }
      return '';
    });
  };
  const head = visit(main);
  return [head, ...parts].join('\n');
}

async function ddmin<T>(items: T[], test: (items: T[]) => Promise<boolean>): Promise<T[]> {
  let n = 2;
  while (items.length >= 2) {
    const chunk = Math.ceil(items.length / n);
    let removed = false;
    for (let i = 0; i < items.length; i += chunk) {
      const cand = [...items.slice(0, i), ...items.slice(i + chunk)];
      if (await test(cand)) { items = cand; n = Math.max(n - 1, 2); removed = true; break; }
    }
    if (!removed) { if (n >= items.length) break; n = Math.min(items.length, n * 2); }
  }
  return items;
}

export async function minimize(f: FuzzFailure, pool: Pool, budget = { runs: 1500, ms: 300_000 }): Promise<Reproducer> {
  const root = tempRoot();
  const t0 = Date.now();
  let runs = 0;
  const target = f.signature;
  const neighbours = new Map(f.case.files);
  neighbours.delete(f.case.main);
  const attempt = async (text: string, traceArgs: string[], withNeighbours: boolean): Promise<boolean> => {
    if (runs >= budget.runs || Date.now() - t0 > budget.ms) return false;
    runs++;
    const dir = path.join(root, String(runs));
    fs.mkdirSync(dir);
    if (withNeighbours) for (const [n, t] of neighbours) fs.writeFileSync(path.join(dir, n), t);
    const file = path.join(dir, 'case.journey');
    fs.writeFileSync(file, text);
    const v = await pool.run({ file, traceArgs: traceArgs.map((a) => (a === PCAP ? path.join(dir, 'trace.pcapng') : a)) });
    fs.rmSync(dir, { recursive: true, force: true });
    return !v.ok && signature(v) === target;
  };
  try {
    let args = f.case.traceArgs;
    let text = flatten(f.case.files, f.case.main);
    let withNeighbours = false;
    if (!(await attempt(text, args, false))) {
      text = f.case.files.get(f.case.main) ?? '';
      withNeighbours = true;
      if (!(await attempt(text, args, true))) return { text, traceArgs: args, runs, signature: target };
    }
    if (args.length && (await attempt(text, [], withNeighbours))) args = [];
    const stripped = text.split('\n').filter((l) => l.trim() && !/^\s*#/.test(l)).join('\n');
    if (await attempt(stripped, args, withNeighbours)) text = stripped;
    const linesOk = (ls: string[]): Promise<boolean> => attempt(ls.join('\n'), args, withNeighbours);
    for (let round = 0; round < 2; round++) {
      const before = text;
      // Top-level statements (each with its block) first.
      const info = analyse(text).info;
      const lines = text.split('\n');
      const chunks: string[][] = [];
      lines.forEach((l, i) => { if (info[i].parents.length === 0 || !chunks.length) chunks.push([l]); else chunks[chunks.length - 1].push(l); });
      text = (await ddmin(chunks, (c) => linesOk(c.flat()))).flat().join('\n');
      // Then every block, biggest first, re-read after each removal.
      const failed = new Set<string>();
      for (let again = true; again;) {
        again = false;
        const ls = text.split('\n');
        const blocks = [...analyse(text).blocks].sort((x, y) => (y.end - y.start) - (x.end - x.start));
        for (const b of blocks) {
          const key = ls.slice(b.start, b.end + 1).join('\n');
          if (failed.has(key)) continue;
          const cand = [...ls.slice(0, b.start), ...ls.slice(b.end + 1)];
          if (await linesOk(cand)) { text = cand.join('\n'); again = true; break; }
          failed.add(key);
        }
      }
      // Then single lines.
      text = (await ddmin(text.split('\n'), linesOk)).join('\n');
      if (text === before) break;
    }
    return { text, traceArgs: args, runs, signature: target };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function slug(sig: string): string {
  return sig.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
}

/** Minimises the first case of every class and writes NAME.journey files (with a header). */
export async function minimizeClasses(s: Pick<FuzzSummary, 'classes'>, outDir: string, o: PoolOptions): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const pool = new Pool(o);
  try {
    for (const [sig, list] of s.classes) {
      const f = list[0];
      const r = await minimize(f, pool);
      const header = [`# fuzz regression: ${sig}`, `# found by: seed ${f.case.seed} case ${f.case.index} from ${f.case.base}`, ...f.case.mutations.map((m) => `#   ${m.replace(/\n/g, ' ').slice(0, 200)}`),
        ...(r.traceArgs.length ? [`# fuzz-trace-args: ${r.traceArgs.map((a) => (a === PCAP ? 'PCAP' : a)).join(' ')}`] : [])];
      const file = path.join(outDir, `${slug(sig)}.journey`);
      fs.writeFileSync(file, `${header.join('\n')}\n${r.text}\n`);
      console.log(`minimized (${r.runs} runs, ${r.text.split('\n').length} lines): ${file}\n${describeFailure(f).split('\n')[0]}`);
    }
  } finally {
    await pool.close();
  }
}
