// An authoritative server as nsd answers from its zones: AA on what it owns, the zone's NS in
// authority and their glue in additional on answers, referrals with the child's NS and glue,
// NXDOMAIN and NODATA with the zone's SOA (written, or derived) in authority (RFC 2308).
import type { DnsResourceRecord, DnsSoa } from '../../wire';
import type { Device, Source, Zone } from '../../model/types';
import { bare, rec, type Sections } from './dns-udp';

/** What nsd sends back for a question, and the line of the file it comes from. */
export interface AuthoritativeAnswer extends Sections { source?: Source }

/**
 * The SOA of a zone that does not write one (`soa` in the zone), derived from the zone: mname its
 * first apex NS (else `ns.<origin>`), rname hostmaster.<origin>, and the timers of a common
 * zone-file template (serial 1, refresh 30 min, retry 15 min, expire 7 days, negative TTL 1 day).
 */
export const SOA_TEMPLATE = { ttl: 86400, serial: 1, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 } as const;

export function soaFor(origin: string, apexNs: string | undefined): { name: string; ttl: number; data: DnsSoa } {
  const o = bare(origin);
  const suffix = o ? `.${o}` : '';
  const { ttl, ...timers } = SOA_TEMPLATE;
  return { name: o, ttl, data: { mname: apexNs !== undefined ? bare(apexNs) || '.' : `ns${suffix}`, rname: `hostmaster${suffix}`, ...timers } };
}

/** The zone's SOA: the one it writes, else the derived one. */
export function zoneSoa(z: Zone): DnsResourceRecord {
  const origin = bare(z.origin);
  const written = z.records.find((r) => r.type === 'SOA' && r.soa);
  if (written?.soa) return rec(origin, 'SOA', { ...written.soa, mname: bare(written.soa.mname) || '.', rname: bare(written.soa.rname) || '.' }, written.ttl);
  const s = soaFor(origin, z.records.find((r) => bare(r.name) === origin && r.type === 'NS')?.value);
  return rec(s.name, 'SOA', s.data, s.ttl);
}

/** Negative answers carry the SOA with TTL min(SOA TTL, minimum) (RFC 2308 section 3). */
export const negativeSoa = (z: Zone): DnsResourceRecord => {
  const soa = zoneSoa(z);
  const minimum = typeof soa.data === 'object' && 'minimum' in soa.data ? soa.data.minimum : soa.ttl;
  return { ...soa, ttl: Math.min(soa.ttl, minimum) };
};

const inZone = (name: string, origin: string): boolean => origin === '' || name === origin || name.endsWith(`.${origin}`);

/** The zone of `d` closest to `qname`. */
export function zoneFor(d: Device, qname: string): Zone | undefined {
  const q = bare(qname);
  // the longest origin; of equally long ones the first, as a stable sort would leave it
  let best: Zone | undefined;
  let bestLen = -1;
  for (const z of d.dns?.zones ?? []) {
    const o = bare(z.origin);
    if (o.length > bestLen && inZone(q, o)) { best = z; bestLen = o.length; }
  }
  return best;
}

const GLUE_TYPES = ['A', 'AAAA'] as const;

/** Address records of the zone for the NS targets named in `ns` (glue, or in-zone addresses):
 * per target its A records, then its AAAA, as nsd adds them. */
function glueFor(z: Zone, ns: DnsResourceRecord[]): DnsResourceRecord[] {
  const out: DnsResourceRecord[] = [];
  const names = bareRecords(z);
  for (const n of ns) {
    const t = bare(String(n.data));
    // the record as written (its name unchanged), found by its bare name
    for (const type of GLUE_TYPES) {
      for (let k = 0; k < z.records.length; k++) {
        const r = z.records[k];
        if (r.type === type && names[k].name === t) out.push(rec(r.name, type, r.value, r.ttl));
      }
    }
  }
  return out;
}

type BareRecord = Zone['records'][number];
/** A zone's records with their names in the form queries are compared in, made once per zone
 * (a network's zones do not change; every question to the server reads them all). */
const bareByZone = new WeakMap<Zone, BareRecord[]>();
function bareRecords(z: Zone): BareRecord[] {
  let records = bareByZone.get(z);
  if (!records) {
    records = z.records.map((r) => ({ ...r, name: bare(r.name) }));
    bareByZone.set(z, records);
  }
  return records;
}

/** The answer nsd gives to `qname qtype` from the zones of `d`. */
export function authoritativeAnswer(d: Device, qname: string, qtype = 'A'): AuthoritativeAnswer {
  const q = bare(qname);
  const zone = zoneFor(d, q);
  if (!zone) return { rcode: 5, aa: false, answers: [], authorities: [], additionals: [] };
  const origin = bare(zone.origin);
  const records = bareRecords(zone);
  const toRr = (r: (typeof records)[number]): DnsResourceRecord => (r.type === 'SOA' ? zoneSoa(zone)
    : rec(r.name, r.type, r.type === 'A' || r.type === 'AAAA' ? r.value : bare(r.value), r.ttl));
  // A delegation between the apex and the name (the deepest cut above or at qname) wins,
  // except that the apex's own NS are data of this zone.
  const labels = q ? q.split('.') : [];
  for (let i = 0; i < labels.length; i++) {
    const cut = labels.slice(i).join('.');
    if (cut === origin) break;
    const ns = records.filter((r) => r.name === cut && r.type === 'NS');
    if (!ns.length) continue;
    const auth = ns.map(toRr);
    return { rcode: 0, aa: false, answers: [], authorities: auth, additionals: glueFor(zone, auth), source: ns[0].source };
  }
  const apexNs = records.filter((r) => r.name === origin && r.type === 'NS').map(toRr);
  const owned = records.filter((r) => r.name === q);
  const exact = owned.filter((r) => r.type === qtype || r.type === 'CNAME');
  // A zone that writes no SOA still has one: the derived SOA answers for it.
  const derivedSoa = !exact.length && qtype === 'SOA' && q === origin;
  if (exact.length || derivedSoa) {
    const answers = derivedSoa ? [zoneSoa(zone)] : exact.map(toRr);
    // nsd adds the zone's NS in authority, unless the answer is that NS set itself
    const authorities = qtype === 'NS' && q === origin ? [] : apexNs;
    const named = [...answers.filter((r) => r.type === 'NS'), ...authorities];
    return { rcode: 0, aa: true, answers, authorities, additionals: glueFor(zone, named), source: exact[0]?.source ?? zone.source };
  }
  // The name exists (it owns records, or is the apex or an empty non-terminal): NODATA.
  const exists = q === origin || records.some((r) => r.name === q || r.name.endsWith(`.${q}`));
  return { rcode: exists ? 0 : 3, aa: true, answers: [], authorities: [negativeSoa(zone)], additionals: [], source: owned[0]?.source ?? zone.source };
}
