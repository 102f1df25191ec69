// The DNS servers a device runs on port 53, each as its default software behaves on the wire:
// authoritative (root, TLD, zone) as nsd, recursive as unbound, a forwarder, and the cluster
// DNS of Kubernetes (CoreDNS answering for Services). The stub resolver is dns-stub.ts.
import type { DnsMessage, DnsResourceRecord } from '../../wire';
import type { Source } from '../../model/types';
import { ip } from '../../model/topology';
import type { Node, Sim } from '../engine';
import { K8S } from '../constants';
import { failure, injected } from '../failures';
import { zoneRecord } from '../../model/checks';
import { DnsCache, RCODE_NAME, bare, dnsResponse, ednsOf, exchange, rec, udpSend, type Sections } from './dns-udp';
import { authoritativeAnswer, negativeSoa, zoneFor } from './dns-authoritative';
import { UNBOUND, Unbound } from './dns-recursive';
import { stubTimeouts } from './dns-stub';

export { DnsCache } from './dns-udp';
export { authoritativeAnswer } from './dns-authoritative';
export { resolveStub, type StubResult } from './dns-stub';

/** nsd's defaults that show on the wire (nsd.conf(5)). */
export const NSD = {
  /** ipv4-edns-size */
  ednsSize: 1232,
} as const;

const dataOf = (r: DnsResourceRecord): string => (typeof r.data === 'object' && 'mname' in r.data ? `${r.data.mname} ${r.data.rname} ${r.data.serial}` : String(r.data));
const show = (r: DnsResourceRecord): string => `${r.name} ${r.type} ${typeof r.data === 'object' && 'mname' in r.data ? r.data.mname : String(r.data)}`;

function describe(s: Sections): string {
  if (s.answers.length) return `answer ${s.answers.map((r) => `${r.type} ${dataOf(r)} TTL ${r.ttl}`).join(', ')}${s.authorities.length ? `; authority ${s.authorities.map(show).join(', ')}` : ''}${s.additionals.length ? `; additional ${s.additionals.map(show).join(', ')}` : ''}`;
  if (s.rcode === 0 && s.authorities.some((r) => r.type === 'NS')) return `referral: ${s.authorities.map(show).join(', ')}${s.additionals.length ? ` (glue ${s.additionals.map(show).join(', ')})` : ''}`;
  const soa = s.authorities.find((r) => r.type === 'SOA');
  return `${s.rcode === 0 ? 'NODATA' : RCODE_NAME[s.rcode] ?? s.rcode}${soa ? ` with the zone's SOA (${show(soa)}) in authority` : ''}`;
}

