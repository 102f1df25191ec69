// The scanner never throws: anything it cannot read becomes an `error` token with a message,
// so the parser and the editor always get a token stream to work with.
//
// Two faces over one scanning loop: `Scanner` steps through the text one token at a time and
// keeps the current token in its fields (the parser reads a 10,000-line file without making an
// object per token), and `tokenize` collects the same tokens as objects for the formatter and
// completion, which want the whole list.
import type { Range } from './range';

export type TokenKind = 'word' | 'string' | 'lbrace' | 'rbrace' | 'semi' | 'newline' | 'comment' | 'error' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token's text as it stands in the source (strings keep their quotes). */
  text: string;
  /** For strings: the unescaped value. For words: the text. */
  value: string;
  start: number;
  end: number;
  /** Set on error tokens and unterminated strings. */
  error?: string;
}

/** Token kinds as small integers, for the scanner's hot loop. */
export const enum Tok { Word, String, LBrace, RBrace, Semi, Newline, Comment, Error, Eof }

const KIND_NAMES: readonly TokenKind[] = ['word', 'string', 'lbrace', 'rbrace', 'semi', 'newline', 'comment', 'error', 'eof'];

const UNTERMINATED_STRING = 'Unterminated string: add a closing " before the end of the line.';

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}

/** Whether `code` ends a word: blanks, line ends, braces, `;`, `"` and control characters. */
function endsWord(code: number): boolean {
  return code <= 0x20 || code === 0x7b || code === 0x7d || code === 0x3b || code === 0x22 || code === 0x7f;
}

export class Scanner {
  kind: Tok = Tok.Eof;
  start = 0;
  end = 0;
  /** For a string: whether a backslash escape or the lack of a closing quote makes its value
   * differ from the text between the quotes. */
  private escaped = false;
  private closed = true;
  private pos: number;
  private readonly n: number;

  constructor(readonly text: string) {
    this.n = text.length;
    // A byte-order mark is how some editors start a UTF-8 file, not part of the first keyword.
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Reads the next token into `kind`, `start` and `end`. After `Eof` it stays at `Eof`. */
  next(): Tok {
    const text = this.text;
    const n = this.n;
    let i = this.pos;
    for (;;) {
      if (i >= n) { this.start = n; this.end = n; this.pos = n; return (this.kind = Tok.Eof); }
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09) { i++; continue; }
      // Lines end at LF, CRLF or a lone CR, as VS Code counts them.
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) { i++; continue; }
      this.start = i;
      let kind: Tok;
      if (c === 0x0a || c === 0x0d) { kind = Tok.Newline; i++; }
      else if (c === 0x7b) { kind = Tok.LBrace; i++; }
      else if (c === 0x7d) { kind = Tok.RBrace; i++; }
      else if (c === 0x3b) { kind = Tok.Semi; i++; }
      else if (c === 0x23) {
        kind = Tok.Comment;
        i++;
        while (i < n) { const d = text.charCodeAt(i); if (d === 0x0a || d === 0x0d) break; i++; }
      } else if (c === 0x22) {
        kind = Tok.String;
        i++;
        let escaped = false;
        let closed = false;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === 0x0a || d === 0x0d) break;
          if (d === 0x5c && i + 1 < n) {
            const e = text.charCodeAt(i + 1);
            if (e !== 0x0a && e !== 0x0d) { escaped = true; i += 2; continue; }
          }
          i++;
          if (d === 0x22) { closed = true; break; }
        }
        this.escaped = escaped;
        this.closed = closed;
      } else if (isControl(c)) {
        kind = Tok.Error;
        i++;
        while (i < n && isControl(text.charCodeAt(i))) i++;
      } else {
        kind = Tok.Word;
        i++;
        while (i < n && !endsWord(text.charCodeAt(i))) i++;
      }
      this.end = i;
      this.pos = i;
      return (this.kind = kind);
    }
  }

  /** The current token's text as written. */
  tokenText(): string { return this.text.slice(this.start, this.end); }

  /** The current token's value: a word's text, or a string unescaped without its quotes. */
  value(): string {
    if (this.kind !== Tok.String) return this.text.slice(this.start, this.end);
    if (!this.escaped) return this.text.slice(this.start + 1, this.closed ? this.end - 1 : this.end);
    return unescape(this.text, this.start + 1, this.closed ? this.end - 1 : this.end);
  }

  /** The message of an error token or an unterminated string; undefined otherwise. */
  error(): string | undefined {
    if (this.kind === Tok.Error) return `Unexpected control character U+${this.text.charCodeAt(this.start).toString(16).padStart(4, '0').toUpperCase()}: remove it.`;
    if (this.kind === Tok.String && !this.closed) return UNTERMINATED_STRING;
    return undefined;
  }
}

/** A string's value between `from` and `to`: `\n` and `\t` are a line break and a tab, a
 * backslash before any other character stands for that character. */
function unescape(text: string, from: number, to: number): string {
  let out = '';
  let run = from;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) !== 0x5c || i + 1 >= to) continue;
    const e = text[i + 1];
    out += text.slice(run, i) + (e === 'n' ? '\n' : e === 't' ? '\t' : e);
    i++;
    run = i + 1;
  }
  return out + text.slice(run, to);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const s = new Scanner(text);
  for (;;) {
    const kind = s.next();
    const t = s.tokenText();
    const error = s.error();
    const token: Token = { kind: KIND_NAMES[kind], text: t, value: kind === Tok.String ? s.value() : t, start: s.start, end: s.end };
    if (error) token.error = error;
    tokens.push(token);
    if (kind === Tok.Eof) return tokens;
  }
}

export type { Range };
