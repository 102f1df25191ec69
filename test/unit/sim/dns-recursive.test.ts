// The recursive resolver as unbound walks the tree with its defaults: priming, QNAME
// minimisation, EDNS0 1232 with DO, CD set and RD clear upstream, a fresh port and id per
// query, DF clear, the AAAA question answered from the cached delegation.
import { strict as assert } from 'node:assert';
import { simulate } from '../../../src/core/sim/run';
import { build } from '../helpers';
import { SEED, traceOf } from './helpers';
import { dnsOn, flags, opt, queries, question, responses, section } from './dns-helpers';

/** The seed's root zone holds its own NS and glue, as a real root zone does; this edit takes
 * them out. */
const NO_ROOT_NS: [RegExp, string] = [/    record @ NS a\.root-servers\.net\. ttl 518400[^\n]*\n    record a\.root-servers\.net\. A 198\.41\.0\.4 ttl 518400\n/, ''];
const RESOLVER = '75.75.75.75';

describe('DNS: the recursive resolver (unbound\'s defaults)', function () {
  this.timeout(20000); // each test traces the seed, on a machine shared with others
  const t = traceOf(SEED);
  const dc = dnsOn(t, 'isp-dc');
  const upstream = queries(dc).filter((p) => p.src === RESOLVER);

  it('primes the root NS, then asks one label more at each zone cut (QNAME minimisation)', () => {
    assert.deepEqual(upstream.map((p) => `${question(p)} @${p.dst}`), [
      '. NS @198.41.0.4',
      'com A @198.41.0.4',
      'example.com A @192.5.6.30',
      'api.example.com A @205.251.192.10',
      'api.example.com AAAA @205.251.192.10',
    ]);
  });

  it('asks with CD set and RD clear, EDNS0 1232 with DO, from a fresh port and id, DF clear', () => {
    for (const p of upstream) {
      assert.equal(p.m.flags, 0x0010, question(p));
      assert.deepEqual(opt(p) && { size: opt(p)?.udpPayloadSize, do: !!((opt(p)?.flags ?? 0) & 0x8000) }, { size: 1232, do: true });
      assert.equal(p.df, false);
      assert.ok(p.sport >= 1024, `port ${p.sport}`);
    }
    assert.equal(new Set(upstream.map((p) => p.sport)).size, upstream.length, 'one port per query');
    assert.equal(new Set(upstream.map((p) => p.m.id)).size, upstream.length, 'one id per query');
    // what the resolver sends to the stub leaves with DF clear too, and without EDNS (none was asked)
    const toStub = responses(dc).filter((p) => p.src === RESOLVER);
    assert.deepEqual(toStub.map((p) => [question(p), p.df, opt(p)]), [['api.example.com A', false, undefined], ['api.example.com AAAA', false, undefined]]);
  });

  it('answers the AAAA question from the delegation the A walk cached, after the A answer', () => {
    const aaaa = upstream.find((p) => p.m.questions[0].type === 'AAAA');
    const aAnswer = responses(dc).find((p) => p.src === RESOLVER && p.m.questions[0].type === 'A');
    assert.ok(aaaa && aAnswer && aaaa.time >= aAnswer.time - 1);
    assert.equal(queries(dnsOn(t, 'to-root')).length, 2, 'priming and com: nothing more for AAAA');
    assert.equal(queries(dnsOn(t, 'to-tld')).length, 1);
  });

  it('without the root\'s own NS records, priming gets NODATA and the resolver keeps its hints', () => {
    const seed = traceOf(SEED, NO_ROOT_NS);
    const root = dnsOn(seed, 'to-root');
    assert.deepEqual(queries(root).map(question), ['. NS', 'com A']);
    assert.equal(flags(responses(root)[0]).rcode, 0);
    assert.deepEqual(section(responses(root)[0], 'answers'), []);
    assert.ok(seed.simplifications.some((s) => /priming/.test(s)));
    assert.equal(seed.outcome.ok, true, seed.outcome.symptom);
  });

  it('stops at the first minimised name that does not exist (RFC 8020) and answers NXDOMAIN', () => {
    // the checks want some zone to hold the name: the root zone does, but the walk never gets there
    const nx = traceOf(SEED, ['url "https://api.example.com/users/42"', 'url "https://v2.shop.example.com/users/42"'],
      ['    record a.root-servers.net. A 198.41.0.4 ttl 518400\n', '    record a.root-servers.net. A 198.41.0.4 ttl 518400\n    record v2.shop.example.com. A 52.20.30.40\n']);
    const ns = queries(dnsOn(nx, 'to-example-ns')).map(question);
    assert.deepEqual(ns, ['shop.example.com A'], 'v2.shop.example.com is never asked');
    const toStub = responses(dnsOn(nx, 'wifi'));
    assert.ok(toStub.length >= 1 && toStub.every((p) => flags(p).rcode === 3));
    assert.deepEqual(section(toStub[0], 'authorities'), ['example.com SOA ns1.example.com hostmaster.example.com']);
    assert.match(nx.outcome.symptom ?? '', /NXDOMAIN/);
  });

  it('goes on below a name that exists without records of its own (an empty non-terminal)', () => {
    const ent = traceOf(SEED, ['url "https://api.example.com/users/42"', 'url "https://v2.shop.example.com/users/42"'], ['    record api A 52.20.30.40 ttl 300\n', '    record api A 52.20.30.40 ttl 300\n    record v2.shop A 52.20.30.40 ttl 300\n']);
    const ns = dnsOn(ent, 'to-example-ns');
    assert.deepEqual(queries(ns).map(question), ['shop.example.com A', 'v2.shop.example.com A', 'v2.shop.example.com AAAA']);
    const first = responses(ns)[0];
    assert.deepEqual([flags(first).rcode, flags(first).aa, section(first, 'answers').length, section(first, 'authorities')], [0, true, 0, ['example.com SOA ns1.example.com hostmaster.example.com']]);
    assert.deepEqual(section(responses(dnsOn(ent, 'wifi'))[0], 'answers'), ['v2.shop.example.com A 52.20.30.40']);
  });

  it('a warm resolver cache answers A and AAAA without a single upstream query', () => {
    const warm = traceOf(SEED, ['  requests 2\n', '  requests 2\n  cache resolver warm\n']);
    assert.equal(queries(dnsOn(warm, 'isp-dc')).filter((p) => p.src === RESOLVER).length, 0);
    assert.deepEqual(responses(dnsOn(warm, 'wifi')).map((p) => [question(p), section(p, 'answers').length, section(p, 'authorities').length]), [['api.example.com A', 1, 0], ['api.example.com AAAA', 0, 1]]);
  });
});

describe('DNS: software profiles', function () {
  this.timeout(20000); // each test traces the seed, on a machine shared with others
  it('a resolver set to another program than unbound is traced as unbound, and the trace says so', () => {
    const b = build(SEED);
    const resolver = b.network.devices.get('isp-resolver');
    assert.ok(resolver);
    resolver.software = 'bind';
    const r = simulate(b);
    assert.ok(r.ok);
    assert.ok(r.trace.simplifications.some((s) => /software bind on isp-resolver is traced as unbound/.test(s)));
    assert.deepEqual(queries(dnsOn(r.trace, 'to-root')).map(question), ['. NS', 'com A']);
  });
});
