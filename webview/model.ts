// Indexes over one Trace that the views share: which snapshot is where and when, the path, the
// arrows of the sequence diagram, the failure. Only lookups and ordering of what the trace
// says; no networking is recomputed here (arrival times come from the link's own figures).
import type { Change, PacketSnapshot, Phase, StateTable, Trace, TraceEvent, TraceLink } from '../src/core/trace/types';

export interface PathStep { device: string; /** The link the step was reached by (absent for the first). */ link?: string; from?: string }

export interface Arrow {
  /** The snapshot drawn (for a folded arrow: its last hop). */
  snapshot: number;
  packetId: number;
  from: string;
  to: string;
  link: string;
  time: number;
  arrive: number;
  /** For compact mode: how many hops the arrow folds. */
  hops: number;
}

export interface Band { phase: string; request: number; first: number; last: number }

/** Application payloads that make a frame part of the request or response (not a bare ACK). */
const HTTP = new Set(['http1', 'http2', 'tls']);
const DB = new Set(['pgsql']);

/** Device kinds that only carry frames; compact mode folds hops through them. */
const INFRASTRUCTURE = new Set(['access-point', 'router', 'switch', 'internet-gateway', 'node', 'bridge', 'vxlan-endpoint', 'nat']);

function bisectRight(times: number[], t: number): number {
  let lo = 0, hi = times.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] <= t) lo = mid + 1; else hi = mid; }
  return lo;
}

/** Sorted-by-time lists keyed by name, answering "the latest item at or before t". */
class TimeIndex {
  private readonly ids = new Map<string, number[]>();
  private readonly times = new Map<string, number[]>();
  add(key: string, id: number, time: number): void {
    let ids = this.ids.get(key), times = this.times.get(key);
    if (!ids || !times) { ids = []; times = []; this.ids.set(key, ids); this.times.set(key, times); }
    ids.push(id); times.push(time);
  }
  latest(key: string, t: number): number | undefined {
    const times = this.times.get(key);
    if (!times) return undefined;
    const i = bisectRight(times, t) - 1;
    return i >= 0 ? this.ids.get(key)?.[i] : undefined;
  }
  all(key: string): number[] { return this.ids.get(key) ?? []; }
}

export class TraceModel {
  readonly links = new Map<string, TraceLink>();
  readonly deviceKinds = new Map<string, string>();
  /** snapshot id -> the event that emitted it (its `send`). */
  readonly eventOfSnapshot = new Map<number, number>();
  readonly byLink = new TimeIndex();
  readonly byDevice = new TimeIndex();
  readonly byPacket = new TimeIndex();
  private readonly stateIndex = new TimeIndex();
  private readonly stateKeys: string[] = [];
  readonly requestPath: PathStep[];
  readonly responsePath: PathStep[];
  readonly backendPath: PathStep[];
  readonly lanes: string[];
  readonly failureSeq: number | undefined;
  failedDevice: string | undefined;
  readonly requests: number[];
  private readonly eventsOfPacket = new Map<number, number[]>();
  private arrowsCache = new Map<boolean, { arrows: Arrow[]; bands: Band[] }>();
  private flowCache = new Map<number, string>();

