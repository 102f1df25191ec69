// DNS over UDP, the parts every DNS program shares: building messages, sending them, one
// socket that sends questions and waits for their answers with a retry schedule, and the TTL
// cache.
import { dnsFlags, isOptRecord, type DnsMessage, type DnsOptRecord, type DnsRecord, type DnsResourceRecord } from '../../wire';
import type { Node, Packet, Sim } from '../engine';

export const RCODE_NAME: Record<number, string> = { 0: 'NOERROR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

/** EDNS(0) as a sender advertises it: its UDP payload size and the DO bit (RFC 6891, 3225). */
export interface Edns { size: number; do: boolean }

export const optRecord = (e: Edns): DnsOptRecord => ({ name: '.', edns: { udpPayloadSize: e.size, extendedRcode: 0, version: 0, flags: e.do ? 0x8000 : 0, options: [] } });

/** The EDNS a message carries, if any. */
export function ednsOf(m: DnsMessage): Edns | undefined {
  const opt = m.additionals.find(isOptRecord);
  return opt ? { size: opt.edns.udpPayloadSize, do: !!((opt.edns.flags ?? 0) & 0x8000) } : undefined;
}

export interface QueryFlags { rd: boolean; cd?: boolean; edns?: Edns }

export function dnsQuery(id: number, qname: string, qtype: string, f: QueryFlags): DnsMessage {
  return {
    proto: 'dns', id, flags: dnsFlags({ rd: f.rd, cd: f.cd ?? false }),
    questions: [{ name: qname || '.', type: qtype, class: 'IN' }],
    answers: [], authorities: [], additionals: f.edns ? [optRecord(f.edns)] : [],
  };
}

export interface Sections { rcode: number; aa: boolean; answers: DnsResourceRecord[]; authorities: DnsResourceRecord[]; additionals: DnsResourceRecord[] }

/** A response to `q`: its id and question, RD copied (RFC 1035), the OPT last when given. */
export function dnsResponse(q: DnsMessage, s: Sections, o: { ra: boolean; cd?: boolean; edns?: Edns }): DnsMessage {
  const rd = !!(q.flags & 0x0100);
  const extra: DnsRecord[] = o.edns ? [optRecord(o.edns)] : [];
  return {
    proto: 'dns', id: q.id, flags: dnsFlags({ qr: true, aa: s.aa, rd, ra: o.ra, cd: o.cd ?? false, rcode: s.rcode }),
    questions: q.questions.slice(0, 1), answers: s.answers, authorities: s.authorities, additionals: [...s.additionals, ...extra],
  };
}

export function rec(name: string, type: string, data: DnsResourceRecord['data'], ttl: number): DnsResourceRecord {
  return { name: name || '.', type, class: 'IN', ttl, data };
}

/** A name as the model writes it (lower case, no trailing dot, the root as ""). */
export const bare = (name: string): string => (name === '.' ? '' : (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase());

/** Sends one DNS message over UDP; `df` is the Don't Fragment bit the sending socket sets. */
export function udpSend(sim: Sim, n: Node, from: { ip: string; port: number }, to: { ip: string; port: number }, payload: DnsMessage, why: string[], df: boolean): void {
  const pkt: Packet = { id: sim.newPacketId(), headers: [sim.newIpHeader(n, from.ip, to.ip, df), { proto: 'udp', srcPort: from.port, dstPort: to.port }, payload], meta: {} };
  sim.output(n, pkt, why);
}

export interface DnsAnswer extends Sections { from: string; flags: number; packetId: number }
export type AnswerOrError = DnsAnswer | { error: string };

export interface Exchange {
  server: string;
  questions: { qname: string; qtype: string }[];
  flags: QueryFlags;
  /** DF on the socket's packets: Linux sets it on UDP unless the program turns PMTU discovery off. */
  df: boolean;
  /** How long each attempt waits before the unanswered questions are sent again. */
  timeoutsMs: readonly number[];
  /** The source port: an ephemeral port by default. */
  port?: (n: Node) => number;
  label: string;
}

const summaryOf = (m: DnsMessage): string => {
  const rcode = m.flags & 0xf;
  const data = (r: DnsRecord): string => ('data' in r ? (typeof r.data === 'object' && 'mname' in r.data ? `SOA ${r.data.mname}` : `${r.type} ${String(r.data)}`) : '');
  const body = m.answers.length ? `: ${m.answers.map((r) => `${r.name} ${data(r)}${'ttl' in r ? ` TTL ${r.ttl}` : ''}`).join(', ')}`
    : m.authorities.some((r) => 'type' in r && r.type === 'NS') && rcode === 0 ? `: referral to ${m.authorities.map((r) => ('data' in r ? String(r.data) : '')).join(', ')}`
    : rcode === 0 ? ': no records of that type (NODATA)' : '';
  return `${RCODE_NAME[rcode] ?? rcode}${body}`;
};

/** The question flags as a send event states them. */
function flagsText(f: QueryFlags): string {
  let s = f.rd ? 'RD' : 'no RD';
  if (f.cd) s += ', CD';
  if (f.edns) s += `, EDNS ${f.edns.size}${f.edns.do ? ' DO' : ''}`;
  return s;
}

const resourceRecords = (l: DnsRecord[]): DnsResourceRecord[] => l.filter((r): r is DnsResourceRecord => 'data' in r);

/** The question of `x` an answer `m` is for: same id and name, not answered yet; else -1. */
function questionAnswered(x: Exchange, ids: readonly number[], answers: readonly (AnswerOrError | undefined)[], m: DnsMessage): number {
  const name = m.questions[0]?.name.toLowerCase();
  for (let k = 0; k < ids.length; k++) {
    if (ids[k] === m.id && answers[k] === undefined && name === (x.questions[k].qname || '.').toLowerCase()) return k;
  }
  return -1;
}

/**
 * One UDP socket asks `questions` back to back (each with its own random id) and waits until
 * each has an answer; on a timeout the unanswered ones are sent again, up to the attempts the
 * schedule allows. `done` gets the answers in the questions' order.
 */
export function exchange(sim: Sim, n: Node, x: Exchange, done: (answers: AnswerOrError[]) => void): void {
  const src = sim.sourceFor(n, x.server);
  if (!src) { done(x.questions.map(() => ({ error: `no route to DNS server ${x.server}` }))); return; }
  const port = x.port ? x.port(n) : n.ephemeralPort(sim.rng);
  n.usedPorts.add(port);
  const ids: number[] = [];
  const answers: (AnswerOrError | undefined)[] = [];
  for (let i = 0; i < x.questions.length; i++) { ids.push(sim.rng.int(0, 0xffff)); answers.push(undefined); }
  let unanswered = answers.length;
  let finished = false;
  const close = (): void => {
    finished = true;
    n.udp.delete(port);
    n.usedPorts.delete(port);
    for (let i = 0; i < answers.length; i++) answers[i] ??= { error: 'no answer' };
    done(answers as AnswerOrError[]);
  };
  n.udp.set(port, (pkt, from) => {
    const m = pkt.headers[2];
    if (finished || m?.proto !== 'dns' || !(m.flags & 0x8000)) return;
    const i = questionAnswered(x, ids, answers, m);
    if (i < 0) return;
    answers[i] = { rcode: m.flags & 0xf, aa: !!(m.flags & 0x400), flags: m.flags, answers: resourceRecords(m.answers), authorities: resourceRecords(m.authorities), additionals: resourceRecords(m.additionals), from: from.ip, packetId: pkt.id };
    unanswered--;
    sim.trace.event(sim.now, { device: n.name, direction: 'in', kind: 'dns', layers: ['L7'], summary: `${x.label}: ${x.questions[i].qname || '.'} ${x.questions[i].qtype}: ${summaryOf(m)} from ${from.ip}`, packetId: pkt.id });
    if (unanswered === 0) close();
  });
  // the same for every question and attempt of the exchange
  const flags = flagsText(x.flags);
  const send = (attempt: number): void => {
    for (let i = 0; i < x.questions.length; i++) {
      if (answers[i] !== undefined) continue;
      const q = x.questions[i];
      udpSend(sim, n, { ip: src, port }, { ip: x.server, port: 53 }, dnsQuery(ids[i], q.qname, q.qtype, x.flags),
        [`DNS: ${x.label}: ${q.qtype} ${q.qname || '.'}? to ${x.server}:53 from port ${port}, random id ${ids[i]} (${flags})${attempt > 1 ? ` (attempt ${attempt})` : ''}`], x.df);
    }
    const wait = x.timeoutsMs[attempt - 1] ?? 0;
    sim.after(wait, () => {
      if (finished) return;
      if (attempt < x.timeoutsMs.length) { send(attempt + 1); return; }
      for (let i = 0; i < answers.length; i++) answers[i] ??= { error: `no answer from ${x.server} after ${attempt} attempt${attempt > 1 ? 's' : ''} (${x.timeoutsMs.map((t) => `${t / 1000} s`).join(' + ')})` };
      close();
    });
  };
  send(1);
}

interface CacheEntry {
  records: DnsResourceRecord[]; rcode: number; authorities: DnsResourceRecord[]; expires: number;
  /** the entry's records as the state table shows them: every put shows every entry again */
  shown: string;
}

const showRecord = (r: DnsResourceRecord): string => `${r.type} ${typeof r.data === 'object' && 'mname' in r.data ? r.data.mname : String(r.data)}`;

/** A TTL cache keyed by name (and type); the trace shows it as a state table. */
export class DnsCache {
  readonly entries = new Map<string, CacheEntry>();
  constructor(readonly sim: Sim, readonly device: string, readonly label: string) {}
  get(key: string): CacheEntry | undefined {
    const e = this.entries.get(key);
    if (e && e.expires > this.sim.now) return e;
    return undefined;
  }
  /** Remaining TTL, as a cache hands it on. */
  remaining(e: CacheEntry): number { return Math.max(0, Math.floor((e.expires - this.sim.now) / 1000)); }
  /** Stores records for their smallest TTL; a negative answer for `negativeTtl` (RFC 2308). */
  put(key: string, records: DnsResourceRecord[], rcode = 0, o: { authorities?: DnsResourceRecord[]; negativeTtl?: number } = {}): void {
    const ttl = records.length ? Math.min(...records.map((r) => r.ttl)) : o.negativeTtl ?? 60;
    const shown = records.map(showRecord).join(', ') || `${RCODE_NAME[rcode] ?? rcode}${rcode === 0 ? ' (no data)' : ''}`;
    this.entries.set(key, { records, rcode, authorities: o.authorities ?? [], expires: this.sim.now + ttl * 1000, shown });
    this.table();
  }
  table(): void {
    const rows: Record<string, string>[] = [];
    for (const [name, e] of this.entries) rows.push({ cache: this.label, name, records: e.shown, ttl: `${this.remaining(e)}s` });
    this.sim.trace.table(this.sim.now, this.device, 'dns-cache', rows);
  }
}
