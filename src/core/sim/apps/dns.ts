// DNS over UDP: the stub resolver's query, and the servers: authoritative (root, TLD, zone),
// recursive (iterative walk from the root hints, with a TTL cache), forwarder, and the
// cluster DNS of Kubernetes (answers for Services).
import { dnsFlags, type DnsMessage, type DnsResourceRecord } from '../../wire';
import type { Device, Zone, Source } from '../../model/types';
import { ip } from '../../model/topology';
import type { Node, Packet, Sim } from '../engine';
import { LINUX, K8S } from '../constants';
import { failure, injected } from '../failures';
import { zoneRecord } from '../../model/checks';

export interface DnsAnswer { rcode: number; records: DnsResourceRecord[]; from: string; source?: Source }

const RCODE_NAME: Record<number, string> = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

function message(id: number, response: boolean, qname: string, o: { rd?: boolean; ra?: boolean; aa?: boolean; rcode?: number; answers?: DnsResourceRecord[]; authorities?: DnsResourceRecord[]; additionals?: DnsResourceRecord[] } = {}): DnsMessage {
  return {
    proto: 'dns', id,
    flags: dnsFlags({ qr: response, rd: o.rd ?? false, ra: o.ra ?? false, aa: o.aa ?? false, rcode: o.rcode ?? 0 }),
    questions: [{ name: qname, type: 'A', class: 'IN' }],
    answers: o.answers ?? [], authorities: o.authorities ?? [], additionals: o.additionals ?? [],
  };
}

function udpSend(sim: Sim, n: Node, from: { ip: string; port: number }, to: { ip: string; port: number }, payload: DnsMessage, why: string[], id?: number): void {
  const pkt: Packet = { id: id ?? sim.newPacketId(), headers: [sim.newIpHeader(n, from.ip, to.ip, true), { proto: 'udp', srcPort: from.port, dstPort: to.port }, payload], meta: {} };
  sim.output(n, pkt, why);
}

/** Sends one query and calls back with the answer, retrying like glibc (timeout, attempts). */
export function query(sim: Sim, n: Node, server: string, qname: string, o: { rd: boolean; label: string }, done: (a: DnsAnswer | { error: string }) => void): void {
  const src = sim.sourceFor(n, server);
  if (!src) { done({ error: `no route to DNS server ${server}` }); return; }
  const port = n.ephemeralPort(sim.rng);
  const id = sim.rng.int(0, 0xffff);
  let answered = false;
  n.udp.set(port, (pkt, from) => {
    const m = pkt.headers[2];
    if (m?.proto !== 'dns' || m.id !== id || answered) return;
    answered = true;
    n.udp.delete(port);
    n.usedPorts.delete(port);
    const rcode = m.flags & 0xf;
    const recs = [...m.answers, ...m.authorities, ...m.additionals].filter((r): r is DnsResourceRecord => 'data' in r);
    sim.trace.event(sim.now, { device: n.name, direction: 'in', kind: 'dns', layers: ['L7'], summary: `${o.label}: ${RCODE_NAME[rcode] ?? rcode} from ${from.ip}${m.answers.length ? `: ${m.answers.map((r) => ('data' in r ? `${r.name} ${r.type} ${String(r.data)} TTL ${r.ttl}` : '')).join(', ')}` : m.authorities.length ? `: referral to ${m.authorities.map((r) => ('data' in r ? String(r.data) : '')).join(', ')}` : ''}`, packetId: pkt.id });
    done({ rcode, records: recs, from: from.ip });
  });
  const send = (attempt: number): void => {
    const q = message(id, false, qname, { rd: o.rd });
    udpSend(sim, n, { ip: src, port }, { ip: server, port: 53 }, q, [`DNS: ${o.label}: A ${qname}? to ${server}:53 from random port ${port}, random id ${id}${o.rd ? ', recursion desired' : ''}${attempt > 1 ? ` (attempt ${attempt})` : ''}`]);
    sim.after(LINUX.resolverTimeoutMs, () => {
      if (answered) return;
      if (attempt < LINUX.resolverAttempts) { send(attempt + 1); return; }
      answered = true;
      n.udp.delete(port);
      done({ error: `no answer from ${server} after ${attempt} attempts of ${LINUX.resolverTimeoutMs / 1000} s` });
    });
  };
  send(1);
}

