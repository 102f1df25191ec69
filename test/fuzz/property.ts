// The property every fuzz case must hold, checked in-process through the CLI's main(argv, io):
// `journey check` ends with 0 or 1 and a message; `journey trace` ends with 0 or 1 (or 2 when
// check reported errors, or when there is nothing to trace), never 3, never an exception, never
// "internal error"; what check accepts, trace runs. Time and memory bounds are the pool's job.
import * as fs from 'node:fs';

export interface CliIo { out: (s: string) => void; err: (s: string) => void }
export type MainFn = (argv: string[], io: CliIo) => Promise<number>;

export type FailureKind = 'crash' | 'hang' | 'oom' | 'property';
export interface Verdict {
  ok: boolean;
  kind?: FailureKind;
  message?: string;
  checkCode?: number;
  traceCode?: number;
  ms: number;
}

const CAP = 1 << 20;

/** How much output, and how long, between two progress reports: a long export streams for
 * seconds, and the pool must tell that from a hang; reports no closer than 250 ms keep a case
 * that writes very fast from flooding the pool with messages. */
const PROGRESS_EVERY = 4 << 20;
const PROGRESS_MS = 250;

function capture(onProgress?: (chars: number) => void): { io: CliIo; out: () => string; err: () => string; outLength: () => number } {
  let out = '', err = '', outLength = 0, reported = 0, reportedAt = Date.now();
  return {
    io: {
      out: (s) => {
        outLength += s.length + 1;
        if (out.length < CAP) out += s + '\n';
        if (onProgress && outLength - reported >= PROGRESS_EVERY && Date.now() - reportedAt >= PROGRESS_MS) { reported = outLength; reportedAt = Date.now(); onProgress(outLength); }
      },
      err: (s) => { if (err.length < CAP) err += s + '\n'; },
    },
    out: () => out, err: () => err, outLength: () => outLength,
  };
}

const ERROR_LINE = /:\d+:\d+: error [a-z0-9-]+: /;
/** Exit 2 from trace that is not a crash even when check is clean: there is nothing to trace. */
const NOTHING_TO_TRACE = /the file has no scenario|no scenario named/;

/** Whether this CLI knows `--root DIR` (the import boundary; newer CLIs default it to the cwd). */
export async function supportsRoot(main: MainFn): Promise<boolean> {
  let text = '';
  const io: CliIo = { out: (s) => { text += s; }, err: (s) => { text += s; } };
  try { await main(['help'], io); } catch { return false; }
  return text.includes('--root');
}

