// Netfilter as the simulation needs it: conntrack (entries, timeouts, RELATED ICMP), NAT
// (masquerade with port preservation or random ports, DNAT rules) and kube-proxy's iptables
// rules (ClusterIP and NodePort DNAT, masquerade, REJECT without endpoints).
import { internetChecksum, type Ipv4Header, type TcpHeader, type UdpHeader } from '../wire';
import { ip, masqueradeIp, type RouteChoice } from '../model/topology';
import type { Change } from '../trace/types';
import type { Node, Packet, Sim } from './engine';
import { LINUX } from './constants';

export interface CtTuple { proto: number; src: string; sport: number; dst: string; dport: number }
export interface CtEntry { orig: CtTuple; reply: CtTuple; created: number; lastSeen: number; timeoutMs: number; replied: boolean; why: string[] }

/** Whether `a` is the flow `b`, field by field: every packet through a conntrack device is
 * matched against its entries, and a key string per packet costs more than the compares. */
function sameTuple(a: CtTuple, b: CtTuple): boolean {
  return a.sport === b.sport && a.dport === b.dport && a.src === b.src && a.dst === b.dst && a.proto === b.proto;
}

/** Whether `a` is the flow `b` seen from the other end (its reply direction). */
function reverseTuple(a: CtTuple, b: CtTuple): boolean {
  return a.sport === b.dport && a.dport === b.sport && a.src === b.dst && a.dst === b.src && a.proto === b.proto;
}

export function fmtTuple(t: CtTuple): string { return `${t.src}:${t.sport} -> ${t.dst}:${t.dport}`; }

/** The address and port rewrites from `a` to `b`, appended to `out` (a fresh list by default). */
export function natChanges(a: { src: string; dst: string; sport?: number; dport?: number }, b: { src: string; dst: string; sport?: number; dport?: number }, out: Change[] = []): Change[] {
  if (a.src !== b.src) out.push({ field: 'ip.src', before: a.src, after: b.src });
  if (a.dst !== b.dst) out.push({ field: 'ip.dst', before: a.dst, after: b.dst });
  if (a.sport !== b.sport) out.push({ field: 'l4.srcport', before: String(a.sport), after: String(b.sport) });
  if (a.dport !== b.dport) out.push({ field: 'l4.dstport', before: String(a.dport), after: String(b.dport) });
  return out;
}

/** The flow an ICMP error is about: the quoted IP header and the first 8 bytes after it. */
export function quotedTuple(q: Uint8Array): CtTuple | undefined {
  const ihl = (q[0] & 0x0f) * 4;
  if (q.length < ihl + 4) return undefined;
  const addr = (o: number): string => `${q[o]}.${q[o + 1]}.${q[o + 2]}.${q[o + 3]}`;
  return { proto: q[9], src: addr(12), sport: (q[ihl] << 8) | q[ihl + 1], dst: addr(16), dport: (q[ihl + 2] << 8) | q[ihl + 3] };
}

/** PREROUTING's answer on a device without conntrack (most hops): shared, never written to. */
const NOTHING: { why: string[] } = Object.freeze({ why: Object.freeze([]) as unknown as string[] });

export class Netfilter {
  constructor(private readonly sim: Sim) {}

  tupleOf(pkt: Packet): CtTuple | undefined {
    const ipH = pkt.headers[0] as Ipv4Header;
    const l4 = pkt.headers[1];
    if (l4?.proto === 'tcp' || l4?.proto === 'udp') return { proto: l4.proto === 'tcp' ? 6 : 17, src: ipH.src, sport: l4.srcPort, dst: ipH.dst, dport: l4.dstPort };
    return undefined;
  }

  /** Whether this node's netfilter may rewrite packets (conntrack, NAT, kube-proxy). */
  edits(n: Node): boolean { return this.tracksConnections(n); }

  private tracksConnections(n: Node): boolean {
    return !!n.d.nat || n.d.dnat.length > 0 || n.d.kind === 'node';
  }

  private setTuple(pkt: Packet, t: CtTuple): void {
    const ipH = pkt.headers[0] as Ipv4Header;
    const l4 = pkt.headers[1] as TcpHeader | UdpHeader;
    ipH.src = t.src; ipH.dst = t.dst; ipH.checksum = undefined;
    l4.srcPort = t.sport; l4.dstPort = t.dport; l4.checksum = undefined;
  }

