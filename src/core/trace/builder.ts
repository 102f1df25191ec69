// Collects what the simulation does into a Trace. The simulation calls it; nothing here
// decides anything about networking.
import { encodeStack, encodeStackBytes, fromHex, toHex, type Encoded, type Header } from '../wire';
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
  /** The frames recorded, in order; each becomes a full snapshot (its accessors added) when
   * someone first reads `packets`: the simulation itself only counts them. */
  private readonly frames: Lazy[] = [];
  /** How many of `frames` have their accessors already. */
  private withViews = 0;
  readonly phases: Phase[] = [];
  readonly state: StateTable[] = [];
  private readonly transformations = new Map<string, Map<string, Map<string, Transformation>>>();
  /** In order of first occurrence. */
  private readonly transformList: Transformation[] = [];
  private readonly simplifications = new Set<string>();
  private readonly indexes = new Map<string, LineIndex>();
  /** Thousands of events name the same device or link: convert its span once. */
  private readonly ranges = new Map<Source, SourceRange>();
  /** A long transfer repeats the same reasons for every segment at every hop: keep one copy. */
  private readonly strings = new Interner();
  request = 1;

  constructor(private readonly texts: Map<string, string>) {}

  range(s: Source | undefined): SourceRange | undefined {
    if (!s) return undefined;
    const known = this.ranges.get(s);
    if (known) return known;
    let idx = this.indexes.get(s.file);
    if (!idx) { idx = new LineIndex(this.texts.get(s.file) ?? ''); this.indexes.set(s.file, idx); }
    const r = { file: s.file, start: idx.position(s.span.start), end: idx.position(s.span.end) };
    this.ranges.set(s, r);
    return r;
  }

  /** Records an event. Its lists are copied (a caller may go on using them); the events every
   * hop makes go through sent() and decided(), which take the caller's lists as they are. */
  event(time: number, e: EventInput): TraceEvent {
    // Built without spreads (this runs for every hop of every segment); the optional keys keep
    // the order of the Trace's JSON: link after device, packetId/snapshot/source last.
    const seq = this.events.length;
    // Interning saves memory only when thousands of events repeat the same texts; hashing every
    // fresh string costs more than the copies it saves in a short trace. The lists are still
    // copied, since a caller may go on using the array it handed over.
    const short = seq < INTERN_AFTER;
    const layers = this.strings.list(e.layers);
    const summary = short ? e.summary : this.strings.text(e.summary);
    const details = short ? copyList(e.details) : this.strings.textList(e.details);
    const changes = short ? copyChanges(e.changes) : this.strings.changeList(e.changes);
    const t = round(time);
    const { link, packetId, snapshot } = e;
    const source = e.source ? this.range(e.source) : undefined;
    let ev: TraceEvent;
    // The shapes nearly every event has (a frame sent on a link, with or without a source; a
    // decision about a packet, with or without one; a step with a source and no packet) are
    // made whole: keys added to an object afterwards cost a transition each and move them
    // out of the object into a second array the garbage collector has to copy too.
    if (link && packetId !== undefined && snapshot !== undefined) {
      ev = source
        ? { seq, time: t, device: e.device, link, direction: e.direction, kind: e.kind, layers, summary, details, changes, request: this.request, packetId, snapshot, source }
        : { seq, time: t, device: e.device, link, direction: e.direction, kind: e.kind, layers, summary, details, changes, request: this.request, packetId, snapshot };
    } else if (!link && packetId !== undefined && snapshot === undefined) {
      ev = source
        ? { seq, time: t, device: e.device, direction: e.direction, kind: e.kind, layers, summary, details, changes, request: this.request, packetId, source }
        : { seq, time: t, device: e.device, direction: e.direction, kind: e.kind, layers, summary, details, changes, request: this.request, packetId };
    } else if (!link && packetId === undefined && snapshot === undefined && source) {
      ev = { seq, time: t, device: e.device, direction: e.direction, kind: e.kind, layers, summary, details, changes, request: this.request, source };
    } else {
      ev = link
        ? { seq, time: t, device: e.device, link, direction: e.direction, kind: e.kind, layers, summary, details, changes, request: this.request }
        : { seq, time: t, device: e.device, direction: e.direction, kind: e.kind, layers, summary, details, changes, request: this.request };
      if (packetId !== undefined) ev.packetId = packetId;
      if (snapshot !== undefined) ev.snapshot = snapshot;
      if (source) ev.source = source;
    }
    this.events.push(ev);
    return ev;
  }

  /** A frame put on a link: what event() records for it, without an input object (this is the
   * event every hop of every frame makes). `details` is the caller's own list, kept as it is. */
  sent(time: number, device: string, link: string, layers: string[], summary: string, details: string[], packetId: number, snapshot: number, source: Source | undefined): void {
    const seq = this.events.length;
    const short = seq < INTERN_AFTER;
    const l = this.strings.list(layers);
    const text = short ? summary : this.strings.text(summary);
    const why = short ? details : this.strings.textList(details);
    const t = round(time);
    const range = source ? this.range(source) : undefined;
    this.events.push(range
      ? { seq, time: t, device, link, direction: 'out', kind: 'send', layers: l, summary: text, details: why, changes: NO_TEXTS, request: this.request, packetId, snapshot, source: range }
      : { seq, time: t, device, link, direction: 'out', kind: 'send', layers: l, summary: text, details: why, changes: NO_TEXTS, request: this.request, packetId, snapshot });
  }

  /** What a device decided about a packet (forwarded, received, wrapped, bridged): event()
   * without an input object, for the events nearly every hop makes. `details` and `changes`
   * are the caller's own lists, kept as they are. */
  decided(time: number, device: string, direction: TraceEvent['direction'], kind: TraceEvent['kind'], layers: string[], summary: string, details: string[], changes: Change[], packetId: number, source: Source | undefined): void {
    const seq = this.events.length;
    const short = seq < INTERN_AFTER;
    const l = this.strings.list(layers);
    const text = short ? summary : this.strings.text(summary);
    const why = short ? (details.length ? details : NO_TEXTS) : this.strings.textList(details);
    const changed = short ? (changes.length ? changes : NO_TEXTS) : this.strings.changeList(changes);
    const t = round(time);
    const range = source ? this.range(source) : undefined;
    this.events.push(range
      ? { seq, time: t, device, direction, kind, layers: l, summary: text, details: why, changes: changed, request: this.request, packetId, source: range }
      : { seq, time: t, device, direction, kind, layers: l, summary: text, details: why, changes: changed, request: this.request, packetId });
  }

  /** Records the frame exactly as it crosses `link` and returns the snapshot's id. The bytes,
   * the field list and the observer's view are made the first time someone reads them (most
   * snapshots of a long transfer are never looked at) and then kept; they are ordinary
   * enumerable properties, so the snapshot serialises as plain JSON. */
  snapshot(time: number, packetId: number, link: string, from: string, to: string, headers: readonly Header[]): number {
    // The simulation never edits a frame once it is on a link (the next hop edits its own
    // copy of the IPv4 and transport headers), so the snapshot can keep the headers themselves;
    // payloads are shared, never copied. The symbol is part of the literal: one shape for
    // every snapshot.
    const id = this.frames.length;
    this.frames.push({ id, packetId, time: round(time), link, from, to, [VIEWS]: headers } as Lazy);
    return id;
  }

  /** Frames recorded so far. */
  get packetCount(): number { return this.frames.length; }

  /** The snapshots recorded so far. Their accessors are added here, on the first read, and
   * not per frame while the simulation runs (four defineProperty calls per frame were a tenth
   * of a long path's cost, and most traces in an editor are never read frame by frame). */
  get packets(): PacketSnapshot[] {
    for (; this.withViews < this.frames.length; this.withViews++) addAccessors(this.frames[this.withViews]);
    return this.frames;
  }

  phase(name: string, start: number, end: number): void {
    this.phases.push({ name, request: this.request, start: round(start), end: round(end) });
  }

  transform(device: string, kind: string, description: string): void {
    // nested maps: no key string to build for every forwarded segment
    let byKind = this.transformations.get(device);
    if (!byKind) { byKind = new Map(); this.transformations.set(device, byKind); }
    let byText = byKind.get(kind);
    if (!byText) { byText = new Map(); byKind.set(kind, byText); }
    const t = byText.get(description);
    if (t) t.count++;
    else {
      const fresh = { device, kind, description, count: 1 };
      byText.set(description, fresh);
      this.transformList.push(fresh);
    }
  }

  table(time: number, device: string, table: StateTable['table'], rows: Record<string, string>[]): void {
    this.state.push({ device, table, time: round(time), rows });
  }

  simplify(note: string): void { this.simplifications.add(note); }

  /** One SSLKEYLOGFILE line (label, client random, secret) of a TLS session in the trace. */
  keyLog(line: string): void { this.tlsKeyLog.push(line); }
  private readonly tlsKeyLog: string[] = [];

  finish(base: Omit<Trace, 'events' | 'packets' | 'phases' | 'state' | 'transformations' | 'simplifications'>): Trace {
    const trace: Trace = { ...base, events: this.events, packets: NO_PACKETS, phases: this.phases, transformations: this.transformList, state: this.state, simplifications: [...this.simplifications] };
    // `packets` stays in its place among the keys; its first read (or a write) makes it an
    // ordinary value, so JSON, spreads and structured clones of a Trace see plain data.
    (trace as Unread)[BUILDER] = this;
    Object.defineProperty(trace, 'packets', UNREAD_PACKETS);
    if (this.tlsKeyLog.length) trace.tlsKeyLog = this.tlsKeyLog;
    return trace;
  }
}

