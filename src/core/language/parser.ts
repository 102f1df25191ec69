// A resilient parser for the .journey syntax: every input gives a tree and a list of
// diagnostics, and one mistake never hides the rest of the file.
//
// The grammar is deliberately uniform (like nginx or HCL): a file is a list of statements; a
// statement is a keyword, arguments, and optionally a `{ ... }` block of statements. What each
// keyword means is the schema's business (schema.ts), not the parser's, so the tree stays simple
// for the formatter, the outline and completion.
import { Scanner, Tok, tokenize, type Token } from './lexer';
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

// The tree the parser makes keeps its places as offsets and makes a span object only when one
// is asked for: a 10,000-line file has some 25,000 spans, and the reader and the builder look
// at a fraction of them. Where a token ends follows from its text (a keyword or an argument
// ends its text's length after its start, a brace is one character), so only starts are kept.
// Each `toJSON` writes the fields in the order of the interfaces above, as the object literals
// the parser used to make did.

class ArgNode implements Arg {
  constructor(readonly kind: 'word' | 'string', readonly value: string, readonly text: string, readonly start: number) {}
  get end(): number { return this.start + this.text.length; }
  get span(): Span { return { start: this.start, end: this.end }; }
  toJSON(): Arg { return { kind: this.kind, value: this.value, text: this.text, span: this.span }; }
}

class StatementNode implements Statement {
  /** The arguments as objects: made at once when there are several, on first read of `args`
   * otherwise (most statements have one, which the reader reads through the fields below). */
  private list: Arg[] | undefined;
  constructor(
    readonly keyword: string,
    // The only argument, when there is exactly one (`start0` is -1 when there is none). Its kind
    // is not kept: a string's text has its quotes and is longer than its value, a word's text
    // is its value.
    readonly value0: string,
    readonly text0: string,
    readonly start0: number,
    list: Arg[] | undefined,
    readonly start: number,
    readonly end: number,
  ) {
    this.list = list;
  }
  get block(): Block | undefined { return undefined; }
  get keywordEnd(): number { return this.start + this.keyword.length; }
  get end0(): number { return this.start0 + this.text0.length; }
  /** How many arguments the statement has. */
  get argc(): number { return this.list !== undefined ? this.list.length : this.start0 < 0 ? 0 : 1; }
  get args(): Arg[] {
    return (this.list ??= this.start0 < 0 ? [] : [new ArgNode(this.text0 === this.value0 ? 'word' : 'string', this.value0, this.text0, this.start0)]);
  }
  get keywordSpan(): Span { return { start: this.start, end: this.keywordEnd }; }
  get span(): Span { return { start: this.start, end: this.end }; }
  toJSON(): Statement {
    const { keyword, keywordSpan, args, span, block } = this;
    return block ? { keyword, keywordSpan, args, span, block: blockJSON(block) } : { keyword, keywordSpan, args, span };
  }
}

/** A statement with a block: the statement is its own block (`block` is the statement itself),
 * an object fewer for each of the thousands of blocks of a large file. `closeStart` is -1 for a
 * block never closed. */
class BlockStatementNode extends StatementNode implements Block {
  constructor(
    keyword: string, value0: string, text0: string, start0: number, list: Arg[] | undefined, start: number, end: number,
    readonly statements: Statement[],
    readonly openStart: number,
    readonly closeStart: number,
  ) {
    super(keyword, value0, text0, start0, list, start, end);
  }
  override get block(): Block { return this; }
  get open(): Span { return { start: this.openStart, end: this.openStart + 1 }; }
  get close(): Span | undefined { return this.closeStart < 0 ? undefined : { start: this.closeStart, end: this.closeStart + 1 }; }
}

/** A block as the object literal the parser used to make. */
function blockJSON(b: Block): Block {
  return b.close === undefined ? { open: b.open, statements: b.statements } : { open: b.open, statements: b.statements, close: b.close };
}

// The reader's way to a statement's arguments: through the fields the parser keeps, without
// making the argument objects; any other Statement is read through `args`.

