// The network under simulation: devices receive frames, run the layers they really have
// (L2 bridging, ARP, IPv4 forwarding with TTL and MAC rewrite, conntrack with NAT/DNAT,
// kube-proxy rules, VXLAN), and put frames on links that add serialisation and propagation
// delay. Transport and applications (tcp.ts, apps/) sit on top through `Host` sockets.
import { parseIpv4 as parseIpv4Value } from '../language/values';
import { deviceAddresses, holdsIp, ip, ipToward, sourceIp, Topology, vtepInterface, type RouteChoice } from '../model/topology';
import { lookupA } from '../model/checks';
import type { Device, Failure, FailureKind, Interface, Link, Network, Scenario } from '../model/types';
import { ETHERNET_HEADER_LEN, WireError, copyIpv4, copyTcp, copyUdp, encodeStack, frameLength, headerLength, icmpQuote, type EthernetHeader, type Header, type Ipv4Header, type TcpHeader, type IcmpMessage } from '../wire';
import { commonLayers, type TraceBuilder } from '../trace/builder';
import type { Change } from '../trace/types';
import { EventQueue } from './queue';
import type { Rng } from './rng';
import { IPV4_MAX_DATAGRAM, LINUX, WIFI } from './constants';
import { SIM_BUDGET, type SimBudget } from '../limits';
import { Netfilter, natChanges, type CtEntry } from './netfilter';
import { ArpCache } from './arp-cache';
import { BoundedMap } from '../fifo';

export const BROADCAST = 'ff:ff:ff:ff:ff:ff';
/** Shared and empty: transmit() never adds to an empty list, it makes a new one. */
const NO_WHY: string[] = [];

/** One end of a link, as frames reach it: when its direction of the link is free again, the
 * device and interface that receive there (looked up once, not per frame), and the end of the
 * send events' summary line (" -> DEVICE over LINK"), the same for every frame sent that way. */
/** One direction of a link, as the interface that sends on it sees it: the link, its far end,
 * when it is free again, and what every frame sent this way needs (found once, not per frame). */
interface LinkEnd { link: Link; to: Link['a']; busyUntil: number; node?: Node; iface?: Interface | null; towards?: string; lines?: Map<number, string> }

/** Simulation-only facts that travel with a packet but are not on the wire. */
export interface PacketMeta {
  /** Application messages that end inside this TCP segment (delivered once in order). */
  messages?: { end: number; header: Header; bytes: Uint8Array }[];
  /** kube-proxy marked this flow for masquerade (NodePort traffic). */
  masquerade?: boolean;
  /** The conntrack entry this packet matched on the current device, and in which direction. */
  ct?: CtEntry;
  ctDir?: 'orig' | 'reply';
}

/** An IP packet: headers from IPv4 inwards. Ethernet is added per link. */
export interface Packet { id: number; headers: Header[]; meta: PacketMeta }


export type UdpHandler = (p: Packet, from: { ip: string; port: number }, to: { ip: string; port: number }) => void;
export type TcpSegmentHandler = (p: Packet, tcp: TcpHeader, src: string, dst: string) => void;
export type IcmpHandler = (p: Packet, icmp: IcmpMessage) => void;

export interface Vtep { name: string; address: string; mac: string }

/** Runtime state of one device. */
export class Node {
  readonly arp: ArpCache;
  readonly pendingArp = new Map<string, { iface: Interface; packets: Packet[]; tries: number }>();
  readonly conntrack: CtEntry[] = [];
  readonly udp = new Map<number, UdpHandler>();
  /** Connections by "local:port|remote:port" (TcpConn.key). */
  readonly tcp = new Map<string, TcpSegmentHandler>();
  /** The key of the last connection a segment reached, by its two ports: a connection's
   * segments find their key string without making it again (and hashing it afresh). */
  private readonly tcpKeys = new Map<number, { local: string; remote: string; key: string }>();
  tcpKey(local: string, localPort: number, remote: string, remotePort: number): string {
    const ports = localPort * 0x10000 + remotePort;
    const known = this.tcpKeys.get(ports);
    if (known && known.local === local && known.remote === remote) return known.key;
    const key = `${local}:${localPort}|${remote}:${remotePort}`;
    this.tcpKeys.set(ports, { local, remote, key });
    return key;
  }
  readonly tcpListeners = new Map<number, TcpSegmentHandler>();
  readonly icmpListeners: IcmpHandler[] = [];
  readonly usedPorts = new Set<number>();
  /** Ports whose SYNs a firewall rule drops (fail syn-drop). */
  readonly dropSyn = new Set<number>();
  ipId: number;
  vtep?: Vtep;
  constructor(readonly d: Device, rng: Rng) { this.ipId = rng.int(0, 0xffff); this.arp = new ArpCache(d.name); }
  get name(): string { return this.d.name; }
  /** The node's own addresses (its interfaces never change during a journey). */
  private addresses?: Set<string>;
  owns(address: string): boolean {
    if (address.startsWith('127.')) return true;
    if (this.vtep?.address === address) return true;
    this.addresses ??= new Set(deviceAddresses(this.d).map(ip));
    return this.addresses.has(address);
  }
  /** Linux's ip_local_port_range is 32768-60999; a socket picks a free port at random in it. */
  ephemeralPort(rng: Rng): number {
    for (;;) {
      const p = rng.int(LINUX.ephemeralLow, LINUX.ephemeralHigh);
      if (!this.usedPorts.has(p)) { this.usedPorts.add(p); return p; }
    }
  }
}

/** Laps of a broadcast storm the trace shows before the run stops: enough to see the same
 * frame come round again and again. */
const STORM_LAPS = 3;

const isRouter = (d: Device): boolean => d.kind === 'router' || d.kind === 'internet-gateway' || d.kind === 'node';

/** A frame in flight to the device that receives it. */
interface Arrival { sim: Sim; n: Node; iface: Interface | 'lo'; eth: EthernetHeader; pkt: Packet; link: Link }
function arriveFrame(a: Arrival): void { a.sim.arrive(a); }
function handleFrame(a: Arrival): void { a.sim.handle(a); }

export class Sim {
  readonly topo: Topology;
  readonly queue = new EventQueue();
  readonly nodes = new Map<string, Node>();
  readonly nf: Netfilter = new Netfilter(this);
  now = 0;
  private packetSeq = 0;
  /** Each direction of each link, by the interface that sends on it (null: on no link). */
  private readonly ends = new Map<Interface, LinkEnd | null>();
  /** The loopback's one direction, by node. */
  private readonly loopEnds = new Map<Node, LinkEnd>();
  private eventsRun = 0;
  /** By device, then destination: no key string to build for every hop. */
  private readonly routes = new Map<Node, Map<string, RouteChoice | undefined>>();
  /** How often each L2 device has met each broadcast frame (more than once: a loop). */
  private readonly broadcastsSeen = new Map<string, number>();
  stopped?: string;
  /** Link-layer retransmissions per link (weak Wi-Fi), for the outcome. */
  readonly retransmissions = new Map<string, number>();
  /** What made a journey that completed slower than it should be (path MTU discovery, a slow
   * application), once each, for the outcome. */
  readonly slowdowns: { what: string; device: string; detectWith: string }[] = [];
  /** The first injected fault that dropped or refused something: the journey's root cause. */
  rootCause?: { what: string; device: string; detectWith: string };

  /** Payload bytes allocated so far (see SIM_BUDGET.bytesKept). */
  bytesKept = 0;

  /** `topo`: the build's index of this network, when it made one. */
  constructor(readonly net: Network, readonly scenario: Scenario, readonly trace: TraceBuilder, readonly rng: Rng, readonly budget: SimBudget = SIM_BUDGET, topo?: Topology) {
    this.topo = topo ?? new Topology(net);
    for (const d of net.devices.values()) this.nodes.set(d.name, new Node(d, rng));
    for (const n of this.nodes.values()) {
      const podCidr = n.d.node?.podCidr;
      const cluster = n.d.node ? net.clusters.get(n.d.node.cluster) : undefined;
      if (podCidr && cluster?.overlay.type === 'vxlan') {
        const base = vtepInterface(n.d) ?? n.d.interfaces.find((i) => !i.bridge && i.name !== 'cni0');
        // flannel gives its VXLAN device the network address of the node's pod range, /32.
        n.vtep = { name: `flannel.${cluster.overlay.vni}`, address: ip(podCidr.address), mac: `a2:${(base?.mac ?? '02:00:00:00:00:00').slice(3)}` };
      }
    }
  }