/** Events recorded before the builder starts sharing strings (see event()). */
const INTERN_AFTER = 4096;
const NO_TEXTS: never[] = [];
const NO_PACKETS: PacketSnapshot[] = [];

const BUILDER = Symbol('trace builder');
/** A finished trace whose packets nobody has read yet. */
type Unread = Trace & { [BUILDER]?: TraceBuilder };
/** The packets' value from now on, in place of the accessor. */
function settlePackets(t: Unread, packets: PacketSnapshot[]): PacketSnapshot[] {
  Object.defineProperty(t, 'packets', { value: packets, writable: true, enumerable: true, configurable: true });
  delete t[BUILDER];
  return packets;
}
// Module-level functions, not closures per trace: an accessor's functions are held from the old
// generation, and a closure held there keeps its whole trace alive through every young
// collection (promoted, then collected only by a full one: three times the GC time).
const UNREAD_PACKETS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Unread): PacketSnapshot[] { return settlePackets(this, this[BUILDER]?.packets ?? NO_PACKETS); },
  set(this: Unread, packets: PacketSnapshot[]): void { settlePackets(this, packets); },
};

function copyList(xs: string[] | undefined): string[] {
  return !xs || xs.length === 0 ? NO_TEXTS : xs.slice();
}

function copyChanges(cs: Change[] | undefined): Change[] {
  if (!cs || cs.length === 0) return NO_TEXTS;
  const out: Change[] = new Array<Change>(cs.length);
  for (let i = 0; i < cs.length; i++) { const c = cs[i]; out[i] = { field: c.field, before: c.before, after: c.after }; }
  return out;
}

