// One trace as the worker runs it: the document's text in, the trace (as JSON) or the reason it
// cannot be traced out. No vscode here: everything the job needs from the editor (unsaved text
// of imported files, the workspace folder, trust) travels in the request, so the job can run on
// a worker thread and be tested without VS Code.
import { LineIndex } from '../core/language/range';
import { buildNetwork } from '../core/model/build';
import { simulate } from '../core/sim/run';
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

export type TraceReply =
  /** The trace as JSON: JSON materialises any lazy getter of the trace, so what arrives is the
   * same plain value the CLI prints. */
  | { id: number; ok: true; traceJson: string }
  /** `line` is 0-based, in the traced document; absent when the problem is elsewhere. */
  | { id: number; ok: false; error: string; line?: number };

export function runTraceJob(req: TraceRequest): TraceReply {
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
    return result.ok ? { id, ok: true, traceJson: JSON.stringify(result.trace) } : { id, ok: false, error: result.error };
  } catch (e) {
    // A bug of ours must not surface as an exception in the extension host: say it plainly.
    return { id, ok: false, error: `internal error while tracing (please report it): ${(e as Error).message}` };
  }
}
