// One trace as the worker runs it: the document's text in, the trace (as JSON) or the reason it
// cannot be traced out. No vscode here: everything the job needs from the editor (unsaved text
// of imported files, the workspace folder, trust) travels in the request, so the job can run on
// a worker thread and be tested without VS Code.
import { LineIndex } from '../core/language/range';
import { buildNetwork } from '../core/model/build';
import { simulate } from '../core/sim/run';
import { detachedSnapshot } from '../core/trace/builder';
import type { Trace } from '../core/trace/types';
import { makeImportResolver } from '../node/files';

export interface TraceRequest {
  /** Correlates the answer with the request: a cancelled job's answer is ignored. */
  id: number;
  text: string;
  /** The name the core knows the document by (sourceKey). */
  file: string;
  scenario?: string;
  /** Imports are read only for a document on disk; the folder they stay inside. */
  imports?: { root: string | undefined; trusted: boolean; openTexts: Record<string, string> };
}

/** The trace travels in parts, each a JSON text the host parses on its own: one string of a
 * long transfer's trace would pass V8's string limit (and its views, made to stringify it,
 * the worker's heap). JSON materialises the snapshots' lazy views, so what arrives is the
 * same plain value the CLI prints. */
export type TraceReply =
  /** the trace with `packets` and `events` empty; the parts that follow fill them, in order */
  | { id: number; ok: true; part: 'trace'; json: string }
  /** a JSON array of the next packets or events */
  | { id: number; ok: true; part: 'packets' | 'events'; json: string }
  /** the trace is complete */
  | { id: number; ok: true; part: 'end' }
  /** `line` is 0-based, in the traced document; absent when the problem is elsewhere. */
  | { id: number; ok: false; error: string; line?: number };

export type TraceOutcome = { id: number; ok: true; trace: Trace } | Extract<TraceReply, { ok: false }>;

/** Elements per packets/events part: a few MB of JSON each. */
const PART = 2000;

/** The replies for one job, made one at a time: the worker posts each as it is made. */
export function* traceReplies(req: TraceRequest): Generator<TraceReply> {
  const out = runTraceJob(req);
  if (!out.ok) { yield out; return; }
  const t = out.trace;
  try {
    yield { id: out.id, ok: true, part: 'trace', json: JSON.stringify({ ...t, packets: [], events: [] }) };
    for (let i = 0; i < t.packets.length; i += PART) {
      // detached copies: the worker does not keep every frame's hex and layers once sent
      yield { id: out.id, ok: true, part: 'packets', json: JSON.stringify(t.packets.slice(i, i + PART).map(detachedSnapshot)) };
    }
    for (let i = 0; i < t.events.length; i += PART) yield { id: out.id, ok: true, part: 'events', json: JSON.stringify(t.events.slice(i, i + PART)) };
    yield { id: out.id, ok: true, part: 'end' };
  } catch (e) {
    yield { id: out.id, ok: false, error: `internal error while sending the trace (please report it): ${(e as Error).message}` };
  }
}

export function runTraceJob(req: TraceRequest): TraceOutcome {
  const { id, text, file } = req;
  try {
    const imports = req.imports;
    const resolveImport = imports
      ? makeImportResolver({ root: imports.root, trusted: imports.trusted, openText: (f) => imports.openTexts[f] })
      : undefined;
    const built = buildNetwork(text, { file, resolveImport });
    const first = built.diagnostics.find((d) => d.severity === 'error');
    if (first) {
      const inThisFile = !first.file || first.file === file;
      const where = inThisFile ? '' : ` (in ${first.file})`;
      return { id, ok: false, error: `${first.message}${where}`, line: inThisFile ? new LineIndex(text).position(first.span.start).line : undefined };
    }
    const result = simulate(built, { scenario: req.scenario });
    return result.ok ? { id, ok: true, trace: result.trace } : { id, ok: false, error: result.error };
  } catch (e) {
    // A bug of ours must not surface as an exception in the extension host: say it plainly.
    return { id, ok: false, error: `internal error while tracing (please report it): ${(e as Error).message}` };
  }
}
