// Folding: every block that spans lines, and runs of comment lines (a banner, a long note), and
// `# region` / `# endregion` markers. Lines, not offsets: that is what editors fold.
import type { Statement } from '../language/parser';
import { LineIndex } from '../language/range';
import { mainDocument, type ServiceInput } from './context';

export interface FoldingRange { startLine: number; endLine: number; kind?: 'comment' | 'region' }

export function foldingRanges(input: ServiceInput, index = new LineIndex(input.text)): FoldingRange[] {
  const doc = mainDocument(input);
  const out: FoldingRange[] = [];
  const visit = (statements: readonly Statement[]): void => {
    for (const s of statements) {
      if (!s.block) continue;
      const start = index.position(s.block.open.start).line;
      // Keep the closing brace visible, as editors do for brace languages.
      const end = s.block.close ? index.position(s.block.close.start).line - 1 : index.position(s.span.end).line;
      if (end > start) out.push({ startLine: start, endLine: end });
      visit(s.block.statements);
    }
  };
  visit(doc.statements);
  // Comment runs: consecutive lines holding only a comment.
  let runStart = -1;
  let runEnd = -1;
  const regions: number[] = [];
  const flush = (): void => { if (runStart >= 0 && runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' }); runStart = -1; };
  for (const c of doc.comments) {
    const line = index.position(c.start).line;
    const alone = index.lineText(line).trimStart().startsWith('#');
    if (/^#\s*region\b/.test(c.text) && alone) { flush(); regions.push(line); continue; }
    if (/^#\s*endregion\b/.test(c.text) && alone) {
      flush();
      const open = regions.pop();
      if (open !== undefined && line > open) out.push({ startLine: open, endLine: line, kind: 'region' });
      continue;
    }
    if (!alone) { flush(); continue; }
    if (runStart >= 0 && line === runEnd + 1) runEnd = line;
    else { flush(); runStart = line; runEnd = line; }
  }
  flush();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