interface CacheEntry { records: DnsResourceRecord[]; rcode: number; expires: number }

/** A TTL cache keyed by name; the trace shows it as a state table. */
export class DnsCache {
  readonly entries = new Map<string, CacheEntry>();
  constructor(readonly sim: Sim, readonly device: string, readonly label: string) {}
  get(name: string): CacheEntry | undefined {
    const e = this.entries.get(name);
    if (e && e.expires > this.sim.now) return e;
    return undefined;
  }
  /** Remaining TTL, as a cache hands it on. */
  remaining(e: CacheEntry): number { return Math.max(0, Math.floor((e.expires - this.sim.now) / 1000)); }
  put(name: string, records: DnsResourceRecord[], rcode = 0): void {
    const ttl = records.length ? Math.min(...records.map((r) => r.ttl)) : 60;
    this.entries.set(name, { records, rcode, expires: this.sim.now + ttl * 1000 });
    this.table();
  }
  table(): void {
    this.sim.trace.table(this.sim.now, this.device, 'dns-cache', [...this.entries].map(([name, e]) => ({ cache: this.label, name, records: e.records.map((r) => `${r.type} ${String(r.data)}`).join(', ') || RCODE_NAME[e.rcode] || '', ttl: `${this.remaining(e)}s` })));
  }
}

function rec(name: string, type: string, data: string, ttl: number): DnsResourceRecord {
  return { name, type, class: 'IN', ttl, data };
}

/** What an authoritative server says about `qname` from its zones: an answer, a referral to
 * a child zone (with glue), or NXDOMAIN. */
export function authoritativeAnswer(d: Device, qname: string): { rcode: number; aa: boolean; answers: DnsResourceRecord[]; authorities: DnsResourceRecord[]; additionals: DnsResourceRecord[]; source?: Source } {
  const zones = (d.dns?.zones ?? []).filter((z) => z.origin === '.' || qname === z.origin || qname.endsWith(`.${z.origin}`));
  zones.sort((a, b) => (b.origin === '.' ? 0 : b.origin.length) - (a.origin === '.' ? 0 : a.origin.length));
  const zone: Zone | undefined = zones[0];
  if (!zone) return { rcode: 5, aa: false, answers: [], authorities: [], additionals: [] };
  const exact = zone.records.filter((r) => r.name === qname && (r.type === 'A' || r.type === 'CNAME'));
  if (exact.length) return { rcode: 0, aa: true, answers: exact.map((r) => rec(r.name, r.type, r.value, r.ttl)), authorities: [], additionals: [], source: exact[0].source };
  // A delegation: the deepest name between the zone apex and qname that has NS records.
  const labels = qname.split('.');
  for (let i = 0; i < labels.length; i++) {
    const cut = labels.slice(i).join('.');
    if (cut === zone.origin) break;
    const ns = zone.records.filter((r) => r.name === cut && r.type === 'NS');
    if (!ns.length) continue;
    const glue = zone.records.filter((r) => r.type === 'A' && ns.some((n) => n.value === r.name));
    return { rcode: 0, aa: false, answers: [], authorities: ns.map((r) => rec(r.name, 'NS', r.value, r.ttl)), additionals: glue.map((r) => rec(r.name, 'A', r.value, r.ttl)), source: ns[0].source };
  }
  return { rcode: 3, aa: true, answers: [], authorities: [], additionals: [], source: zone.source };
}

