// What is at an offset: the chain of enclosing blocks, the statement and argument under the
// cursor, and the schema entries that describe them. Every editor feature starts here, so the
// rules for "where am I" (unclosed blocks, the end of the file, a half-typed line) live in one
// place.
import { parseJourney, type BuildResult } from '../model/build';
import { tokenize, type Token } from '../language/lexer';
import type { Arg, ParsedDocument, Statement } from '../language/parser';
import { lineStartBefore, type Span } from '../language/range';
import { contextOf, findKeyword, type ArgSpec, type ContextName, type KeywordSpec } from '../language/schema';

/** What every service gets: the document's text, its file name (as given to the builder) and
 * the build of that exact text. */
export interface ServiceInput { file: string; text: string; result: BuildResult }

/** A place in some file of the build (the main file or an import). */
export interface Location { file: string; span: Span }
export interface TextEdit { file: string; span: Span; newText: string }

export function mainDocument(input: ServiceInput): ParsedDocument {
  return input.result.documents.get(input.file) ?? parseJourney(input.text);
}

/** Offsets outside the text (a stale or hostile request) are clamped, never trusted. */
export function clampOffset(input: { text: string }, offset: number): number {
  if (!Number.isFinite(offset)) return input.text.length;
  return Math.max(0, Math.min(Math.floor(offset), input.text.length));
}

export const contains = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The end of a statement's head: its last argument, or its keyword. */
export const headEnd = (s: Statement): number => (s.args.length ? s.args[s.args.length - 1].span.end : s.keywordSpan.end);

export interface BlockAt {
  /** Enclosing statements, outermost first (empty at top level). */
  parents: Statement[];
  /** The statements of the innermost enclosing block (the file's at top level). */
  siblings: Statement[];
  /** The schema context of that block; undefined inside a block the schema does not know. */
  context: ContextName | undefined;
}

/** The innermost block that contains `offset`. A block that was never closed extends to its next
 * sibling (where the parser recovered) or to the end of its parent, so completion still works
 * while the user is typing the block. */
export function blockAt(doc: ParsedDocument, offset: number): BlockAt {
  const parents: Statement[] = [];
  let siblings = doc.statements;
  let limit = doc.text.length;
  for (;;) {
    let inner: { s: Statement; end: number } | undefined;
    // Blocks are in source order: a binary search keeps huge files cheap.
    let lo = 0;
    let hi = siblings.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (siblings[mid].span.start <= offset) lo = mid + 1; else hi = mid - 1;
    }
    // Only the last statement starting at or before the offset can contain it.
    const s = hi >= 0 ? siblings[hi] : undefined;
    const b = s?.block;
    if (s && b) {
      const end = b.close ? b.close.start : Math.min(siblings[hi + 1]?.span.start ?? limit, limit);
      if (offset >= b.open.end && offset <= end) inner = { s, end };
    }
    if (!inner?.s.block) break;
    parents.push(inner.s);
    siblings = inner.s.block.statements;
    limit = inner.end;
  }
  return { parents, siblings, context: contextOf(parents) };
}

export interface StatementAt extends BlockAt {
  statement: Statement;
  spec: KeywordSpec | undefined;
  /** The argument under the cursor, with its index. */
  arg?: { arg: Arg; index: number; spec: ArgSpec | undefined };
  onKeyword: boolean;
}

/** The statement whose keyword or argument is under `offset` (ends inclusive, so a cursor right
 * after a word still counts as on it). */
export function statementAt(doc: ParsedDocument, offset: number): StatementAt | undefined {
  const where = blockAt(doc, offset);
  for (const s of where.siblings) {
    if (s.keywordSpan.start > offset) break;
    if (offset > headEnd(s)) continue;
    const spec = where.context ? findKeyword(where.context, s.keyword) : undefined;
    if (contains(s.keywordSpan, offset)) return { ...where, statement: s, spec, onKeyword: true };
    const index = s.args.findIndex((a) => contains(a.span, offset));
    if (index < 0) return undefined;
    const specs = spec ? argSpecs(spec, s.args.map((a) => a.value)) : [];
    return { ...where, statement: s, spec, onKeyword: false, arg: { arg: s.args[index], index, spec: specs[index] } };
  }
  return undefined;
}

