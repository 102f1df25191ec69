// A small pool of worker threads that runs fuzz cases under a time bound (the worker is
// terminated and the case counts as a hang) and a memory bound (V8's old-generation limit per
// worker, plus a guard on the process's RSS for memory outside the V8 heap, such as buffers).
// The time bound is on progress: a case hangs when it goes `timeoutMs` without finishing or
// writing more output (stdout, or the capture file growing), or runs past `absoluteFactor` times
// that in all. A long transfer written as JSON streams for longer than 10 s and is not a hang;
// a loop that prints nothing is caught after 10 s.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Verdict } from './property';
import type { WorkerTask } from './worker';

export interface PoolOptions {
  size?: number;
  timeoutMs?: number;
  /** V8 old-generation limit per worker, in MB. */
  heapMb?: number;
  /** RSS of the whole process above which the longest-running case is stopped (an OOM). */
  rssMb?: number;
  /** The CLI module: the source (default) or the built bundle (dist/cli.js). */
  cli?: string;
  /** Stretch the timeout by the machine's load (1-minute load average per core, 1x to 4x), so
   * that the bound means "10 s of one core" and other builds on the machine cause no false hangs. */
  loadScaling?: boolean;
  /** The most a case may take in all, in idle bounds (default 12): progress cannot keep a case
   * alive forever. */
  absoluteFactor?: number;
}

interface Job { task: Omit<WorkerTask, 'id'>; resolve: (v: Verdict) => void }
interface Slot { worker: Worker; ready: boolean; job?: Job & { id: number; started: number; timer: NodeJS.Timeout; idleMs: number; note: string; pcap?: string; pcapSize: number }; }


export const SOURCE_CLI = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.ts');
export const DIST_CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

export class Pool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private guard: NodeJS.Timeout;
  readonly timeoutMs: number;
  private readonly opts: Required<PoolOptions>;

  constructor(options: PoolOptions = {}) {
    this.opts = { size: 2, timeoutMs: 10_000, heapMb: 512, rssMb: 3072, cli: SOURCE_CLI, loadScaling: true, absoluteFactor: 12, ...options };
    this.timeoutMs = this.opts.timeoutMs;
    for (let i = 0; i < this.opts.size; i++) this.slots.push(this.spawn());
    this.guard = setInterval(() => { this.checkMemory(); this.checkCaptures(); }, 200);
    this.guard.unref();
  }

  run(task: Omit<WorkerTask, 'id'>): Promise<Verdict> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    return new Promise((resolve) => { this.queue.push({ task, resolve }); this.dispatch(); });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.guard);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'worker.ts'))});`;
    const worker = new Worker(code, {
      eval: true,
      workerData: { cli: this.opts.cli },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 1.2 },
      stdout: true, stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    const slot: Slot = { worker, ready: false };
    worker.on('message', (m: { ready?: boolean; id?: number; verdict?: Verdict; progress?: number }) => {
      if (m.ready) { slot.ready = true; this.dispatch(); return; }
      if (slot.job && m.id === slot.job.id && m.progress !== undefined) { this.progressed(slot); return; }
      if (slot.job && m.id === slot.job.id && m.verdict) this.finish(slot, m.verdict, false);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(e.message);
      this.fail(slot, { ok: false, kind: oom ? 'oom' : 'crash', message: oom ? `worker out of memory (heap limit ${this.opts.heapMb} MB): ${e.message}` : `worker error: ${e.stack ?? e.message}`, ms: 0 });
    });
    worker.on('exit', (code) => this.fail(slot, { ok: false, kind: 'crash', message: `worker exited with code ${code} (process.exit in the CLI?)`, ms: 0 }));
    return slot;
  }

  /** The worker is gone or must go: report its case and replace it. */
  private fail(slot: Slot, v: Verdict): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    if (slot.job) this.finish(slot, { ...v, ms: Date.now() - slot.job.started }, true);
    void slot.worker.terminate();
    if (this.closed) return;
    this.slots[i] = this.spawn();
  }

  private finish(slot: Slot, v: Verdict, replaced: boolean): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    job.resolve(v);
    if (!replaced) this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job || !this.queue.length) continue;
      const job = this.queue.shift() as Job;
      const id = this.nextId++;
      const load = this.load();
      const ms = Math.round(this.opts.timeoutMs * load);
      const note = load > 1 ? ` (${this.opts.timeoutMs} ms x ${load.toFixed(1)} for the machine's load)` : '';
      const at = job.task.traceArgs.indexOf('--pcap');
      slot.job = { ...job, id, started: Date.now(), timer: this.idleTimer(slot, ms, note), idleMs: ms, note, pcap: at >= 0 ? job.task.traceArgs[at + 1] : undefined, pcapSize: 0 };
      slot.worker.postMessage({ id, ...job.task } satisfies WorkerTask);
    }
  }

  /** The 1-minute load average per core, 1x to 4x (1 without load scaling). */
  private load(): number {
    return this.opts.loadScaling ? Math.min(4, Math.max(1, os.loadavg()[0] / os.cpus().length)) : 1;
  }

  /** Fires when the case has gone its idle bound without progress; if the machine got busier
   * since the bound was set (a build started beside the fuzzer), the bound grows to what the
   * load now calls for before the case counts as a hang. */
  private idleTimer(slot: Slot, ms: number, note: string, since = Date.now()): NodeJS.Timeout {
    return setTimeout(() => {
      const job = slot.job;
      const load = this.load();
      const bound = Math.max(ms, Math.round(this.opts.timeoutMs * load));
      if (job && bound > ms) {
        job.idleMs = bound;
        job.note = ` (${this.opts.timeoutMs} ms x ${load.toFixed(1)} for the machine's load)`;
        job.timer = this.idleTimer(slot, bound, job.note, since);
        return;
      }
      this.fail(slot, { ok: false, kind: 'hang', message: `no result and no output for ${ms} ms${note}`, ms });
    }, Math.max(0, since + ms - Date.now()));
  }

  /** The case wrote more: its idle bound starts again, within the absolute bound. */
  private progressed(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    const total = job.idleMs * this.opts.absoluteFactor;
    const left = job.started + total - Date.now();
    job.timer = left <= job.idleMs
      ? setTimeout(() => this.fail(slot, { ok: false, kind: 'hang', message: `still writing after ${total} ms${job.note}`, ms: 0 }), Math.max(0, left))
      : this.idleTimer(slot, job.idleMs, job.note);
  }

  /** The capture file is written by the CLI itself: its growth is progress too. */
  private checkCaptures(): void {
    for (const slot of this.slots) {
      const job = slot.job;
      if (!job?.pcap) continue;
      let size = 0;
      try { size = fs.statSync(job.pcap).size; } catch { continue; }
      if (size > job.pcapSize) { job.pcapSize = size; this.progressed(slot); }
    }
  }

  private checkMemory(): void {
    const rss = process.memoryUsage.rss() / 1048576;
    if (rss < this.opts.rssMb) return;
    const busy = this.slots.filter((s) => s.job).sort((a, b) => (a.job?.started ?? 0) - (b.job?.started ?? 0));
    if (busy[0]) this.fail(busy[0], { ok: false, kind: 'oom', message: `process RSS ${Math.round(rss)} MB over the ${this.opts.rssMb} MB guard (memory outside the V8 heap)`, ms: 0 });
  }
}
