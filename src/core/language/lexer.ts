// The scanner never throws: anything it cannot read becomes an `error` token with a message,
// so the parser and the editor always get a token stream to work with.
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

const WORD_STOP = new Set([' ', '\t', '\r', '\n', '{', '}', ';', '"']);

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  const push = (kind: TokenKind, start: number, end: number, value?: string, error?: string): void => {
    const t = text.slice(start, end);
    tokens.push({ kind, text: t, value: value ?? t, start, end, ...(error ? { error } : {}) });
  };
  // A byte-order mark is how some editors start a UTF-8 file, not part of the first keyword.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i];
    const code = text.charCodeAt(i);
    if (c === ' ' || c === '\t') { i++; continue; }
    // Lines end at LF, CRLF or a lone CR, as VS Code counts them.
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n' || c === '\r') { push('newline', i, i + 1); i++; continue; }
    if (c === '{') { push('lbrace', i, i + 1); i++; continue; }
    if (c === '}') { push('rbrace', i, i + 1); i++; continue; }
    if (c === ';') { push('semi', i, i + 1); i++; continue; }
    if (c === '#') {
      const start = i;
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      push('comment', start, i);
      continue;
    }
    if (c === '"') {
      const start = i;
      i++;
      let value = '';
      let closed = false;
      while (i < n && text[i] !== '\n' && text[i] !== '\r') {
        const ch = text[i];
        if (ch === '\\' && i + 1 < n && text[i + 1] !== '\n' && text[i + 1] !== '\r') {
          const esc = text[i + 1];
          value += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc;
          i += 2;
          continue;
        }
        if (ch === '"') { closed = true; i++; break; }
        value += ch;
        i++;
      }
      push('string', start, i, value, closed ? undefined : 'Unterminated string: add a closing " before the end of the line.');
      continue;
    }
    if (isControl(code)) {
      const start = i;
      while (i < n && isControl(text.charCodeAt(i))) i++;
      push('error', start, i, undefined, `Unexpected control character U+${code.toString(16).padStart(4, '0').toUpperCase()}: remove it.`);
      continue;
    }
    const start = i;
    while (i < n && !WORD_STOP.has(text[i]) && !isControl(text.charCodeAt(i))) i++;
    push('word', start, i);
  }
  push('eof', n, n);
  return tokens;
}

export type { Range };