export function argCount(s: Statement): number {
  return s instanceof StatementNode ? s.argc : s.args.length;
}
/** The value of argument `i` (which must exist). */
export function argValue(s: Statement, i: number): string {
  return i === 0 && s instanceof StatementNode && s.start0 >= 0 ? s.value0 : s.args[i].value;
}
export function argStart(s: Statement, i: number): number {
  if (i === 0 && s instanceof StatementNode && s.start0 >= 0) return s.start0;
  const a = s.args[i];
  return a instanceof ArgNode ? a.start : a.span.start;
}
/** Where an argument starts, without making its span. */
export function argOffset(a: Arg): number {
  return a instanceof ArgNode ? a.start : a.span.start;
}
export function argEnd(s: Statement, i: number): number {
  if (i === 0 && s instanceof StatementNode && s.start0 >= 0) return s.end0;
  const a = s.args[i];
  return a instanceof ArgNode ? a.end : a.span.end;
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
  /** Known keywords, each mapped to itself: a statement whose keyword is one of them gets that
   * very string, which lookups by keyword (the reader's, keyed on the schema's strings) then
   * find by identity instead of comparing characters. */
  keywords?: ReadonlyMap<string, string>;
}

export function parse(text: string, options: ParseOptions = {}): ParsedDocument {
  return new Parser(text, options.topLevelKeywords ?? NO_KEYWORDS, options.keywords ?? NO_WORDS).document();
}

const NO_KEYWORDS: ReadonlySet<string> = new Set<string>();
const NO_WORDS: ReadonlyMap<string, string> = new Map<string, string>();
const NO_TOKENS: Token[] = [];

type Ending = 'rbrace' | 'eof' | 'recovered';

/** Size of the parser's table of keywords seen (a power of two). */
const KEYWORD_SLOTS = 64;

/** One parse: reads the scanner's tokens once, front to back, keeping only the current one. */
class Parser {
  private readonly s: Scanner;
  private readonly comments: Token[] = [];
  // The scanner's errors come before the parser's in the result, as when the whole text was
  // scanned first; each list is capped on its own and merged at the end.
  private readonly lexErrors: Diagnostic[] = [];
  private lexErrorCount = 0;
  private readonly parseErrors: Diagnostic[] = [];
  private parseErrorCount = 0;
  /** Significant tokens consumed so far: the top level's guard that parsing always progresses. */
  private consumed = 0;
  private readonly unclosedReported = new Set<number>();
  /** The statements of the blocks being read, innermost last; each block takes its own off the
   * top when it ends (`top` marks the end: entries past it are stale). */
  private readonly stack: StatementNode[] = [];
  private top = 0;
  private readonly argScratch: ArgNode[] = [];
  /** Keywords already read in this text, by a hash of their length and ends: a file says
   * "interface" and "mac" thousands of times, and one string for each is enough. */
  private readonly keywords: (string | undefined)[] = new Array<string | undefined>(KEYWORD_SLOTS).fill(undefined);
  /** Where the block that `skipBlock` just skipped was closed. */
  private closeStart = 0;
  private closeEnd = 0;

  constructor(private readonly text: string, private readonly topLevel: ReadonlySet<string>, private readonly known: ReadonlyMap<string, string>) {
    this.s = new Scanner(text);
    this.advance();
  }

  document(): ParsedDocument {
    // Top level: keep going after a recovery so a forgotten "}" costs one diagnostic.
    while (this.kind() !== Tok.Eof) {
      const before = this.consumed;
      this.parseStatements(0);
      if (this.consumed === before && this.kind() !== Tok.Eof) this.advance(); // fuel guard: always progress
    }
    const statements = this.stack.slice(0, this.top);
    const lex = this.lexErrors;
    const diagnostics = lex.length < MAX_PARSE_DIAGNOSTICS ? lex.concat(this.parseErrors.slice(0, MAX_PARSE_DIAGNOSTICS - lex.length)) : lex;
    const suppressed = this.lexErrorCount + this.parseErrorCount - diagnostics.length;
    // `tokens` is in its place among the fields (as JSON lists them), and made on first read.
    return withLazyTokens({ statements, comments: this.comments, diagnostics, tokens: NO_TOKENS, text: this.text, suppressedDiagnostics: suppressed });
  }