/** Starts the DNS service a device runs, if any (port 53). */
export function startDnsServer(sim: Sim, n: Node): void {
  const d = n.d;
  const role = d.dns?.role;
  const forwarder = d.forwarder?.upstreams ?? (role === 'forwarder' ? d.dns?.upstreams ?? [] : undefined);
  const cache = new DnsCache(sim, n.name, role === 'recursive' ? 'resolver' : 'forwarder');
  const unbound = role === 'recursive' ? new Unbound(sim, n, cache) : undefined;
  if (unbound && sim.scenario.caches.resolver === 'warm') warmResolver(sim, cache);
  // one profile per role exists so far: say so rather than trace another program's packets silently
  const profile = role === 'recursive' ? 'unbound' : role === 'root' || role === 'tld' || role === 'authoritative' ? 'nsd' : undefined;
  if (profile && d.software && d.software !== profile) sim.trace.simplify(`DNS servers behave as ${profile} (the only ${role === 'recursive' ? 'recursive' : 'authoritative'} profile so far): software ${d.software} on ${d.name} is traced as ${profile}.`);
  const derived = role === 'root' || role === 'tld' || role === 'authoritative' ? (d.dns?.zones ?? []).filter((z) => !z.records.some((r) => r.type === 'SOA')) : [];
  if (derived.length) {
    sim.trace.simplify(`Zones without an \`soa\` statement get a derived SOA for NODATA and NXDOMAIN answers (mname the first apex NS, rname hostmaster.<zone>, serial 1, refresh 1800, retry 900, expire 604800, minimum 86400, TTL 86400): ${derived.map((z) => z.origin).join(', ')} on ${d.name}.`);
  }
  n.udp.set(53, (pkt, from, to) => {
    const q = pkt.headers[2];
    if (q?.proto !== 'dns' || (q.flags & 0x8000)) return;
    const question = q.questions[0];
    const qname = bare(question?.name ?? '');
    const qtype = question?.type ?? 'A';
    const edns = ednsOf(q);
    // nsd and unbound turn PMTU discovery off on their UDP sockets: their packets leave with DF clear
    const reply = (m: DnsMessage, why: string, source?: Source): void => {
      sim.after(d.processingMs, () => udpSend(sim, n, to, from, m, [why], false));
      if (source) sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'dns', layers: ['L7'], summary: why, source });
    };
    if (failure(sim, 'dns-timeout') && (q.flags & 0x0100) && qname === bare(sim.scenario.url.host)) {
      injected(sim, 'dns-timeout', n.name, `${n.name} does not answer the query for ${qname}`);
      return;
    }
    if (role === 'root' || role === 'tld' || role === 'authoritative') {
      const nx = failure(sim, 'nxdomain');
      const zone = zoneFor(d, qname);
      const a = nx && qname === bare(sim.scenario.url.host) && role === 'authoritative' && zone
        ? { rcode: 3, aa: true, answers: [], authorities: [negativeSoa(zone)], additionals: [], source: nx.source }
        : authoritativeAnswer(d, qname, qtype);
      // nsd answers EDNS with its own buffer size and echoes DO; it does not copy CD
      reply(dnsResponse(q, a, { ra: false, edns: edns ? { size: NSD.ednsSize, do: edns.do } : undefined }), `DNS ${role}: ${qname || '.'} ${qtype}: ${describe(a)}`, a.source);
      return;
    }
    const respond = (s: Sections, why: string): void => {
      reply(dnsResponse(q, s, { ra: true, cd: !!(q.flags & 0x0010), edns: edns ? { size: UNBOUND.ednsSize, do: edns.do } : undefined }), why);
    };
    if (forwarder) {
      const hit = cache.get(`${qname} ${qtype}`);
      if (hit) {
        const left = cache.remaining(hit);
        respond({ rcode: hit.rcode, aa: false, answers: hit.records.map((r) => ({ ...r, ttl: left })), authorities: hit.authorities, additionals: [] }, `DNS forwarder: cache hit for ${qname} ${qtype} (TTL ${left}s left)`);
        return;
      }
      const up = forwarder[0];
      if (up === undefined) return;
      exchange(sim, n, { server: ip(up), questions: [{ qname, qtype }], flags: { rd: true }, df: true, timeoutsMs: stubTimeouts(n), label: `${n.name} forwards` }, ([a]) => {
        if (!a || 'error' in a) { respond({ rcode: 2, aa: false, answers: [], authorities: [], additionals: [] }, `DNS forwarder: upstream failed: ${a && 'error' in a ? a.error : 'no answer'}: SERVFAIL`); return; }
        const answers = a.answers.filter((r) => bare(r.name) === qname);
        const authorities = a.authorities.filter((r) => r.type === 'SOA');
        cache.put(`${qname} ${qtype}`, answers, a.rcode, { authorities, negativeTtl: Math.min(60, ...authorities.map((r) => r.ttl)) });
        respond({ rcode: a.rcode, aa: false, answers, authorities, additionals: [] }, 'DNS forwarder: relays the upstream answer and caches it');
      });
      return;
    }
    if (unbound) {
      const cached = cache.get(`${qname} ${qtype}`);
      unbound.resolve(qname, qtype, (r) => {
        // unbound's minimal-responses: the answer alone, the SOA only to say why there is none
        const s: Sections = { rcode: r.rcode, aa: false, answers: r.answers, authorities: r.answers.length ? [] : r.authorities, additionals: [] };
        respond(s, `DNS recursive: ${qname || '.'} ${qtype}: ${cached ? `cache hit (TTL ${cache.remaining(cached)}s left): ` : ''}${describe(s)}`);
      });
    }
  });
}

