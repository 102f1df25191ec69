// A resilient parser for the .journey syntax: every input gives a tree and a list of
// diagnostics, and one mistake never hides the rest of the file.
//
// The grammar is deliberately uniform (like nginx or HCL): a file is a list of statements; a
// statement is a keyword, arguments, and optionally a `{ ... }` block of statements. What each
// keyword means is the schema's business (schema.ts), not the parser's, so the tree stays simple
// for the formatter, the outline and completion.
import { tokenize, type Token } from './lexer';
import type { Diagnostic } from './diagnostics';
import { atLineStart as startsLine, type Span } from './range';

/** Deepest nesting of blocks the parser reads. Real files nest five or six levels; the limit
 * keeps every recursive walk over the tree (builder, outline, folding) far from the stack's end. */
export const MAX_NESTING = 64;

/** Most diagnostics one parse reports; the rest are counted in `suppressedDiagnostics`. A file of
 * a million stray braces must not become a million diagnostics. */
export const MAX_PARSE_DIAGNOSTICS = 500;

export interface Arg {
  kind: 'word' | 'string';
  /** The value (unescaped for strings). */
  value: string;
  /** The source text (with quotes for strings). */
  text: string;
  span: Span;
}

export interface Block {
  open: Span;
  /** Missing when the block was never closed. */
  close?: Span;
  statements: Statement[];
}

export interface Statement {
  keyword: string;
  keywordSpan: Span;
  args: Arg[];
  block?: Block;
  /** From the keyword to the end of the last argument or the closing brace. */
  span: Span;
}

export interface ParsedDocument {
  statements: Statement[];
  comments: Token[];
  diagnostics: Diagnostic[];
  /** All tokens, kept for semantic highlighting and formatting. */
  tokens: Token[];
  text: string;
  /** Diagnostics found beyond MAX_PARSE_DIAGNOSTICS, counted but not kept. */
  suppressedDiagnostics: number;
}

export interface ParseOptions {
  /** Keywords that only ever start a top-level block; seeing one at column 0 inside an open
   * block means a `}` was forgotten, so the parser closes the open blocks there. */
  topLevelKeywords?: ReadonlySet<string>;
}

