// A router that is also the recursive resolver (issue #15, "any device may run a service": the
// lab's ISP router could have been its resolver, as a pfSense box runs unbound): `dns-resolver`
// on a router walks the hierarchy itself, from its own addresses.
import { strict as assert } from 'node:assert';
import { labJourney } from '../../reality/lab/journey';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import { build, errorsOf } from '../helpers';
import { traceOf } from './helpers';

type Ip = Extract<Header, { proto: 'ipv4' }>;
const LAB = labJourney({ issuer: 'Packet Journey Lab' });
const ON_ROUTER: [string, string][] = [
  ['  resolver 75.75.75.75\n', '  resolver 73.45.20.1\n'],
  ['router isp-router {\n', 'router isp-router {\n  dns-resolver {\n    root-hint 198.41.0.4\n  }\n'],
];
const edited = (text: string, edits: [string, string][]): string => edits.reduce((t, [a, b]) => t.replace(a, b), text);

function dnsOn(t: ReturnType<typeof traceOf>, link: string): { src: string; dst: string }[] {
  return t.packets.filter((p) => p.link === link).map((p) => decodeStack(fromHex(p.bytes))).filter((hs) => hs.some((h) => h.proto === 'dns'))
    .map((hs) => hs.find((h): h is Ip => h.proto === 'ipv4')).filter((ip): ip is Ip => !!ip).map((ip) => ({ src: ip.src, dst: ip.dst }));
}

describe('a router running a recursive resolver (dns-resolver)', () => {
  it('is accepted by check, and the stub asks the router, which walks from the root itself', () => {
    const text = edited(LAB, ON_ROUTER);
    assert.deepEqual(errorsOf(build(text)), []);
    const t = traceOf(text);
    assert.ok(t.outcome.ok, t.outcome.symptom);
    // the laptop's queries go to the router (NATed by the home router on the way)
    assert.ok(dnsOn(t, 'last-mile').some((d) => d.dst === '73.45.20.1'));
    // the router asks the root from its address on the root's network, the TLD and the zone's server from theirs
    assert.ok(dnsOn(t, 'to-root').some((d) => d.src === '198.41.0.1' && d.dst === '198.41.0.4'));
    assert.ok(dnsOn(t, 'to-tld').some((d) => d.src === '192.5.6.1'));
    assert.ok(dnsOn(t, 'to-example-ns').some((d) => d.src === '205.251.192.1'));
    // the separate resolver is idle
    assert.deepEqual(dnsOn(t, 'isp-dc'), []);
  });

  it('needs a root hint, and cannot share port 53 with a forwarder', () => {
    const noHint = errorsOf(build(edited(LAB, [ON_ROUTER[0], ['router isp-router {\n', 'router isp-router {\n  dns-resolver {\n  }\n']])));
    assert.ok(noHint.some((d) => /root server to start from/.test(d)), noHint.join('; '));
    const both = errorsOf(build(edited(LAB, [ON_ROUTER[0], ['router isp-router {\n', 'router isp-router {\n  dns-forwarder {\n    upstream 75.75.75.75\n  }\n  dns-resolver {\n    root-hint 198.41.0.4\n  }\n']])));
    assert.ok(both.some((d) => /forwarder or a recursive resolver/.test(d)), both.join('; '));
  });
});
