// Runs trace jobs on a worker thread (dist/traceWorker.js), one at a time per traced file: a new
// job terminates the one still running (an edit made it obsolete), a job that runs past its
// time is terminated with a message, and an idle worker is let go after a while. No vscode here:
// the caller says where the worker script is and how long a job may take.
import { existsSync } from 'fs';
import { Worker } from 'worker_threads';
import type { Trace } from '../core/trace/types';
import type { TraceReply, TraceRequest } from './traceJob';

export type TraceResult =
  | { ok: true; trace: Trace }
  /** `line` is 0-based, in the traced document; absent when the problem is elsewhere. */
  | { ok: false; error: string; line?: number };

/** A worker left idle this long is terminated; the next job starts a new one. */
const IDLE_MS = 60_000;
/** The worker's heap: a runaway trace ends in a message, not in a host out of memory. */
const HEAP_MB = 1024;

interface Pending {
  id: number;
  resolve: (r: TraceResult | undefined) => void;
  timer: ReturnType<typeof setTimeout>;
  /** the trace so far, while its parts arrive */
  trace?: Trace;
}

export class TraceRunner {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;

  constructor(private readonly script: string) {}

  /** The trace, the reason there is none, or undefined when the job was cancelled (a newer
   * job replaced it, or the runner was disposed). */
  run(job: Omit<TraceRequest, 'id'>, timeoutMs: number): Promise<TraceResult | undefined> {
    this.cancel();
    if (!existsSync(this.script)) {
      return Promise.resolve({ ok: false, error: `the simulation is missing from the extension (${this.script}); reinstall Packet Journey` });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.fail(id, `the simulation did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped; make the topology or the response smaller, or raise packetJourney.trace.timeoutSeconds`);
      }, timeoutMs);
      this.pending = { id, resolve, timer };
      clearTimeout(this.idleTimer);
      this.ensureWorker().postMessage({ ...job, id } satisfies TraceRequest);
    });
  }

  /** Stops the running job, if any: its worker is terminated (a simulation cannot be
   * interrupted from outside otherwise), and its promise resolves undefined. */
  cancel(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    this.terminate();
    p.resolve(undefined);
  }

  get busy(): boolean { return this.pending !== undefined; }

  dispose(): void {
    this.cancel();
    clearTimeout(this.idleTimer);
    this.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
    worker.on('message', (reply: TraceReply) => this.answered(worker, reply));
    worker.on('error', (e) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const oom = /memory/i.test(e.message);
      const why = oom ? `the simulation ran out of memory (${HEAP_MB} MB) and was stopped; make the topology or the response smaller` : `the simulation stopped unexpectedly (please report it): ${e.message}`;
      if (this.pending) this.fail(this.pending.id, why);
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.pending) this.fail(this.pending.id, 'the simulation stopped unexpectedly (please report it)');
    });
    // An idle worker must not keep the extension host alive at shutdown.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answered(worker: Worker, reply: TraceReply): void {
    const p = this.pending;
    if (worker !== this.worker || !p || p.id !== reply.id) return; // a cancelled job's answer
    if (reply.ok && reply.part !== 'end') {
      try {
        if (reply.part === 'trace') p.trace = JSON.parse(reply.json) as Trace;
        else if (p.trace) {
          // push one by one: a spread of thousands of arguments can overflow the stack
          const into: unknown[] = reply.part === 'packets' ? p.trace.packets : p.trace.events;
          for (const x of JSON.parse(reply.json) as unknown[]) into.push(x);
        }
      } catch (e) {
        this.settle(p, { ok: false, error: `internal error while reading the trace (please report it): ${(e as Error).message}` });
      }
      return;
    }
    if (!reply.ok) this.settle(p, { ok: false, error: reply.error, line: reply.line });
    else if (p.trace) this.settle(p, { ok: true, trace: p.trace });
    else this.settle(p, { ok: false, error: 'internal error while reading the trace (please report it): it arrived without its first part' });
  }

  /** The job's answer: the worker stays for the next job until it has been idle a while. */
  private settle(p: Pending, r: TraceResult): void {
    if (this.pending !== p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    this.idleTimer = setTimeout(() => this.terminate(), IDLE_MS);
    this.idleTimer.unref?.();
    p.resolve(r);
  }

  private fail(id: number, error: string): void {
    const p = this.pending;
    if (!p || p.id !== id) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    this.terminate();
    p.resolve({ ok: false, error });
  }

  private terminate(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate().catch(() => undefined);
  }
}