export function parse(text: string, options: ParseOptions = {}): ParsedDocument {
  const tokens = tokenize(text);
  const diagnostics: Diagnostic[] = [];
  let suppressed = 0;
  const comments: Token[] = [];
  const topLevel = options.topLevelKeywords ?? new Set<string>();
  // Significant tokens only; comments are kept aside for the formatter.
  const toks: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'comment') comments.push(t);
    else if (t.kind === 'error') error('syntax-bad-character', t.error ?? 'Unexpected character.', { start: t.start, end: t.end });
    else toks.push(t);
  }
  function error(code: string, message: string, span: Span): void {
    if (diagnostics.length < MAX_PARSE_DIAGNOSTICS) diagnostics.push({ code, severity: 'error', message, span });
    else suppressed++;
  }

  let pos = 0;
  const peek = (): Token => toks[pos];
  const atLineStart = (t: Token): boolean => startsLine(text, t.start);

  // Parses statements until a `}` that belongs to this level, or EOF.
  // Returns 'closed' when it consumed nothing past a matching `}` (left for the caller),
  // 'eof' at end, or 'recovered' when it stopped because a top-level keyword appeared nested.
  function parseStatements(depth: number, out: Statement[]): 'rbrace' | 'eof' | 'recovered' {
    for (;;) {
      const t = peek();
      if (t.kind === 'eof') return 'eof';
      if (t.kind === 'newline' || t.kind === 'semi') { pos++; continue; }
      if (t.kind === 'rbrace') {
        if (depth > 0) return 'rbrace';
        // A run of stray braces is one mistake, reported once.
        let end = pos + 1;
        while (toks[end].kind === 'rbrace' || toks[end].kind === 'newline' || toks[end].kind === 'semi') end++;
        const braces = toks.slice(pos, end).filter((x) => x.kind === 'rbrace');
        const n = braces.length;
        error('syntax-unmatched-brace', n === 1 ? 'This "}" closes nothing: remove it, or add the block it should end.' : `These ${n} "}" close nothing: remove them, or add the blocks they should end.`, { start: t.start, end: braces[n - 1].end });
        pos = end;
        continue;
      }
      if (depth > 0 && t.kind === 'word' && atLineStart(t) && topLevel.has(t.value)) return 'recovered';
      if (t.kind !== 'word') {
        const what = t.kind === 'string' ? 'a string' : t.kind === 'lbrace' ? '"{"' : `"${t.text}"`;
        error('syntax-expected-keyword', `Expected a keyword at the start of a statement, found ${what}.`, { start: t.start, end: t.end });
        skipStatement();
        continue;
      }
      out.push(parseStatement(depth));
    }
  }

  function skipStatement(): void {
    // Skip to the end of the line, jumping over a whole block if one starts here.
    let nesting = 0;
    for (;;) {
      const t = peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'lbrace') nesting++;
      if (t.kind === 'rbrace') { if (nesting === 0) return; nesting--; }
      pos++;
      if (nesting === 0 && (t.kind === 'newline' || t.kind === 'semi' || t.kind === 'rbrace')) return;
    }
  }

  function parseStatement(depth: number): Statement {
    const kw = toks[pos++];
    const args: Arg[] = [];
    let end = kw.end;
    for (;;) {
      const t = peek();
      if (t.kind === 'word' || t.kind === 'string') {
        if (t.kind === 'string' && t.error) error('syntax-unterminated-string', t.error, { start: t.start, end: t.end });
        args.push({ kind: t.kind, value: t.value, text: t.text, span: { start: t.start, end: t.end } });
        end = t.end;
        pos++;
        continue;
      }
      break;
    }
    const stmt: Statement = { keyword: kw.value, keywordSpan: { start: kw.start, end: kw.end }, args, span: { start: kw.start, end } };
    if (peek().kind === 'lbrace') {
      const open = toks[pos++];
      const block: Block = { open: { start: open.start, end: open.end }, statements: [] };
      stmt.block = block;
      if (depth + 1 >= MAX_NESTING) {
        error('syntax-too-deep', `Blocks nest more than ${MAX_NESTING} levels deep here: this block and what it holds are skipped. Close the blocks above it.`, { start: open.start, end: open.end });
        const close = skipBlock();
        if (close) { block.close = { start: close.start, end: close.end }; stmt.span.end = close.end; } else stmt.span.end = open.end;
        return stmt;
      }
      const how = parseStatements(depth + 1, block.statements);
      if (how === 'rbrace') {
        const close = toks[pos++];
        block.close = { start: close.start, end: close.end };
        stmt.span.end = close.end;
      } else {
        const last = block.statements[block.statements.length - 1];
        stmt.span.end = last ? last.span.end : open.end;
        if (!unclosedReported.has(open.start)) {
          unclosedReported.add(open.start);
          error('syntax-unclosed-block', `The block of "${kw.value}" is never closed: add "}" after its last statement.`, { start: kw.start, end: open.end });
        }
      }
    }
    return stmt;
  }
  const unclosedReported = new Set<number>();

  /** Skips the rest of a block whose `{` was just read, without recursion: up to its matching
   * `}` (returned), a top-level keyword at the start of a line, or the end. */
  function skipBlock(): Token | undefined {
    let nesting = 0;
    for (;;) {
      const t = peek();
      if (t.kind === 'eof') return undefined;
      if (t.kind === 'word' && atLineStart(t) && topLevel.has(t.value)) return undefined;
      pos++;
      if (t.kind === 'lbrace') nesting++;
      else if (t.kind === 'rbrace') { if (nesting === 0) return t; nesting--; }
    }
  }

  const statements: Statement[] = [];
  // Top level: keep going after a recovery so a forgotten "}" costs one diagnostic.
  while (peek().kind !== 'eof') {
    const before = pos;
    parseStatements(0, statements);
    if (pos === before && peek().kind !== 'eof') pos++; // fuel guard: always progress
  }
  return { statements, comments, diagnostics, tokens, text, suppressedDiagnostics: suppressed };
}

/** Walks every statement depth-first with its chain of enclosing statements. */
export function walk(statements: readonly Statement[], visit: (s: Statement, parents: readonly Statement[]) => void, parents: Statement[] = []): void {
  for (const s of statements) {
    visit(s, parents);
    if (s.block) {
      parents.push(s);
      walk(s.block.statements, visit, parents);
      parents.pop();
    }
  }
}