  node(name: string): Node {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no device ${name}`);
    return n;
  }

  at(time: number, run: () => void): void { this.queue.push(Math.max(time, this.now), run); }
  after(delay: number, run: () => void): void { this.at(this.now + delay, run); }
  newPacketId(): number { return ++this.packetSeq; }

  /** Runs until nothing is left to do, the event budget is spent, or `stop` was called. */
  run(): void {
    for (;;) {
      if (this.stopped) return;
      const e = this.queue.pop();
      if (!e) return;
      this.now = e.time;
      if (++this.eventsRun > this.budget.events) {
        this.spent(`event budget of ${this.budget.events} exhausted`);
        return;
      }
      (e.run as (arg: unknown) => void)(e.arg);
    }
  }

  stop(reason: string): void { this.stopped = reason; }

  /** Stops the run because a budget is spent, and says so in the trace. */
  private spent(reason: string): void {
    if (this.stopped) return;
    this.stopped = `${reason}; the trace shows everything up to this point`;
    this.trace.event(this.now, { device: '-', direction: 'local', kind: 'error', layers: [], summary: `Simulation stopped: ${this.stopped}.` });
  }

  /** Accounts for payload bytes the trace will keep alive. */
  keep(bytes: number): void {
    this.bytesKept += bytes;
    if (this.bytesKept > this.budget.bytesKept) this.spent(`memory budget spent: more than ${this.budget.bytesKept} bytes of payload held`);
  }

  failing(kind: FailureKind, device?: string): Failure | undefined {
    // asked several times per forwarded packet, nearly always of a scenario with no failure
    for (const f of this.scenario.failures) if (f.kind === kind && (!device || !f.args[0] || f.args[0] === device)) return f;
    return undefined;
  }

  /** Records an injected fault's effect once as the root cause, with the tool that shows it. */
  fault(kind: FailureKind, n: Node, what: string, detectWith: string, pkt?: Packet): void {
    this.rootCause ??= { what, device: n.name, detectWith };
    this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L3'], summary: `fail ${kind}: ${what}`, details: [`detect with: ${detectWith}`], ...(pkt ? { packetId: pkt.id } : {}), source: this.scenario.failures.find((f) => f.kind === kind)?.source });
  }

  // ------------------------------------------------------------------ links

  /** The direction of `iface`'s link away from it; undefined when it is on no link. */
  private endOf(n: Node, iface: Interface): LinkEnd | undefined {
    let end = this.ends.get(iface);
    if (end === undefined) {
      const link = this.topo.linkOf(iface);
      end = link ? { link, to: link.a.device === n.name && link.a.interface === iface.name ? link.b : link.a, busyUntil: 0 } : null;
      this.ends.set(iface, end);
    }
    return end ?? undefined;
  }

  private loopEnd(n: Node): LinkEnd {
    let end = this.loopEnds.get(n);
    if (!end) {
      // Loopback: no wire, no delay worth measuring; captured like Linux's "lo" (zero MACs).
      const link: Link = { name: `lo@${n.name}`, a: { device: n.name, interface: 'lo' }, b: { device: n.name, interface: 'lo' }, latencyMs: 0, bandwidthBps: 0, mtu: LINUX.loopbackMtu, medium: 'veth', lossPercent: 0, implicit: true, source: n.d.source };
      end = { link, to: link.a, busyUntil: 0 };
      this.loopEnds.set(n, end);
    }
    return end;
  }

  /** Puts a frame on the link of `iface`. Serialisation queues behind earlier frames in the
   * same direction; propagation is the link's latency. `why` is a list made for this call
   * (every caller builds its own): the send event keeps it, with the L1 line added. */
  transmit(n: Node, iface: Interface | 'lo', eth: EthernetHeader, pkt: Packet, why: string[] = NO_WHY): void {
    const end = iface === 'lo' ? this.loopEnd(n) : this.endOf(n, iface);
    if (iface !== 'lo' && !end) {
      // A bridge (cni0) has no wire of its own: the frame leaves by the port its MAC is behind.
      const ports = n.d.interfaces.filter((i) => i.bridge === iface.name);
      if (ports.length) {
        const out = eth.dst === BROADCAST ? ports : ports.filter((p) => this.macBehind(p, eth.dst));
        for (const p of out) this.transmit(n, p, eth, pkt, [...why, `L2: bridge ${iface.name} forwards to port ${p.name}`]);
        return;
      }
    }
    if (!end) {
      this.trace.event(this.now, { device: n.name, direction: 'out', kind: 'drop', layers: ['L1'], summary: `${n.name}.${(iface as Interface).name} is on no link: frame dropped.`, packetId: pkt.id });
      return;
    }
    if (this.stopped) return;
    if (this.trace.packetCount >= this.budget.packets) {
      this.spent(`packet budget spent: ${this.budget.packets} frames recorded`);
      return;
    }
    const headers: Header[] = [eth, ...pkt.headers];
    const link = end.link;
    const toEnd = end.to;
    const start = Math.max(this.now, end.busyUntil);
    const snapshot = this.trace.snapshot(start, pkt.id, link.name, n.name, toEnd.device, headers);
    const bytes = frameLength(headers);
    // The frame's bytes are made when someone reads them, after this run: refuse here, where
    // the run can still end with a clear outcome, the one size the wire cannot write.
    if (pkt.headers[0]?.proto === 'ipv4' && bytes - ETHERNET_HEADER_LEN > IPV4_MAX_DATAGRAM) throw new WireError('too-big', `a ${bytes - ETHERNET_HEADER_LEN}-byte IPv4 datagram on ${link.name}: more than ${IPV4_MAX_DATAGRAM}`);
    // Ethernet adds preamble+SFD (8) and inter-frame gap (12) on the wire; Wi-Fi adds medium access.
    const wireBits = (Math.max(bytes, 60) + 4 + 8 + 12) * 8;
    const serialise = link.bandwidthBps > 0 ? (wireBits / link.bandwidthBps) * 1000 : 0;
    const loss = this.lossOf(link);
    // the wired case (nearly every frame) needs no attempt record
    const air = link.medium === 'wifi' ? this.wifiAttempts(serialise, loss) : undefined;
    const attempts = air ? air.attempts : 1;
    const delivered = air ? air.delivered : !(loss > 0 && this.rng.next() * 100 < loss);
    const access = air ? air.ms - serialise * air.attempts : 0;
    const done = start + (air ? air.ms : serialise);
    end.busyUntil = done;
    const arrive = done + link.latencyMs;
    const retries = attempts > 1 ? `, ${attempts - 1} link-layer retransmission(s) (${loss}% loss)` : '';
    const l1 = access ? `L1: ${bytes} bytes: medium access ${fmtMs(access)} (CSMA/CA DIFS + backoff + link ACK${retries}), serialisation ${fmtMs(serialise)} at ${rate(link.bandwidthBps)}, propagation ${fmtMs(link.latencyMs)}` : this.wiredTiming(end, bytes, serialise);
    const towards = (end.towards ??= ` -> ${toEnd.device} over ${link.name}`);
    this.trace.sent(start, n.name, link.name, layersOf(headers), describe(pkt) + towards, why.length ? pushed(why, l1) : [l1], pkt.id, snapshot, link.implicit ? undefined : link.source);
    if (attempts > 1) this.retransmissions.set(link.name, (this.retransmissions.get(link.name) ?? 0) + attempts - 1);
    if (!delivered) {
      this.trace.event(done, { device: n.name, link: link.name, direction: 'out', kind: 'drop', layers: ['L1', 'L2'], summary: link.medium === 'wifi' ? `802.11: no link ACK after ${attempts} attempts: frame lost` : `frame lost on ${link.name} (${loss}% loss)`, packetId: pkt.id, source: link.source });
      return;
    }
    const dest = (end.node ??= this.node(toEnd.device));
    const destIface = iface === 'lo' ? 'lo' : end.iface === undefined ? (end.iface = interfaceNamed(dest.d, toEnd.interface) ?? null) : end.iface;
    if (!destIface) return;
    // Marks and conntrack references belong to one host's kernel; only the bytes (and the
    // simulation's message bookkeeping) travel.
    // Ethernet headers are never edited (a switch forwards the frame as it came, a router
    // makes a new one), so the receiver can share the sender's; the IPv4 and transport headers
    // are copied where they may be edited (ipInput), not at every switch and host.
    const copy: Packet = { id: pkt.id, headers: pkt.headers.slice(), meta: { messages: pkt.meta.messages } };
    this.queue.pushWith<Arrival>(Math.max(arrive, this.now), arriveFrame, { sim: this, n: dest, iface: destIface, eth, pkt: copy, link });
  }

  /** The L1 line of a wired link depends only on the link and the frame size: a transfer of
   * full segments asks for the same few lines again and again. */
  private wiredTiming(end: LinkEnd, bytes: number, serialise: number): string {
    const link = end.link;
    const bySize = (end.lines ??= wiredLines(link.bandwidthBps, link.latencyMs));
    let line = bySize.get(bytes);
    if (line === undefined) {
      line = `L1: ${bytes} bytes: serialisation ${fmtMs(serialise)} at ${rate(link.bandwidthBps)}, propagation ${fmtMs(link.latencyMs)}`;
      if (bySize.size < LINES_PER_KEY) bySize.set(bytes, line);
    }
    return line;
  }

  /** A frame reached the far end of its link: a router, switch or access point takes its
   * processing time first. */
  arrive(a: Arrival): void {
    const n = a.n;
    const processing = n.d.processingMs;
    if (processing > 0 && a.iface !== 'lo' && (isRouter(n.d) || n.d.kind === 'access-point' || n.d.kind === 'switch')) this.queue.pushWith<Arrival>(this.now + processing, handleFrame, a);
    else this.handle(a);
  }

  handle(a: Arrival): void {
    const { n, iface, eth, pkt, link } = a;
    if (iface === 'lo') { this.ipInput(n, 'lo', pkt, eth, []); return; }
    if (n.d.kind === 'access-point' || n.d.kind === 'switch') { this.l2Forward(n, iface, eth, pkt, link); return; }
    if (iface.bridge) { this.bridgeInput(n, iface, eth, pkt); return; }
    this.l3Input(n, iface, eth, pkt);
  }

  /** `fail routing-loop [ROUTER]`: the router with the misconfigured route (default: the
   * router at the far end of the link with the longest latency). */
  private loopsHere(n: Node, dst: string): boolean {
    if (!this.faultyRouter('routing-loop', n)) return false;
    // The misconfigured entry is the one the router uses for the journey's server; traffic
    // that other entries carry (DNS, replies) is forwarded as usual.
    const server = this.serverAddress();
    const toServer = server === undefined ? undefined : this.route(n, server);
    return !!toServer?.route && this.route(n, dst)?.route === toServer.route;
  }

  /** Whether `n` is the router a `fail routing-loop|no-route [ROUTER]` names (default: the
   * router at the far end of the link with the longest latency). */
  private faultyRouter(kind: 'routing-loop' | 'no-route', n: Node): boolean {
    const f = this.failing(kind);
    if (!f || !isRouter(n.d)) return false;
    if (f.args[0]) return f.args[0] === n.name;
    const longest = [...this.net.links].sort((a, b) => b.latencyMs - a.latencyMs)[0];
    return !!longest && longest.b.device === n.name;
  }

  /** The address the journey's URL leads to: what `fail no-route` takes the route away from. */
  private serverAddress(): string | undefined {
    const host = this.scenario.url.host;
    if (parseIpv4Value(host).ok) return host;
    const a = lookupA(this.net, host);
    return a === undefined ? undefined : ip(a);
  }

  /** `fail no-route [ROUTER]`: the router's routing table has lost the entry it uses for the
   * journey's server (a withdrawn BGP prefix, a deleted static route). Every destination that
   * entry covered has no route now; a connected subnet loses only the server's address. */
  private lostRoute(n: Node, dst: string): RouteChoice | undefined {
    if (!this.faultyRouter('no-route', n)) return undefined;
    const server = this.serverAddress();
    const toServer = server === undefined ? undefined : this.route(n, server);
    if (!toServer || toServer.overlay) return undefined;
    const r = this.route(n, dst);
    if (!r || r.route !== toServer.route || (!toServer.route && dst !== server)) return undefined;
    return toServer;
  }

  /** `fail mtu-blackhole [LINK] [MTU]`: the MTU a black hole imposes after this interface
   * (default: on the link with the longest latency, 576 bytes, the IPv4 minimum). */
  private blackhole(out: Interface, kind: 'mtu-blackhole' | 'small-mtu' = 'mtu-blackhole'): number | undefined {
    const f = this.failing(kind);
    if (!f) return undefined;
    const link = this.topo.linkOf(out);
    const target = f.args[0] ?? [...this.net.links].sort((a, b) => b.latencyMs - a.latencyMs)[0]?.name;
    if (!link || link.name !== target) return undefined;
    const mtu = f.args[1] ? Number(f.args[1]) : 576;
    return Number.isFinite(mtu) && mtu >= 68 ? mtu : 576;
  }

  /** Frame loss on a link: its `loss`, or the loss a `fail weak-wifi` puts on Wi-Fi links. */
  private lossOf(link: Link): number {
    const weak = link.medium === 'wifi' ? this.failing('weak-wifi') : undefined;
    if (weak) {
      const pct = weak.args[0] ? Number(weak.args[0].replace('%', '')) : WIFI.weakLossPercent;
      return Number.isFinite(pct) ? Math.min(100, Math.max(0, pct)) : WIFI.weakLossPercent;
    }
    return link.lossPercent;
  }

  /** 802.11 DCF: each attempt waits DIFS and a random backoff from a window that doubles
   * after every failure, sends, and waits for the link ACK; after the retry limit the frame is
   * dropped. Returns the air time spent and whether the frame got through. */
  private wifiAttempts(serialiseMs: number, lossPercent: number): { ms: number; attempts: number; delivered: boolean } {
    let ms = 0;
    for (let attempt = 1; attempt <= WIFI.retryLimit + 1; attempt++) {
      const cw = Math.min(WIFI.cwMax, (WIFI.cwMin + 1) * 2 ** (attempt - 1) - 1);
      ms += WIFI.difsMs + (attempt === 1 ? (WIFI.cwMin / 2) * WIFI.slotMs : this.rng.int(0, cw) * WIFI.slotMs) + serialiseMs + WIFI.ackMs;
      if (!(lossPercent > 0 && this.rng.next() * 100 < lossPercent)) return { ms, attempts: attempt, delivered: true };
    }
    return { ms, attempts: WIFI.retryLimit + 1, delivered: false };
  }

  // ------------------------------------------------------------------ layer 2

  private l2Forward(n: Node, inIface: Interface, eth: EthernetHeader, pkt: Packet, link: Link): void {
    if (eth.dst === BROADCAST && this.storm(n, eth, pkt)) return;
    if (eth.dst === BROADCAST) {
      const ports = n.d.interfaces.filter((i) => i !== inIface);
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'forward', layers: ['L2'], summary: `Broadcast from ${eth.src}: flooded to ${ports.map((p) => p.name).join(', ')}`, details: [`L2: destination ${BROADCAST} is broadcast; flood every other port; no IP field or MAC changes`], packetId: pkt.id, source: n.d.source });
      for (const p of ports) this.transmit(n, p, eth, pkt);
      return;
    }
    let out: Interface | undefined;
    for (const p of n.d.interfaces) if (p !== inIface && this.macBehind(p, eth.dst)) { out = p; break; }
    if (!out) {
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L2'], summary: `No port leads to ${eth.dst}: frame dropped`, packetId: pkt.id, source: n.d.source });
      return;
    }
    const medium = link.medium === 'wifi' ? '802.11 frame from the radio re-framed as Ethernet' : 'frame forwarded unchanged';
    this.trace.decided(this.now, n.name, 'in', 'forward', L2_ONLY, `${eth.src} -> ${eth.dst}: out ${out.name}`, [`L2: MAC ${eth.dst} learned behind port ${out.name}; ${medium}; TTL and addresses untouched`], NO_CHANGES, pkt.id, n.d.source);
    this.trace.transform(n.name, 'L2 forward', 'bridges frames between its ports; changes no address');
    this.transmit(n, out, eth, pkt);
  }

  /** A broadcast crosses each switch of a loop-free segment once; meeting it again proves a
   * layer-2 loop, and with no TTL at layer 2 it would circle (and multiply) for ever. The
   * storm is shown for a few laps, then the run stops with what spanning tree would do. */
  private storm(n: Node, eth: EthernetHeader, pkt: Packet): boolean {
    const key = `${n.name}|${pkt.id}`;
    const seen = (this.broadcastsSeen.get(key) ?? 0) + 1;
    this.broadcastsSeen.set(key, seen);
    if (seen === 1) return false;
    const seg = n.d.interfaces[0] ? this.topo.segment(n.d.interfaces[0]) : '';
    const loop = this.topo.loops.find((l) => { const i = this.topo.iface(l.a.device, l.a.interface); return !!i && this.topo.segment(i) === seg; });
    const where = loop ? `link ${loop.name} (${loop.a.device}.${loop.a.interface} <-> ${loop.b.device}.${loop.b.interface}) closes a loop` : 'the segment has a loop';
    if (seen === 2) {
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L2'], summary: `Broadcast storm: the broadcast from ${eth.src} came back to ${n.name}: ${where}`, details: ['L2: Ethernet has no TTL: a flooded frame that finds a loop is flooded again at every switch, for ever', 'STP (IEEE 802.1D) would have put one port of the loop in blocking state'], packetId: pkt.id, source: loop?.source ?? n.d.source });
    }
    if (seen <= STORM_LAPS) return false;
    this.rootCause ??= { what: `broadcast storm: ${where}, and no spanning tree blocks a port of it; the broadcast from ${eth.src} came back to ${n.name} ${seen - 1} times and would circle for ever`, device: n.name, detectWith: 'switch port counters (broadcasts climbing at line rate); tcpdump -e shows the same ARP request again and again; show spanning-tree' };
    this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L2'], summary: `Broadcast storm stopped after ${STORM_LAPS} laps: spanning tree (STP) would have blocked a port of the loop`, details: [`L2: ${where}; every lap floods the frame out of every other port again`], packetId: pkt.id, source: loop?.source ?? n.d.source });
    this.stop(`broadcast storm in a layer-2 loop (${loop ? `link ${loop.name}` : n.name}): spanning tree would have blocked a port`);
    return true;
  }

  /** Whether the interface with MAC `mac` is reached through port `p` (switch learning, assumed converged). */
  private macBehind(p: Interface, mac: string): boolean {
    return this.topo.macBehind(p, mac);
  }

  /** A frame entering a node's bridge port (a pod's veth): switch it to another port or up to cni0. */
  private bridgeInput(n: Node, port: Interface, eth: EthernetHeader, pkt: Packet): void {
    const bridge = n.d.interfaces.find((i) => i.name === port.bridge);
    if (!bridge) return;
    if (eth.dst === BROADCAST) {
      // A Linux bridge floods a broadcast out of every other port and hands a copy up to its
      // own stack (the ARP request of a pod for its gateway reaches the other pods too).
      for (const p of n.d.interfaces) if (p.bridge === bridge.name && p !== port) this.transmit(n, p, eth, pkt, [`L2: bridge ${bridge.name} floods the broadcast to port ${p.name}`]);
    }
    if (eth.dst === bridge.mac || eth.dst === BROADCAST) {
      this.trace.decided(this.now, n.name, 'in', 'bridge', L2_ONLY, `veth ${port.name} -> bridge ${bridge.name} -> host stack`, [`L2: frame enters bridge ${bridge.name} by port ${port.name}; destination ${eth.dst} is the bridge itself, so the node's IP stack takes it`], NO_CHANGES, pkt.id, undefined);
      this.l3Input(n, bridge, eth, pkt);
      return;
    }
    const out = n.d.interfaces.find((i) => i.bridge === bridge.name && i !== port && this.macBehind(i, eth.dst));
    if (out) {
      this.trace.decided(this.now, n.name, 'in', 'bridge', L2_ONLY, `bridge ${bridge.name}: ${port.name} -> ${out.name}`, NO_WHY, NO_CHANGES, pkt.id, undefined);
      this.transmit(n, out, eth, pkt);
    }
  }

  private l3Input(n: Node, iface: Interface, eth: EthernetHeader, pkt: Packet): void {
    const first = pkt.headers[0];
    if (eth.dst !== iface.mac && eth.dst !== BROADCAST) {
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L2'], summary: `Frame for ${eth.dst} is not for ${iface.name} (${iface.mac}): dropped`, packetId: pkt.id });
      return;
    }
    if (first.proto === 'arp') { this.arpInput(n, iface, first); return; }
    if (first.proto !== 'ipv4') return;
    const l2 = eth.dst === BROADCAST ? L2_BROADCAST : (l2Accept.get(iface) ?? l2AcceptLine(iface, eth.dst));
    this.ipInput(n, iface, pkt, eth, [l2]);
  }

  // ------------------------------------------------------------------ ARP

  private arpInput(n: Node, iface: Interface, a: Extract<Header, { proto: 'arp' }>): void {
    const mine = holdsIp(iface, a.targetIp);
    const known = n.arp.has(a.senderIp);
    if (mine || known) n.arp.set(a.senderIp, { mac: a.senderMac, iface: iface.name, since: this.now });
    if (a.operation === 1 && mine) {
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'arp', layers: ['L2'], summary: `ARP: ${a.targetIp} is mine; reply to ${a.senderIp} and learn ${a.senderMac}`, details: [`ARP: request for ${a.targetIp} on ${iface.name}; cache ${a.senderIp} -> ${a.senderMac}`] });
      const reply: Header = { proto: 'arp', operation: 2, senderMac: iface.mac, senderIp: a.targetIp, targetMac: a.senderMac, targetIp: a.senderIp };
      this.transmit(n, iface, { proto: 'ethernet', dst: a.senderMac, src: iface.mac }, { id: this.newPacketId(), headers: [reply], meta: {} });
      this.tableArp(n);
      return;
    }
    if (a.operation === 2 && mine) {
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'arp', layers: ['L2'], summary: `ARP: ${a.senderIp} is at ${a.senderMac}`, details: [`ARP: cache ${a.senderIp} -> ${a.senderMac} on ${iface.name}; release queued packets`], changes: [{ field: `arp[${a.senderIp}]`, before: '(none)', after: a.senderMac }] });
      this.tableArp(n);
      const pending = n.pendingArp.get(a.senderIp);
      if (pending) {
        n.pendingArp.delete(a.senderIp);
        for (const p of pending.packets) this.sendIp(n, pending.iface, a.senderMac, p, ['ARP: next hop resolved']);
      }
    }
  }

  private tableArp(n: Node): void {
    this.trace.table(this.now, n.name, 'arp', n.arp.entries().map(([addr, e]) => ({ address: addr, mac: e.mac, interface: e.iface })));
  }

  /** Sends `pkt` to `nextHop` out of `iface`, resolving its MAC with ARP first when needed.
   * `why` is made for this call and handed on to the send event. */
  resolveAndSend(n: Node, iface: Interface, nextHop: string, pkt: Packet, why: string[]): void {
    const hit = n.arp.get(nextHop);
    if (hit) { this.sendIp(n, iface, hit.mac, pkt, pushed(why, arpHitLine(nextHop, hit.mac))); return; }
    const pending = n.pendingArp.get(nextHop);
    if (pending) { pending.packets.push(pkt); return; }
    n.pendingArp.set(nextHop, { iface, packets: [pkt], tries: 1 });
    const req: Header = { proto: 'arp', operation: 1, senderMac: iface.mac, senderIp: ipToward(iface, nextHop) ?? '0.0.0.0', targetMac: '00:00:00:00:00:00', targetIp: nextHop };
    this.trace.event(this.now, { device: n.name, direction: 'out', kind: 'arp', layers: ['L2'], summary: `ARP cache miss for ${nextHop}: broadcast "who has ${nextHop}?"`, details: [...why, `ARP: no entry for next hop ${nextHop}; packet ${pkt.id} waits for the reply`], packetId: pkt.id });
    this.transmit(n, iface, { proto: 'ethernet', dst: BROADCAST, src: iface.mac }, { id: this.newPacketId(), headers: [req], meta: {} });
    // Linux retries ARP (mcast_solicit = 3, 1 s apart) and then drops what waits.
    const retry = (tries: number): void => {
      this.after(LINUX.arpRetransMs, () => {
        const p = n.pendingArp.get(nextHop);
        if (!p) return;
        if (tries >= LINUX.arpSolicit) {
          n.pendingArp.delete(nextHop);
          this.trace.event(this.now, { device: n.name, direction: 'local', kind: 'drop', layers: ['L2', 'L3'], summary: `No ARP reply for ${nextHop} after ${tries} tries: ${p.packets.length} packet(s) dropped (host unreachable)`, packetId: pkt.id });
          return;
        }
        this.transmit(n, iface, { proto: 'ethernet', dst: BROADCAST, src: iface.mac }, { id: this.newPacketId(), headers: [req], meta: {} });
        retry(tries + 1);
      });
    };
    retry(1);
  }

  private sendIp(n: Node, iface: Interface | 'lo', dstMac: string, pkt: Packet, why: string[]): void {
    const src = iface === 'lo' ? '00:00:00:00:00:00' : iface.mac;
    this.transmit(n, iface, { proto: 'ethernet', dst: dstMac, src }, pkt, why);
  }

  // ------------------------------------------------------------------ IPv4

  private ipInput(n: Node, iface: Interface | 'lo', pkt: Packet, eth: EthernetHeader, why: string[]): void {
    // Forwarding (TTL) and netfilter (NAT) edit the IPv4 and transport headers in place: a node
    // that can do either edits its own copies, never the ones the previous link's snapshot holds.
    const nfEdits = this.nf.edits(n);
    if (nfEdits || isRouter(n.d)) ownHeaders(pkt, nfEdits);
    const ipH = pkt.headers[0] as Ipv4Header;
    // Only netfilter rewrites addresses and ports: elsewhere there is nothing to compare.
    const before = nfEdits ? flowOf(pkt) : undefined;
    const nat = this.nf.prerouting(n, pkt);
    if (nat.why.length) why.push(...nat.why);
    if (nat.reject === 'drop') return;
    if (nat.reject) {
      this.icmpError(n, iface === 'lo' ? undefined : iface, pkt, { proto: 'icmp', kind: 'dest_unreachable', code: 3, original: icmpQuote(encodeStack(pkt.headers).bytes) });
      return;
    }
    if (n.owns(ipH.dst)) {
      if (this.vxlanDecap(n, pkt, why)) return;
      const changes = before ? natChanges(before, flowOf(pkt)) : NO_CHANGES;
      this.trace.decided(this.now, n.name, 'in', 'receive', layersOf(pkt.headers), `${describe(pkt)} delivered locally`, pushed(why, `L3: destination ${ipH.dst} is local: deliver to ${transportName(pkt)}`), changes, pkt.id, n.d.source);
      this.deliver(n, pkt);
      return;
    }
    if (!isRouter(n.d)) {
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L3'], summary: `${ipH.dst} is not mine and ${n.name} does not forward: dropped`, details: why, packetId: pkt.id });
      return;
    }
    this.forward(n, iface === 'lo' ? undefined : iface, pkt, why, before, eth);
  }

  private forward(n: Node, inIface: Interface | undefined, pkt: Packet, why: string[], before: Flow | undefined, eth: EthernetHeader): void {
    const ipH = pkt.headers[0] as Ipv4Header;
    if (ipH.ttl <= 1) {
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L3'], summary: `TTL expired at ${n.name}: send ICMP time exceeded to ${ipH.src}`, details: [...why, `L3: TTL ${ipH.ttl} would reach 0; drop and answer ICMP type 11 code 0`], packetId: pkt.id, source: n.d.source });
      this.icmpError(n, inIface, pkt, { proto: 'icmp', kind: 'time_exceeded', code: 0, original: icmpQuote(encodeStack(pkt.headers).bytes) });
      return;
    }
    const lost = this.lostRoute(n, ipH.dst);
    const route = lost ? undefined : this.route(n, ipH.dst);
    if (!route) {
      // Linux (ip_route_input_slow, then ip_error): no matching entry is ENETUNREACH, answered
      // with ICMP type 3 code 0 to the sender.
      if (lost) {
        const entry = lost.route ? `${ip(lost.route.destination.address)}/${lost.route.destination.prefix}${lost.route.via !== undefined ? ` via ${ip(lost.route.via)}` : ''}` : `${ipH.dst} (connected on ${lost.iface.name})`;
        this.fault('no-route', n, `${n.name} has lost its route ${entry}: no entry matches ${ipH.dst}, so it drops the packet and answers ICMP network unreachable`, `ip route get ${ipH.dst} on ${n.name} ("Network is unreachable"); traceroute -n ${ipH.dst} stops at ${n.name} with !N`, pkt);
      }
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L3'], summary: `${n.name} has no route to ${ipH.dst}: ICMP network unreachable (type 3 code 0) to ${ipH.src}`, details: why, packetId: pkt.id, source: lost ? this.scenario.failures.find((f) => f.kind === 'no-route')?.source : n.d.source });
      this.icmpError(n, inIface, pkt, { proto: 'icmp', kind: 'dest_unreachable', code: 0, original: icmpQuote(encodeStack(pkt.headers).bytes) });
      return;
    }
    const ttlBefore = ipH.ttl;
    ipH.ttl -= 1;
    ipH.checksum = undefined;
    if (inIface && route.route && this.loopsHere(n, ipH.dst)) {
      // fail routing-loop: a static route here points back where the packet came from.
      why.push(`L3: TTL ${ttlBefore} -> ${ipH.ttl}, fail routing-loop: the route to ${ipH.dst} points back out ${inIface.name}, to the previous hop`);
      this.fault('routing-loop', n, `the route to ${ipH.dst} on ${n.name} points back to the previous hop: packets bounce until their TTL runs out`, `traceroute ${ipH.dst} (the same two routers repeat); ip route get ${ipH.dst} on ${n.name}`, pkt);
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'forward', layers: ['L2', 'L3'], summary: `${describe(pkt)}: TTL ${ttlBefore}->${ipH.ttl}, sent back out ${inIface.name}`, details: why, changes: [{ field: 'ip.ttl', before: String(ttlBefore), after: String(ipH.ttl) }], packetId: pkt.id, source: this.scenario.failures.find((f) => f.kind === 'routing-loop')?.source });
      this.sendIp(n, inIface, eth.src, pkt, []);
      return;
    }
    why.push(ttlLine(route, ttlBefore, ipH.ttl));
    this.nf.postrouting(n, pkt, route, why);
    const changes: Change[] = [TTL_CHANGES[ttlBefore]];
    if (before) natChanges(before, flowOf(pkt), changes);
    this.trace.transform(n.name, 'route', 'decrements TTL and rewrites both MAC addresses');
    if (route.overlay) { this.vxlanEncap(n, pkt, route, why, changes); return; }
    const outIface = route.iface;
    const blackhole = this.blackhole(outIface);
    const narrow = this.blackhole(outIface, 'small-mtu');
    const mtu = Math.min(this.mtuOf(outIface), blackhole ?? Infinity, narrow ?? Infinity);
    const size = frameLength(pkt.headers);
    if (size > mtu && blackhole !== undefined && ipH.dontFragment) {
      this.fault('mtu-blackhole', n, `${size}-byte packet does not fit the ${mtu}-byte MTU after ${outIface.name}, and the ICMP "fragmentation needed" is filtered: the packet vanishes`, `ping -M do -s ${mtu - 28 + 1} ${ipH.dst} fails while ping -M do -s ${mtu - 28} succeeds; tcpdump shows the big segment retransmitted`, pkt);
      return;
    }
    if (size > mtu) {
      if (ipH.dontFragment) {
        // RFC 1191: the router names the MTU that stopped the packet, so the sender can fit it.
        this.trace.event(this.now, { device: n.name, direction: 'out', kind: 'drop', layers: ['L3'], summary: `${size}-byte packet exceeds MTU ${mtu} of ${outIface.name} with DF set: ICMP fragmentation needed (type 3 code 4, next-hop MTU ${mtu}) to ${ipH.src}`, details: why, packetId: pkt.id, source: narrow !== undefined && narrow === mtu ? this.scenario.failures.find((f) => f.kind === 'small-mtu')?.source : n.d.source });
        this.icmpError(n, inIface, pkt, { proto: 'icmp', kind: 'dest_unreachable', code: 4, nextHopMtu: mtu, original: icmpQuote(encodeStack(pkt.headers).bytes) });
        return;
      }
      // Fragments would need reassembly at the receiver, which the simulation does not do:
      // say so rather than put an oversized frame on the wire.
      this.trace.simplify('IPv4 fragmentation of packets without DF is not simulated: such a packet is dropped with a note (the wire layer can encode fragments).');
      this.trace.event(this.now, { device: n.name, direction: 'out', kind: 'drop', layers: ['L3'], summary: `${size}-byte packet exceeds MTU ${mtu} of ${outIface.name} without DF: it would be fragmented (not simulated)`, details: why, packetId: pkt.id, source: n.d.source });
      return;
    }
    this.trace.decided(this.now, n.name, 'in', 'forward', L2_L3, `${describe(pkt)}: TTL ${ttlBefore}->${ipH.ttl}, out ${outIface.name}`, why, pushed(changes, { field: 'eth.src', before: eth.src, after: outIface.mac }), pkt.id, route.route?.source ?? n.d.source);
    this.resolveAndSend(n, outIface, route.nextHop === 0 ? ipH.dst : ip(route.nextHop), pkt, []);
  }

  /** The routing decision for `dst` on `n`. Routes never change during a journey, so each
   * (device, destination) is looked up once. */
  route(n: Node, dst: string): RouteChoice | undefined {
    let byDst = this.routes.get(n);
    if (!byDst) { byDst = new Map(); this.routes.set(n, byDst); }
    const known = byDst.get(dst);
    if (known !== undefined || byDst.has(dst)) return known;
    const a = parseIpv4Value(dst);
    const r = a.ok ? this.topo.route(n.d, a.value) : undefined;
    byDst.set(dst, r);
    return r;
  }

  mtuOf(i: Interface): number {
    const l = this.topo.linkOf(i);
    return i.mtu ?? l?.mtu ?? 1500;
  }

  /** Locally generated packet: route, then ARP and send (OUTPUT path). */
  output(n: Node, pkt: Packet, why: string[] = []): void {
    const ipH = pkt.headers[0] as Ipv4Header;
    if (ipH.dst.startsWith('127.') || n.owns(ipH.dst)) {
      this.sendIp(n, 'lo', '00:00:00:00:00:00', pkt, [...why, `L3: ${ipH.dst} is local: loopback`]);
      return;
    }
    const before = flowOf(pkt);
    this.nf.prerouting(n, pkt, true);
    const route = this.route(n, ipH.dst);
    if (!route) {
      this.trace.event(this.now, { device: n.name, direction: 'out', kind: 'drop', layers: ['L3'], summary: `${n.name} has no route to ${ipH.dst} (connect: Network is unreachable)`, packetId: pkt.id, source: n.d.source });
      return;
    }
    if (route.overlay) { this.vxlanEncap(n, pkt, route, why, natChanges(before, flowOf(pkt))); return; }
    this.resolveAndSend(n, route.iface, ip(route.nextHop), pkt, [...why, `L3: ${route.why}`]);
  }

  /** The source address a socket on `n` uses to reach `dst` (see sourceAddress). */
  sourceFor(n: Node, dst: string): string | undefined {
    if (dst.startsWith('127.')) return '127.0.0.1';
    const r = this.route(n, dst);
    if (!r) return undefined;
    if (r.overlay && n.vtep) return n.vtep.address;
    return sourceIp(r);
  }

  newIpHeader(n: Node, src: string, dst: string, df = true): Ipv4Header {
    n.ipId = (n.ipId + 1) & 0xffff;
    return { proto: 'ipv4', src, dst, ttl: LINUX.defaultTtl, identification: n.ipId, dontFragment: df, dscp: 0, ecn: 0 };
  }

  // ------------------------------------------------------------------ VXLAN

  private vxlanEncap(n: Node, pkt: Packet, route: RouteChoice, why: string[], changes: Change[]): void {
    const overlay = route.overlay;
    const cluster = n.d.node ? this.net.clusters.get(n.d.node.cluster) : undefined;
    const remote = overlay ? this.nodes.get(overlay.node.name) : undefined;
    if (!overlay || !cluster || !n.vtep || !remote?.vtep) return;
    // the VXLAN device's `local` when the node names its underlay, else the route's source
    const under = (n.d.node?.underlay !== undefined ? vtepInterface(n.d) : undefined) ?? route.iface;
    const outerSrc = under.address !== undefined ? ip(under.address) : '0.0.0.0';
    const outerDst = ip(overlay.vtepAddress);
    const inner = frameLength(pkt.headers);
    // Linux picks the outer UDP source port from a hash of the inner flow, inside the local port range.
    const t = this.nf.tupleOf(pkt);
    const hash = t ? fnv(`${t.src}|${t.sport}|${t.dst}|${t.dport}|${t.proto}`) : 0;
    const sport = LINUX.ephemeralLow + (hash % (LINUX.ephemeralHigh - LINUX.ephemeralLow + 1));
    const outer: Packet = {
      id: pkt.id,
      headers: [this.newIpHeader(n, outerSrc, outerDst, false), { proto: 'udp', srcPort: sport, dstPort: cluster.overlay.port, checksum: 0 }, { proto: 'vxlan', vni: cluster.overlay.vni }, { proto: 'ethernet', src: n.vtep.mac, dst: remote.vtep.mac }, ...pkt.headers],
      meta: pkt.meta,
    };
    why.push(`VXLAN: ${n.vtep.name} wraps the ${inner}-byte packet in Ethernet+IPv4+UDP+VXLAN (50 bytes): ${outerSrc} -> ${outerDst} UDP ${sport} -> ${cluster.overlay.port}, VNI ${cluster.overlay.vni}`);
    this.trace.decided(this.now, n.name, 'out', 'vxlan', L2_L3_L4, `VXLAN encapsulate for ${overlay.node.name}: outer ${outerSrc} -> ${outerDst}, VNI ${cluster.overlay.vni}`, why, pushed(changes, VXLAN_ADDED), pkt.id, cluster.source);
    this.trace.transform(n.name, 'VXLAN encap', `adds outer Ethernet/IPv4/UDP(${cluster.overlay.port})/VXLAN(VNI ${cluster.overlay.vni}) headers: +50 bytes`);
    const r2 = this.route(n, outerDst);
    if (!r2) return;
    if (this.failing('overlay-broken')) {
      this.fault('overlay-broken', n, `VXLAN (UDP ${cluster.overlay.port}) from ${outerSrc} to ${outerDst} is blocked between the nodes: pod traffic across nodes is lost`, `ping ${ip(overlay.node.interfaces.find((i) => i.address !== undefined)?.address ?? 0)} works but ping to a pod on ${overlay.node.name} does not; tcpdump -ni any udp port ${cluster.overlay.port} on ${overlay.node.name}`, pkt);
      return;
    }
    this.resolveAndSend(n, r2.iface, ip(r2.nextHop), outer, []);
  }

  private vxlanDecap(n: Node, pkt: Packet, why: string[]): boolean {
    const [, udp, vx, innerEth] = pkt.headers;
    if (udp?.proto !== 'udp' || vx?.proto !== 'vxlan' || innerEth?.proto !== 'ethernet' || !n.vtep) return false;
    const inner: Packet = { id: pkt.id, headers: pkt.headers.slice(4), meta: pkt.meta };
    this.trace.decided(this.now, n.name, 'in', 'vxlan', L2_L3_L4, `VXLAN decapsulate (VNI ${vx.vni}): inner ${describe(inner)}`, pushed(why, `VXLAN: UDP ${udp.dstPort} is the VXLAN port; strip 50 bytes of outer headers; inner frame enters ${n.vtep.name}`), [VXLAN_REMOVED], pkt.id, undefined);
    this.trace.transform(n.name, 'VXLAN decap', 'removes the outer Ethernet/IPv4/UDP/VXLAN headers');
    const vtepIface: Interface = { name: n.vtep.name, device: n.name, mac: n.vtep.mac, source: n.d.source };
    this.ipInput(n, vtepIface, inner, innerEth, [`L2: inner destination MAC ${innerEth.dst} is ${n.vtep.name}`]);
    return true;
  }

  // ------------------------------------------------------------------ ICMP and delivery

  private icmpError(n: Node, inIface: Interface | undefined, pkt: Packet, msg: IcmpMessage): void {
    const orig = pkt.headers[0] as Ipv4Header;
    if (orig.src.startsWith('127.')) return;
    const src = inIface?.address !== undefined ? ipToward(inIface, orig.src) : this.sourceFor(n, orig.src);
    if (!src) return;
    // Linux rate-limits ICMP errors (icmp_ratelimit, 1 per second per destination): modelled as no limit.
    const out: Packet = { id: this.newPacketId(), headers: [this.newIpHeader(n, src, orig.src, false), msg], meta: {} };
    this.output(n, out, [`ICMP: ${msg.kind === 'time_exceeded' ? 'time exceeded' : 'destination unreachable'} to ${orig.src}`]);
  }

  private deliver(n: Node, pkt: Packet): void {
    const ipH = pkt.headers[0] as Ipv4Header;
    const l4 = pkt.headers[1];
    if (l4?.proto === 'udp') {
      const h = n.udp.get(l4.dstPort);
      if (h) { h(pkt, { ip: ipH.src, port: l4.srcPort }, { ip: ipH.dst, port: l4.dstPort }); return; }
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L4'], summary: `No socket on UDP ${l4.dstPort}: ICMP port unreachable`, packetId: pkt.id });
      this.icmpError(n, undefined, pkt, { proto: 'icmp', kind: 'dest_unreachable', code: 3, original: icmpQuote(encodeStack(pkt.headers).bytes) });
      return;
    }
    if (l4?.proto === 'tcp') {
      if (l4.flags.syn && !l4.flags.ack && n.dropSyn.has(l4.dstPort)) {
        this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L3', 'L4'], summary: `firewall: -p tcp --dport ${l4.dstPort} --syn -j DROP: SYN silently dropped`, details: ['fail syn-drop: no RST, no ICMP: the client can only wait and retransmit'], packetId: pkt.id, source: this.scenario.failures.find((f) => f.kind === 'syn-drop')?.source });
        return;
      }
      const conn = n.tcp.get(n.tcpKey(ipH.dst, l4.dstPort, ipH.src, l4.srcPort));
      if (conn) { conn(pkt, l4, ipH.src, ipH.dst); return; }
      const listener = l4.flags.syn && !l4.flags.ack ? n.tcpListeners.get(l4.dstPort) : undefined;
      if (listener) { listener(pkt, l4, ipH.src, ipH.dst); return; }
      if (l4.flags.rst) return;
      this.trace.event(this.now, { device: n.name, direction: 'in', kind: 'tcp', layers: ['L4'], summary: `Nothing listens on TCP ${l4.dstPort}: answer RST`, packetId: pkt.id });
      const seqLen = (l4.flags.syn ? 1 : 0) + (l4.flags.fin ? 1 : 0) + payloadLength(pkt);
      const rst: Packet = { id: this.newPacketId(), headers: [this.newIpHeader(n, ipH.dst, ipH.src), { proto: 'tcp', srcPort: l4.dstPort, dstPort: l4.srcPort, seq: l4.flags.ack ? l4.ack : 0, ack: (l4.seq + seqLen) >>> 0, flags: { rst: true, ack: !l4.flags.ack }, window: 0 }], meta: {} };
      this.output(n, rst);
      return;
    }
    if (l4?.proto === 'icmp') {
      for (const h of n.icmpListeners) h(pkt, l4);
    }
  }
}