  constructor(readonly trace: Trace) {
    for (const l of trace.links) this.links.set(l.name, l);
    for (const d of trace.devices) this.deviceKinds.set(d.name, d.kind);
    for (const e of trace.events) if (e.snapshot !== undefined && e.kind === 'send') this.eventOfSnapshot.set(e.snapshot, e.seq);
    for (const e of trace.events) if (e.snapshot !== undefined && !this.eventOfSnapshot.has(e.snapshot)) this.eventOfSnapshot.set(e.snapshot, e.seq);
    for (const e of trace.events) {
      if (e.packetId === undefined) continue;
      const list = this.eventsOfPacket.get(e.packetId);
      if (list) list.push(e.seq); else this.eventsOfPacket.set(e.packetId, [e.seq]);
    }
    for (const p of trace.packets) {
      this.byLink.add(p.link, p.id, p.time);
      this.byDevice.add(p.from, p.id, p.time);
      if (p.to !== p.from) this.byDevice.add(p.to, p.id, p.time);
      this.byPacket.add(String(p.packetId), p.id, p.time);
    }
    trace.state.forEach((st, i) => {
      const key = `${st.device}\u0000${st.table}`;
      if (!this.stateIndex.all(key).length) this.stateKeys.push(key);
      this.stateIndex.add(key, i, st.time);
    });
    // The scenario's host: the first application event (an injected fault may come before it).
    const client = trace.events.find((e) => e.kind === 'app')?.device ?? trace.events[0]?.device ?? trace.packets[0]?.from ?? '';
    const phase = (name: string, request = 1): Phase | undefined => trace.phases.find((p) => p.name === name && p.request === request);
    const end = trace.events.at(-1)?.time ?? 0;
    const reqStart = phase('request')?.start ?? 0;
    const reqEnd = phase('response')?.start ?? phase('server')?.end ?? end;
    // The server that answers: the last device other than the client speaking HTTP for request 1.
    const responder = trace.events.filter((e) => e.kind === 'http' && e.device !== client && e.request === 1 && e.time <= reqEnd).at(-1)?.device;
    this.failedDevice = trace.outcome.ok ? undefined : trace.outcome.stoppedAt;
    const target = responder ?? this.failedDevice;
    this.requestPath = this.follow(client, reqStart, reqEnd, HTTP, target) ?? this.walk(client, reqStart, reqEnd, target);
    // The server's own request (its database): from the responder to the device it queries.
    const backend = responder ? trace.events.find((e) => e.kind === 'db' && e.device !== responder && e.request === 1)?.device : undefined;
    const srv = { start: phase('server')?.start ?? reqStart, end: phase('server')?.end ?? end };
    this.backendPath = responder && backend ? this.follow(responder, srv.start, srv.end, DB, backend) ?? this.walk(responder, srv.start, srv.end, backend) : [];
    const respEnd = phase('response')?.end ?? end;
    this.responsePath = responder && phase('server') ? this.follow(responder, srv.start, respEnd, HTTP, client) ?? this.walk(responder, srv.start, respEnd, client) : [];
    const devicesSeen = new Set<string>();
    for (const p of trace.packets) { devicesSeen.add(p.from); devicesSeen.add(p.to); }
    const lanes = [...new Set(this.requestPath.map((s) => s.device))];
    for (const d of trace.devices) if (devicesSeen.has(d.name) && !lanes.includes(d.name)) lanes.push(d.name);
    for (const d of devicesSeen) if (!lanes.includes(d)) lanes.push(d);
    this.lanes = lanes;
    this.failureSeq = trace.outcome.ok ? undefined : this.findFailure();
    if (!trace.outcome.ok && this.failedDevice === undefined && this.failureSeq !== undefined) this.failedDevice = trace.events[this.failureSeq]?.device;
    this.requests = [...new Set(trace.phases.map((p) => p.request))].sort((a, b) => a - b);
  }

  /**
   * The devices a payload crosses from `origin` to `target`: the first frame leaving `origin`
   * in [start, end] that carries one of `protos`, followed hop by hop (same packetId); where
   * that packet ends (a proxy, a load balancer), the next such frame leaving there, and so on.
   * Undefined when that does not reach `target`.
   */
  private follow(origin: string, start: number, end: number, protos: Set<string>, target: string | undefined): PathStep[] | undefined {
    if (target === undefined || origin === target) return undefined;
    const steps: PathStep[] = [{ device: origin }];
    let at = origin, t = start, lastHop = -1;
    const packets = this.trace.packets;
    // Devices may repeat (a switch hairpins a frame through a node): bound the legs, not visits.
    for (let leg = 0; leg < 16 && at !== target; leg++) {
      // Not the reply on the connection we arrived by: the next leg is another connection.
      const arrived = leg > 0 ? this.flowKey(lastHop) : undefined;
      const first = packets.find((p) => p.time >= t && p.time <= end && p.from === at && p.to !== at && p.layers.some((l) => protos.has(l.proto)) && (arrived === undefined || this.flowKey(p.id) !== arrived));
      if (!first) return undefined;
      for (const id of this.byPacket.all(String(first.packetId))) {
        const h = packets[id];
        if (h.time < first.time || h.from !== at || h.to === at) continue;
        steps.push({ device: h.to, link: h.link, from: h.from });
        at = h.to; t = h.time; lastHop = id;
        if (at === target || steps.length > 64) break;
      }
    }
    return at === target ? steps : undefined;
  }

