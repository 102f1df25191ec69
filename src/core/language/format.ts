// The formatter works on the token stream, not the tree, so comments, blank lines and even
// broken input survive: it only re-indents, puts one statement per line, and normalises spaces.
import { tokenize } from './lexer';
import { MAX_NESTING } from './parser';
import { atLineStart } from './range';

export interface FormatOptions {
  indent?: string;
  /** The parser's recovery keywords: at column 0 they close any block left open, and the
   * formatter must keep them at column 0 so the tree stays the same. */
  topLevelKeywords?: ReadonlySet<string>;
}

export function format(text: string, options: FormatOptions = {}): string {
  const unit = options.indent ?? '  ';
  const tokens = tokenize(text);
  const lines: string[] = [];
  let line = '';
  let depth = 0;
  let blankPending = false;
  let prevEnd = 0;
  const flush = (): void => {
    if (line === '') return;
    if (blankPending && lines.length > 0 && lines[lines.length - 1] !== '' && !lines[lines.length - 1].endsWith('{')) lines.push('');
    blankPending = false;
    // Past the parser's nesting limit the text is not read anyway; indenting it further would
    // only grow the output quadratically (40,000 levels are gigabytes of spaces).
    lines.push(unit.repeat(Math.min(MAX_NESTING, Math.max(0, depth))) + line);
    line = '';
  };
  let newlinesInARow = 0;
  // A block written on one line with a single simple statement (`interface radio { mac ... }`)
  // stays on one line.
  const inlineClose = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'lbrace') continue;
    let j = i + 1;
    while (j < tokens.length && (tokens[j].kind === 'word' || tokens[j].kind === 'string')) j++;
    if (j > i + 1 && tokens[j].kind === 'rbrace') { inlineClose.add(i); inlineClose.add(j); }
  }
  let inline = false;
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti];
    if (inline && (t.kind === 'word' || t.kind === 'string')) { line += ' ' + t.text; prevEnd = t.end; continue; }
    if (inlineClose.has(ti)) {
      line += t.kind === 'lbrace' ? (line === '' ? '{' : ' {') : ' }';
      inline = t.kind === 'lbrace';
      prevEnd = t.end;
      continue;
    }
    if (t.kind === 'newline') {
      flush();
      newlinesInARow++;
      if (newlinesInARow >= 2) blankPending = true;
      prevEnd = t.end;
      continue;
    }
    if (t.kind !== 'eof') newlinesInARow = 0;
    if (t.kind === 'word' && line === '' && depth > 0 && atLineStart(text, t.start) && options.topLevelKeywords?.has(t.value)) depth = 0;
    switch (t.kind) {
      case 'word': case 'string': case 'error':
        line += (line === '' ? '' : ' ') + t.text;
        break;
      case 'lbrace':
        line += (line === '' ? '' : ' ') + '{';
        flush();
        depth++;
        break;
      case 'rbrace':
        flush();
        depth--;
        line = '}';
        flush();
        break;
      case 'semi':
        flush();
        break;
      case 'comment': {
        if (line === '') { line = t.text.trimEnd(); flush(); break; }
        // Keep a trailing comment's distance from the code, so aligned columns stay aligned.
        const gap = Math.max(1, t.start - prevEnd);
        line += ' '.repeat(gap) + t.text.trimEnd();
        break;
      }
      case 'eof':
        flush();
        break;
    }
    prevEnd = t.end;
  }
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  return lines.length ? bom + lines.join('\n') + '\n' : '';
}