export function round(t: number): number {
  return Math.round(t * 1000) / 1000;
}

/** What a snapshot derives its views from, and the views once made. */
class FrameViews {
  private enc?: Encoded;
  layers?: TraceLayer[];
  bytes?: string;
  view?: { visible: string; hidden: string };
  plaintextLayers?: TraceLayer[];
  constructor(readonly frame: readonly Header[], readonly plaintext: readonly Header[] | undefined) {}
  encoded(): Encoded { return (this.enc ??= encodeSafely(this.frame)); }
  /** The encoding, without keeping it when it was not made yet. */
  peekOrEncode(): Encoded { return this.enc ?? encodeSafely(this.frame); }
  freshBytes(): Uint8Array { return this.enc?.bytes ?? bytesSafely(this.frame); }
  observed(): { visible: string; hidden: string } { return (this.view ??= observerView(this.frame as Header[])); }
}

/** The views are made after the simulation returned, where an exception would reach whoever
 * reads the trace: a frame the wire layer refuses (a defect of the simulation; none is known)
 * becomes an empty frame whose one layer says why. */
function encodeSafely(frame: readonly Header[]): Encoded {
  try {
    return encodeStack(frame);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { bytes: new Uint8Array(0), layers: [{ proto: 'raw', offset: 0, length: 0, fields: [{ name: 'error', offset: 0, length: 0, value: `this frame could not be encoded: ${why}` }] }] };
  }
}