  /** Moves to the next significant token; comments are kept aside for the formatter and the
   * outline, characters the scanner cannot read become diagnostics. */
  private advance(): void {
    const s = this.s;
    for (;;) {
      const k = s.next();
      if (k === Tok.Comment) {
        const t = s.tokenText();
        this.comments.push({ kind: 'comment', text: t, value: t, start: s.start, end: s.end });
        continue;
      }
      if (k === Tok.Error) {
        if (this.lexErrorCount++ < MAX_PARSE_DIAGNOSTICS) this.lexErrors.push({ code: 'syntax-bad-character', severity: 'error', message: s.error() ?? 'Unexpected character.', span: { start: s.start, end: s.end } });
        continue;
      }
      this.consumed++;
      return;
    }
  }

  /** The current token's kind, read afresh (a method, so the compiler does not narrow it across
   * `advance`). */
  private kind(): Tok { return this.s.kind; }

  private error(code: string, message: string, span: Span): void {
    if (this.parseErrorCount++ < MAX_PARSE_DIAGNOSTICS) this.parseErrors.push({ code, severity: 'error', message, span });
  }

  private startsLine(start: number): boolean { return startsLine(this.text, start); }

  // Parses statements onto the stack until a `}` that belongs to this level, or EOF.
  // Returns 'rbrace' when it stopped at a matching `}` (left for the caller), 'eof' at end, or
  // 'recovered' when it stopped because a top-level keyword appeared nested.
  private parseStatements(depth: number): Ending {
    const s = this.s;
    for (;;) {
      const k = s.kind;
      if (k === Tok.Eof) return 'eof';
      if (k === Tok.Newline || k === Tok.Semi) { this.advance(); continue; }
      if (k === Tok.RBrace) {
        if (depth > 0) return 'rbrace';
        // A run of stray braces is one mistake, reported once.
        const start = s.start;
        let last = s.end;
        let n = 0;
        while (s.kind === Tok.RBrace || s.kind === Tok.Newline || s.kind === Tok.Semi) {
          if (s.kind === Tok.RBrace) { n++; last = s.end; }
          this.advance();
        }
        this.error('syntax-unmatched-brace', n === 1 ? 'This "}" closes nothing: remove it, or add the block it should end.' : `These ${n} "}" close nothing: remove them, or add the blocks they should end.`, { start, end: last });
        continue;
      }
      if (k !== Tok.Word) {
        const what = k === Tok.String ? 'a string' : k === Tok.LBrace ? '"{"' : `"${s.tokenText()}"`;
        this.error('syntax-expected-keyword', `Expected a keyword at the start of a statement, found ${what}.`, { start: s.start, end: s.end });
        this.skipStatement();
        continue;
      }
      const keyword = this.keyword();
      if (depth > 0 && this.startsLine(s.start) && this.topLevel.has(keyword)) return 'recovered';
      const stmt = this.parseStatement(depth, keyword);
      this.stack[this.top++] = stmt;
    }
  }