/** `common` is added to both commands (e.g. `--root CASE_DIR`, so the case's imports resolve). */
export async function checkProperty(main: MainFn, file: string, traceArgs: string[], common: string[] = [], onProgress?: (chars: number) => void): Promise<Verdict> {
  const t0 = Date.now();
  const done = (v: Omit<Verdict, 'ms'>): Verdict => ({ ...v, ms: Date.now() - t0 });
  const check = capture();
  let checkCode: number;
  try {
    checkCode = await main(['check', file, ...common], check.io);
  } catch (e) {
    return done({ ok: false, kind: 'crash', message: `journey check threw: ${(e as Error)?.stack ?? String(e)}` });
  }
  if (/internal error/i.test(check.err())) return done({ ok: false, kind: 'crash', checkCode, message: `journey check: ${check.err()}` });
  if (checkCode !== 0 && checkCode !== 1) return done({ ok: false, kind: 'crash', checkCode, message: `journey check exited ${checkCode}: ${check.err() || check.out()}` });
  const checkErrors = ERROR_LINE.test(check.out());
  if (checkCode === 1 && !checkErrors && !check.err()) return done({ ok: false, kind: 'property', checkCode, message: `journey check exited 1 without an error message: ${check.out().slice(0, 2000)}` });
  if (checkCode === 0 && checkErrors) return done({ ok: false, kind: 'property', checkCode, message: `journey check exited 0 but printed errors: ${check.out().slice(0, 2000)}` });

  const pcapIndex = traceArgs.indexOf('--pcap');
  const pcap = pcapIndex >= 0 ? traceArgs[pcapIndex + 1] : undefined;
  if (pcap) fs.rmSync(pcap, { force: true });
  const trace = capture(onProgress);
  let traceCode: number;
  try {
    traceCode = await main(['trace', file, ...traceArgs, ...common], trace.io);
  } catch (e) {
    return done({ ok: false, kind: 'crash', checkCode, message: `journey trace threw: ${(e as Error)?.stack ?? String(e)}` });
  }
  const err = trace.err();
  if (traceCode === 3 || /internal error/i.test(err)) return done({ ok: false, kind: 'crash', checkCode, traceCode, message: err || `journey trace exited ${traceCode}` });
  if (traceCode === 2) {
    if (!err.trim()) return done({ ok: false, kind: 'property', checkCode, traceCode, message: 'journey trace exited 2 without a message' });
    if (checkCode === 1 || NOTHING_TO_TRACE.test(err)) return done({ ok: true, checkCode, traceCode });
    return done({ ok: false, kind: 'property', checkCode, traceCode, message: `journey check accepted the file but trace refused it: ${err.slice(0, 4000)}` });
  }
  if (traceCode !== 0 && traceCode !== 1) return done({ ok: false, kind: 'crash', checkCode, traceCode, message: `journey trace exited ${traceCode}: ${err.slice(0, 4000)}` });
  if (checkCode === 1) return done({ ok: false, kind: 'property', checkCode, traceCode, message: 'journey trace ran although check reported errors' });
  if (trace.outLength() === 0) return done({ ok: false, kind: 'property', checkCode, traceCode, message: `journey trace exited ${traceCode} without output` });
  const fi = traceArgs.indexOf('--format');
  if (fi >= 0 && traceArgs[fi + 1] === 'json' && trace.outLength() < CAP) {
    try { JSON.parse(trace.out()); } catch (e) { return done({ ok: false, kind: 'property', checkCode, traceCode, message: `journey trace --format json printed invalid JSON: ${(e as Error).message}` }); }
  }
  if (pcap) {
    let head: Buffer | undefined;
    try { head = fs.readFileSync(pcap).subarray(0, 4); } catch { head = undefined; }
    if (!head || head.readUInt32LE(0) !== 0x0a0d0d0a) return done({ ok: false, kind: 'property', checkCode, traceCode, message: `journey trace --pcap wrote ${head ? 'no pcapng section header' : 'no file'}` });
  }
  return done({ ok: true, checkCode, traceCode });
}

/** A short, stable name for a failure, to group cases into classes (numbers and paths removed). */
export function signature(v: Pick<Verdict, 'kind' | 'message'>): string {
  if (v.kind === 'hang') return 'hang: no result within the time limit';
  if (v.kind === 'oom') return 'oom: out of memory';
  const msg = v.message ?? '';
  const lines = msg.split('\n');
  const errLine = lines[0] ?? '';
  const at = lines.find((l) => /^\s+at .*src[\\/]/.test(l)) ?? '';
  const where = /at (?:([^\s(]+) )?\(?.*?src[\\/]([^:)]+)/.exec(at);
  // The error's name and the first words of its message: the rest usually quotes the input.
  const m = /\b([A-Z][A-Za-z]*Error)\b:?[ \t]*([^\n]*)/.exec(msg);
  const words = (m ? m[2] : errLine).replace(/\d+(\.\d+)?/g, 'N').split(/\s+/).filter(Boolean).slice(0, m ? 3 : 6).join(' ');
  const norm = `${m ? `${m[1]}: ` : ''}${words}`.slice(0, 160);
  return `${v.kind}: ${norm}${where ? ` @ ${where[2]}${where[1] ? ` ${where[1]}` : ''}` : ''}`;
}
