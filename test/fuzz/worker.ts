// A fuzz worker thread: loads the CLI once (source through tsx, or the built dist/cli.js) and
// checks the property for each case the pool sends. The pool enforces time and memory bounds.
import { parentPort, workerData } from 'node:worker_threads';
import * as path from 'node:path';
import { checkProperty, supportsRoot, type MainFn } from './property';

export interface WorkerTask { id: number; file: string; traceArgs: string[] }

// Warnings (hpack.js's Buffer() deprecation) are not the fuzzer's business.
process.removeAllListeners('warning');
process.on('warning', () => undefined);

const cli = (workerData as { cli: string }).cli;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require(cli) as { main: MainFn };
const rooted = supportsRoot(main);
parentPort?.on('message', (task: WorkerTask) => {
  // Imports are read inside the case's folder (the CLI's boundary is the cwd by default).
  const progress = (chars: number): void => parentPort?.postMessage({ id: task.id, progress: chars });
  void rooted.then((r) => checkProperty(main, task.file, task.traceArgs, r ? ['--root', path.dirname(task.file)] : [], progress)).then(
    (v) => parentPort?.postMessage({ id: task.id, verdict: v }),
    (e: unknown) => parentPort?.postMessage({ id: task.id, verdict: { ok: false, kind: 'crash', message: `fuzz worker: ${(e as Error)?.stack ?? String(e)}`, ms: 0 } }),
  );
});
parentPort?.postMessage({ ready: true });