// ------------------------------------------------------------------ helpers

// The reasons below repeat for every frame at a hop: made once, and then one shared string
// in every event that gives them (less to build and less for the garbage collector to copy).
// Keyed by model objects (an interface, a route choice), so they go with the network.
// The layer lists of the events every hop makes, shared (the builder takes them as they are).
const sharedLayers = (...names: string[]): string[] => commonLayers(names) ?? names;
const L2_ONLY = sharedLayers('L2');
const L2_L3 = sharedLayers('L2', 'L3');
const L2_L3_L4 = sharedLayers('L2', 'L3', 'L4');

const VXLAN_ADDED: Change = { field: 'outer headers', before: '(none)', after: 'eth+ip+udp+vxlan, +50 bytes' };
const VXLAN_REMOVED: Change = { field: 'outer headers', before: 'eth+ip+udp+vxlan', after: '(removed)' };
/** The TTL change of a forward, one shared object per TTL (changes are never edited). */
const TTL_CHANGES: Change[] = Array.from({ length: 256 }, (_, t) => ({ field: 'ip.ttl', before: String(t), after: String(t - 1) }));

const L2_BROADCAST = `L2: destination MAC ${BROADCAST} is broadcast, accept; strip Ethernet`;

// Behind the caches by model object, caches by the values a line is made of: the editor builds a
// new network on every edit, so a cache by model object starts empty on every trace, while the
// same file (or one edited elsewhere) gives the same lines again. Bounded: a cache that has
// grown past its limit starts again.
const LINE_KEYS = 4096;
const LINES_PER_KEY = 4096;
/** `m`'s entry for `k`, made when missing; a map grown past LINE_KEYS entries starts again. */
function entry<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    if (m.size >= LINE_KEYS) m.clear();
    v = make();
    m.set(k, v);
  }
  return v;
}
const newLines = (): Map<number, string> => new Map();

