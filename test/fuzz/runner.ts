// Runs fuzz cases through the pool: writes each case to a temporary folder, checks the property,
// collects failures (optionally saved to a folder), and groups them into classes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCorpus, makeCase, PCAP, type FuzzCase } from './mutate';
import { Pool, type PoolOptions } from './pool';
import { signature, type Verdict } from './property';

export interface FuzzFailure { case: FuzzCase; verdict: Verdict; signature: string }
export interface FuzzSummary {
  cases: number; crashes: number; hangs: number; seconds: number; failures: FuzzFailure[]; classes: Map<string, FuzzFailure[]>; stoppedEarly: boolean;
  /** How deep the cases went: check found no error; trace ran and the journey succeeded / failed. */
  depth: { checkClean: number; traceOk: number; traceFailed: number };
}

export interface FuzzOptions extends PoolOptions {
  seed: number;
  cases: number;
  /** Stop after this many failures (keeps a broken build from taking cases x timeout). */
  maxFailures?: number;
  /** Save each failing case here (folder per case: its files, mutation.txt, error.txt). */
  outDir?: string;
  onProgress?: (done: number, failures: number) => void;
}

export function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'journey-fuzz-'));
}

/** Writes a case's files under dir and returns the main file and the trace arguments. */
export function writeCase(dir: string, c: FuzzCase): { file: string; traceArgs: string[] } {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of c.files) fs.writeFileSync(path.join(dir, name), text);
  return { file: path.join(dir, c.main), traceArgs: c.traceArgs.map((a) => (a === PCAP ? path.join(dir, 'trace.pcapng') : a)) };
}

export function describeDepth(s: FuzzSummary): string {
  const pct = (n: number): string => `${s.cases ? Math.round((n * 100) / s.cases) : 0}%`;
  return `check clean ${s.depth.checkClean} (${pct(s.depth.checkClean)}), traced ${s.depth.traceOk} ok + ${s.depth.traceFailed} failed journeys (${pct(s.depth.traceOk + s.depth.traceFailed)})`;
}

export function describeFailure(f: FuzzFailure): string {
  return [`case ${f.case.index} (seed ${f.case.seed}) from ${f.case.base}: ${f.verdict.kind} [${f.signature}]`,
    ...f.case.mutations.map((m) => `  - ${m}`),
    `  trace args: ${f.case.traceArgs.join(' ') || '(none)'}`,
    `  ${(f.verdict.message ?? '').split('\n').slice(0, 6).join('\n  ').slice(0, 1500)}`].join('\n');
}

export function saveFailure(outDir: string, f: FuzzFailure): string {
  const dir = path.join(outDir, `case-${f.case.seed}-${f.case.index}-${f.verdict.kind}`);
  writeCase(dir, f.case);
  fs.writeFileSync(path.join(dir, 'mutation.txt'), `seed ${f.case.seed} case ${f.case.index} from ${f.case.base}\nmain file: ${f.case.main}\ntrace args: ${f.case.traceArgs.join(' ')}\n\n${f.case.mutations.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'error.txt'), `${f.verdict.kind} after ${f.verdict.ms} ms (check exit ${f.verdict.checkCode ?? '-'}, trace exit ${f.verdict.traceCode ?? '-'})\n${f.signature}\n\n${f.verdict.message ?? ''}\n`);
  return dir;
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const t0 = Date.now();
  const corpus = loadCorpus();
  const pool = new Pool(o);
  const root = tempRoot();
  const failures: FuzzFailure[] = [];
  const max = o.maxFailures ?? Infinity;
  let next = 0, done = 0;
  const depth = { checkClean: 0, traceOk: 0, traceFailed: 0 };
  const worker = async (): Promise<void> => {
    while (next < o.cases && failures.length < max) {
      const index = next++;
      const c = makeCase(o.seed, index, corpus);
      const dir = path.join(root, String(index));
      const { file, traceArgs } = writeCase(dir, c);
      const verdict = await pool.run({ file, traceArgs });
      if (verdict.checkCode === 0) depth.checkClean++;
      if (verdict.traceCode === 0) depth.traceOk++;
      if (verdict.traceCode === 1) depth.traceFailed++;
      if (!verdict.ok) {
        const f = { case: c, verdict, signature: signature(verdict) };
        failures.push(f);
        if (o.outDir) saveFailure(o.outDir, f);
      }
      fs.rmSync(dir, { recursive: true, force: true });
      done++;
      o.onProgress?.(done, failures.length);
    }
  };
  try {
    // Two cases in flight per worker: the next one is written while the worker runs.
    await Promise.all(Array.from({ length: (o.size ?? 2) * 2 }, worker));
  } finally {
    await pool.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  const classes = classesOf(failures);
  return {
    cases: done, crashes: failures.filter((f) => f.verdict.kind !== 'hang').length, hangs: failures.filter((f) => f.verdict.kind === 'hang').length,
    seconds: Math.round((Date.now() - t0) / 100) / 10, failures, classes, stoppedEarly: done < o.cases, depth,
  };
}

/** Reads failures saved by saveFailure (to minimise them later without re-running the fuzzer). */
export function loadFailures(outDir: string): FuzzFailure[] {
  const out: FuzzFailure[] = [];
  for (const name of fs.readdirSync(outDir).sort()) {
    const dir = path.join(outDir, name);
    const mutationFile = path.join(dir, 'mutation.txt');
    if (!name.startsWith('case-') || !fs.existsSync(mutationFile)) continue;
    const [first, mainLine, argsLine, , ...mutations] = fs.readFileSync(mutationFile, 'utf8').split('\n');
    const error = fs.readFileSync(path.join(dir, 'error.txt'), 'utf8');
    const kind = error.split(' ')[0] as FuzzFailure['verdict']['kind'];
    const verdict: Verdict = { ok: false, kind, message: error.split('\n').slice(3).join('\n'), ms: 0 };
    const m = /^seed (\d+) case (\d+) from (.*)$/.exec(first);
    const files = new Map<string, string>();
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.journey')) files.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
    const c: FuzzCase = {
      index: Number(m?.[2] ?? 0), seed: Number(m?.[1] ?? 0), base: m?.[3] ?? name, files, main: mainLine.replace(/^main file: /, ''),
      mutations: mutations.filter(Boolean), traceArgs: argsLine.replace(/^trace args: ?/, '').split(' ').filter(Boolean),
    };
    out.push({ case: c, verdict, signature: signature(verdict) });
  }
  return out;
}

export function classesOf(failures: FuzzFailure[]): Map<string, FuzzFailure[]> {
  const classes = new Map<string, FuzzFailure[]>();
  for (const f of failures) classes.set(f.signature, [...(classes.get(f.signature) ?? []), f]);
  return classes;
}
