import type { Span } from './range';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RelatedInfo { message: string; span: Span; file?: string }

/** One finding about a .journey file. `code` is stable: tools and quick fixes key on it. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Set when the finding is in another file than the one being checked (imports). */
  file?: string;
  related?: RelatedInfo[];
  /** Machine-readable hints for quick fixes (e.g. the suggested name). */
  data?: { suggestion?: string; replacement?: string };
}