/** L1 lines by link rate, then latency (the per-run map holds one of these per link). */
const wiredByRate = new Map<number, Map<number, Map<number, string>>>();
const wiredLines = (bandwidthBps: number, latencyMs: number): Map<number, string> =>
  entry(entry(wiredByRate, bandwidthBps, () => new Map<number, Map<number, string>>()), latencyMs, newLines);

/** An interface's MAC never changes: the frames it accepts (unicast) are all for that MAC. */
const l2Accept = new WeakMap<Interface, string>();
const l2AcceptByMac = new Map<string, Map<string, string>>();
function l2AcceptLine(iface: Interface, mac: string): string {
  const byName = entry(l2AcceptByMac, mac, () => new Map<string, string>());
  let line = byName.get(iface.name);
  if (line === undefined) {
    line = `L2: destination MAC ${mac} is mine (${iface.name}), accept; strip Ethernet`;
    byName.set(iface.name, line);
  }
  l2Accept.set(iface, line);
  return line;
}

const ttlLines = new WeakMap<RouteChoice, Map<number, string>>();
/** By the route's reason: the same table entry gives the same text in every trace. */
const ttlLinesByWhy = new Map<string, Map<number, string>>();
function ttlLine(route: RouteChoice, before: number, after: number): string {
  let byTtl = ttlLines.get(route);
  if (!byTtl) { byTtl = entry(ttlLinesByWhy, route.why, newLines); ttlLines.set(route, byTtl); }
  // after is always before - 1 here; keyed by both so a caller that differs cannot share a line
  const k = before * 256 + after;
  let line = byTtl.get(k);
  if (line === undefined) { line = `L3: TTL ${before} -> ${after}, ${route.why}`; byTtl.set(k, line); }
  return line;
}

