// Issue #15: a node names the interface its VXLAN endpoint uses (`underlay`, flannel's --iface,
// the VXLAN device's `local`/`dev`); the outer headers come from it.
import { strict as assert } from 'node:assert';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import type { Trace } from '../../../src/core/trace/types';
import { labJourney } from '../../reality/lab/journey';
import { build } from '../helpers';
import { traceOf } from './helpers';

type Ip = Extract<Header, { proto: 'ipv4' }>;
const LAB = labJourney({ issuer: 'Packet Journey Lab' });
/** The outer addresses of the VXLAN frames on each link, as "link src>dst". */
function outer(t: Trace): string[] {
  const seen = new Set<string>();
  for (const p of t.packets) {
    const hs = decodeStack(fromHex(p.bytes));
    if (!hs.some((h) => h.proto === 'vxlan')) continue;
    const ipH = hs.find((h): h is Ip => h.proto === 'ipv4');
    if (ipH) seen.add(`${p.link} ${ipH.src}>${ipH.dst}`);
  }
  return [...seen].sort();
}

describe('simulation: the VXLAN underlay a node names', () => {
  // A second network between the two nodes (eth1, a cable of its own), for the overlay only.
  const second = LAB
    .replace(/(node node-3 \{\n(?:.*\n)*?)(    gateway)/, '$1    interface eth1 {\n      mac 02:aa:00:00:03:02\n      ip 10.0.2.30/24\n    }\n$2')
    .replace(/(node node-5 \{\n(?:.*\n)*?)(    gateway)/, '$1    interface eth1 {\n      mac 02:aa:00:00:05:02\n      ip 10.0.2.50/24\n    }\n$2')
    .replace(/\nscenario lab \{/, '\nlink overlay-net {\n  between node-3.eth1 node-5.eth1\n  latency 1000us\n}\n\nscenario lab {');

  it('the lab says eth0, which is also the default: the outer headers go between the nodes\' eth0 addresses', () => {
    assert.match(LAB, /underlay eth0/);
    assert.deepEqual(outer(traceOf(LAB)), ['vpc-node-3 10.0.1.30>10.0.1.50', 'vpc-node-3 10.0.1.50>10.0.1.30', 'vpc-node-5 10.0.1.30>10.0.1.50', 'vpc-node-5 10.0.1.50>10.0.1.30']);
    assert.deepEqual(outer(traceOf(LAB.replace(/\n    underlay eth0/g, ''))), outer(traceOf(LAB)));
  });

  it('naming eth1 moves the tunnel onto the second network', () => {
    const t = traceOf(second.replace(/underlay eth0/g, 'underlay eth1'));
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
    assert.deepEqual(outer(t), ['overlay-net 10.0.2.30>10.0.2.50', 'overlay-net 10.0.2.50>10.0.2.30']);
    // with eth0 named, the second network carries nothing of the overlay
    assert.ok(outer(traceOf(second)).every((x) => !x.startsWith('overlay-net')));
  });

  it('an interface the node does not have is a diagnostic', () => {
    const errors = build(LAB.replace('underlay eth0', 'underlay eth9')).diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.some((d) => /eth9/.test(d.message)), errors.map((d) => d.message).join('; '));
  });
});
