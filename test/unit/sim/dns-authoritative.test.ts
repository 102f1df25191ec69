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

  describe('zones that write their SOA and AAAA records', () => {
    const SOA = 'record @ NS ns1 ttl 172800\n    soa ns1 hostmaster serial 2026112401 refresh 2h retry 1h expire 14d minimum 300 ttl 3600';
    const written = traceOf(SEED, ['record @ NS ns1 ttl 172800', SOA]);
    const withSoa = build(SEED.replace('record @ NS ns1 ttl 172800', SOA)).network.devices.get('example-ns');
    assert.ok(withSoa);

    it('negative answers carry the written SOA, with TTL min(its TTL, minimum)', () => {
      const nodata = authoritativeAnswer(withSoa, 'api.example.com', 'AAAA');
      assert.deepEqual(nodata.authorities[0].data, { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2026112401, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 });
      assert.equal(nodata.authorities[0].ttl, 300);
      const longMin = build(SEED.replace('record @ NS ns1 ttl 172800', SOA.replace('minimum 300 ttl 3600', 'minimum 86400 ttl 600'))).network.devices.get('example-ns');
      assert.ok(longMin);
      assert.equal(authoritativeAnswer(longMin, 'nope.example.com', 'A').authorities[0].ttl, 600);
      // The resolver caches the NODATA for that TTL and says so to the stub.
      const toLaptop = responses(dnsOn(written, 'home-lan')).find((p) => p.m.questions[0]?.type === 'AAAA');
      assert.ok(toLaptop, 'the AAAA answer reaches the laptop');
      const soa = toLaptop.m.authorities[0];
      assert.ok(soa && 'data' in soa && typeof soa.data === 'object' && 'serial' in soa.data);
      assert.deepEqual([soa.ttl, soa.data.serial], [300, 2026112401]);
      assert.ok(!written.simplifications.some((x) => /derived SOA.*example\.com on example-ns/.test(x)), 'no derived SOA for a zone that writes one');
      assert.ok(written.simplifications.some((x) => /derived SOA.*: com on com-tld/.test(x)));
    });

    it('answers an SOA question with the SOA itself', () => {
      const a = authoritativeAnswer(withSoa, 'example.com', 'SOA');
      assert.deepEqual([a.rcode, a.aa], [0, true]);
      assert.deepEqual(lines(a.answers), ['example.com SOA ns1.example.com hostmaster.example.com']);
      assert.equal(a.answers[0].ttl, 3600);
      // Without a written SOA the derived one answers.
      const derived = authoritativeAnswer(ns, 'example.com', 'SOA');
      assert.deepEqual(lines(derived.answers), ['example.com SOA ns1.example.com hostmaster.example.com']);
      assert.deepEqual([derived.answers[0].ttl, lines(derived.authorities)], [86400, ['example.com NS ns1.example.com']]);
    });

    it('an AAAA record turns the AAAA NODATA into an answer; the client still connects over IPv4', () => {
      const v6 = 'record api A 52.20.30.40 ttl 300\n    record api AAAA 2600:1f18::40 ttl 300';
      const d = build(SEED.replace('record api A 52.20.30.40 ttl 300', v6)).network.devices.get('example-ns');
      assert.ok(d);
      const a = authoritativeAnswer(d, 'api.example.com', 'AAAA');
      assert.deepEqual(lines(a.answers), ['api.example.com AAAA 2600:1f18::40']);
      assert.deepEqual(lines(a.authorities), ['example.com NS ns1.example.com']);
      const t = traceOf(SEED, ['record api A 52.20.30.40 ttl 300', v6]);
      const toLaptop = responses(dnsOn(t, 'home-lan')).find((p) => p.m.questions[0]?.type === 'AAAA');
      assert.ok(toLaptop);
      assert.deepEqual(section(toLaptop, 'answers'), ['api.example.com AAAA 2600:1f18::40']);
      assert.deepEqual(toLaptop.m.authorities, []);
      assert.ok(t.events.some((e) => e.device === 'laptop' && /also has AAAA 2600:1f18::40: not used, the simulation connects over IPv4/.test(e.summary)));
      assert.equal(t.outcome.ok, true);
      // nsd adds a name server's AAAA to the glue after its A.
      const glue = build(SEED.replace('record ns1 A 205.251.192.10 ttl 172800', 'record ns1 A 205.251.192.10 ttl 172800\n    record ns1 AAAA 2600:9000:5301::10 ttl 172800')).network.devices.get('example-ns');
      assert.ok(glue);
      assert.deepEqual(lines(authoritativeAnswer(glue, 'api.example.com', 'A').additionals), ['ns1.example.com A 205.251.192.10', 'ns1.example.com AAAA 2600:9000:5301::10']);
    });
  });
});