  /** PREROUTING: existing connections are translated by conntrack; new ones may be DNATed. */
  prerouting(n: Node, pkt: Packet, local = false): { why: string[]; reject?: boolean | 'drop' } {
    if (!this.tracksConnections(n)) return NOTHING;
    const why: string[] = [];
    const t = this.tupleOf(pkt);
    if (!t) { this.relatedIcmp(n, pkt, why); return { why }; }
    this.expire(n);
    for (const e of n.conntrack) {
      if (sameTuple(e.orig, t)) {
        e.lastSeen = this.sim.now;
        const nt: CtTuple = { proto: t.proto, src: t.src, sport: t.sport, dst: e.reply.src, dport: e.reply.sport };
        if (nt.dst !== t.dst || nt.dport !== t.dport) { this.setTuple(pkt, nt); why.push(`conntrack: established flow, DNAT ${t.dst}:${t.dport} -> ${nt.dst}:${nt.dport}`); }
        else why.push('conntrack: established flow');
        pkt.meta.ct = e;
        pkt.meta.ctDir = 'orig';
        return { why };
      }
      if (sameTuple(e.reply, t)) {
        pkt.meta.ct = e;
        pkt.meta.ctDir = 'reply';
        e.lastSeen = this.sim.now;
        e.replied = true;
        const nt: CtTuple = { proto: t.proto, src: e.orig.dst, sport: e.orig.dport, dst: e.orig.src, dport: e.orig.sport };
        this.setTuple(pkt, nt);
        const parts: string[] = [];
        if (nt.src !== t.src || nt.sport !== t.sport) parts.push(`source ${t.src}:${t.sport} -> ${nt.src}:${nt.sport}`);
        if (nt.dst !== t.dst || nt.dport !== t.dport) parts.push(`destination ${t.dst}:${t.dport} -> ${nt.dst}:${nt.dport}`);
        why.push(`conntrack: reply of ${fmtTuple(e.orig)}; reverse NAT: ${parts.join(', ') || 'nothing to translate'}`);
        this.sim.trace.event(this.sim.now, { device: n.name, direction: 'in', kind: 'nat', layers: ['L3', 'L4'], summary: `de-NAT: ${parts.join(', ')}`, changes: natChanges({ src: t.src, dst: t.dst, sport: t.sport, dport: t.dport }, { src: nt.src, dst: nt.dst, sport: nt.sport, dport: nt.dport }), packetId: pkt.id, source: n.d.nat?.source ?? n.d.source });
        if (parts.length) this.sim.trace.transform(n.name, 'de-NAT', 'reverses the translation for replies (conntrack)');
        return { why };
      }
    }
    if (local) return { why };
    if (n.d.nat && this.sim.failing('conntrack-full', n.name)) {
      this.sim.fault('conntrack-full', n, `nf_conntrack: table full (${n.d.nat.maxEntries} entries), dropping packet of a new flow ${fmtTuple(t)}`, `dmesg | grep nf_conntrack; conntrack -C vs sysctl net.netfilter.nf_conntrack_max on ${n.name}`, pkt);
      return { why, reject: 'drop' };
    }
    // New flow: DNAT rules of the device, then kube-proxy's Service rules on a node.
    for (const r of n.d.dnat) {
      if (ip(r.match.address) !== t.dst || (r.match.port !== undefined && r.match.port !== t.dport)) continue;
      const nt: CtTuple = { proto: t.proto, src: t.src, sport: t.sport, dst: ip(r.target.address), dport: r.target.port ?? t.dport };
      this.setTuple(pkt, nt);
      why.push(`DNAT: rule "dnat ${ip(r.match.address)}${r.match.port ? `:${r.match.port}` : ''} to ${ip(r.target.address)}${r.target.port ? `:${r.target.port}` : ''}": destination ${t.dst}:${t.dport} -> ${nt.dst}:${nt.dport}`);
      this.sim.trace.event(this.sim.now, { device: n.name, direction: 'in', kind: 'dnat', layers: ['L3'], summary: `DNAT ${t.dst}:${t.dport} -> ${nt.dst}:${nt.dport}`, changes: natChanges(t, nt), packetId: pkt.id, source: r.source });
      this.sim.trace.transform(n.name, 'DNAT', `rewrites destination ${ip(r.match.address)} to ${ip(r.target.address)}`);
      this.track(n, t, nt, pkt, why);
      return { why };
    }
    const kp = this.kubeProxy(n, t, pkt);
    if (kp?.reject) return { why: kp.why, reject: true };
    if (kp) {
      why.push(...kp.why);
      this.track(n, t, kp.tuple, pkt, why);
    }
    return { why };
  }