/** The bytes alone (no field spans), with the same fallback as encodeSafely. */
function bytesSafely(frame: readonly Header[]): Uint8Array {
  try {
    return encodeStackBytes(frame);
  } catch {
    return new Uint8Array(0);
  }
}

const VIEWS = Symbol('frame views');
/** Under VIEWS: the frame until someone reads a view, then the views made of it. */
type Lazy = PacketSnapshot & { [VIEWS]: readonly Header[] | FrameViews };

/** The snapshot's views, made on the first read (most snapshots are never read). */
function viewsOf(s: Lazy): FrameViews {
  const v = s[VIEWS];
  if (v instanceof FrameViews) return v;
  const made = new FrameViews(v, plaintextOf(v));
  s[VIEWS] = made;
  return made;
}

/** The views of a snapshot this process recorded (made for the caller alone when none was
 * read yet: an export does not leave them on every snapshot); undefined for one read back
 * from JSON. */
function recorded(p: PacketSnapshot): FrameViews | undefined {
  const v = (p as Partial<Lazy>)[VIEWS];
  if (v === undefined) return undefined;
  return v instanceof FrameViews ? v : new FrameViews(v, plaintextOf(v));
}

// One set of getter functions for every snapshot (per-object closures would give each object
// its own hidden class); each reads the snapshot's own views.
const ACCESSORS: Record<'layers' | 'bytes' | 'visible' | 'hidden' | 'plaintext', PropertyDescriptor> = {
  layers: {
    enumerable: true,
    get(this: Lazy): TraceLayer[] {
      const v = viewsOf(this);
      return (v.layers ??= layersOf(v.frame, v.encoded()));
    },
  },
  bytes: { enumerable: true, get(this: Lazy): string { const v = viewsOf(this); return (v.bytes ??= toHex(v.encoded().bytes)); } },
  visible: { enumerable: true, get(this: Lazy): string { return viewsOf(this).observed().visible; } },
  hidden: { enumerable: true, get(this: Lazy): string { return viewsOf(this).observed().hidden; } },
  plaintext: {
    enumerable: true,
    get(this: Lazy): TraceLayer[] | undefined {
      const v = viewsOf(this);
      return v.plaintext && (v.plaintextLayers ??= plaintextLayersOf(v.plaintext));
    },
  },
};

/** The inner headers the frame's TLS records protect, when the simulation handed them over. */
function plaintextOf(frame: readonly Header[]): readonly Header[] | undefined {
  for (let i = frame.length - 1; i >= 0; i--) {
    const h = frame[i];
    if (h.proto === 'tls' && h.plaintext && h.plaintext.length) return h.plaintext;
  }
  return undefined;
}

/** Layers of the concatenated plaintext, offsets from its first byte. */
function plaintextLayersOf(plaintext: readonly Header[]): TraceLayer[] {
  return layersOf(plaintext, encodeSafely(plaintext));
}

/** Makes a recorded frame a snapshot: the accessors come after the literal's keys, in the order
 * of the eager snapshot, so the JSON is byte-for-byte what it was; the views sit under a
 * symbol, which JSON, structured clones and Object.keys ignore. One defineProperty per key is
 * several times faster than defineProperties. */
function addAccessors(s: Lazy): void {
  const frame = s[VIEWS];
  const plaintext = frame instanceof FrameViews ? frame.plaintext : plaintextOf(frame);
  Object.defineProperty(s, 'layers', ACCESSORS.layers);
  Object.defineProperty(s, 'bytes', ACCESSORS.bytes);
  Object.defineProperty(s, 'visible', ACCESSORS.visible);
  Object.defineProperty(s, 'hidden', ACCESSORS.hidden);
  // only frames with TLS application data have the key at all
  if (plaintext) Object.defineProperty(s, 'plaintext', ACCESSORS.plaintext);
}

// encodeStack hands out fresh field objects of exactly the Trace's shape: no copy needed.
function layersOf(frame: readonly Header[], enc: Encoded): TraceLayer[] {
  return enc.layers.map((l, i) => ({ proto: l.proto, offset: l.offset, length: l.length, fields: l.fields, summary: l.fields[0]?.name === 'error' && l.length === 0 ? l.fields[0].value : summarize(frame[i]) }));
}

