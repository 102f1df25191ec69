// Checks what the panel posts before the host acts on it: the webview shows user-supplied text,
// so its messages are treated as untrusted input, not as values of the FromPanel type.
import type { SourceRange } from '../core/trace/types';
import type { ExportFormat, FromPanel, PanelPersistedState, PanelSelection } from '../shared/protocol';

const EXPORT_FORMATS: readonly ExportFormat[] = ['pcapng', 'json', 'mermaid', 'html'];

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function position(v: unknown): { line: number; character: number } | undefined {
  return isRec(v) && isCount(v.line) && isCount(v.character) ? { line: v.line, character: v.character } : undefined;
}

function sourceRange(v: unknown): SourceRange | undefined {
  if (!isRec(v) || typeof v.file !== 'string' || !v.file) return undefined;
  const start = position(v.start);
  const end = position(v.end) ?? start;
  return start && end ? { file: v.file, start, end } : undefined;
}

export function parseSelection(v: unknown): PanelSelection | undefined {
  if (!isRec(v)) return undefined;
  const s: PanelSelection = {};
  if (isCount(v.event)) s.event = v.event;
  if (isCount(v.packetId)) s.packetId = v.packetId;
  if (typeof v.link === 'string') s.link = v.link;
  return s;
}

/** The message, or undefined when it is not one the protocol defines. */
export function parseFromPanel(raw: unknown): FromPanel | undefined {
  if (!isRec(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'openText':
      return { type: raw.type };
    case 'reveal': {
      const source = sourceRange(raw.source);
      return source ? { type: 'reveal', source } : undefined;
    }
    case 'selection': {
      const selection = parseSelection(raw.selection);
      return selection ? { type: 'selection', selection } : undefined;
    }
    case 'export':
      return EXPORT_FORMATS.includes(raw.format as ExportFormat) ? { type: 'export', format: raw.format as ExportFormat } : undefined;
    default:
      return undefined;
  }
}

/** The state a serializer got back, or undefined when it is not a panel's state. */
export function parsePersistedState(raw: unknown): PanelPersistedState | undefined {
  if (!isRec(raw) || typeof raw.file !== 'string' || !raw.file) return undefined;
  return { file: raw.file, selection: parseSelection(raw.selection) };
}