  /**
   * The chain of devices from `origin` to `target` along the hops in [start, end], each device
   * reached by the first frame that got there (a breadth-first tree in time order). Without a
   * target in reach, every device reached, in order.
   */
  private walk(origin: string, start: number, end: number, target: string | undefined): PathStep[] {
    const reached = new Map<string, PathStep>([[origin, { device: origin }]]);
    const order: PathStep[] = [reached.get(origin) as PathStep];
    for (const p of this.trace.packets) {
      if (target !== undefined && reached.has(target)) break;
      if (p.time < start) continue;
      if (p.time > end) break;
      if (p.from === p.to || !reached.has(p.from) || reached.has(p.to)) continue;
      const step = { device: p.to, link: p.link, from: p.from };
      reached.set(p.to, step);
      order.push(step);
    }
    if (target === undefined || !reached.has(target)) return order;
    const chain: PathStep[] = [];
    for (let at: PathStep | undefined = reached.get(target); at; at = at.from !== undefined ? reached.get(at.from) : undefined) chain.unshift(at);
    return chain;
  }

  private findFailure(): number | undefined {
    const ev = this.trace.events;
    for (let i = ev.length - 1; i >= 0; i--) if (ev[i].kind === 'error' || ev[i].kind === 'drop') return i;
    const at = this.trace.outcome.stoppedAt;
    for (let i = ev.length - 1; i >= 0; i--) if (ev[i].device === at) return i;
    return ev.length ? ev.length - 1 : undefined;
  }

  /** The injected fault or the cause the symptom names, for the outcome's "root cause". */
  rootCause(): string | undefined {
    const symptom = this.trace.outcome.symptom ?? '';
    const i = symptom.indexOf('; cause: ');
    if (i >= 0) return symptom.slice(i + 9);
    return this.trace.events.find((e) => e.kind === 'error' && /^fail /.test(e.summary))?.summary;
  }

  snapshot(id: number | undefined): PacketSnapshot | undefined {
    return id === undefined ? undefined : this.trace.packets[id];
  }

  /**
   * The snapshot an event concerns: its own; for a rewrite (NAT, TTL), the frame as the device
   * sends it next, so the change shows; else its packet as last seen at or before it.
   */
  snapshotOfEvent(e: TraceEvent): number | undefined {
    if (e.snapshot !== undefined) return e.snapshot;
    if (e.packetId === undefined) return undefined;
    if (e.changes.length) {
      const next = this.byPacket.all(String(e.packetId)).find((id) => this.trace.packets[id].time >= e.time && this.trace.packets[id].from === e.device);
      if (next !== undefined) return next;
    }
    return this.byPacket.latest(String(e.packetId), e.time) ?? this.byPacket.all(String(e.packetId))[0];
  }

  /** What the sending device changed in this frame since the packet's previous hop. */
  changesFor(id: number): Change[] {
    const p = this.trace.packets[id];
    if (!p) return [];
    const hops = this.byPacket.all(String(p.packetId));
    const i = hops.indexOf(id);
    const since = i > 0 ? this.trace.packets[hops[i - 1]].time : -Infinity;
    const out: Change[] = [];
    for (const seq of this.eventsOfPacket.get(p.packetId) ?? []) {
      const e = this.trace.events[seq];
      if (e.device === p.from && e.time > since && e.time <= p.time) out.push(...e.changes);
    }
    // A rewrite may be reported by the NAT event and again by the forward: list it once.
    const seen = new Set<string>();
    return out.filter((c) => { const k = `${c.field}\u0000${c.before}\u0000${c.after}`; if (seen.has(k)) return false; seen.add(k); return true; });
  }

  /** The phase of request `request` containing t (the innermost, e.g. database inside server). */
  phaseAt(t: number, request?: number): Phase | undefined {
    let best: Phase | undefined;
    for (const p of this.trace.phases) {
      if (request !== undefined && p.request !== request) continue;
      if (t >= p.start && t <= p.end && (!best || p.start >= best.start)) best = p;
    }
    return best;
  }

  isInfrastructure(device: string): boolean { return INFRASTRUCTURE.has(this.deviceKinds.get(device) ?? ''); }

