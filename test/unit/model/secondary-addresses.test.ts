// Issue #15: `ip` repeated in an interface block gives it secondary addresses. The model keeps
// the first as `address`/`prefix` and the others in `secondary`; routes, ownership and the checks
// see all of them, as the Linux kernel does.
import { strict as assert } from 'node:assert';
import { buildNetwork, type BuildResult } from '../../../src/core/model/build';
import { addressToward, holdsAddress, ip, masqueradeIp, sourceAddress, Topology, traceRoute } from '../../../src/core/model/topology';
import { SCHEMA } from '../../../src/core/language/schema';
import { parseIpv4 } from '../../../src/core/language/values';
import type { Device } from '../../../src/core/model/types';

const FILE = '/virtual/secondary.journey';
const build = (text: string): BuildResult => buildNetwork(text, { file: FILE });
const a = (text: string): number => { const r = parseIpv4(text); if (!r.ok) throw new Error(text); return r.value; };
const device = (r: BuildResult, name: string): Device => { const d = r.network.devices.get(name); assert.ok(d, name); return d; };
const codes = (r: BuildResult): string[] => r.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code);

/** A router with one port holding `lan` (its `ip` lines), a host on the same link. */
function net(lan: string[], host: string[] = ['ip 192.168.2.20/24'], hostExtra = ''): string {
  return [
    'router r {', '  interface lan {', '    mac 02:00:00:00:00:01', ...lan.map((l) => `    ${l}`), '  }', '}',
    'host h {', '  interface eth0 {', '    mac 02:00:00:00:00:02', ...host.map((l) => `    ${l}`), '  }', hostExtra, '}',
    'link l {', '  between r.lan h.eth0', '  latency 1ms', '}',
  ].join('\n');
}

