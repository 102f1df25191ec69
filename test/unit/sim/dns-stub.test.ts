// The stub resolver as glibc runs it: A and AAAA on one socket, resolv.conf's timers, and the
// search list with ndots in pods.
import { strict as assert } from 'node:assert';
import { simulate } from '../../../src/core/sim/run';
import type { Trace } from '../../../src/core/trace/types';
import { candidates } from '../../../src/core/sim/apps/dns-stub';
import { build } from '../helpers';
import { SEED, traceOf, phase } from './helpers';
import { dnsOn, flags, opt, queries, question, responses, section } from './dns-helpers';

/** The seed with `fail dns-timeout` and the laptop's resolv.conf timers set as given. */
function timedOut(timers?: { resolverTimeoutMs?: number; resolverAttempts?: number }): Trace {
  const b = build(SEED.replace('  interval 1s\n', '  interval 1s\n  fail dns-timeout\n'));
  const laptop = b.network.devices.get('laptop');
  assert.ok(laptop);
  if (timers) laptop.timers = { ...laptop.timers, ...timers };
  const r = simulate(b);
  if (!r.ok) throw new Error(r.error);
  return r.trace;
}

describe('DNS: the stub resolver (glibc)', function () {
  this.timeout(20000); // each test traces the seed, on a machine shared with others
  const t = traceOf(SEED);
  const wifi = dnsOn(t, 'wifi');

  it('asks A then AAAA from one socket, back to back, each with its own id, RD set, no EDNS, DF set', () => {
    const q = queries(wifi);
    assert.deepEqual(q.map(question), ['api.example.com A', 'api.example.com AAAA']);
    assert.equal(q[0].sport, q[1].sport, 'one socket');
    assert.notEqual(q[0].m.id, q[1].m.id);
    assert.ok(q.every((p) => flags(p).rd && !flags(p).cd && opt(p) === undefined && p.df));
    // the AAAA leaves before any answer comes back: glibc does not wait in between (the gap is
    // the Wi-Fi medium access of the second frame)
    assert.ok(q[1].time < responses(wifi)[0].time);
    assert.ok(q[1].time - q[0].time < 1, `${q[1].time - q[0].time} ms apart`);
  });

  it('gets the A answer and a NODATA AAAA answer with the zone\'s SOA, and waits for both', () => {
    const r = responses(wifi);
    assert.deepEqual(r.map(question), ['api.example.com A', 'api.example.com AAAA']);
    assert.deepEqual(section(r[0], 'answers'), ['api.example.com A 52.20.30.40']);
    assert.deepEqual(section(r[0], 'authorities'), [], 'unbound answers minimally');
    assert.equal(r[1].m.flags, 0x8180, 'NOERROR, RD RA');
    assert.deepEqual(section(r[1], 'answers'), []);
    assert.deepEqual(section(r[1], 'authorities'), ['example.com SOA ns1.example.com hostmaster.example.com']);
    const dns = phase(t, 'dns');
    assert.ok(dns && dns.end >= r[1].time, 'the DNS phase ends with the AAAA answer');
  });

  it('retries with resolv.conf\'s timeout and attempts, both taken from the device\'s timers', () => {
    // times on the Wi-Fi link: within a few ms of the timer (802.11 medium access varies)
    const sent = (tr: Trace): number[] => queries(dnsOn(tr, 'wifi')).filter((p) => p.m.questions[0].type === 'A').map((p) => p.time);
    const byDefault = timedOut();
    const d = sent(byDefault);
    assert.equal(d.length, 2, 'attempts:2');
    assert.ok(Math.abs(d[1] - d[0] - 5000) < 10, `timeout:5 (${d[1] - d[0]} ms)`);
    const tuned = timedOut({ resolverTimeoutMs: 1000, resolverAttempts: 3 });
    const s = sent(tuned);
    assert.equal(s.length, 3);
    assert.ok(Math.abs(s[1] - s[0] - 1000) < 10 && Math.abs(s[2] - s[1] - 1000) < 10, s.join(' '));
    assert.equal(queries(dnsOn(tuned, 'wifi')).length, 6, 'A and AAAA at each attempt');
    const end = (tr: Trace): number => phase(tr, 'dns')?.end ?? NaN;
    assert.ok(end(tuned) < end(byDefault) - 6000, `gives up after 3 s instead of 10 s (${end(tuned)} vs ${end(byDefault)})`);
    assert.match(tuned.outcome.symptom ?? '', /DNS timeout/);
  });
});

describe('DNS: the search list and ndots (resolv.conf in a pod)', function () {
  this.timeout(20000); // each test traces the seed, on a machine shared with others
  it('tries each search domain first for a name with fewer dots than ndots', () => {
    const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];
    assert.deepEqual(candidates('postgres', { search, ndots: 5 }), ['postgres.default.svc.cluster.local', 'postgres.svc.cluster.local', 'postgres.cluster.local', 'postgres']);
    assert.deepEqual(candidates('api.stripe.com', { search, ndots: 5 })[0], 'api.stripe.com.default.svc.cluster.local');
    assert.deepEqual(candidates('api.stripe.com', { search, ndots: 1 }), ['api.stripe.com', ...search.map((s) => `api.stripe.com.${s}`)]);
    assert.deepEqual(candidates('api.stripe.com.', { search, ndots: 5 }), ['api.stripe.com']);
  });

  const pod = (t: Trace) => dnsOn(t, 'veth-web-7d9f');

  it('walks the NXDOMAINs of the search list before the database\'s full name answers (ndots:5)', () => {
    const t = traceOf(SEED);
    const q = queries(pod(t));
    const names = [...new Set(q.map((p) => p.m.questions[0].name))];
    assert.deepEqual(names, [
      'postgres.default.svc.cluster.local.default.svc.cluster.local',
      'postgres.default.svc.cluster.local.svc.cluster.local',
      'postgres.default.svc.cluster.local.cluster.local',
      'postgres.default.svc.cluster.local',
    ]);
    const r = responses(pod(t));
    assert.equal(r.length, 8, 'A and AAAA for each name');
    for (const p of r.slice(0, 6)) {
      assert.equal(flags(p).rcode, 3, question(p));
      assert.deepEqual(section(p, 'authorities'), ['cluster.local SOA ns.dns.cluster.local hostmaster.cluster.local']);
    }
    assert.deepEqual(section(r[6], 'answers'), ['postgres.default.svc.cluster.local A 10.96.0.100']);
    assert.equal(flags(r[7]).rcode, 0);
    assert.deepEqual(section(r[7], 'answers'), [], 'the Service has no AAAA');
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
  });
});
