// Collects what the simulation does into a Trace. The simulation calls it; nothing here
// decides anything about networking.
import { encodeStack, toHex, type Header } from '../wire';
import type { Source } from '../model/types';
import { LineIndex } from '../language/range';
import { summarize, observerView } from './summary';
import type { Change, PacketSnapshot, Phase, SourceRange, StateTable, Trace, TraceEvent, TraceLayer, Transformation } from './types';

/** What the simulation says about an event; the builder adds the sequence number, the time,
 * the request number, and turns the model's source span into a line/character range. */
export type EventInput = Omit<TraceEvent, 'seq' | 'time' | 'request' | 'details' | 'changes' | 'source'> & {
  details?: string[];
  changes?: Change[];
  source?: Source;
};

export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  readonly packets: PacketSnapshot[] = [];
  readonly phases: Phase[] = [];
  readonly state: StateTable[] = [];
  private readonly transformations = new Map<string, Transformation>();
  private readonly simplifications = new Set<string>();
  private readonly indexes = new Map<string, LineIndex>();
  request = 1;

  constructor(private readonly texts: Map<string, string>) {}

  range(s: Source | undefined): SourceRange | undefined {
    if (!s) return undefined;
    let idx = this.indexes.get(s.file);
    if (!idx) { idx = new LineIndex(this.texts.get(s.file) ?? ''); this.indexes.set(s.file, idx); }
    return { file: s.file, start: idx.position(s.span.start), end: idx.position(s.span.end) };
  }

  event(time: number, e: EventInput): TraceEvent {
    const ev: TraceEvent = {
      seq: this.events.length, time: round(time), device: e.device, ...(e.link ? { link: e.link } : {}), direction: e.direction, kind: e.kind,
      layers: e.layers, summary: e.summary, details: e.details ?? [], changes: e.changes ?? [], request: this.request,
      ...(e.packetId !== undefined ? { packetId: e.packetId } : {}), ...(e.snapshot !== undefined ? { snapshot: e.snapshot } : {}),
      ...(e.source ? { source: this.range(e.source) } : {}),
    };
    this.events.push(ev);
    return ev;
  }

  /** Records the frame exactly as it crosses `link`, with its bytes. Returns the snapshot id. */
  snapshot(time: number, packetId: number, link: string, from: string, to: string, headers: Header[]): { id: number; size: number } {
    const enc = encodeStack(headers);
    // encodeStack hands out fresh field objects of exactly the Trace's shape: no copy needed.
    const layers: TraceLayer[] = enc.layers.map((l, i) => ({ proto: l.proto, offset: l.offset, length: l.length, fields: l.fields, summary: summarize(headers[i]) }));
    const view = observerView(headers);
    const snap: PacketSnapshot = { id: this.packets.length, packetId, time: round(time), link, from, to, layers, bytes: toHex(enc.bytes), visible: view.visible, hidden: view.hidden };
    this.packets.push(snap);
    return { id: snap.id, size: enc.bytes.length };
  }

  phase(name: string, start: number, end: number): void {
    this.phases.push({ name, request: this.request, start: round(start), end: round(end) });
  }

  transform(device: string, kind: string, description: string): void {
    const key = `${device}\u0000${kind}\u0000${description}`;
    const t = this.transformations.get(key);
    if (t) t.count++;
    else this.transformations.set(key, { device, kind, description, count: 1 });
  }

  table(time: number, device: string, table: StateTable['table'], rows: Record<string, string>[]): void {
    this.state.push({ device, table, time: round(time), rows });
  }

  simplify(note: string): void { this.simplifications.add(note); }

  finish(base: Omit<Trace, 'events' | 'packets' | 'phases' | 'state' | 'transformations' | 'simplifications'>): Trace {
    return { ...base, events: this.events, packets: this.packets, phases: this.phases, transformations: [...this.transformations.values()], state: this.state, simplifications: [...this.simplifications] };
  }
}

export function round(t: number): number {
  return Math.round(t * 1000) / 1000;
}