/** By next hop, then MAC; bounded (a long-lived language server traces many networks). */
const arpHits = new BoundedMap<string, Map<string, string>>(4096);
function arpHitLine(nextHop: string, mac: string): string {
  let byMac = arpHits.get(nextHop);
  if (!byMac) {
    byMac = new Map();
    arpHits.set(nextHop, byMac);
  }
  let line = byMac.get(mac);
  if (line === undefined) { line = `ARP: ${nextHop} is at ${mac} (cached)`; byMac.set(mac, line); }
  return line;
}

function interfaceNamed(d: Device, name: string): Interface | undefined {
  for (const i of d.interfaces) if (i.name === name) return i;
  return undefined;
}

/** Forwarding only ever replaces top-level fields of the packet's IPv4 header (TTL, checksum),
 * and netfilter those of the transport header after it too (ports, checksum): shallow copies
 * of what the node may edit are enough, and payloads are shared by every hop. */
function ownHeaders(pkt: Packet, transportToo: boolean): void {
  const h = pkt.headers;
  if (h[0]?.proto === 'ipv4') h[0] = copyIpv4(h[0]);
  const l4 = h[1];
  if (!transportToo || !l4) return;
  if (l4.proto === 'tcp') h[1] = copyTcp(l4);
  else if (l4.proto === 'udp') h[1] = copyUdp(l4);
  else if (l4.proto === 'icmp') h[1] = { ...l4 };
}

