// Source positions are kept as offsets; a LineIndex turns them into 0-based line/character
// pairs (the LSP convention) only where a human or the editor needs them. Lines end the way
// VS Code counts them: at LF, at CRLF, and at a CR alone (old Mac files).

/** A half-open span of UTF-16 offsets into the source text. */
export interface Span { start: number; end: number }
export type Range = Span;

export interface Position { line: number; character: number }

/** Offset where the line holding `offset` starts (just after the previous LF or CR). */
export function lineStartBefore(text: string, offset: number): number {
  const o = Math.max(0, Math.min(offset, text.length));
  return Math.max(text.lastIndexOf('\n', o - 1), text.lastIndexOf('\r', o - 1)) + 1;
}

/** Offset of the line terminator at or after `offset` (or the end of the text). */
export function lineEndAfter(text: string, offset: number): number {
  for (let i = Math.max(0, offset); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** Length of the line terminator at `offset`: 2 for CRLF, 1 for LF or CR, 0 otherwise. */
export function terminatorLength(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  if (c === 13) return text.charCodeAt(offset + 1) === 10 ? 2 : 1;
  return c === 10 ? 1 : 0;
}

/** Whether `offset` starts a line (a byte-order mark before the first line does not count). */
export function atLineStart(text: string, offset: number): boolean {
  if (offset === 0 || (offset === 1 && text.charCodeAt(0) === 0xfeff)) return true;
  const c = text.charCodeAt(offset - 1);
  return c === 10 || c === 13;
}

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  get lineCount(): number { return this.starts.length; }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  /** Where the text of `line` ends (before its terminator). */
  private lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[line + 1];
    return next - (next >= 2 && this.text.charCodeAt(next - 2) === 13 && this.text.charCodeAt(next - 1) === 10 ? 2 : 1);
  }
  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[pos.line] + Math.max(0, pos.character), this.lineEnd(pos.line));
  }
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }
}