  arrive(p: PacketSnapshot): number {
    const l = this.links.get(p.link);
    if (!l) return p.time;
    const bits = (p.bytes.length / 2) * 8;
    return p.time + l.latencyMs + (l.bandwidthBps > 0 ? (bits / l.bandwidthBps) * 1000 : 0);
  }

  /** Arrows for the sequence diagram and the phase bands over their rows. */
  arrows(compact: boolean): { arrows: Arrow[]; bands: Band[] } {
    const cached = this.arrowsCache.get(compact);
    if (cached) return cached;
    const arrows: Arrow[] = [];
    if (!compact) {
      for (const p of this.trace.packets) arrows.push({ snapshot: p.id, packetId: p.packetId, from: p.from, to: p.to, link: p.link, time: p.time, arrive: this.arrive(p), hops: 1 });
    } else {
      // Fold a packet's hops through infrastructure: one arrow from an endpoint to the next.
      const open = new Map<number, { from: string; time: number; hops: number }>();
      for (const p of this.trace.packets) {
        const o = open.get(p.packetId);
        const start = o && !this.isInfrastructure(p.from) ? undefined : o;
        const from = start?.from ?? p.from;
        const time = start?.time ?? p.time;
        const hops = (start?.hops ?? 0) + 1;
        if (this.isInfrastructure(p.to) && p.to !== p.from) { open.set(p.packetId, { from, time, hops }); continue; }
        open.delete(p.packetId);
        arrows.push({ snapshot: p.id, packetId: p.packetId, from, to: p.to, link: p.link, time, arrive: this.arrive(p), hops });
      }
      arrows.sort((a, b) => a.time - b.time || a.snapshot - b.snapshot);
    }
    const bands: Band[] = [];
    arrows.forEach((a, i) => {
      const ph = this.phaseAt(a.time);
      const name = ph?.name ?? '';
      const last = bands.at(-1);
      if (last && last.phase === name && last.request === (ph?.request ?? 0)) last.last = i;
      else bands.push({ phase: name, request: ph?.request ?? 0, first: i, last: i });
    });
    const result = { arrows, bands };
    this.arrowsCache.set(compact, result);
    return result;
  }

  /** A flow's key: the unordered pair of address:port ends, from the snapshot's own fields. */
  flowKey(id: number): string {
    const cached = this.flowCache.get(id);
    if (cached !== undefined) return cached;
    const p = this.trace.packets[id];
    const field = (proto: string, ...names: string[]): string => {
      const layer = p?.layers.find((l) => l.proto === proto);
      return layer?.fields.find((f) => names.includes(f.name))?.value ?? '';
    };
    const l4 = p?.layers.some((l) => l.proto === 'tcp') ? 'tcp' : 'udp';
    const a = `${field('ipv4', 'src')}:${field(l4, 'src_port', 'srcport', 'sport')}`;
    const b = `${field('ipv4', 'dst')}:${field(l4, 'dst_port', 'dstport', 'dport')}`;
    const key = `${l4} ${[a, b].sort().join(' ')}`;
    this.flowCache.set(id, key);
    return key;
  }

  /** The next event (after `seq`) carrying another packet of the same flow as `seq`'s packet. */
  nextInFlow(seq: number): number | undefined {
    const ev = this.trace.events;
    const cur = ev[seq];
    const snap = cur ? this.snapshotOfEvent(cur) : undefined;
    if (snap === undefined) return undefined;
    const key = this.flowKey(snap);
    for (let i = seq + 1; i < ev.length; i++) {
      const s = ev[i].snapshot;
      if (s !== undefined && ev[i].packetId !== cur.packetId && this.flowKey(s) === key) return i;
    }
    return undefined;
  }

  /** The latest table of each device and kind at or before t. */
  stateAt(t: number): StateTable[] {
    const out: StateTable[] = [];
    for (const k of this.stateKeys) {
      const i = this.stateIndex.latest(k, t);
      if (i !== undefined) out.push(this.trace.state[i]);
    }
    return out;
  }

  /** The protocols of an event's packet (for the protocol filter). */
  protocolsOf(e: TraceEvent): string[] {
    const s = this.snapshotOfEvent(e);
    return s === undefined ? [] : this.trace.packets[s].layers.map((l) => l.proto);
  }
}