type Flow = { src: string; dst: string; sport: number | undefined; dport: number | undefined };
const NO_CHANGES: Change[] = [];

function pushed<T>(xs: T[], x: T): T[] {
  xs.push(x);
  return xs;
}

/** Addresses and ports of a packet (the ports undefined without TCP or UDP), in one shape. */
function flowOf(p: Packet): Flow {
  const ipH = p.headers[0] as Ipv4Header;
  const l4 = p.headers[1];
  return l4?.proto === 'tcp' || l4?.proto === 'udp' ? { src: ipH.src, dst: ipH.dst, sport: l4.srcPort, dport: l4.dstPort } : { src: ipH.src, dst: ipH.dst, sport: undefined, dport: undefined };
}

export function ports(p: Packet): { sport?: number; dport?: number } {
  const l4 = p.headers[1];
  return l4?.proto === 'tcp' || l4?.proto === 'udp' ? { sport: l4.srcPort, dport: l4.dstPort } : {};
}



export function payloadLength(p: Packet): number {
  let n = 0;
  for (let i = 2; i < p.headers.length; i++) n += headerLength(p.headers[i]);
  return n;
}

const LAYER_NAMES = ['L2', 'L3', 'L4', 'TLS', 'L7'] as const;
/** Layer lists by the order their layers first appear (a few dozen exist): events share them. */
const layerLists = new Map<number, string[]>();