/** Starts the DNS service a device runs, if any (port 53). */
export function startDnsServer(sim: Sim, n: Node): void {
  const d = n.d;
  const role = d.dns?.role;
  const forwarder = d.forwarder?.upstreams ?? (role === 'forwarder' ? d.dns?.upstreams ?? [] : undefined);
  const cache = new DnsCache(sim, n.name, role === 'recursive' ? 'resolver' : 'forwarder');
  if (role === 'recursive' && sim.scenario.caches.resolver === 'warm') warmResolver(sim, cache);
  n.udp.set(53, (pkt, from, to) => {
    const q = pkt.headers[2];
    if (q?.proto !== 'dns' || (q.flags & 0x8000)) return;
    const qname = q.questions[0]?.name.toLowerCase() ?? '';
    const reply = (m: DnsMessage, why: string, source?: Source): void => {
      sim.after(d.processingMs, () => udpSend(sim, n, to, from, m, [why], undefined));
      if (source) sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'dns', layers: ['L7'], summary: why, source });
    };
    if (failure(sim, 'dns-timeout') && (q.flags & 0x0100) && qname === sim.scenario.url.host) {
      injected(sim, 'dns-timeout', n.name, `${n.name} does not answer the query for ${qname}`);
      return;
    }
    if (role === 'root' || role === 'tld' || role === 'authoritative') {
      const a = failure(sim, 'nxdomain') && qname === sim.scenario.url.host && role === 'authoritative'
        ? { rcode: 3, aa: true, answers: [], authorities: [], additionals: [], source: failure(sim, 'nxdomain')?.source }
        : authoritativeAnswer(d, qname);
      const what = a.answers.length ? `answer ${a.answers.map((r) => `${r.type} ${String(r.data)} TTL ${r.ttl}`).join(', ')}` : a.authorities.length ? `referral: ${a.authorities.map((r) => `${r.name} NS ${String(r.data)}`).join(', ')}${a.additionals.length ? ` (glue ${a.additionals.map((r) => `${r.name} A ${String(r.data)}`).join(', ')})` : ''}` : RCODE_NAME[a.rcode];
      reply(message(q.id, true, qname, { rd: !!(q.flags & 0x0100), aa: a.aa, rcode: a.rcode, answers: a.answers, authorities: a.authorities, additionals: a.additionals }), `DNS ${role}: ${qname}: ${what}`, a.source);
      return;
    }
    const respond = (rcode: number, records: DnsResourceRecord[], why: string): void => {
      reply(message(q.id, true, qname, { rd: true, ra: true, rcode, answers: records }), why);
    };
    const hit = cache.get(qname);
    if (hit) {
      const left = cache.remaining(hit);
      respond(hit.rcode, hit.records.map((r) => ({ ...r, ttl: left })), `DNS ${role ?? 'forwarder'}: cache hit for ${qname} (TTL ${left}s left)`);
      return;
    }
    if (forwarder) {
      const up = forwarder[0];
      if (!up) return;
      query(sim, n, ip(up), qname, { rd: true, label: `${n.name} forwards` }, (a) => {
        if ('error' in a) { respond(2, [], `DNS forwarder: upstream failed: ${a.error}: SERVFAIL`); return; }
        const answers = a.records.filter((r) => r.name === qname);
        cache.put(qname, answers, a.rcode);
        respond(a.rcode, answers, `DNS forwarder: relays the upstream answer and caches it`);
      });
      return;
    }
    if (role === 'recursive') {
      recurse(sim, n, cache, qname, 0, (rcode, records) => respond(rcode, records, `DNS recursive: ${qname}: ${records.length ? records.map((r) => `${r.type} ${String(r.data)} TTL ${r.ttl}`).join(', ') : RCODE_NAME[rcode]}`));
    }
  });
}

function warmResolver(sim: Sim, cache: DnsCache): void {
  const r = zoneRecord(sim.net, sim.scenario.url.host);
  if (r?.type === 'A') cache.put(r.name, [rec(r.name, 'A', r.value, r.ttl)]);
}