/** A warm resolver holds what a recent lookup of the scenario's host left: its A record and
 * the answer to the AAAA question asked with it (from the zone that owns the name). */
function warmResolver(sim: Sim, cache: DnsCache): void {
  const host = bare(sim.scenario.url.host);
  const r = zoneRecord(sim.net, host);
  if (r?.type === 'A') cache.put(`${host} A`, [rec(host, 'A', r.value, r.ttl)]);
  for (const d of sim.net.devices.values()) {
    const a = d.dns && d.dns.role !== 'recursive' && d.dns.role !== 'forwarder' && zoneFor(d, host) ? authoritativeAnswer(d, host, 'AAAA') : undefined;
    if (!a?.aa) continue;
    const soa = a.authorities.filter((x) => x.type === 'SOA');
    const negTtl = Math.min(UNBOUND.maxNegativeTtlS, ...soa.map((x) => x.ttl));
    cache.put(`${host} AAAA`, a.answers, a.rcode, { authorities: soa.map((x) => ({ ...x, ttl: negTtl })), negativeTtl: negTtl });
    break;
  }
}

/** CoreDNS in a pod: answers `<service>.<namespace>.svc.<domain>` with the ClusterIP; other
 * names of the cluster domain do not exist (NXDOMAIN), a Service has no AAAA (NODATA); both
 * negative answers carry the kubernetes plugin's SOA. */
export function startClusterDns(sim: Sim, n: Node, port: number, processingMs: number): void {
  const cluster = n.d.pod ? sim.net.clusters.get(n.d.pod.cluster) : undefined;
  if (!cluster) return;
  const domain = bare(cluster.domain);
  sim.trace.simplify('CoreDNS answers only for the cluster domain: other names get NXDOMAIN instead of being forwarded upstream.');
  // the kubernetes plugin's SOA: ns.dns.<zone>, hostmaster.<zone>, refresh 7200, retry 1800, expire 86400, minimum = its TTL
  const soa = rec(domain, 'SOA', { mname: `ns.dns.${domain}`, rname: `hostmaster.${domain}`, serial: Math.floor(sim.scenario.date / 1000), refresh: 7200, retry: 1800, expire: 86400, minimum: K8S.serviceRecordTtl }, K8S.serviceRecordTtl);
  n.udp.set(port, (pkt, from, to) => {
    const q = pkt.headers[2];
    if (q?.proto !== 'dns' || (q.flags & 0x8000)) return;
    const qname = bare(q.questions[0]?.name ?? '');
    const qtype = q.questions[0]?.type ?? 'A';
    const svc = [...sim.net.services.values()].find((s) => s.cluster === cluster.name && s.clusterIp !== undefined && qname === `${s.name}.${K8S.namespace}.svc.${domain}`);
    const answers = svc?.clusterIp !== undefined && qtype === 'A' ? [rec(qname, 'A', ip(svc.clusterIp), K8S.serviceRecordTtl)] : [];
    const s: Sections = { rcode: svc ? 0 : 3, aa: true, answers, authorities: answers.length ? [] : [soa], additionals: [] };
    const what = answers.length ? `${String(answers[0].data)} (Service ${svc?.name} ClusterIP, TTL ${K8S.serviceRecordTtl})` : svc ? `NODATA (Service ${svc.name} has no ${qtype})` : 'NXDOMAIN';
    sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'dns', layers: ['L7'], summary: `CoreDNS: ${qname} ${qtype} -> ${what}`, source: svc?.source });
    sim.after(processingMs, () => udpSend(sim, n, to, from, dnsResponse(q, s, { ra: false }), [`DNS: cluster DNS answer (${what})`], true));
  });
}