function layerIndex(proto: Header['proto']): number {
  switch (proto) {
    case 'ethernet': case 'arp': case 'vxlan': return 0;
    case 'ipv4': case 'icmp': return 1;
    case 'tcp': case 'udp': return 2;
    case 'tls': return 3;
    case 'raw': return -1;
    default: return 4;
  }
}

export function layersOf(headers: Header[]): string[] {
  let seen = 0;
  let key = 0;
  for (const h of headers) {
    const i = layerIndex(h.proto);
    if (i < 0 || seen & (1 << i)) continue;
    seen |= 1 << i;
    key = key * 6 + i + 1;
  }
  let list = layerLists.get(key);
  if (!list) {
    const names: string[] = [];
    for (let k = key; k > 0; k = Math.floor(k / 6)) names.unshift(LAYER_NAMES[(k % 6) - 1]);
    // the builder's own copy of the list: events take it without looking at its names
    list = commonLayers(names) ?? names;
    layerLists.set(key, list);
  }
  return list;
}

/** "SYN,ACK" and the like for each combination of the five flags describe() names. */
const TCP_FLAG_TEXT = Array.from({ length: 32 }, (_, m) => ['SYN', 'FIN', 'RST', 'PSH', 'ACK'].filter((_f, i) => m & (1 << i)).join(','));