  /** An ICMP error about a translated flow is RELATED to its conntrack entry: Linux rewrites
   * the outer destination and the quoted packet inside, so the error reaches the real sender. */
  private relatedIcmp(n: Node, pkt: Packet, why: string[]): void {
    const ipH = pkt.headers[0] as Ipv4Header;
    const icmp = pkt.headers[1];
    if (icmp?.proto !== 'icmp' || (icmp.kind !== 'time_exceeded' && icmp.kind !== 'dest_unreachable')) return;
    const q = icmp.original;
    const ihl = (q[0] & 0x0f) * 4;
    const quoted = quotedTuple(q);
    if (!quoted) return;
    // The error is about a packet of the original direction (it goes back to the client behind
    // a masquerade), or of the reply direction (back to the server behind a DNAT: a router
    // beyond the NAT found the server's answer too big for its next hop).
    const byOrig = n.conntrack.find((x) => reverseTuple(x.reply, quoted));
    const byReply = byOrig ? undefined : n.conntrack.find((x) => reverseTuple(x.orig, quoted));
    const e = byOrig ?? byReply;
    if (!e) return;
    const sender = byOrig ? { ip: e.orig.src, port: e.orig.sport } : { ip: e.reply.src, port: e.reply.sport };
    if (sender.ip === quoted.src && sender.port === quoted.sport) return; // nothing was translated
    const fixed = q.slice();
    const put = (o: number, a: string): void => { a.split('.').forEach((b, i) => { fixed[o + i] = Number(b); }); };
    put(12, sender.ip);
    fixed[ihl] = sender.port >> 8; fixed[ihl + 1] = sender.port & 255;
    fixed[10] = 0; fixed[11] = 0;
    const sum = internetChecksum(fixed.subarray(0, ihl));
    fixed[10] = sum >> 8; fixed[11] = sum & 255;
    const before = ipH.dst;
    ipH.dst = sender.ip;
    ipH.checksum = undefined;
    pkt.headers[1] = { ...icmp, original: fixed, checksum: undefined };
    why.push(`conntrack: ICMP error RELATED to ${fmtTuple(e.orig)}: destination ${before} -> ${sender.ip}, quoted packet translated back`);
    this.sim.trace.event(this.sim.now, { device: n.name, direction: 'in', kind: 'nat', layers: ['L3'], summary: `ICMP ${icmp.kind.replace('_', ' ')} related to a NATed flow: forwarded to ${sender.ip}`, changes: [{ field: 'ip.dst', before, after: sender.ip }], packetId: pkt.id, source: n.d.nat?.source ?? n.d.dnat[0]?.source ?? n.d.source });
  }