/** Which ArgSpec each written argument fills, exactly as the model's reader assigns them
 * (optional literals such as `ttl` are skipped when absent; a `rest` spec takes the remainder).
 * With `partialLast`, the last word is still being typed: it fills an optional literal it is a
 * prefix of. */
export function argSpecs(spec: KeywordSpec, words: readonly string[], partialLast = false): (ArgSpec | undefined)[] {
  const out: (ArgSpec | undefined)[] = [];
  let i = 0;
  for (const a of spec.args) {
    if (a.rest) {
      while (i < words.length) { out.push(a); i++; }
      return out;
    }
    if (i >= words.length) break;
    if (a.optional && a.value.type === 'literal') {
      const w = words[i];
      const last = partialLast && i === words.length - 1;
      if (w !== a.value.word && !(last && a.value.word.startsWith(w))) continue;
    }
    out.push(a);
    i++;
  }
  while (out.length < words.length) out.push(undefined);
  return out;
}

/** The ArgSpec the next (or current, half-typed) argument would fill. */
export function nextArgSpecs(spec: KeywordSpec, before: readonly string[]): ArgSpec[] {
  // The candidates after `before`: the next spec, and when it is an optional literal, also the
  // one after it (either may come next).
  const filled = argSpecs(spec, before);
  if (filled.some((f) => f === undefined)) return []; // already too many arguments
  const lastFilled = filled.length ? filled[filled.length - 1] : undefined;
  if (lastFilled?.rest) return [lastFilled];
  let k = lastFilled ? spec.args.indexOf(lastFilled) + 1 : 0;
  const out: ArgSpec[] = [];
  while (k < spec.args.length) {
    const a = spec.args[k];
    out.push(a);
    if (!(a.optional && a.value.type === 'literal')) break;
    k++;
  }
  return out;
}

export interface ArgVisit { doc: ParsedDocument; file: string; stmt: Statement; parents: readonly Statement[]; context: ContextName | undefined; spec: KeywordSpec | undefined }

/** Walks every statement of a document with its context and schema entry. */
export function walkStatements(doc: ParsedDocument, file: string, visit: (v: ArgVisit) => void): void {
  const rec = (statements: readonly Statement[], parents: Statement[], context: ContextName | undefined): void => {
    for (const stmt of statements) {
      const spec = context ? findKeyword(context, stmt.keyword) : undefined;
      visit({ doc, file, stmt, parents, context, spec });
      if (stmt.block) {
        parents.push(stmt);
        rec(stmt.block.statements, parents, spec?.block);
        parents.pop();
      }
    }
  };
  rec(doc.statements, [], 'file');
}

export interface LinePrefix {
  /** Words of the current statement before the cursor, the half-typed one included. */
  words: Token[];
  /** The word being typed (touching the cursor), if any. */
  partial?: Token;
  /** Inside a comment or an unterminated string: no completion there. */
  inert: boolean;
}

/** The statement being typed on the cursor's line: the tokens after the last `{`, `}` or `;`. */
export function linePrefix(text: string, offset: number): LinePrefix {
  const lineStart = lineStartBefore(text, offset);
  const toks = tokenize(text.slice(lineStart, offset)).filter((t) => t.kind !== 'eof');
  const last = toks[toks.length - 1];
  if (last && (last.kind === 'comment' || (last.kind === 'string' && last.error))) return { words: [], inert: true };
  let from = 0;
  toks.forEach((t, i) => { if (t.kind === 'lbrace' || t.kind === 'rbrace' || t.kind === 'semi') from = i + 1; });
  const words = toks.slice(from).filter((t) => t.kind === 'word' || t.kind === 'string').map((t) => ({ ...t, start: t.start + lineStart, end: t.end + lineStart }));
  const tail = words[words.length - 1];
  const partial = tail && tail.end === offset ? tail : undefined;
  return { words, inert: false, ...(partial ? { partial } : {}) };
}