/** The iterative walk: start at the closest cached delegation (or the root hints), follow
 * referrals with their glue, cache every answer with its TTL. */
function recurse(sim: Sim, n: Node, cache: DnsCache, qname: string, depth: number, done: (rcode: number, records: DnsResourceRecord[]) => void): void {
  const hints = n.d.dns?.rootHints ?? [];
  let server: string | undefined;
  const labels = qname.split('.');
  for (let i = 1; i <= labels.length && !server; i++) {
    const zone = labels.slice(i).join('.') || '.';
    const ns = cache.get(`NS ${zone}`);
    const glue = ns?.records.map((r) => cache.get(String(r.data))?.records.find((x) => x.type === 'A')).find(Boolean);
    if (glue) server = String(glue.data);
  }
  server ??= hints[0] !== undefined ? ip(hints[0]) : undefined;
  if (!server) { done(2, []); return; }
  const step = (srv: string, hops: number): void => {
    if (hops > 10) { done(2, []); return; }
    query(sim, n, srv, qname, { rd: false, label: `${n.name} asks ${srv}` }, (a) => {
      if ('error' in a) { done(2, []); return; }
      const answers = a.records.filter((r) => r.name === qname && (r.type === 'A' || r.type === 'CNAME'));
      if (answers.length) {
        cache.put(qname, answers);
        const cname = answers.find((r) => r.type === 'CNAME');
        if (cname && !answers.some((r) => r.type === 'A') && depth < 8) {
          recurse(sim, n, cache, String(cname.data), depth + 1, (rc, more) => done(rc, [...answers, ...more]));
          return;
        }
        done(0, answers);
        return;
      }
      if (a.rcode !== 0) { cache.put(qname, [], a.rcode); done(a.rcode, []); return; }
      const ns = a.records.filter((r) => r.type === 'NS');
      if (!ns.length) { done(2, []); return; }
      cache.put(`NS ${ns[0].name}`, ns);
      for (const g of a.records.filter((r) => r.type === 'A')) cache.put(g.name, [g]);
      const glue = a.records.find((r) => r.type === 'A' && ns.some((x) => x.data === r.name));
      if (!glue) { done(2, []); return; }
      step(String(glue.data), hops + 1);
    });
  };
  step(server, 0);
}

/** CoreDNS in a pod: answers `<service>.<namespace>.svc.<domain>` with the ClusterIP. */
export function startClusterDns(sim: Sim, n: Node, port: number, processingMs: number): void {
  const cluster = n.d.pod ? sim.net.clusters.get(n.d.pod.cluster) : undefined;
  if (!cluster) return;
  n.udp.set(port, (pkt, from, to) => {
    const q = pkt.headers[2];
    if (q?.proto !== 'dns' || (q.flags & 0x8000)) return;
    const qname = q.questions[0]?.name.toLowerCase() ?? '';
    const svc = [...sim.net.services.values()].find((s) => s.cluster === cluster.name && s.clusterIp !== undefined && qname === `${s.name}.${K8S.namespace}.svc.${cluster.domain}`);
    const answers = svc && svc.clusterIp !== undefined ? [rec(qname, 'A', ip(svc.clusterIp), K8S.serviceRecordTtl)] : [];
    const m = message(q.id, true, qname, { rd: !!(q.flags & 0x0100), ra: true, aa: true, rcode: answers.length ? 0 : 3, answers });
    sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'dns', layers: ['L7'], summary: `CoreDNS: ${qname} -> ${answers.length ? `${String(answers[0].data)} (Service ${svc?.name} ClusterIP, TTL ${K8S.serviceRecordTtl})` : 'NXDOMAIN'}`, source: svc?.source });
    sim.after(processingMs, () => udpSend(sim, n, to, from, m, ['DNS: cluster DNS answer']));
  });
}
