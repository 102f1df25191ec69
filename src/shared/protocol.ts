// The messages between the extension and the trace panel (webview), in one typed file that both
// ends import (as vscode-hexeditor's shared/protocol.ts does): a renamed message or field breaks
// the build instead of silently doing nothing. The panel reads only these and the Trace.
import type { PacketSnapshot, SourceRange, Trace, TraceEvent } from '../core/trace/types';

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
  | { type: 'trace'; /** the traced document's URI */ file: string; trace: Trace; selection?: PanelSelection;
    /** Set when the trace's packets and events came just before, in this many `traceParts`
     * messages (its own arrays are then empty): see splitTraceMessage. */
    parts?: number }
  /** Packets and events of a large trace, in order, ahead of its `trace` message. */
  | { type: 'traceParts'; packets: PacketSnapshot[]; events: TraceEvent[] }
  /** The file cannot be traced right now: keep the last trace, greyed, and name the problem. */
  | { type: 'stale'; error: string; /** 0-based line of the first error */ line?: number }
  /** The editor's cursor moved onto something the panel shows (or onto nothing: `focus` absent). */
  | { type: 'editorFocus'; focus?: EditorFocus }
  /** The panel's settings (time unit, layout, the views shown), sent at start and when the user
   * changes them. The toolbar and the outcome are always shown. */
  | { type: 'settings'; timeUnit: 'ms' | 'us'; layout: 'auto' | 'wide' | 'tall'; views: PanelViewName[] };

/** How many packets and events go in one message. A long transfer's trace is tens of megabytes
 * of JSON: as one message it holds the workbench's main thread (which reads every webview
 * message) for most of a second, and typing waits; in parts of this size each read is short and
 * keystrokes get in between. */
export const TRACE_PART = { packets: 1000, events: 2500 } as const;

/** The messages that deliver `trace` to the panel: itself when small, else its parts and then
 * the trace without its packets and events. The panel puts them back together (webview/host.ts). */
export function splitTraceMessage(m: Extract<ToPanel, { type: 'trace' }>): ToPanel[] {
  const { packets, events } = m.trace;
  if (packets.length <= TRACE_PART.packets && events.length <= TRACE_PART.events) return [m];
  const parts: ToPanel[] = [];
  for (let p = 0, e = 0; p < packets.length || e < events.length; p += TRACE_PART.packets, e += TRACE_PART.events) {
    parts.push({ type: 'traceParts', packets: packets.slice(p, p + TRACE_PART.packets), events: events.slice(e, e + TRACE_PART.events) });
  }
  return [...parts, { ...m, trace: { ...m.trace, packets: [], events: [] }, parts: parts.length }];
}

/** Puts split traces back together: hands on every message but `traceParts`, and a `trace` with
 * `parts` as the whole trace. Parts of a trace that never completes are dropped at the next one. */
export function traceAssembler(onMessage: (m: ToPanel) => void): (m: ToPanel) => void {
  let packets: PacketSnapshot[] = [];
  let events: TraceEvent[] = [];
  let received = 0;
  return (m) => {
    if (m.type === 'traceParts') {
      for (const p of m.packets) packets.push(p);
      for (const e of m.events) events.push(e);
      received++;
      return;
    }
    if (m.type === 'trace' && m.parts !== undefined) {
      const whole = received === m.parts ? { ...m, trace: { ...m.trace, packets, events }, parts: undefined } : undefined;
      packets = []; events = []; received = 0;
      if (whole) onMessage(whole);
      return;
    }
    onMessage(m);
  };
}

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
