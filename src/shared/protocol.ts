// The messages between the extension and the trace panel (webview), in one typed file that both
// ends import (as vscode-hexeditor's shared/protocol.ts does): a renamed message or field breaks
// the build instead of silently doing nothing. The panel reads only these and the Trace.
import type { SourceRange, Trace } from '../core/trace/types';

/** What the panel remembers of the user's place in a trace, kept across edits and reloads. */
export interface PanelSelection {
  /** The current event's seq. */
  event?: number;
  /** The selected packet (packetId) and hop (link name), so a re-trace can find them again. */
  packetId?: number;
  link?: string;
}

/** Something in the file the cursor is on, which the panel highlights. */
/** The panel's views a user can leave out (the webview's `#<name>-view` sections). */
export type PanelViewName = 'path' | 'timeline' | 'events' | 'work' | 'details' | 'bytes' | 'tables';

/** `line` is 0-based, as in the Trace's source ranges. */
export interface EditorFocus { kind: 'device' | 'link' | 'rule' | 'scenario'; name: string; line: number }

export type ToPanel =
  /** A new trace for the panel's file (first trace, re-trace after an edit, or restore). */
  | { type: 'trace'; /** the traced document's URI */ file: string; trace: Trace; selection?: PanelSelection }
  /** The file cannot be traced right now: keep the last trace, greyed, and name the problem. */
  | { type: 'stale'; error: string; /** 0-based line of the first error */ line?: number }
  /** The editor's cursor moved onto something the panel shows (or onto nothing: `focus` absent). */
  | { type: 'editorFocus'; focus?: EditorFocus }
  /** The panel's settings (time unit, layout, the views shown), sent at start and when the user
   * changes them. The toolbar and the outcome are always shown. */
  | { type: 'settings'; timeUnit: 'ms' | 'us'; layout: 'auto' | 'wide' | 'tall'; views: PanelViewName[] };

export type ExportFormat = 'pcapng' | 'json' | 'mermaid' | 'html';

export type FromPanel =
  /** The panel's script has loaded and can take messages. */
  | { type: 'ready' }
  /** The user selected something with a source line: show it in the editor. */
  | { type: 'reveal'; source: SourceRange }
  /** The user's place changed; the extension keeps it to restore the panel after a reload. */
  | { type: 'selection'; selection: PanelSelection }
  /** Export the panel's trace. */
  | { type: 'export'; format: ExportFormat }
  /** Open the same trace as text (the "Open Trace as Text" command). */
  | { type: 'openText' };

/** The state the webview persists with setState, which the panel serializer gets back. */
export interface PanelPersistedState { file: string; selection?: PanelSelection }