describe('model: several addresses on one interface (issue #15)', () => {
  it('keeps the first `ip` as the primary and the others as secondaries, each with its own statement', () => {
    const text = net(['ip 192.168.1.1/24', 'ip 192.168.2.1/24', 'ip 10.0.0.1/8']);
    const r = build(text);
    assert.deepEqual(codes(r), []);
    const lan = device(r, 'r').interfaces[0];
    assert.equal(ip(lan.address as number), '192.168.1.1');
    assert.equal(lan.prefix, 24);
    assert.deepEqual(lan.secondary?.map((s) => `${ip(s.address)}/${s.prefix}`), ['192.168.2.1/24', '10.0.0.1/8']);
    assert.equal(text.slice(lan.secondary?.[0].source.span.start, lan.secondary?.[0].source.span.end), 'ip 192.168.2.1/24');
    assert.equal(device(r, 'h').interfaces[0].secondary, undefined, 'one address: no list');
  });

  it('only the interface block repeats `ip`: a pod keeps one address', () => {
    const ipOf = (ctx: string): boolean | undefined => SCHEMA[ctx as keyof typeof SCHEMA].find((k) => k.keyword === 'ip')?.repeatable;
    assert.equal(ipOf('interface'), true);
    assert.notEqual(ipOf('pod'), true);
  });

  it('an unreadable `ip` marks the interface invalid, whichever line it is on', () => {
    const r = build(net(['ip 192.168.1.1/24', 'ip 192.168.2.300/24']));
    assert.deepEqual(codes(r), ['bad-cidr']);
    const lan = device(r, 'r').interfaces[0];
    assert.equal(lan.invalid, true);
    assert.equal(ip(lan.address as number), '192.168.1.1');
  });

  describe('topology', () => {
    const r = build(net(['ip 10.0.0.1/16', 'ip 10.0.1.1/24', 'ip 10.0.2.1/24', 'ip 10.0.2.2/24'], ['ip 10.0.2.20/16']));
    const topo = new Topology(r.network);
    const router = device(r, 'r');
    const lan = router.interfaces[0];

    it('has a connected route for each subnet, the longest prefix winning, its address the source', () => {
      const at = (dst: string): string => { const c = topo.route(router, a(dst)); assert.ok(c, dst); return `${c.why} src ${ip(sourceAddress(c) as number)}`; };
      assert.equal(at('10.0.1.9'), 'connected 10.0.1.0/24 dev lan src 10.0.1.1');
      assert.equal(at('10.0.7.7'), 'connected 10.0.0.0/16 dev lan src 10.0.0.1');
      // The second address of a subnet is its secondary: the first stays the source.
      assert.equal(at('10.0.2.99'), 'connected 10.0.2.0/24 dev lan src 10.0.2.1');
    });

    it('reaches a gateway on any of the subnets and sends to it from the address facing it', () => {
      const viaSecondary = build(net(['ip 10.0.0.1/16'], ['ip 192.168.5.5/24', 'ip 10.0.2.20/16'], '  gateway 10.0.0.1'));
      const h2 = device(viaSecondary, 'h');
      assert.deepEqual(codes(viaSecondary), [], 'a gateway on a secondary subnet is on a subnet of the device');
      const c = new Topology(viaSecondary.network).route(h2, a('8.8.8.8'));
      assert.ok(c);
      assert.equal(c.why, 'route 0.0.0.0/0 via 10.0.0.1 dev eth0');
      assert.equal(ip(sourceAddress(c) as number), '10.0.2.20');
    });

    it('owns, finds as neighbour and delivers to every address', () => {
      for (const x of ['10.0.0.1', '10.0.1.1', '10.0.2.2']) {
        assert.equal(topo.ownerOf(a(x)), lan, x);
        assert.equal(topo.neighbour(device(r, 'h').interfaces[0], a(x)), lan, x);
        assert.ok(holdsAddress(lan, a(x)));
        const path = traceRoute(topo, device(r, 'h'), a(x));
        assert.ok(path.ok && path.device === router, x);
      }
      assert.equal(holdsAddress(lan, a('10.0.3.1')), false);
    });

    it('picks the address facing a peer as inet_select_addr does: the first whose subnet holds it, else the primary', () => {
      assert.equal(ip(addressToward(lan, a('10.0.1.50')) as number), '10.0.0.1', 'the /16 is written first: it holds 10.0.1.50 too');
      // MASQUERADE asks the same question of the next hop, where a socket takes the route's src.
      const c = topo.route(router, a('10.0.1.9'));
      assert.ok(c);
      assert.deepEqual([ip(sourceAddress(c) as number), masqueradeIp(c)], ['10.0.1.1', '10.0.0.1']);
      assert.equal(ip(addressToward(lan, a('192.0.2.1')) as number), '10.0.0.1');
      const other = device(build(net(['ip 192.168.1.1/24', 'ip 10.0.2.1/24', 'ip 10.0.2.2/24'])), 'r').interfaces[0];
      assert.equal(ip(addressToward(other, a('10.0.2.50')) as number), '10.0.2.1', 'the first of its subnet, not its secondary');
      assert.equal(ip(addressToward(other, a('192.168.1.50')) as number), '192.168.1.1');
    });
  });

  describe('checks', () => {
    it('reports a secondary address another device has, at its own `ip` line', () => {
      const text = net(['ip 192.168.1.1/24', 'ip 192.168.2.20/24']);
      const r = build(text);
      const dup = r.diagnostics.filter((d) => d.code === 'duplicate-address');
      assert.equal(dup.length, 1, r.diagnostics.map((d) => d.message).join('\n'));
      assert.match(dup[0].message, /192\.168\.2\.20 is already the address of (h\.eth0|r\.lan)/);
    });

    it('points at the secondary of the second device when it repeats one seen before', () => {
      const text = net(['ip 192.168.2.1/24'], ['ip 192.168.2.20/24', 'ip 192.168.2.1/24']);
      const r = build(text);
      const dup = r.diagnostics.filter((d) => d.code === 'duplicate-address');
      assert.equal(dup.length, 1);
      assert.equal(text.slice(dup[0].span.start, dup[0].span.end), 'ip 192.168.2.1/24');
      assert.equal(text.lastIndexOf('ip 192.168.2.1/24'), dup[0].span.start, 'the host\'s line, not the router\'s');
      assert.match(dup[0].message, /already the address of r\.lan/);
    });

    it('refuses one address written twice on an interface, and accepts two in one subnet', () => {
      const twice = build(net(['ip 192.168.1.1/24', 'ip 192.168.1.1/24']));
      assert.deepEqual(twice.diagnostics.filter((d) => d.code === 'duplicate-address').map((d) => d.message), ['192.168.1.1 is already an address of r.lan: write each address once.']);
      assert.deepEqual(codes(build(net(['ip 192.168.2.1/24', 'ip 192.168.2.2/24']))), []);
    });

    it('lists every subnet of the device when a gateway is on none of them', () => {
      const r = build(net(['ip 192.168.2.1/24'], ['ip 192.168.2.20/24', 'ip 10.1.0.20/24'], '  gateway 172.16.0.1'));
      const d = r.diagnostics.find((x) => x.code === 'gateway-unreachable');
      assert.ok(d, codes(r).join(', '));
      assert.deepEqual(d.related?.map((x) => x.message), ['h.eth0 is 192.168.2.20/24', 'h.eth0 also has 10.1.0.20/24']);
    });
  });
});
