// Retries and timeouts follow the real defaults (Linux's SYN schedule, glibc's resolver) and
// can be set in the file: each setting written in the file changes the trace.
import { strict as assert } from 'node:assert';
import type { Trace } from '../../../src/core/trace/types';
import { build, errorsOf } from '../helpers';
import { SEED, traceOf } from './helpers';

const LAPTOP = '  trust "Amazon Root CA 1"\n';
/** The seed with `lines` added to the laptop and `fail` in the scenario. */
const seedWith = (lines: string, fail: string): Trace => traceOf(lines ? SEED.replace(LAPTOP, `${LAPTOP}${lines}`) : SEED, ['  interval 1s\n', `  interval 1s\n  fail ${fail}\n`]);

/** Times (ms) of the laptop's SYNs on its Wi-Fi link. */
function synTimes(t: Trace): number[] {
  return t.packets.filter((p) => p.link === 'wifi' && p.from === 'laptop' && p.layers.some((l) => /\[SYN\]/.test(l.summary))).map((p) => Math.round(p.time));
}
const gaps = (times: number[]): number[] => times.slice(1).map((x, i) => x - times[i]);
/** When the connect gave up, relative to the first SYN. */
function gaveUpAfter(t: Trace): number {
  const e = t.events.find((x) => /connection timed out \(ETIMEDOUT\)/.test(x.summary));
  assert.ok(e, 'no ETIMEDOUT event');
  return Math.round(e.time - synTimes(t)[0]);
}

describe('timers: retries and timeouts follow the real defaults and the file', () => {
  it('by default a dropped SYN is retried as Linux 6.5+ does: 4 linear timeouts, then backoff, ETIMEDOUT after 131 s', () => {
    const t = seedWith('', 'syn-drop');
    assert.deepEqual(gaps(synTimes(t)), [1000, 1000, 1000, 1000, 1000, 2000, 4000, 8000, 16000, 32000]);
    assert.equal(gaveUpAfter(t), 131000);
    assert.match(t.outcome.symptom ?? '', /timed out/);
  });

  it('tcp-syn-linear-timeouts 0 gives the classic schedule: 1+2+...+64 = 127 s with 6 retries', () => {
    const t = seedWith('  tcp-syn-linear-timeouts 0\n', 'syn-drop');
    assert.deepEqual(gaps(synTimes(t)), [1000, 2000, 4000, 8000, 16000, 32000]);
    assert.equal(gaveUpAfter(t), 127000);
  });

  it('tcp-syn-retries 2 (no linear timeouts) gives up after 1+2+4 = 7 s', () => {
    const t = seedWith('  tcp-syn-retries 2\n  tcp-syn-linear-timeouts 0\n', 'syn-drop');
    assert.equal(synTimes(t).length, 3);
    assert.equal(gaveUpAfter(t), 7000);
  });

  it('tcp-syn-retries 2 with the default linear timeouts: 6 retransmissions, 1+1+1+1+1+2+4 = 11 s', () => {
    const t = seedWith('  tcp-syn-retries 2\n', 'syn-drop');
    assert.equal(synTimes(t).length, 7);
    assert.equal(gaveUpAfter(t), 11000);
  });

  it('tcp-initial-rto scales the whole schedule', () => {
    const t = seedWith('  tcp-syn-retries 2\n  tcp-syn-linear-timeouts 0\n  tcp-initial-rto 3s\n', 'syn-drop');
    assert.deepEqual(gaps(synTimes(t)), [3000, 6000]);
    assert.equal(gaveUpAfter(t), 21000);
  });

  it('the backoff stops doubling at TCP_RTO_MAX (120 s)', () => {
    const t = seedWith('  tcp-syn-retries 9\n  tcp-syn-linear-timeouts 0\n  tcp-initial-rto 30s\n', 'syn-drop');
    assert.deepEqual(gaps(synTimes(t)), [30000, 60000, 120000, 120000, 120000, 120000, 120000, 120000, 120000]);
  });

  it('a node\'s TCP timers are its pods\' (the app connecting to a database that drops SYNs is a pod)', () => {
    const r = build(SEED.replace('  node node-3 {\n', '  node node-3 {\n    tcp-syn-retries 3\n'));
    assert.deepEqual(errorsOf(r), []);
    assert.equal(r.network.devices.get('node-3')?.timers?.synRetries, 3);
  });

  it('resolver-timeout and resolver-attempts are read into the host\'s timers', () => {
    const r = build(SEED.replace(LAPTOP, `${LAPTOP}  resolver-timeout 2s\n  resolver-attempts 3\n`));
    assert.deepEqual(errorsOf(r), []);
    assert.deepEqual(r.network.devices.get('laptop')?.timers, { resolverTimeoutMs: 2000, resolverAttempts: 3 });
  });

  it('the resolver settings change how long a DNS timeout takes', () => {
    const base = seedWith('', 'dns-timeout');
    const t = seedWith('  resolver-timeout 2s\n  resolver-attempts 3\n', 'dns-timeout');
    const failedAt = (x: Trace): number => x.events.find((e) => /Journey stops/.test(e.summary))?.time ?? NaN;
    const queries = (x: Trace): number => x.packets.filter((p) => p.link === 'wifi' && p.from === 'laptop' && p.layers.some((l) => /query A /.test(l.summary))).length;
    assert.equal(queries(base), 2, 'glibc default: attempts 2');
    assert.equal(queries(t), 3);
    // glibc waits the whole timeout after each attempt: 3 x 2 s against 2 x 5 s.
    assert.equal(Math.round(failedAt(base) - failedAt(t)), 10000 - 6000);
  });

  it('refuses values the real software refuses', () => {
    const bad = (line: string): string[] => errorsOf(build(SEED.replace(LAPTOP, `${LAPTOP}${line}\n`)));
    assert.equal(bad('  tcp-syn-retries 0').length, 1, 'sysctl accepts 1..127');
    assert.equal(bad('  tcp-syn-retries 128').length, 1);
    assert.equal(bad('  tcp-initial-rto 100ms').length, 1, 'below TCP_RTO_MIN');
    assert.equal(bad('  resolver-timeout 31s').length, 1, 'glibc caps timeout at 30');
    assert.equal(bad('  resolver-attempts 6').length, 1, 'glibc caps attempts at 5');
    assert.match(bad('  resolver-timeout 1500ms')[0] ?? '', /whole seconds/);
  });
});

