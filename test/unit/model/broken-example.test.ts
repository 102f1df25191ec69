import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../src/core/language/range';
import { build, example, errorsOf } from '../helpers';

describe('model: examples', () => {
  it('the seed example has no errors and no warnings', () => {
    const r = build(example('follow-a-packet.journey'));
    assert.deepEqual(r.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`), []);
  });

  it('the seed example describes every device kind the seed uses', () => {
    const r = build(example('follow-a-packet.journey'));
    const kinds = new Set([...r.network.devices.values()].map((d) => d.kind));
    for (const k of ['host', 'access-point', 'router', 'internet-gateway', 'dns-server', 'load-balancer', 'switch', 'node', 'pod']) assert.ok(kinds.has(k as never), k);
    const roles = new Set([...r.network.devices.values()].map((d) => d.dns?.role).filter(Boolean));
    for (const role of ['recursive', 'root', 'tld', 'authoritative']) assert.ok(roles.has(role as never), role);
    assert.ok(r.network.devices.get('home-router')?.dnat.some((x) => x.match.port === 53), 'DNS sent to the home router goes on to the ISP resolver');
    assert.ok([...r.network.devices.values()].some((d) => d.nat), 'a NAT');
    assert.ok([...r.network.devices.values()].some((d) => d.dnat.length), 'a DNAT rule');
    const containers = [...r.network.devices.values()].flatMap((d) => d.pod?.containers ?? []).map((c) => c.role);
    for (const role of ['proxy', 'app', 'postgres', 'dns']) assert.ok(containers.includes(role as never), role);
    assert.equal(r.network.services.get('postgres')?.endpoints[0], 'postgres-0');
    assert.equal(r.network.clusters.get('prod')?.overlay.type, 'vxlan');
  });

  it('reports each deliberate error of broken.journey on its own line', () => {
    const text = example('broken.journey');
    const index = new LineIndex(text);
    const r = build(text);
    const expected: { line: number; code: string }[] = [];
    text.split('\n').forEach((l, i) => {
      const m = /# error: (.+)$/.exec(l);
      if (m) for (const code of m[1].trim().split(/\s+/)) expected.push({ line: i, code });
    });
    assert.ok(expected.length >= 12);
    const got = r.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ line: index.position(d.span.start).line, code: d.code }));
    for (const e of expected) assert.ok(got.some((g) => g.line === e.line && g.code === e.code), `expected ${e.code} on line ${e.line + 1}; got ${JSON.stringify(got)}`);
    for (const g of got) assert.ok(expected.some((e) => e.line === g.line && e.code === g.code), `unexpected ${g.code} on line ${g.line + 1}`);
  });

  it('points a diagnostic at the exact column of the bad value', () => {
    const text = example('broken.journey');
    const r = build(text);
    const mac = r.diagnostics.find((d) => d.code === 'bad-mac');
    assert.ok(mac);
    assert.equal(text.slice(mac.span.start, mac.span.end), 'aa:bb:cc:dd:ee:0g');
    const unknown = r.diagnostics.find((d) => d.code === 'unknown-name');
    assert.equal(text.slice(unknown?.span.start, unknown?.span.end), 'home-routr');
    assert.equal(unknown?.data?.suggestion, 'home-router');
    assert.ok(errorsOf(r).every((m) => m.length > 20));
  });
});
