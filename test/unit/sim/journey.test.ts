import { strict as assert } from 'node:assert';
import { decodeStack, encodeStack, fromHex, toHex } from '../../../src/core/wire';
import { SEED, traceOf, phase, duration, near } from './helpers';

describe('simulation: the seed journey', () => {
  const t = traceOf(SEED);

  it('runs every phase of the first request and reaches the browser', () => {
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
    for (const name of ['url', 'dns', 'tcp', 'tls', 'request', 'server', 'database', 'response', 'render']) assert.ok(phase(t, name, 1), `phase ${name}`);
  });

  it('skips DNS, TCP and TLS on the second request (caches and the pooled connection)', () => {
    for (const name of ['dns', 'tcp', 'tls']) assert.equal(phase(t, name, 2), undefined, `request 2 has a ${name} phase`);
    for (const name of ['request', 'server', 'response', 'render']) assert.ok(phase(t, name, 2), `phase ${name} in request 2`);
    assert.ok(t.events.some((e) => e.request === 2 && /browser DNS cache: hit/.test(e.summary)));
    assert.ok(t.events.some((e) => e.request === 2 && /connection pool: an open TLS connection/.test(e.summary)));
  });

  // The seed's timeline is that of a network in steady state: the neighbour caches of the
  // routers and servers are warm, only the laptop's is cold.
  const steady = traceOf(SEED, [/scenario ([\w-]+) \{/, 'scenario $1 {\n  cache infrastructure-arp warm']);

  it('comes out near the seed\'s timeline (about 350 ms, then about 120 ms) from the link figures, with warm infrastructure caches', () => {
    const t = steady;
    near(t.outcome.totals[0], 350, 35, 'first request');
    near(t.outcome.totals[1], 120, 15, 'second request');
    // unbound primes (. NS to the root), walks the A question, then asks AAAA from the cached
    // delegation; glibc waits for both answers: one root and one zone round trip more than a bare A walk
    near(duration(t, 'dns'), 121, 10, 'DNS');
    near(duration(t, 'tcp'), 68, 5, 'TCP handshake (1 RTT)');
    near(duration(t, 'tls'), 69, 5, 'TLS 1.3 (1 RTT)');
  });

  it('on a cold network (the default) the first use of each link waits for an ARP exchange; the second request does not', () => {
    assert.ok(t.outcome.totals[0] > steady.outcome.totals[0] + 50, `${t.outcome.totals[0]} ms against ${steady.outcome.totals[0]} ms`);
    near(t.outcome.totals[1], steady.outcome.totals[1], 0.5, 'second request');
    // The SYN is the first packet over long-haul, aws-peering and the VPC fabric (igw to alb):
    // each adds an ARP round trip over its links (DNS already used the others).
    const lat = (name: string): number => t.links.find((l) => l.name === name)?.latencyMs ?? NaN;
    const arp = 2 * (lat('long-haul') + lat('aws-peering') + lat('vpc-igw') + lat('vpc-alb'));
    near(duration(t, 'tcp') - duration(steady, 'tcp'), arp, 1, 'ARP on long-haul, aws-peering and the VPC fabric');
  });

  it('rewrites addresses where the real devices do: NAT, DNAT at the gateway, kube-proxy, VXLAN', () => {
    const kinds = new Set(t.transformations.map((x) => `${x.device}:${x.kind}`));
    for (const k of ['home-router:SNAT', 'home-router:de-NAT', 'aws-igw:DNAT', 'node-3:kube-proxy DNAT', 'node-3:VXLAN encap', 'node-5:VXLAN decap', 'alb:LB', 'isp-router:route']) assert.ok(kinds.has(k), k);
    const syn = t.packets.filter((p) => p.layers.some((l) => l.proto === 'tcp' && /\[SYN\]/.test(l.summary)) && p.layers.some((l) => l.summary.includes('-> 52.20.30.40')));
    const ttls = syn.map((p) => Number(p.layers.find((l) => l.proto === 'ipv4')?.fields.find((f) => f.name === 'ttl')?.value));
    assert.equal(ttls[0], 64);
    assert.ok(ttls.every((v, i) => i === 0 || v <= ttls[i - 1]), `TTL only goes down: ${ttls.join(' ')}`);
  });

  it('keeps one conntrack entry per flow at the home router (replies add none)', () => {
    const tables = t.state.filter((s) => s.table === 'conntrack' && s.device === 'home-router');
    assert.deepEqual(tables[tables.length - 1].rows.map((r) => r.proto), ['udp', 'tcp']);
  });

  it('keeps the HTTP payload unchanged on the way (the load balancer only adds headers)', () => {
    assert.equal(t.payloadInvariant.holds, true);
    assert.ok(t.payloadInvariant.checkedHops >= 4);
  });

  it('every snapshot\'s bytes decode and re-encode to the same bytes', () => {
    for (const p of t.packets) {
      const bytes = fromHex(p.bytes);
      const again = toHex(encodeStack(decodeStack(bytes)).bytes);
      assert.equal(again, p.bytes, `packet ${p.id} on ${p.link}`);
    }
  });

  it('is reproducible from the seed, and another seed changes the random values', () => {
    const again = traceOf(SEED);
    assert.deepEqual(again.packets.map((p) => p.bytes), t.packets.map((p) => p.bytes));
    const other = traceOf(SEED, ['seed 42', 'seed 7']);
    assert.notDeepEqual(other.packets.map((p) => p.bytes), t.packets.map((p) => p.bytes));
    assert.deepEqual(other.outcome.totals, t.outcome.totals);
  });
});