describe('software profiles: the keyword fits the device', () => {
  it('reads a fitting profile and refuses one that does not fit', () => {
    const ok = build(SEED.replace(LAPTOP, `${LAPTOP}  software curl\n`));
    assert.deepEqual(errorsOf(ok), []);
    assert.equal(ok.network.devices.get('laptop')?.software, 'curl');
    const bad = build(SEED.replace(LAPTOP, `${LAPTOP}  software unbound\n`));
    const d = bad.diagnostics.find((x) => x.code === 'software-mismatch');
    assert.ok(d, 'no software-mismatch diagnostic');
    assert.match(d.message, /curl or chrome/);
  });

  it('a recursive resolver takes unbound or bind, not nsd', () => {
    const r = build(SEED.replace('dns-server isp-resolver {\n', 'dns-server isp-resolver {\n  software nsd\n'));
    assert.match(errorsOf(r).join('\n'), /software-mismatch.*unbound or bind/);
    const ok = build(SEED.replace('dns-server isp-resolver {\n', 'dns-server isp-resolver {\n  software unbound\n'));
    assert.deepEqual(errorsOf(ok), []);
    assert.equal(ok.network.devices.get('isp-resolver')?.software, 'unbound');
  });
});

describe('software profiles: containers and messages', () => {
  it('a proxy container may be nginx; an app container takes no profile', () => {
    const K8S = '      role proxy\n';
    assert.ok(SEED.includes(K8S), 'the seed has a proxy container');
    const ok = build(SEED.replace(K8S, `${K8S}      software nginx\n`));
    assert.deepEqual(errorsOf(ok), []);
    const proxy = [...ok.network.devices.values()].flatMap((d) => d.pod?.containers ?? []).find((c) => c.role === 'proxy');
    assert.equal(proxy?.software, 'nginx');
    const bad = build(SEED.replace('      role app\n', '      role app\n      software nginx\n'));
    assert.match(errorsOf(bad).join('\n'), /software-mismatch.*only a proxy container/);
  });

  it('names the DNS server\'s role in the message', () => {
    const r = build(SEED.replace('dns-server isp-resolver {\n', 'dns-server isp-resolver {\n  software nginx\n'));
    assert.match(errorsOf(r).join('\n'), /"nginx" does not play the part of a recursive DNS server: use unbound or bind/);
  });
});
