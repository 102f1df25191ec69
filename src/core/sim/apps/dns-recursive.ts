// A recursive resolver as unbound (1.17, default settings) walks the tree: it primes its root
// NS from a root hint when its cache is cold, minimises the QNAME (RFC 9156: one label more at
// each zone cut, asked as type A until the full name), asks without RD and with CD and EDNS0
// (1232 bytes, DO), from a fresh random port and id per query, with PMTU discovery off (DF
// clear), and caches answers, referrals and negative answers by their TTLs.
import type { DnsResourceRecord } from '../../wire';
import { ip } from '../../model/topology';
import type { Node, Sim } from '../engine';
import { DnsCache, bare, exchange, type DnsAnswer, type Edns } from './dns-udp';

/** unbound's defaults that show on the wire (unbound.conf(5)). */
export const UNBOUND = {
  /** edns-buffer-size */
  ednsSize: 1232,
  /** The DO bit: unbound asks for DNSSEC records even without its validator module. */
  dnssecOk: true,
  /** outgoing-port-permit: every port above 1023 (not Linux's ephemeral range). */
  portLow: 1024,
  portHigh: 65535,
  /** The first timeout for a server it has no RTT for (UNKNOWN_SERVER_NICENESS), doubled per retry. */
  firstTimeoutMs: 376,
  /** outbound-msg-retry */
  sends: 5,
  /** cache-max-negative-ttl */
  maxNegativeTtlS: 3600,
  /** CNAME chains and referrals it follows before giving up (SERVFAIL). */
  maxReferrals: 30,
  maxCnames: 8,
} as const;

export interface Resolution { rcode: number; answers: DnsResourceRecord[]; authorities: DnsResourceRecord[] }

const RCODE_SERVFAIL = 2;

/** The retry schedule of every query: shared, exchange only reads it. */
const TIMEOUTS: readonly number[] = (() => {
  const t: number[] = [];
  for (let i = 0; i < UNBOUND.sends; i++) t.push(UNBOUND.firstTimeoutMs * 2 ** i);
  return t;
})();

/** The walk of one resolver: its cache and the walks in flight (later questions join them). */
export class Unbound {
  private readonly inFlight = new Map<string, ((r: Resolution) => void)[]>();
  private priming?: (() => void)[];
  /** Set once priming got an answer of any kind (a failed one is not retried here). */
  private primedOnce = false;

  constructor(readonly sim: Sim, readonly n: Node, readonly cache: DnsCache) {
    sim.trace.simplify('The recursive resolver asks the first server of each NS set with a cached address (unbound chooses by measured RTT) and retries a silent server after 376 ms, doubling, instead of its RTT estimates.');
  }

  private get edns(): Edns { return { size: UNBOUND.ednsSize, do: UNBOUND.dnssecOk }; }

  private port = (n: Node): number => {
    for (;;) {
      const p = this.sim.rng.int(UNBOUND.portLow, UNBOUND.portHigh);
      if (!n.usedPorts.has(p) && !n.udp.has(p)) return p;
    }
  };

  private ask(server: string, qname: string, qtype: string, then: (a: DnsAnswer | undefined) => void): void {
    // handling the message that led here takes the device's processing time, as answering does:
    // a question that waited on a walk goes out after the answer that walk produced
    this.sim.after(this.n.d.processingMs, () => exchange(this.sim, this.n, {
      server, questions: [{ qname, qtype }], flags: { rd: false, cd: true, edns: this.edns }, df: false, timeoutsMs: TIMEOUTS, port: this.port,
      label: `${this.n.name} asks ${server}`,
    }, ([a]) => then(a && !('error' in a) ? a : undefined)));
  }

  /** Resolves `qname qtype`; questions for a name being walked wait for that walk and reuse its cache. */
  resolve(qname: string, qtype: string, done: (r: Resolution) => void): void {
    const q = bare(qname);
    const key = `${q} ${qtype}`;
    const hit = this.cache.get(key);
    if (hit) {
      const left = this.cache.remaining(hit);
      done({ rcode: hit.rcode, answers: hit.records.map((r) => ({ ...r, ttl: left })), authorities: hit.authorities.map((r) => ({ ...r, ttl: Math.min(r.ttl, left) })) });
      return;
    }
    const same = this.inFlight.get(key);
    if (same) { same.push(done); return; }
    const other = [...this.inFlight.keys()].find((k) => k.startsWith(`${q} `));
    if (other) { this.inFlight.get(other)?.push(() => this.resolve(qname, qtype, done)); return; }
    const waiting = [done];
    this.inFlight.set(key, waiting);
    const finish = (r: Resolution): void => {
      this.inFlight.delete(key);
      for (const w of waiting) w(r);
    };
    this.primed(() => this.walk(q, qtype, 0, finish));
  }

