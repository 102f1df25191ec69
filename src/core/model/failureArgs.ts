// The arguments of `fail KIND ...`: their types depend on the kind (FAILURE_ARGS), so they are
// read here rather than by the schema-driven reader, with the same value parsers and messages.
import { FAILURE_ARGS } from '../language/schema';
import type { Span } from '../language/range';
import type { Reader, ReadStatement } from './reader';
import type { FailureKind } from './types';

/** A name written where a kind of definition is expected, checked once all are known. */
export interface NameUse { name: string; span: Span; file: string }

/** Checks the arguments of one `fail` against FAILURE_ARGS; false when one is unusable. */
export function checkFailureArgs(r: Reader, f: ReadStatement, linkNames: NameUse[]): boolean {
  const kind = f.args.get('failure')?.value as FailureKind;
  const specs = FAILURE_ARGS[kind] ?? [];
  let ok = true;
  f.rest.forEach((a, i) => {
    const spec = specs[i];
    const arg = f.stmt.args[i + 1];
    if (!spec || !arg) {
      const usage = `fail ${kind}${specs.map((s) => ` [${s.name}]`).join('')}`;
      if (i === specs.length) r.report('extra-argument', specs.length ? `"fail ${kind}" takes at most ${specs.length} argument${specs.length > 1 ? 's' : ''}: remove "${a.raw}" (usage: ${usage}).` : `"fail ${kind}" takes no argument: remove "${a.raw}".`, a.span);
      ok = false;
      return;
    }
    if (r.value(arg, spec).value === undefined) ok = false;
    if ((kind === 'mtu-blackhole' || kind === 'small-mtu') && i === 0) linkNames.push({ name: a.raw, span: a.span, file: r.file });
  });
  return ok;
}
