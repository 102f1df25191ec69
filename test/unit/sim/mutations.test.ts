import { strict as assert } from 'node:assert';
import { SEED, traceOf, phase, duration, near } from './helpers';

// Each test edits the seed example the way a user would and checks that the journey changes
// the way the real network would.
describe('simulation: changing the file changes the journey', () => {
  const base = traceOf(SEED);

  it('doubling one link\'s latency grows each phase by the round trips that cross it', () => {
    const t = traceOf(SEED, [/link long-haul \{\n  between backbone-nyc.south backbone-iad.north\n  latency 16ms/, 'link long-haul {\n  between backbone-nyc.south backbone-iad.north\n  latency 32ms']);
    near(duration(t, 'dns') - duration(base, 'dns'), 0, 0.01, 'DNS does not cross the long-haul link');
    // The SYN is also the first packet over long-haul, so the ARP exchange before it crosses
    // twice more (caches start cold).
    near(duration(t, 'tcp') - duration(base, 'tcp'), 64, 0.01, 'TCP: one round trip, two crossings, plus the ARP exchange');
    near(duration(t, 'tls') - duration(base, 'tls'), 32, 0.01, 'TLS 1.3: one round trip');
    near(duration(t, 'request') - duration(base, 'request'), 16, 0.01, 'request: one way');
    near(duration(t, 'response') - duration(base, 'response'), 16, 0.01, 'response: one way');
    near(t.outcome.totals[1] - base.outcome.totals[1], 32, 0.01, 'the second request pays one round trip');
  });

  it('TLS 1.2 costs one more round trip than TLS 1.3', () => {
    // With warm infrastructure caches the TCP phase is one round trip and nothing else.
    const warm: [RegExp, string] = [/scenario ([\w-]+) \{/, 'scenario $1 {\n  cache infrastructure-arp warm'];
    const t = traceOf(SEED, ['    tls 1.3\n', '    tls 1.2\n'], warm);
    const steady = traceOf(SEED, warm);
    const rtt = duration(steady, 'tcp');
    near(duration(t, 'tls') - duration(steady, 'tls'), rtt, 2, 'the extra TLS 1.2 round trip');
    assert.ok(t.packets.some((p) => p.layers.some((l) => l.proto === 'tls' && /certificate/.test(l.summary))), 'TLS 1.2 sends the certificate in clear');
  });

  it('a warm DNS cache removes the DNS phase', () => {
    const t = traceOf(SEED, ['  requests 2\n', '  requests 2\n  cache os-dns warm\n']);
    assert.equal(phase(t, 'dns', 1), undefined);
    assert.ok(!t.packets.some((p) => p.link === 'wifi' && p.layers.some((l) => l.proto === 'dns')), 'the laptop sends no DNS query');
    assert.ok(t.outcome.totals[0] < base.outcome.totals[0] - 70);
  });

  it('a warm resolver cache skips the walk from the root but not the query', () => {
    const t = traceOf(SEED, ['  requests 2\n', '  requests 2\n  cache resolver warm\n']);
    assert.ok(!t.packets.some((p) => p.to === 'root-server'));
    assert.ok(duration(t, 'dns') < duration(base, 'dns') - 50, `DNS took ${duration(t, 'dns')} ms`);
  });

  it('a bigger body takes more TCP segments, and a smaller MTU makes them smaller', () => {
    const count = (t: ReturnType<typeof traceOf>): number => t.packets.filter((p) => p.link === 'wifi' && p.to === 'laptop' && p.layers.some((l) => l.proto === 'tcp' && /PSH|ACK/.test(l.summary)) && p.layers.length > 3).length;
    const big = traceOf(SEED, ['    body 256B\n', '    body 40KB\n']);
    assert.ok(count(big) > count(base) + 20, `${count(big)} vs ${count(base)} data segments`);
    const small = traceOf(SEED, ['    body 256B\n', '    body 40KB\n'], [/link wifi \{\n  between laptop.wlan0 home-ap.radio\n  medium wifi\n  latency 1ms\n  bandwidth 300Mbps\n  mtu 1500/, 'link wifi {\n  between laptop.wlan0 home-ap.radio\n  medium wifi\n  latency 1ms\n  bandwidth 300Mbps\n  mtu 1000']);
    assert.ok(count(small) > count(big), `MTU 1000: ${count(small)} segments vs ${count(big)}`);
    const syn = small.packets.find((p) => p.link === 'wifi' && p.layers.some((l) => /\[SYN\]/.test(l.summary)));
    assert.equal(syn?.layers.find((l) => l.proto === 'tcp')?.fields.find((f) => f.name === 'option[0].mss')?.value, '960');
  });

  it('without the NAT rule the replies cannot come back', () => {
    const t = traceOf(SEED, [/  nat masquerade \{[^}]*\}\n/, '']);
    assert.equal(t.outcome.ok, false);
    assert.ok(t.events.some((e) => e.kind === 'drop' && /192\.168\.1\.100/.test(e.summary)), 'a reply to the private address is dropped');
  });

  it('a routing loop ends in ICMP time exceeded, not a hang', () => {
    const t = traceOf(SEED, ['  route 52.20.30.0/24 via 52.93.0.2', '  route 52.20.30.0/24 via 4.68.0.1']);
    assert.equal(t.outcome.ok, false);
    assert.ok(t.events.some((e) => /TTL expired/.test(e.summary)));
    assert.ok(t.packets.some((p) => p.layers.some((l) => l.proto === 'icmp' && /time exceeded/.test(l.summary))));
    assert.match(t.outcome.symptom ?? '', /unreachable.*time exceeded/);
    assert.match(t.outcome.detectWith ?? '', /traceroute/);
    assert.ok(t.packets.some((p) => p.link === 'wifi' && p.to === 'laptop' && p.layers.some((l) => l.proto === 'icmp')), 'the error is de-NATed back to the laptop');
  });
});
