// Document formatting: the language's own formatter, with the editor's indentation settings.
// It returns the whole new text (or nothing when it is already formatted): the formatter keeps
// comments and even broken input, so one replacement is safe and simplest.
import { format } from '../language/format';
import { TOP_LEVEL_KEYWORDS } from '../language/schema';
import type { ServiceInput, TextEdit } from './context';

export interface FormattingOptions { tabSize: number; insertSpaces: boolean }

export function formatDocument(input: Pick<ServiceInput, 'text' | 'file'>, options: FormattingOptions = { tabSize: 2, insertSpaces: true }): TextEdit[] {
  const size = Number.isInteger(options.tabSize) && options.tabSize > 0 && options.tabSize <= 16 ? options.tabSize : 2;
  const indent = options.insertSpaces ? ' '.repeat(size) : '\t';
  const formatted = format(input.text, { indent, topLevelKeywords: TOP_LEVEL_KEYWORDS });
  if (formatted === input.text) return [];
  return [{ file: input.file, span: { start: 0, end: input.text.length }, newText: formatted }];
}