/** A plain copy of a snapshot whose views are made for this copy alone and not kept on the
 * snapshot: writing out a long transfer then holds one frame's hex at a time, not all of them. */
export function detachedSnapshot(p: PacketSnapshot): PacketSnapshot {
  const v = recorded(p);
  if (!v) return p;
  const enc = v.peekOrEncode();
  const view = v.view ?? observerView(v.frame as Header[]);
  const copy: PacketSnapshot = { id: p.id, packetId: p.packetId, time: p.time, link: p.link, from: p.from, to: p.to, layers: v.layers ?? layersOf(v.frame, enc), bytes: v.bytes ?? toHex(enc.bytes), visible: view.visible, hidden: view.hidden };
  if (v.plaintext) copy.plaintext = v.plaintextLayers ?? plaintextLayersOf(v.plaintext);
  return copy;
}

/** The frame's bytes. For a snapshot this process recorded, they are encoded afresh and not
 * kept (an export of a long transfer would otherwise hold every frame twice, as hex); for one
 * read back from JSON, they come from its hex. */
export function snapshotBytes(p: PacketSnapshot): Uint8Array {
  const v = recorded(p);
  return v ? v.freshBytes() : fromHex(p.bytes);
}

/** The layer names nearly every event uses, each with a digit for the key of a list of them. */
const LAYER_DIGIT = new Map<string, number>([['L1', 1], ['L2', 2], ['L3', 3], ['L4', 4], ['TLS', 5], ['L7', 6]]);
const commonLists = new Map<number, string[]>();
/** The lists commonLayers hands out: a caller that keeps one (the simulation's per-protocol
 * layer lists) gives it back as it is, without the names being looked up again. */
const shared = new Set<string[]>();

/** One shared list per sequence of common layer names (of any trace: events are never edited),
 * found without joining the names into a key; undefined for any other list. */
export function commonLayers(xs: string[]): string[] | undefined {
  if (shared.has(xs)) return xs;
  if (xs.length > 6) return undefined;
  let key = 0;
  for (const x of xs) {
    const d = LAYER_DIGIT.get(x);
    if (d === undefined) return undefined;
    key = key * 8 + d;
  }
  let list = commonLists.get(key);
  if (!list) { list = xs.slice(); commonLists.set(key, list); shared.add(list); }
  return list;
}

/** One shared copy of each distinct string, layer list and change. Events are read, never
 * edited, after the simulation, so sharing is invisible to every reader and to JSON. */
class Interner {
  private readonly texts = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();
  private readonly known = new Set<string[]>();
  private readonly changes = new Map<string, Change>();
  readonly text = (s: string): string => {
    const known = this.texts.get(s);
    if (known !== undefined) return known;
    this.texts.set(s, s);
    return s;
  };
  list(xs: string[]): string[] {
    const common = commonLayers(xs);
    if (common) return common;
    if (this.known.has(xs)) return xs;
    const k = xs.join('\u0000');
    const known = this.lists.get(k);
    if (known) return known;
    this.lists.set(k, xs);
    this.known.add(xs);
    return xs;
  }
  private readonly textLists = new Map<string, string[]>();
  private readonly changeLists = new Map<string, Change[]>();
  private readonly none: never[] = [];

  /** A whole list of reasons at once: the same few lists recur for every segment at a hop. */
  textList(xs: string[] | undefined): string[] {
    if (!xs || xs.length === 0) return this.none;
    const k = xs.length === 1 ? xs[0] : xs.join('\u0001');
    const known = this.textLists.get(k);
    if (known) return known;
    const own = xs.map(this.text);
    this.textLists.set(k, own);
    return own;
  }

  changeList(cs: Change[] | undefined): Change[] {
    if (!cs || cs.length === 0) return this.none;
    let k = '';
    for (const c of cs) k += `${c.field}\u0001${c.before}\u0001${c.after}\u0002`;
    const known = this.changeLists.get(k);
    if (known) return known;
    const own = cs.map(this.change);
    this.changeLists.set(k, own);
    return own;
  }

  readonly change = (c: Change): Change => {
    const k = `${c.field}\u0000${c.before}\u0000${c.after}`;
    const known = this.changes.get(k);
    if (known) return known;
    const own = { field: this.text(c.field), before: this.text(c.before), after: this.text(c.after) };
    this.changes.set(k, own);
    return own;
  };
}