  /** The current word, as a string shared with its earlier occurrences when there is one. */
  private keyword(): string {
    const { text, start, end } = this.s;
    const len = end - start;
    const slot = (len * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1)) & (KEYWORD_SLOTS - 1);
    const known = this.keywords[slot];
    if (known !== undefined && known.length === len && text.startsWith(known, start)) return known;
    const sliced = text.slice(start, end);
    const word = this.known.get(sliced) ?? sliced;
    this.keywords[slot] = word;
    return word;
  }

  private skipStatement(): void {
    // Skip to the end of the line, jumping over a whole block if one starts here.
    const s = this.s;
    let nesting = 0;
    for (;;) {
      const k = s.kind;
      if (k === Tok.Eof) return;
      if (k === Tok.LBrace) nesting++;
      if (k === Tok.RBrace) { if (nesting === 0) return; nesting--; }
      this.advance();
      if (nesting === 0 && (k === Tok.Newline || k === Tok.Semi || k === Tok.RBrace)) return;
    }
  }

  private parseStatement(depth: number, keyword: string): StatementNode {
    const s = this.s;
    const kwStart = s.start;
    const kwEnd = s.end;
    this.advance();
    // The first argument is kept in locals and becomes fields of the statement; from the second
    // on, all gather as objects in a scratch list, copied out at their exact count (an array
    // grown by push from empty reserves room for 16).
    const scratch = this.argScratch;
    let n = 0;
    let kind0: 'word' | 'string' = 'word';
    let value0 = '';
    let text0 = '';
    let start0 = 0;
    let end = kwEnd;
    for (;;) {
      const k = s.kind;
      let kind: 'word' | 'string';
      let value: string;
      let text: string;
      if (k === Tok.Word) {
        kind = 'word';
        text = value = s.tokenText();
      } else if (k === Tok.String) {
        const message = s.error();
        if (message) this.error('syntax-unterminated-string', message, { start: s.start, end: s.end });
        kind = 'string';
        value = s.value();
        text = s.tokenText();
      } else break;
      if (n === 0) { kind0 = kind; value0 = value; text0 = text; start0 = s.start; }
      else {
        if (n === 1) scratch[0] = new ArgNode(kind0, value0, text0, start0);
        scratch[n] = new ArgNode(kind, value, text, s.start);
      }
      n++;
      end = s.end;
      this.advance();
    }
    const list = n > 1 ? scratch.slice(0, n) : undefined;
    if (n !== 1) { value0 = ''; text0 = ''; start0 = -1; }
    if (s.kind !== Tok.LBrace) return new StatementNode(keyword, value0, text0, start0, list, kwStart, end);
    // A statement with a block is made once the block is read, with all its fields at once.
    const openStart = s.start;
    const openEnd = s.end;
    this.advance();
    if (depth + 1 >= MAX_NESTING) {
      this.error('syntax-too-deep', `Blocks nest more than ${MAX_NESTING} levels deep here: this block and what it holds are skipped. Close the blocks above it.`, { start: openStart, end: openEnd });
      if (this.skipBlock()) return new BlockStatementNode(keyword, value0, text0, start0, list, kwStart, this.closeEnd, [], openStart, this.closeStart);
      return new BlockStatementNode(keyword, value0, text0, start0, list, kwStart, openEnd, [], openStart, -1);
    }
    const base = this.top;
    const how = this.parseStatements(depth + 1);
    const statements = this.stack.slice(base, this.top);
    this.top = base;
    if (how === 'rbrace') {
      const closeStart = s.start;
      const closeEnd = s.end;
      this.advance();
      return new BlockStatementNode(keyword, value0, text0, start0, list, kwStart, closeEnd, statements, openStart, closeStart);
    }
    const last = statements[statements.length - 1];
    if (!this.unclosedReported.has(openStart)) {
      this.unclosedReported.add(openStart);
      this.error('syntax-unclosed-block', `The block of "${keyword}" is never closed: add "}" after its last statement.`, { start: kwStart, end: openEnd });
    }
    return new BlockStatementNode(keyword, value0, text0, start0, list, kwStart, last ? last.end : openEnd, statements, openStart, -1);
  }

  /** Skips the rest of a block whose `{` was just read, without recursion: up to its matching
   * `}` (true, with its place in closeStart/closeEnd), a top-level keyword at the start of a
   * line, or the end. */
  private skipBlock(): boolean {
    const s = this.s;
    let nesting = 0;
    for (;;) {
      const k = s.kind;
      if (k === Tok.Eof) return false;
      if (k === Tok.Word && this.startsLine(s.start) && this.topLevel.has(s.value())) return false;
      const start = s.start;
      const end = s.end;
      this.advance();
      if (k === Tok.LBrace) nesting++;
      else if (k === Tok.RBrace) {
        if (nesting === 0) { this.closeStart = start; this.closeEnd = end; return true; }
        nesting--;
      }
    }
  }
}

/** The document with `tokens` made on first read: nothing in the editor's hot path needs the
 * whole token list, and on a large file it is most of what a parse would allocate. */
function withLazyTokens(doc: ParsedDocument): ParsedDocument {
  // Redefining the field keeps its place among the others.
  return Object.defineProperty(doc, 'tokens', LAZY_TOKENS) as ParsedDocument;
}

const TOKENS = Symbol('tokens');
type LazyTokens = ParsedDocument & { [TOKENS]?: Token[] };
// Module-level functions reading `this`, not closures per document: an accessor's functions
// are held from the old generation, and a closure over a document keeps its whole parse alive
// through every young collection (test/unit/sim/closures.test.ts).
const LAZY_TOKENS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyTokens): Token[] { return (this[TOKENS] ??= tokenize(this.text)); },
  set(this: LazyTokens, v: Token[]): void { this[TOKENS] = v; },
};

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
