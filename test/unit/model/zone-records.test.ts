// Zones write their SOA (`soa`, one per zone, at its apex) and AAAA records: what the model
// reads from them, and the diagnostics for what a zone file would refuse.
import { strict as assert } from 'node:assert';
import { build, errorsOf } from '../helpers';
import { isIpv6 } from '../../../src/core/model/build';

/** A file with one authoritative server whose zone holds `body`. */
const zoneFile = (body: string, origin = 'example.com'): string => `dns-server ns {
  role authoritative
  interface eth0 {
    mac 02:00:00:00:00:01
    ip 192.0.2.53/24
  }
  zone ${origin} {
${body}
  }
}
`;
const zoneOf = (text: string) => {
  const r = build(text);
  const z = r.network.devices.get('ns')?.dns?.zones[0];
  assert.ok(z, 'the zone was read');
  return { r, z };
};
const codes = (text: string): string[] => build(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('model: SOA and AAAA in zones', () => {
  it('reads `soa` as the apex\'s SOA record with absolute names, its timers and its TTL', () => {
    const { r, z } = zoneOf(zoneFile('    soa ns1 hostmaster serial 2026112401 refresh 2h retry 1h expire 14d minimum 300 ttl 3600\n    record @ NS ns1 ttl 172800'));
    assert.deepEqual(errorsOf(r), []);
    const soa = z.records.find((x) => x.type === 'SOA');
    assert.ok(soa);
    assert.equal(soa.name, 'example.com');
    assert.equal(soa.ttl, 3600);
    assert.deepEqual(soa.soa, { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2026112401, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 });
    // Absolute names stay as written; the TTL defaults to the language's 3600.
    const abs = zoneOf(zoneFile('    soa a.iana-servers.net. noc.dns.icann.org. serial 1 refresh 1800 retry 900 expire 604800 minimum 86400')).z.records[0];
    assert.deepEqual([abs.soa?.mname, abs.soa?.rname, abs.ttl], ['a.iana-servers.net', 'noc.dns.icann.org', 3600]);
    // The root zone's apex is "" in the model, as its NS records are.
    const root = zoneOf(zoneFile('    soa a.root-servers.net. nstld.verisign-grs.com. serial 2026113000 refresh 1800 retry 900 expire 604800 minimum 86400 ttl 86400', '.')).z.records[0];
    assert.deepEqual([root.name, root.soa?.mname], ['', 'a.root-servers.net']);
  });

  it('allows one SOA per zone, refuses missing fields, bad numbers and names', () => {
    assert.deepEqual(codes(zoneFile('    soa ns1 hostmaster serial 1 refresh 1800 retry 900 expire 604800 minimum 300\n    soa ns2 hostmaster serial 2 refresh 1800 retry 900 expire 604800 minimum 300')), ['duplicate-property']);
    assert.ok(codes(zoneFile('    soa ns1 hostmaster serial 1 refresh 1800 retry 900 expire 604800')).includes('missing-argument'));
    assert.ok(codes(zoneFile('    soa ns1 hostmaster serial 4294967296 refresh 1800 retry 900 expire 604800 minimum 300')).includes('bad-number'));
    assert.ok(codes(zoneFile('    soa ns1 hostmaster serial 1 refresh soon retry 900 expire 604800 minimum 300')).includes('bad-duration'));
    assert.deepEqual(codes(zoneFile('    soa ns_1 hostmaster serial 1 refresh 1800 retry 900 expire 604800 minimum 300')), ['bad-domain']);
    // An SOA written as a record names its own statement: SOA is not a record type.
    assert.ok(codes(zoneFile('    record @ SOA ns1 ttl 300')).includes('bad-value'));
  });

  it('reads AAAA records and refuses what is not an IPv6 address', () => {
    const { r, z } = zoneOf(zoneFile('    record api AAAA 2001:DB8::10 ttl 300\n    record api A 192.0.2.10'));
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(z.records.map((x) => [x.name, x.type, x.value, x.ttl]), [['api.example.com', 'AAAA', '2001:db8::10', 300], ['api.example.com', 'A', '192.0.2.10', 3600]]);
    const bad = build(zoneFile('    record api AAAA 192.0.2.10'));
    assert.deepEqual(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, /IPv6 address/.test(d.message)]), [['bad-value', true]]);
  });

  it('knows IPv6 text as RFC 4291 writes it', () => {
    for (const ok of ['::', '::1', '2001:db8::10', '2001:0db8:0000:0000:0000:ff00:0042:8329', 'fe80::1:2', '::ffff:192.0.2.1', '1:2:3:4:5:6:192.0.2.1', '1::']) assert.ok(isIpv6(ok), ok);
    for (const no of ['', '1', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::1', ':1::', '1:2:3:4:5:6:7::8', '::ffff:192.0.2.256', '1.2.3.4']) assert.ok(!isIpv6(no), no);
  });
});
