// Issue #15: every device starts with the neighbour cache the scenario says. Cold, the first
// packet to each next hop waits for an ARP exchange (request broadcast, reply unicast), a
// switch floods the request, and the reply's target has learnt the requester from the request.
import { strict as assert } from 'node:assert';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import type { PacketSnapshot, Trace } from '../../../src/core/trace/types';
import { SEED, traceOf } from './helpers';

type Arp = Extract<Header, { proto: 'arp' }>;
type Eth = Extract<Header, { proto: 'ethernet' }>;

const layers = (p: PacketSnapshot): Header[] => decodeStack(fromHex(p.bytes));
const arpOf = (p: PacketSnapshot): Arp | undefined => layers(p).find((h): h is Arp => h.proto === 'arp');
const ethOf = (p: PacketSnapshot): Eth => layers(p)[0] as Eth;
const isIp = (p: PacketSnapshot): boolean => layers(p)[1]?.proto === 'ipv4';
const onLink = (t: Trace, link: string): PacketSnapshot[] => t.packets.filter((p) => p.link === link);
const requests = (t: Trace): PacketSnapshot[] => t.packets.filter((p) => arpOf(p)?.operation === 1);

describe('simulation: ARP at first use on every link (issue #15)', () => {
  const cold = traceOf(SEED);

  it('with the default (cold) caches, each routed link starts with one ARP exchange before its first IP packet', () => {
    for (const link of ['last-mile', 'isp-dc', 'to-root', 'aws-peering']) {
      const frames = onLink(cold, link);
      const first = frames.findIndex(isIp);
      assert.ok(first >= 2, `${link}: the first IP packet comes after an ARP exchange`);
      const req = arpOf(frames[0]);
      const rep = arpOf(frames[1]);
      assert.equal(req?.operation, 1, `${link}: first frame is an ARP request`);
      assert.equal(ethOf(frames[0]).dst, 'ff:ff:ff:ff:ff:ff', `${link}: the request is broadcast`);
      assert.equal(rep?.operation, 2, `${link}: second frame is the reply`);
      assert.equal(ethOf(frames[1]).dst, req?.senderMac, `${link}: the reply is unicast to the requester`);
      assert.equal(rep?.senderIp, req?.targetIp);
      assert.equal(frames.filter((p) => arpOf(p)).length, 2, `${link}: the reverse direction needs no ARP (learnt from the request)`);
      // The queued packet leaves by the requester once the reply is in.
      assert.equal(frames[first].from, frames[0].from, `${link}: the queued packet follows the reply`);
      assert.equal(ethOf(frames[first]).dst, rep?.senderMac);
    }
  });

  it('a switch floods the request to every other port and forwards the reply to the requester only', () => {
    const req = cold.packets.find((p) => p.link === 'vpc-igw' && arpOf(p)?.operation === 1);
    assert.ok(req, 'the igw ARPs for the load balancer across the VPC fabric');
    const copies = cold.packets.filter((p) => p.packetId === req.packetId);
    assert.deepEqual(copies.map((p) => p.link).sort(), ['vpc-alb', 'vpc-igw', 'vpc-node-3', 'vpc-node-5', 'vpc-node-7']);
    const reply = cold.packets.filter((p) => arpOf(p)?.operation === 2 && arpOf(p)?.targetIp === arpOf(req)?.senderIp);
    assert.deepEqual(reply.map((p) => p.link), ['vpc-alb', 'vpc-igw']);
  });

  it('no device ARPs twice for the same neighbour', () => {
    const keys = requests(cold).filter((p) => p.from !== 'vpc-fabric' && p.from !== 'home-ap').map((p) => `${p.from}>${arpOf(p)?.targetIp}`);
    assert.deepEqual(keys, [...new Set(keys)]);
  });

  it('"cache infrastructure-arp warm" keeps only the client\'s exchange; "cache arp warm" removes every one', () => {
    const infra = traceOf(SEED, [/scenario ([\w-]+) \{/, 'scenario $1 {\n  cache infrastructure-arp warm']);
    const asked = requests(infra).filter((p) => p.from !== 'home-ap').map((p) => `${p.from}>${arpOf(p)?.targetIp}`);
    assert.deepEqual(asked, ['laptop>192.168.1.1']);
    const warm = traceOf(SEED, [/scenario ([\w-]+) \{/, 'scenario $1 {\n  cache arp warm']);
    assert.equal(warm.packets.filter((p) => arpOf(p)).length, 0);
    // Each cold link costs exactly one exchange: the difference is two frames per routed link
    // plus the flooded copies on switches.
    assert.ok(cold.packets.length > infra.packets.length && infra.packets.length > warm.packets.length);
  });
});