  /** The root NS from a hint (RFC 8109), once; while it is in flight, other walks wait for it. */
  private primed(then: () => void): void {
    if (this.primedOnce || this.cache.get('NS .')) { then(); return; }
    if (this.priming) { this.priming.push(then); return; }
    const hint = this.n.d.dns?.rootHints[0];
    if (hint === undefined) { then(); return; }
    this.priming = [then];
    this.ask(ip(hint), '', 'NS', (a) => {
      this.primedOnce = true;
      const ns = a?.answers.filter((r) => r.type === 'NS' && bare(r.name) === '') ?? [];
      if (ns.length) {
        this.cache.put('NS .', ns);
        for (const g of a?.additionals.filter((r) => r.type === 'A') ?? []) this.cache.put(`${bare(g.name)} A`, [g]);
      } else {
        this.sim.trace.simplify('When the root answers the priming query without NS records, the resolver keeps using its root hints (unbound would fail the priming and answer SERVFAIL).');
      }
      const waiting = this.priming ?? [];
      this.priming = undefined;
      for (const w of waiting) w();
    });
  }

  /** The deepest zone cut above `q` whose servers' addresses are cached, else the root hints. */
  private closest(q: string): { zone: string; server: string } | undefined {
    const labels = q ? q.split('.') : [];
    for (let i = 0; i <= labels.length; i++) {
      const zone = labels.slice(i).join('.');
      const ns = this.cache.get(`NS ${zone || '.'}`);
      const addr = ns?.records.map((r) => this.cache.get(`${bare(String(r.data))} A`)?.records[0]).find(Boolean);
      if (addr) return { zone, server: String(addr.data) };
    }
    const hint = this.n.d.dns?.rootHints[0];
    return hint !== undefined ? { zone: '', server: ip(hint) } : undefined;
  }

  private walk(q: string, qtype: string, depth: number, done: (r: Resolution) => void): void {
    const fail = (): void => done({ rcode: RCODE_SERVFAIL, answers: [], authorities: [] });
    let steps = 0;
    const labels = q ? q.split('.') : [];
    // From a cut, the minimised name has one label more than the zone, up to the whole name.
    const step = (zone: string, server: string, extra: number): void => {
      if (++steps > UNBOUND.maxReferrals) { fail(); return; }
      const zoneLabels = zone ? zone.split('.').length : 0;
      const take = Math.min(labels.length, zoneLabels + extra);
      const name = labels.slice(labels.length - take).join('.');
      const full = take >= labels.length;
      const type = full ? qtype : 'A';
      // a minimised name asked before (by an earlier walk) is known to exist: one label more
      const known = full ? undefined : this.cache.get(`${name} A`);
      if (known?.rcode === 0) { step(zone, server, extra + 1); return; }
      if (known?.rcode === 3) { done({ rcode: 3, answers: [], authorities: known.authorities }); return; }
      this.ask(server, name, type, (a) => {
        if (!a) { fail(); return; }
        const ns = a.authorities.filter((r) => r.type === 'NS');
        const cut = ns.length ? bare(ns[0].name) : undefined;
        if (a.rcode === 0 && !a.aa && cut !== undefined && cut.length > zone.length && (q === cut || q.endsWith(`.${cut}`))) {
          this.cache.put(`NS ${cut}`, ns);
          for (const g of a.additionals.filter((r) => r.type === 'A')) this.cache.put(`${bare(g.name)} A`, [g]);
          const next = this.closest(q);
          if (!next) { fail(); return; }
          step(next.zone, next.server, 1);
          return;
        }
        const soa = a.authorities.filter((r) => r.type === 'SOA');
        const negTtl = Math.min(UNBOUND.maxNegativeTtlS, ...soa.map((r) => r.ttl));
        const negative = soa.map((r) => ({ ...r, ttl: negTtl }));
        if (!full) {
          // RFC 8020: nothing exists below a name that does not exist.
          if (a.rcode === 3) { this.cache.put(`${name} A`, [], 3, { authorities: negative, negativeTtl: negTtl }); done({ rcode: 3, answers: [], authorities: negative }); return; }
          if (a.rcode !== 0) { fail(); return; }
          const got = a.answers.filter((r) => bare(r.name) === name && r.type === 'A');
          this.cache.put(`${name} A`, got, 0, { authorities: negative, negativeTtl: negTtl });
          step(zone, server, extra + 1);
          return;
        }
        const answers = a.answers.filter((r) => bare(r.name) === q && (r.type === qtype || r.type === 'CNAME'));
        if (a.rcode === 0 && answers.length) {
          this.cache.put(`${q} ${qtype}`, answers);
          const cname = answers.find((r) => r.type === 'CNAME');
          if (cname && !answers.some((r) => r.type === qtype) && depth < UNBOUND.maxCnames) {
            this.walk(bare(String(cname.data)), qtype, depth + 1, (r) => done({ rcode: r.rcode, answers: [...answers, ...r.answers], authorities: r.authorities }));
            return;
          }
          done({ rcode: 0, answers, authorities: [] });
          return;
        }
        if (a.rcode === 0 || a.rcode === 3) {
          this.cache.put(`${q} ${qtype}`, [], a.rcode, { authorities: negative, negativeTtl: negTtl });
          done({ rcode: a.rcode, answers: [], authorities: negative });
          return;
        }
        fail();
      });
    };
    const start = this.closest(q);
    if (!start) { fail(); return; }
    step(start.zone, start.server, 1);
  }
}
