// A file with thousands of mistakes (a pasted binary, a million stray braces) must not become
// thousands of diagnostics: the editor would spend its time drawing squiggles and the server
// would publish hundreds of megabytes. Past a cap, one last diagnostic says how many were left.
import type { Diagnostic } from '../language/diagnostics';

/** Most diagnostics shown for one file, the "N more" one included. */
export const MAX_DIAGNOSTICS_PER_FILE = 500;

const RANK: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Keeps at most MAX_DIAGNOSTICS_PER_FILE per file, errors first; `uncounted` adds, per file,
 * those found but never recorded (by the parser or the reader). The order of what is kept is
 * the order it was found in. */
export function capDiagnostics(all: readonly Diagnostic[], mainFile: string, uncounted: ReadonlyMap<string, number> = new Map()): Diagnostic[] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of all) {
    const f = d.file ?? mainFile;
    const list = byFile.get(f);
    if (list) list.push(d); else byFile.set(f, [d]);
  }
  const keep = new Set<Diagnostic>();
  const notes: Diagnostic[] = [];
  for (const [file, list] of byFile) {
    const extra = uncounted.get(file) ?? 0;
    if (list.length + extra <= MAX_DIAGNOSTICS_PER_FILE) { for (const d of list) keep.add(d); continue; }
    const room = MAX_DIAGNOSTICS_PER_FILE - 1;
    const chosen = [...list].sort((a, b) => RANK[a.severity] - RANK[b.severity]).slice(0, room);
    for (const d of chosen) keep.add(d);
    const left = list.length - chosen.length + extra;
    const lastShown = chosen.reduce((m, d) => Math.max(m, d.span.end), 0);
    notes.push({ code: 'too-many-diagnostics', severity: 'warning', message: `${left} more problems in this file are not shown: fix the ones above (often one missing "}" or quote causes many) and check again.`, span: { start: lastShown, end: lastShown }, file });
  }
  for (const [file, extra] of uncounted) {
    if (extra > 0 && !byFile.has(file)) notes.push({ code: 'too-many-diagnostics', severity: 'warning', message: `${extra} more problems in this file are not shown.`, span: { start: 0, end: 0 }, file });
  }
  return [...all.filter((d) => keep.has(d)), ...notes];
}
