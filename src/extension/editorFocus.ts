// Which device, link, rule or scenario of a trace the editor's cursor is in, worked out from the
// document's statements and the trace's sources. Pure (no vscode): the host calls it on cursor
// moves and sends the answer to the panel as `editorFocus`.
import { parseJourney } from '../core/model/build';
import type { Statement } from '../core/language/parser';
import { LineIndex } from '../core/language/range';
import type { Trace } from '../core/trace/types';
import type { EditorFocus } from '../shared/protocol';

/** Statements from the top level down to the innermost one whose lines hold `line`. */
function pathAt(statements: readonly Statement[], index: LineIndex, line: number): Statement[] {
  const path: Statement[] = [];
  let level: readonly Statement[] | undefined = statements;
  while (level) {
    const hit: Statement | undefined = level.find((s) => index.position(s.span.start).line <= line && line <= index.position(s.span.end).line);
    if (!hit) break;
    path.push(hit);
    level = hit.block?.statements;
  }
  return path;
}

/**
 * The focus for a cursor on 0-based `line` of `text`, the document the trace was made from
 * (`file`: the name its sources carry). Undefined when the cursor is on nothing the trace shows.
 */
export function focusAt(text: string, line: number, trace: Trace, file: string): EditorFocus | undefined {
  const index = new LineIndex(text);
  const path = pathAt(parseJourney(text).statements, index, line);
  if (path.length === 0) return undefined;
  const top = path[0];
  const topLine = index.position(top.span.start).line;
  const name = top.args[0]?.value;
  if (top.keyword === 'link' && name && trace.links.some((l) => l.name === name)) return { kind: 'link', name, line: topLine };
  if (top.keyword === 'scenario' && name) return { kind: 'scenario', name, line: topLine };

  const here = (s: Statement): number => index.position(s.span.start).line;
  const deviceAt = new Map<number, string>();
  for (const d of trace.devices) if (d.source?.file === file) deviceAt.set(d.source.start.line, d.name);
  const ruleLines = new Set<number>();
  for (const e of trace.events) if (e.source?.file === file) ruleLines.add(e.source.start.line);

  // The innermost statement wins: a route inside a router is the route, not the router.
  for (let i = path.length - 1; i >= 0; i--) {
    const s = path[i];
    const at = here(s);
    const device = deviceAt.get(at);
    if (device) return { kind: 'device', name: device, line: at };
    if (ruleLines.has(at)) return { kind: 'rule', name: [s.keyword, ...s.args.map((a) => a.text)].join(' '), line: at };
  }
  return undefined;
}

/** Same focus (or both none): nothing new to tell the panel. */
export function sameFocus(a: EditorFocus | undefined, b: EditorFocus | undefined): boolean {
  return a === b || (!!a && !!b && a.kind === b.kind && a.name === b.name && a.line === b.line);
}
