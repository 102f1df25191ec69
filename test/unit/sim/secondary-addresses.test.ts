// Issue #15: several addresses on one interface (`ip` repeated, as `ip addr add` twice). A router
// on a stick serves two subnets through one port; a host with a second address reaches a server
// on that subnet from it; a server answers on either of its addresses.
import { strict as assert } from 'node:assert';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import type { PacketSnapshot, Trace } from '../../../src/core/trace/types';
import { traceOf } from './helpers';

type Arp = Extract<Header, { proto: 'arp' }>;
type Ip = Extract<Header, { proto: 'ipv4' }>;
type Tcp = Extract<Header, { proto: 'tcp' }>;

const layers = (p: PacketSnapshot): Header[] => decodeStack(fromHex(p.bytes));
const arpOf = (p: PacketSnapshot): Arp | undefined => layers(p).find((h): h is Arp => h.proto === 'arp');
const ipOf = (p: PacketSnapshot): Ip | undefined => layers(p).find((h): h is Ip => h.proto === 'ipv4');
const tcpOf = (p: PacketSnapshot): Tcp | undefined => layers(p).find((h): h is Tcp => h.proto === 'tcp');
const sent = (t: Trace, from: string): PacketSnapshot[] => t.packets.filter((p) => p.from === from);
/** The first TCP SYN to `port` that `from` puts on a link. */
const synFrom = (t: Trace, from: string, port: number): PacketSnapshot | undefined =>
  sent(t, from).find((p) => { const s = tcpOf(p); return !!s && s.flags.syn && !s.flags.ack && s.dstPort === port; });

// One switch, one router port with two subnets, a host on each, a DNS server on the first and
// a server behind the router's second interface (off every subnet of the hosts).
const LAN = `
host a {
  interface eth0 {
    mac 02:00:00:00:00:0a
    ip 192.168.1.10/24
  }
  gateway 192.168.1.1
  resolver 192.168.1.53
}

host b {
  interface eth0 {
    mac 02:00:00:00:00:0b
    ip 192.168.2.20/24
    ip 192.168.2.80/24
  }
  gateway 192.168.2.1
  resolver 192.168.1.53
  listen 80
}

host far {
  interface eth0 {
    mac 02:00:00:00:00:0f
    ip 10.0.0.5/24
  }
  gateway 10.0.0.1
  listen 80
}

dns-server ns {
  role authoritative
  interface eth0 {
    mac 02:00:00:00:00:53
    ip 192.168.1.53/24
  }
  gateway 192.168.1.1
  zone lan {
    record b A 192.168.2.20 ttl 60
    record www A 192.168.2.80 ttl 60
    record far A 10.0.0.5 ttl 60
  }
}

router r {
  interface lan {
    mac 02:00:00:00:00:01
    ip 192.168.1.1/24
    ip 192.168.2.1/24
  }
  interface wan {
    mac 02:00:00:00:00:02
    ip 10.0.0.1/24
  }
}

switch sw {
  interface p1 { mac 02:00:00:00:01:01 }
  interface p2 { mac 02:00:00:00:01:02 }
  interface p3 { mac 02:00:00:00:01:03 }
  interface p4 { mac 02:00:00:00:01:04 }
}

link la {
  between a.eth0 sw.p1
  latency 100us
}
link lb {
  between b.eth0 sw.p2
  latency 100us
}
link lr {
  between r.lan sw.p3
  latency 100us
}
link lns {
  between ns.eth0 sw.p4
  latency 100us
}
link lfar {
  between r.wan far.eth0
  latency 100us
}

scenario visit {
  from a
  request {
    url "http://b.lan/"
    http 1.1
  }
}
`;