  private kubeProxy(n: Node, t: CtTuple, pkt: Packet): { tuple: CtTuple; why: string[]; reject?: boolean } | undefined {
    if (n.d.kind !== 'node' || !n.d.node) return undefined;
    const cluster = n.d.node.cluster;
    for (const s of this.sim.net.services.values()) {
      if (s.cluster !== cluster || (s.protocol === 'tcp' ? 6 : 17) !== t.proto) continue;
      const clusterHit = s.clusterIp !== undefined && ip(s.clusterIp) === t.dst && s.port === t.dport;
      const nodePortHit = s.nodePort !== undefined && s.nodePort === t.dport && n.owns(t.dst);
      if (!clusterHit && !nodePortHit) continue;
      const chain = nodePortHit ? `KUBE-NODEPORTS -> KUBE-SVC (${s.name})` : `KUBE-SERVICES -> KUBE-SVC (${s.name})`;
      const endpoints = this.sim.failing('no-endpoints', s.name) ? [] : s.endpoints;
      if (endpoints.length === 0) {
        if (this.sim.failing('no-endpoints', s.name)) this.sim.fault('no-endpoints', n, `Service ${s.name} has no ready endpoints`, `kubectl get endpoints ${s.name} (empty); kubectl get pods -l ${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',')}`);
        this.sim.trace.event(this.sim.now, { device: n.name, direction: 'in', kind: 'drop', layers: ['L3', 'L4'], summary: `kube-proxy: Service ${s.name} has no endpoints: REJECT with ICMP port unreachable`, details: [`kube-proxy: ${chain}: no endpoints`, 'detect with: kubectl get endpoints ' + s.name], packetId: pkt.id, source: s.source });
        return { tuple: t, why: [`kube-proxy: ${chain}: no endpoints; REJECT`], reject: true };
      }
      const pick = endpoints[this.sim.rng.int(0, endpoints.length - 1)];
      const pod = this.sim.net.devices.get(pick);
      const podIp = pod?.interfaces[0]?.address;
      if (podIp === undefined) return undefined;
      // fail wrong-port: the Service's targetPort names a port no container listens on.
      const wrong = this.sim.failing('wrong-port', s.name);
      const targetPort = wrong ? (wrong.args[1] ? Number(wrong.args[1]) : s.targetPort + 1) : s.targetPort;
      if (wrong) this.sim.fault('wrong-port', n, `Service ${s.name} sends to port ${targetPort}, where nothing in ${pick} listens`, `kubectl describe svc ${s.name} (targetPort) vs the container's port; kubectl get endpoints ${s.name}`);
      const nt: CtTuple = { proto: t.proto, src: t.src, sport: t.sport, dst: ip(podIp), dport: targetPort };
      this.setTuple(pkt, nt);
      if (nodePortHit) pkt.meta.masquerade = true;
      const why = [`kube-proxy (iptables): ${chain}: endpoint ${pick} chosen at random among ${endpoints.length}; DNAT ${t.dst}:${t.dport} -> ${nt.dst}:${nt.dport}${nodePortHit ? '; marked for masquerade (externalTrafficPolicy: Cluster)' : ''}`];
      this.sim.trace.event(this.sim.now, { device: n.name, direction: 'in', kind: 'dnat', layers: ['L3', 'L4'], summary: `kube-proxy DNAT ${t.dst}:${t.dport} -> ${pick} ${nt.dst}:${nt.dport}`, changes: natChanges(t, nt), packetId: pkt.id, source: s.source });
      this.sim.trace.transform(n.name, 'kube-proxy DNAT', `Service ${s.name}: destination ${nodePortHit ? `NodePort ${s.nodePort}` : `${t.dst}:${t.dport}`} -> pod ${nt.dst}:${nt.dport}`);
      return { tuple: nt, why };
    }
    return undefined;
  }

  /** Idle conntrack entries time out (UDP 30 s, established TCP 5 days by default). Under
   * `fail nat-expiry` the NAT forgets TCP mappings that sat idle for half the interval. */
  private expire(n: Node): void {
    const early = n.d.nat && this.sim.failing('nat-expiry', n.name) ? this.sim.scenario.intervalMs / 2 : undefined;
    for (let i = n.conntrack.length - 1; i >= 0; i--) {
      const e = n.conntrack[i];
      const limit = e.orig.proto === 6 && early !== undefined ? early : e.timeoutMs;
      if (this.sim.now - e.lastSeen <= limit) continue;
      n.conntrack.splice(i, 1);
      if (early !== undefined && e.orig.proto === 6 && e.reply.dst !== e.orig.src) {
        this.sim.fault('nat-expiry', n, `the NAT mapping ${fmtTuple(e.orig)} -> ${e.reply.dst}:${e.reply.dport} expired after ${Math.round(this.sim.now - e.lastSeen)} ms idle: the next packet gets a new mapping the server does not know`, `conntrack -L on ${n.name} (the entry is gone); sysctl net.netfilter.nf_conntrack_tcp_timeout_established; tcpdump: the server answers RST`);
      } else {
        this.sim.trace.event(this.sim.now, { device: n.name, direction: 'local', kind: 'nat', layers: ['L3'], summary: `conntrack entry ${fmtTuple(e.orig)} expired after ${Math.round((this.sim.now - e.lastSeen) / 1000)} s idle` });
      }
    }
  }

