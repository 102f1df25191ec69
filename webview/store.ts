// The panel's one store: the trace, the user's place in it and the view options. Views
// subscribe and re-render from it; the user's place is persisted through the host (setState).
import type { EditorFocus, PanelSelection } from '../src/shared/protocol';
import type { Trace } from '../src/core/trace/types';
import type { TimeUnit } from './format';
import { TraceModel } from './model';

export interface Filter { text: string; kind: string; layer: string; device: string; proto: string }

export interface FieldRef { layer: number; field: number }

export interface PanelState {
  trace?: Trace;
  model?: TraceModel;
  file?: string;
  /** The current event (index in trace.events). */
  current: number;
  /** The snapshot shown in details and bytes. */
  snapshot?: number;
  filter: Filter;
  stale?: { error: string; line?: number };
  focus?: EditorFocus;
  timeUnit: TimeUnit;
  layout: 'auto' | 'wide' | 'tall';
  compact: boolean;
  /** Sequence-diagram row height in px (zoom). */
  rowHeight: number;
  playing: boolean;
  /** Layers expanded in the details tree (by proto and index). */
  expanded: Set<number>;
  /** A field under the pointer or selected, shared by details and bytes. */
  field?: FieldRef;
}

export type Key = keyof PanelState;
type Listener = (changed: Set<Key>) => void;

export const EMPTY_FILTER: Filter = { text: '', kind: '', layer: '', device: '', proto: '' };

export class Store {
  state: PanelState = {
    current: 0, filter: { ...EMPTY_FILTER }, timeUnit: 'ms', layout: 'auto', compact: false,
    rowHeight: 22, playing: false, expanded: new Set(),
  };
  private readonly listeners: Listener[] = [];
  private pending = new Set<Key>();
  private scheduled = false;
  onSelection: (sel: PanelSelection) => void = () => undefined;

  subscribe(fn: Listener): void { this.listeners.push(fn); }

  /** Applies a change and notifies synchronously (views then paint in the same frame). */
  update(patch: Partial<PanelState>): void {
    for (const k of Object.keys(patch) as Key[]) this.pending.add(k);
    Object.assign(this.state, patch);
    if (this.scheduled) return;
    this.scheduled = true;
    try {
      while (this.pending.size) {
        const changed = this.pending;
        this.pending = new Set();
        for (const l of this.listeners) l(changed);
      }
    } finally { this.scheduled = false; }
    if (patch.current !== undefined || patch.snapshot !== undefined || patch.trace !== undefined) this.onSelection(this.selection());
  }

  selection(): PanelSelection {
    const { trace, current, snapshot } = this.state;
    const event = trace?.events[current];
    const p = snapshot !== undefined ? trace?.packets[snapshot] : undefined;
    // The packet and hop are part of the place only when the current event concerns that packet:
    // otherwise a re-trace or restore would jump from an event without a packet to the last
    // packet shown, which is not where the user was.
    const own = p !== undefined && event?.packetId === p.packetId;
    return { event: event?.seq, packetId: own ? p.packetId : undefined, link: own ? p.link : undefined };
  }

  /** Loads a trace, keeping the selection where the same packet and hop still exist. */
  setTrace(trace: Trace, file: string, selection?: PanelSelection): void {
    const model = new TraceModel(trace);
    const sel = selection ?? this.selection();
    let snapshot: number | undefined;
    if (sel.packetId !== undefined && sel.link !== undefined) {
      snapshot = model.byPacket.all(String(sel.packetId)).find((id) => trace.packets[id].link === sel.link);
    }
    let current = sel.event !== undefined && sel.event < trace.events.length ? sel.event : 0;
    if (snapshot !== undefined && (sel.event === undefined || trace.events[current]?.packetId !== sel.packetId)) {
      current = model.eventOfSnapshot.get(snapshot) ?? current;
    }
    if (snapshot === undefined) snapshot = trace.events[current] ? model.snapshotOfEvent(trace.events[current]) : undefined;
    this.update({ trace, model, file, current, snapshot, stale: undefined, field: undefined });
  }

  /** Moves to an event; details follow its packet. */
  go(seq: number): void {
    const { trace, model } = this.state;
    if (!trace || !model || !trace.events.length) return;
    const current = Math.max(0, Math.min(trace.events.length - 1, seq));
    const snap = model.snapshotOfEvent(trace.events[current]);
    this.update({ current, snapshot: snap ?? this.state.snapshot, field: undefined });
  }

  /** Selects a snapshot (a click on an arrow), and its event when it has one. */
  selectSnapshot(id: number): void {
    const seq = this.state.model?.eventOfSnapshot.get(id);
    this.update(seq !== undefined ? { current: seq, snapshot: id, field: undefined } : { snapshot: id, field: undefined });
  }
}