describe('simulation: several addresses on one interface (issue #15)', () => {
  describe('a router on a stick: one port, two subnets', () => {
    const t = traceOf(LAN);

    it('the host on the second subnet is reached through the router, in and out of the same port, TTL decremented', () => {
      const toR = synFrom(t, 'a', 80);
      assert.ok(toR, 'a sends a SYN');
      assert.equal(toR.to, 'sw');
      const copies = t.packets.filter((p) => p.packetId === toR.packetId);
      const into = copies.find((p) => p.to === 'r');
      const out = copies.find((p) => p.from === 'r');
      assert.ok(into && out, 'the SYN enters and leaves the router');
      assert.equal(into.link, 'lr');
      assert.equal(out.link, 'lr', 'it leaves by the port it came in on');
      assert.equal(ipOf(out)?.ttl, (ipOf(into)?.ttl ?? 0) - 1);
      assert.equal(ipOf(out)?.src, '192.168.1.10', 'the router does not rewrite the source');
      const fwd = t.events.find((e) => e.device === 'r' && e.kind === 'forward' && e.packetId === toR.packetId);
      assert.match(fwd?.details?.join('\n') ?? '', /connected 192\.168\.2\.0\/24 dev lan/);
      const delivered = t.events.find((e) => e.device === 'b' && e.kind === 'receive' && e.packetId === toR.packetId);
      assert.ok(delivered, 'b receives the SYN');
      assert.equal(t.outcome.ok, true);
    });

    it('the router answers ARP for either of its addresses and asks from the address of the subnet it asks in', () => {
      const replies = t.packets.filter((p) => p.from === 'r' && arpOf(p)?.operation === 2).map((p) => arpOf(p)?.senderIp);
      assert.ok(replies.includes('192.168.1.1'), 'a asked for 192.168.1.1');
      // b learnt the router from its request above; going out through it, b asks first.
      const fromB = traceOf(LAN, ['from a', 'from b'], ['url "http://b.lan/"', 'url "http://far.lan/"']);
      assert.equal(fromB.outcome.ok, true);
      const reply = fromB.packets.find((p) => p.from === 'r' && arpOf(p)?.operation === 2 && arpOf(p)?.senderIp === '192.168.2.1');
      assert.ok(reply, 'b asked for 192.168.2.1 (its gateway, on the secondary subnet)');
      assert.equal(arpOf(reply)?.senderMac, '02:00:00:00:00:01');
      assert.equal(arpOf(reply)?.targetIp, '192.168.2.20');
      const asked = t.packets.filter((p) => p.from === 'r' && arpOf(p)?.operation === 1).map((p) => `${arpOf(p)?.senderIp} > ${arpOf(p)?.targetIp}`);
      assert.ok(asked.includes('192.168.2.1 > 192.168.2.20'), asked.join(', '));
      for (const a of asked) {
        const [sender, target] = a.split(' > ');
        assert.equal(sender.split('.').slice(0, 3).join('.'), target.split('.').slice(0, 3).join('.'), `${a}: asked from the same subnet`);
      }
    });

    it('a warm neighbour cache knows the hosts of both subnets', () => {
      const warm = traceOf(LAN, ['scenario visit {', 'scenario visit {\n  cache arp warm']);
      assert.equal(warm.outcome.ok, true);
      assert.deepEqual(warm.packets.filter((p) => arpOf(p)).map((p) => `${p.from}: ${arpOf(p)?.targetIp}`), []);
    });

    it('a server answers on its secondary address', () => {
      const www = traceOf(LAN, ['url "http://b.lan/"', 'url "http://www.lan/"']);
      assert.equal(www.outcome.ok, true);
      const syn = synFrom(www, 'a', 80);
      assert.equal(ipOf(syn as PacketSnapshot)?.dst, '192.168.2.80');
      const synAck = sent(www, 'b').find((p) => tcpOf(p)?.flags.syn && tcpOf(p)?.flags.ack);
      assert.equal(ipOf(synAck as PacketSnapshot)?.src, '192.168.2.80', 'the reply comes from the address that was asked');
      const arp = www.packets.find((p) => p.from === 'b' && arpOf(p)?.operation === 2 && arpOf(p)?.senderIp === '192.168.2.80');
      assert.ok(arp, 'b answers ARP for its secondary address');
      assert.equal(arpOf(arp)?.senderMac, '02:00:00:00:00:0b');
    });
  });

  describe('source address selection', () => {
    // a gets an address on b's subnet: b is then connected, no router in between.
    const second: [string, string] = ['ip 192.168.1.10/24\n', 'ip 192.168.1.10/24\n    ip 192.168.2.10/24\n'];

    it('to a server on its secondary subnet, a host sends from its secondary address, straight to it', () => {
      const t = traceOf(LAN, second);
      const syn = synFrom(t, 'a', 80);
      assert.equal(ipOf(syn as PacketSnapshot)?.src, '192.168.2.10');
      assert.equal(ipOf(syn as PacketSnapshot)?.dst, '192.168.2.20');
      assert.equal(t.packets.filter((p) => p.from === 'r' && !arpOf(p)).length, 0, 'the router forwards nothing');
      const asked = sent(t, 'a').filter((p) => arpOf(p)?.operation === 1 && arpOf(p)?.targetIp === '192.168.2.20');
      assert.equal(asked.length, 1);
      assert.equal(arpOf(asked[0])?.senderIp, '192.168.2.10', 'the ARP request comes from that subnet too');
      assert.equal(t.outcome.ok, true);
    });

    it('to anything else (its resolver, a server past the gateway), it sends from its primary address', () => {
      const t = traceOf(LAN, second, ['url "http://b.lan/"', 'url "http://far.lan/"']);
      const dns = sent(t, 'a').find((p) => layers(p).some((h) => h.proto === 'udp'));
      assert.equal(ipOf(dns as PacketSnapshot)?.src, '192.168.1.10', 'the query to the resolver');
      const syn = synFrom(t, 'a', 80);
      assert.equal(ipOf(syn as PacketSnapshot)?.src, '192.168.1.10', 'the SYN through the gateway');
      assert.equal(ipOf(syn as PacketSnapshot)?.dst, '10.0.0.5');
      assert.equal(t.outcome.ok, true);
    });

    it('masquerade takes the address of the out interface facing the next hop', () => {
      const t = traceOf(LAN,
        ['ip 10.0.0.1/24\n', 'ip 10.0.0.1/24\n    ip 172.16.0.1/24\n  }\n  nat masquerade {\n    out wan\n'],
        ['ip 10.0.0.5/24\n  }\n  gateway 10.0.0.1', 'ip 172.16.0.5/24\n  }\n  gateway 172.16.0.1'],
        ['record far A 10.0.0.5', 'record far A 172.16.0.5'],
        ['url "http://b.lan/"', 'url "http://far.lan/"']);
      const syn = sent(t, 'r').find((p) => p.link === 'lfar' && tcpOf(p)?.flags.syn);
      assert.equal(ipOf(syn as PacketSnapshot)?.src, '172.16.0.1');
      assert.equal(t.outcome.ok, true);
    });

    it('a gateway on the secondary subnet gives the secondary address as source', () => {
      const t = traceOf(LAN, second, ['gateway 192.168.1.1\n  resolver', 'gateway 192.168.2.1\n  resolver'], ['url "http://b.lan/"', 'url "http://far.lan/"']);
      const syn = synFrom(t, 'a', 80);
      assert.equal(ipOf(syn as PacketSnapshot)?.src, '192.168.2.10');
      assert.equal(t.outcome.ok, true);
    });
  });
});