  private track(n: Node, orig: CtTuple, now: CtTuple, pkt: Packet, why: string[]): CtEntry {
    const timeoutMs = (orig.proto === 17 ? (n.d.nat?.udpTimeoutS ?? LINUX.udpTimeoutS) : (n.d.nat?.tcpTimeoutS ?? LINUX.tcpEstablishedTimeoutS)) * 1000;
    const e: CtEntry = { orig, reply: { proto: orig.proto, src: now.dst, sport: now.dport, dst: now.src, dport: now.sport }, created: this.sim.now, lastSeen: this.sim.now, timeoutMs, replied: false, why };
    n.conntrack.push(e);
    pkt.meta.ct = e;
    pkt.meta.ctDir = 'orig';
    return e;
  }

  /** POSTROUTING: source NAT (masquerade) for packets leaving the NAT's `out` interface or
   * marked by kube-proxy. The conntrack entry learns the translated reply tuple. */
  postrouting(n: Node, pkt: Packet, route: RouteChoice, why: string[]): void {
    // no conntrack, no NAT: nothing marks a packet here, and marks never arrive from elsewhere
    if (!this.tracksConnections(n)) return;
    const t = this.tupleOf(pkt);
    if (!t) return;
    const ct = pkt.meta.ct;
    // A reply was translated back in PREROUTING already.
    if (ct && pkt.meta.ctDir === 'reply') return;
    if (ct && !reverseTuple(ct.reply, t)) {
      // An established flow already translated: apply the same source translation.
      const nt: CtTuple = { proto: t.proto, src: ct.reply.dst, sport: ct.reply.dport, dst: t.dst, dport: t.dport };
      if (nt.src !== t.src || nt.sport !== t.sport) { this.setTuple(pkt, nt); why.push(`NAT: established mapping, source ${t.src}:${t.sport} -> ${nt.src}:${nt.sport}`); }
      return;
    }
    const masq = (n.d.nat && n.d.nat.out === route.iface.name) || pkt.meta.masquerade;
    if (!masq) {
      if (this.tracksConnections(n) && !ct) this.track(n, t, t, pkt, why);
      return;
    }
    const addr = route.overlay && n.vtep ? n.vtep.address : masqueradeIp(route) ?? t.src;
    const taken = (port: number): boolean => n.conntrack.some((e) => e.reply.dst === addr && e.reply.dport === port && e.reply.proto === t.proto);
    let port = t.sport;
    const random = n.d.nat?.ports === 'random';
    if (random || taken(port)) { do port = this.sim.rng.int(1024, 65535); while (taken(port)); }
    const nt: CtTuple = { proto: t.proto, src: addr, sport: port, dst: t.dst, dport: t.dport };
    const entry = ct ?? this.track(n, t, t, pkt, why);
    entry.reply = { proto: t.proto, src: nt.dst, sport: nt.dport, dst: nt.src, dport: nt.sport };
    this.setTuple(pkt, nt);
    const rule = n.d.nat ? `nat masquerade out ${n.d.nat.out}${random ? ', ports random' : ''}` : 'kube-proxy KUBE-POSTROUTING MASQUERADE';
    why.push(`NAT: ${rule}: source ${t.src}:${t.sport} -> ${nt.src}:${nt.sport}; conntrack entry added`);
    const max = n.d.nat?.maxEntries ?? Infinity;
    this.sim.trace.event(this.sim.now, { device: n.name, direction: 'out', kind: 'nat', layers: ['L3', 'L4'], summary: `SNAT ${t.src}:${t.sport} -> ${nt.src}:${nt.sport}`, details: [`conntrack: ${n.conntrack.length}/${max === Infinity ? 'unlimited' : max} entries`], changes: natChanges(t, nt), packetId: pkt.id, source: n.d.nat?.source ?? n.d.source });
    this.sim.trace.transform(n.name, 'SNAT', `rewrites private source ${t.src} to ${nt.src} (and the port when needed)`);
    this.sim.trace.table(this.sim.now, n.name, 'conntrack', n.conntrack.map((e) => ({ proto: e.orig.proto === 6 ? 'tcp' : 'udp', original: fmtTuple(e.orig), reply: fmtTuple(e.reply), timeout: `${Math.round(e.timeoutMs / 1000)}s` })));
  }
}
