// Entry point of dist/traceWorker.js: the simulation on a worker thread, so a large topology
// never stalls the extension host (and with it hovers, completions and the panel). The host
// terminates the worker to cancel a trace that an edit made obsolete, or one that runs too long.
import { parentPort } from 'worker_threads';
import { traceReplies, type TraceRequest } from './traceJob';

// hpack.js's dependency (obuf) calls the deprecated Buffer() once; that warning is not the
// user's business and would land in the extension host's log. Other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (w: Error & { code?: string }) => {
  if (w.code !== 'DEP0005') process.stderr.write(`${w.name}: ${w.message}\n`);
});

// One message per part (see TraceReply): the worker holds one part's JSON at a time.
parentPort?.on('message', (req: TraceRequest) => {
  for (const reply of traceReplies(req)) parentPort?.postMessage(reply);
});