/** What a packet's description was made of, by packet id: the packet crosses hop after hop
 * with the same addresses, ports and flags (each router edits its own copy of the headers, so
 * identity tells nothing), and other packets' events come in between. Only values are kept
 * (no headers: nothing of a trace outlives it here); stale entries (a new trace, NAT) fail the
 * comparison and are made again. */
interface Described { src: string; dst: string; l4: number; sport: number; dport: number; flags: number; icmp: string | undefined; apps: number; text: string }
const descriptions = new BoundedMap<number, Described>(4096);

/** Header kinds 1..13 for protoSignature's digits. */
const PROTO_DIGIT: Record<Header['proto'], number> = { ethernet: 1, arp: 2, ipv4: 3, icmp: 4, udp: 5, tcp: 6, dns: 7, tls: 8, http1: 9, http2: 10, vxlan: 11, pgsql: 12, raw: 13 };

/** The protocols of headers [from, end) as base-16 digits; -1 past what a number holds exactly. */
function protoSignature(h: readonly Header[], from: number): number {
  if (h.length - from > 13) return -1;
  let sig = 0;
  for (let i = from; i < h.length; i++) sig = sig * 16 + PROTO_DIGIT[h[i].proto];
  return sig;
}

export function describe(p: Packet): string {
  const h = p.headers;
  const first = h[0];
  if (first?.proto !== 'ipv4') return describeOnce(p);
  const l4 = h[1];
  const sport = l4?.proto === 'tcp' || l4?.proto === 'udp' ? l4.srcPort : -1;
  const dport = l4?.proto === 'tcp' || l4?.proto === 'udp' ? l4.dstPort : -1;
  const flags = l4?.proto === 'tcp' ? tcpFlagMask(l4) : -1;
  const icmp = l4?.proto === 'icmp' ? l4.kind : undefined;
  const kind = l4 ? PROTO_DIGIT[l4.proto] : 0;
  const apps = protoSignature(h, 2);
  const d = descriptions.get(p.id);
  if (d && apps >= 0 && d.apps === apps && d.src === first.src && d.dst === first.dst && d.l4 === kind && d.sport === sport && d.dport === dport && d.flags === flags && d.icmp === icmp) return d.text;
  const text = describeOnce(p);
  if (d) { d.src = first.src; d.dst = first.dst; d.l4 = kind; d.sport = sport; d.dport = dport; d.flags = flags; d.icmp = icmp; d.apps = apps; d.text = text; }
  else descriptions.set(p.id, { src: first.src, dst: first.dst, l4: kind, sport, dport, flags, icmp, apps, text });
  return text;
}

function tcpFlagMask(l4: TcpHeader): number {
  const fl = l4.flags;
  return (fl.syn ? 1 : 0) | (fl.fin ? 2 : 0) | (fl.rst ? 4 : 0) | (fl.psh ? 8 : 0) | (fl.ack ? 16 : 0);
}

function describeOnce(p: Packet): string {
  const h = p.headers;
  const ipH = h[0];
  if (ipH?.proto === 'arp') return `ARP ${ipH.operation === 1 ? 'request' : 'reply'}`;
  if (ipH?.proto !== 'ipv4') return 'frame';
  const l4 = h[1];
  let app = '';
  for (let i = 2; i < h.length; i++) if (h[i].proto !== 'raw') app += app ? `/${h[i].proto}` : h[i].proto;
  if (l4?.proto === 'tcp') {
    const f = TCP_FLAG_TEXT[tcpFlagMask(l4)];
    return `${ipH.src}:${l4.srcPort} -> ${ipH.dst}:${l4.dstPort} TCP [${f}]${app ? ` ${app}` : ''}`;
  }
  if (l4?.proto === 'udp') return `${ipH.src}:${l4.srcPort} -> ${ipH.dst}:${l4.dstPort} UDP${app ? ` ${app}` : ''}`;
  if (l4?.proto === 'icmp') return `${ipH.src} -> ${ipH.dst} ICMP ${l4.kind.replace('_', ' ')}`;
  return `${ipH.src} -> ${ipH.dst}`;
}

function transportName(p: Packet): string {
  const l4 = p.headers[1];
  return l4?.proto === 'tcp' ? `TCP port ${l4.dstPort}` : l4?.proto === 'udp' ? `UDP port ${l4.dstPort}` : l4?.proto ?? 'IP';
}

export function fmtMs(ms: number): string {
  return ms >= 1 ? `${(Math.round(ms * 1000) / 1000).toString()}ms` : `${Math.round(ms * 1000 * 1000) / 1000}us`;
}

function rate(bps: number): string {
  return bps >= 1e9 ? `${bps / 1e9}Gbps` : bps >= 1e6 ? `${bps / 1e6}Mbps` : `${bps / 1e3}Kbps`;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

