// Authoritative servers as nsd answers: AA, the zone's NS and glue, referrals, SOA in negative
// answers, EDNS echoed with its own size, DF clear, and names compressed (sizes as nsd's).
import { strict as assert } from 'node:assert';
import type { DnsResourceRecord } from '../../../src/core/wire';
import { authoritativeAnswer } from '../../../src/core/sim/apps/dns-authoritative';
import { build } from '../helpers';
import { SEED, traceOf } from './helpers';
import { dnsOn, flags, opt, responses, section } from './dns-helpers';

const seedDevice = (name: string) => {
  const d = build(SEED).network.devices.get(name);
  assert.ok(d);
  return d;
};
const lines = (rrs: DnsResourceRecord[]): string[] =>
  rrs.map((r) => `${r.name || '.'} ${r.type} ${typeof r.data === 'object' && 'mname' in r.data ? `${r.data.mname} ${r.data.rname}` : String(r.data)}`);

describe('DNS: authoritative servers (nsd)', function () {
  this.timeout(20000); // each test traces the seed, on a machine shared with others
  const ns = seedDevice('example-ns');

  it('answers with AA, the zone\'s NS in authority and their glue in additional', () => {
    const a = authoritativeAnswer(ns, 'api.example.com', 'A');
    assert.equal(a.aa, true);
    assert.deepEqual(lines(a.answers), ['api.example.com A 52.20.30.40']);
    assert.deepEqual(lines(a.authorities), ['example.com NS ns1.example.com']);
    assert.deepEqual(lines(a.additionals), ['ns1.example.com A 205.251.192.10']);
  });

  it('answers the apex NS question with the NS in answer, glue in additional and nothing in authority', () => {
    const a = authoritativeAnswer(ns, 'example.com', 'NS');
    assert.deepEqual(lines(a.answers), ['example.com NS ns1.example.com']);
    assert.deepEqual(a.authorities, []);
    assert.deepEqual(lines(a.additionals), ['ns1.example.com A 205.251.192.10']);
  });

  it('NODATA and NXDOMAIN carry the SOA derived from the zone, with the negative TTL', () => {
    const nodata = authoritativeAnswer(ns, 'api.example.com', 'AAAA');
    assert.deepEqual([nodata.rcode, nodata.aa, nodata.answers.length], [0, true, 0]);
    assert.deepEqual(lines(nodata.authorities), ['example.com SOA ns1.example.com hostmaster.example.com']);
    assert.deepEqual(nodata.authorities[0].data, { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 });
    assert.equal(nodata.authorities[0].ttl, 86400);
    const nx = authoritativeAnswer(ns, 'nope.example.com', 'A');
    assert.deepEqual([nx.rcode, nx.aa], [3, true]);
    assert.deepEqual(lines(nx.authorities), ['example.com SOA ns1.example.com hostmaster.example.com']);
  });

  it('refers to a child zone without AA: its NS in authority, glue in additional', () => {
    const tld = seedDevice('com-tld');
    const r = authoritativeAnswer(tld, 'example.com', 'A');
    assert.deepEqual([r.rcode, r.aa, r.answers.length], [0, false, 0]);
    assert.deepEqual(lines(r.authorities), ['example.com NS ns1.example.com']);
    assert.deepEqual(lines(r.additionals), ['ns1.example.com A 205.251.192.10']);
    // a deeper name under the cut gets the same referral
    assert.deepEqual(lines(authoritativeAnswer(tld, 'api.example.com', 'A').authorities), ['example.com NS ns1.example.com']);
  });

  it('on the wire: EDNS answered with 1232 and DO echoed, CD not copied, DF clear, and nsd\'s sizes', () => {
    const t = traceOf(SEED);
    const fromNs = responses(dnsOn(t, 'to-example-ns'));
    const ipLen = (p: { size: number }): number => p.size - 14;
    // the IP lengths nsd 4.6 sends for the same zone in the reality lab: 122 (answer), 123 (NODATA)
    assert.deepEqual(fromNs.map((p) => [p.m.flags, ipLen(p), p.df]), [[0x8400, 122, false], [0x8400, 123, false]]);
    for (const p of fromNs) assert.deepEqual({ size: opt(p)?.udpPayloadSize, flags: opt(p)?.flags }, { size: 1232, flags: 0x8000 });
    assert.deepEqual(section(fromNs[0], 'additionals'), ['ns1.example.com A 205.251.192.10']);
    const referral = responses(dnsOn(t, 'to-tld'))[0];
    assert.deepEqual([referral.m.flags, ipLen(referral)], [0x8000, 102]);
    assert.equal(flags(referral).aa, false);
  });
});
