// The failure gallery (examples/failures/): every file passes `journey check`, traces to its
// failure, and says where the journey stopped, what the user sees and which tool shows it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../../../src/core/sim/run';
import { SIMULATED_FAILURES } from '../../../src/core/model/failures';
import type { Trace } from '../../../src/core/trace/types';
import { build, errorsOf, ROOT } from '../helpers';

const DIR = path.join(ROOT, 'examples', 'failures');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.journey')).sort();

/** Per file: where the journey stops (undefined: it completes, slower), what the user sees,
 * and the tool the outcome names. */
const EXPECTED: Record<string, { stoppedAt: string | undefined; symptom: RegExp; detect: RegExp }> = {
  'nxdomain.journey': { stoppedAt: 'laptop', symptom: /NXDOMAIN/, detect: /dig www\.example\.com/ },
  'dns-timeout.journey': { stoppedAt: 'laptop', symptom: /DNS timeout.*2 attempts/, detect: /dig @192\.168\.1\.1/ },
  'syn-drop.journey': { stoppedAt: 'laptop', symptom: /timed out.*ERR_CONNECTION_TIMED_OUT/, detect: /tcpdump.*tcp-syn/ },
  'rst.journey': { stoppedAt: 'laptop', symptom: /refused.*ERR_CONNECTION_REFUSED/, detect: /curl -v/ },
  'cert-expired.journey': { stoppedAt: 'laptop', symptom: /ERR_CERT_DATE_INVALID/, detect: /openssl s_client/ },
  'cert-name-mismatch.journey': { stoppedAt: 'laptop', symptom: /ERR_CERT_COMMON_NAME_INVALID/, detect: /openssl s_client/ },
  'cert-untrusted.journey': { stoppedAt: 'laptop', symptom: /ERR_CERT_AUTHORITY_INVALID.*unknown_ca/, detect: /openssl s_client/ },
  'tls-version-mismatch.journey': { stoppedAt: 'laptop', symptom: /protocol_version/, detect: /openssl s_client/ },
  'no-common-signature.journey': { stoppedAt: 'laptop', symptom: /no signature algorithm in common.*Ed25519.*handshake_failure/, detect: /-sigalgs .*ED25519/ },
  'http-4xx.journey': { stoppedAt: 'laptop', symptom: /answered 404.*every layer below HTTP worked/, detect: /access log/ },
  'http-5xx.journey': { stoppedAt: 'laptop', symptom: /answered 503.*every layer below HTTP worked/, detect: /error log/ },
  'slow-server.journey': { stoppedAt: undefined, symptom: /web-server took 2000 ms longer/, detect: /time_starttransfer/ },
  'db-slow.journey': { stoppedAt: undefined, symptom: /PostgreSQL on postgres-0 took 800 ms longer/, detect: /EXPLAIN ANALYZE/ },
  'db-refused.journey': { stoppedAt: 'shop-app', symptom: /PostgreSQL.*connection refused.*500/, detect: /kubectl logs/ },
  'no-endpoints.journey': { stoppedAt: 'shop-app', symptom: /Service postgres has no ready endpoints/, detect: /kubectl get endpoints postgres/ },
  'wrong-port.journey': { stoppedAt: 'laptop', symptom: /answered 502.*port 8081/, detect: /kubectl describe svc shop/ },
  'overlay-broken.journey': { stoppedAt: 'laptop', symptom: /answered 504.*VXLAN/, detect: /udp port 4789/ },
  'conntrack-full.journey': { stoppedAt: 'laptop', symptom: /DNS timeout.*nf_conntrack: table full.*home-router/, detect: /conntrack -C/ },
  'nat-expiry.journey': { stoppedAt: 'laptop', symptom: /ERR_CONNECTION_RESET.*NAT mapping.*expired/, detect: /conntrack -L on home-router/ },
  'weak-wifi.journey': { stoppedAt: undefined, symptom: /link-layer retransmission\(s\) on wifi/, detect: /iw dev wlan0 station dump/ },
  'mtu-blackhole.journey': { stoppedAt: 'internet', symptom: /never completed.*1400-byte MTU.*filtered/, detect: /ping -M do -s 1373/ },
  'small-mtu.journey': { stoppedAt: undefined, symptom: /path MTU discovery: 192\.0\.2\.1 cannot forward packets over 1492 bytes.*web-server resent in segments of 1440 bytes/, detect: /tracepath/ },
  'lb-unhealthy.journey': { stoppedAt: 'laptop', symptom: /answered 503.*fails its health checks/, detect: /describe-target-health \(State: unhealthy\)/ },
  'lb-draining.journey': { stoppedAt: 'laptop', symptom: /answered 503.*draining/, detect: /describe-target-health \(State: draining\)/ },
  'routing-loop.journey': { stoppedAt: 'laptop', symptom: /ICMP time exceeded.*EHOSTUNREACH.*points back/, detect: /traceroute.*a routing loop shows the same routers repeating/ },
  // A missing route is not a loop: the browser's hint is `ip route get`, not the repeating routers.
  'no-route.journey': { stoppedAt: 'laptop', symptom: /ICMP network unreachable.*ENETUNREACH "Network is unreachable".*lost its route 192\.0\.2\.0\/24/, detect: /^(?!.*routing loop).*ip route get 192\.0\.2\.80 on internet.*; ip route get 192\.0\.2\.80; traceroute -n 192\.0\.2\.80$/ },
};

function trace(file: string): Trace {
  const p = path.join(DIR, file);
  const r = simulate(build(fs.readFileSync(p, 'utf8'), p));
  if (!r.ok) throw new Error(`${file}: ${r.error}`);
  return r.trace;
}

describe('failure gallery: examples/failures/', () => {
  it('has a file for every expectation and an expectation for every file', () => {
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    describe(file, () => {
      it('passes `journey check` without errors or warnings', () => {
        const p = path.join(DIR, file);
        const r = build(fs.readFileSync(p, 'utf8'), p);
        assert.deepEqual(errorsOf(r), []);
        assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.code}: ${d.message}`), []);
      });

      it('traces to its failure: stop point, symptom and detection command', () => {
        const want = EXPECTED[file];
        assert.ok(want, `no expectation for ${file}`);
        const o = trace(file).outcome;
        assert.equal(o.ok, want.stoppedAt === undefined, o.symptom);
        assert.equal(o.stoppedAt, want.stoppedAt);
        assert.match(o.symptom ?? '', want.symptom);
        assert.match(o.detectWith ?? '', want.detect);
      });

      it('starts with a comment saying what to notice and how to detect it', () => {
        const text = fs.readFileSync(path.join(DIR, file), 'utf8');
        assert.match(text, /^# /);
        assert.match(text.split('\n\n')[0], /Detect with: /);
      });
    });
  }

  it('covers every failure kind the simulation knows', () => {
    const used = new Set(files.flatMap((f) => [...fs.readFileSync(path.join(DIR, f), 'utf8').matchAll(/^\s*fail ([a-z-]+)/gm)].map((m) => m[1])));
    assert.deepEqual([...SIMULATED_FAILURES].filter((k) => !used.has(k)), []);
  });

  it('the README lists every file', () => {
    const readme = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8');
    assert.deepEqual(files.filter((f) => !readme.includes(`(${f})`)), []);
  });

  it('a slower path is slower: path MTU discovery costs time but completes, the black hole never does', () => {
    const small = trace('small-mtu.journey');
    const icmp = small.events.filter((e) => /fragmentation needed \(type 3 code 4, next-hop MTU 1492\)/.test(e.summary));
    assert.ok(icmp.length >= 1, 'the router sends ICMP fragmentation needed');
    const big = small.packets.filter((p) => p.link === 'last-mile' && p.from === 'internet' && p.bytes.length / 2 > 1492 + 14);
    assert.deepEqual(big, [], 'nothing bigger than the path MTU crosses the narrow link');
    assert.ok(small.packets.some((p) => p.link === 'last-mile' && p.from === 'internet' && p.bytes.length / 2 === 1492 + 14), 'full segments now fill the 1492-byte path MTU');
    assert.equal(trace('mtu-blackhole.journey').outcome.totals.length, 0);
  });
});

describe('path MTU faults need a router at the link', () => {
  it('warns when no router forwards onto the named link (the fault would change nothing)', () => {
    const p = path.join(DIR, 'small-mtu.journey');
    const text = fs.readFileSync(p, 'utf8').replace('fail small-mtu last-mile 1492', 'fail small-mtu wifi 1400');
    const r = build(text, p);
    assert.match(r.diagnostics.filter((d) => d.code === 'failure-no-effect').map((d) => d.message).join('\n'), /no router forwards onto it \(laptop, home-ap\)/);
  });
});

describe('arguments of the new failure kinds', () => {
  const small = (): { text: string; file: string } => { const file = path.join(DIR, 'small-mtu.journey'); return { text: fs.readFileSync(file, 'utf8'), file }; };
  it('small-mtu refuses an MTU below net.ipv4.route.min_pmtu (552), which Linux would not believe', () => {
    const { text, file } = small();
    assert.match(errorsOf(build(text.replace('last-mile 1492', 'last-mile 500'), file)).join('\n'), /bad-number/);
    assert.deepEqual(errorsOf(build(text.replace('last-mile 1492', 'last-mile 552'), file)), []);
  });
  it('no-route names a device that exists', () => {
    const file = path.join(DIR, 'no-route.journey');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(errorsOf(build(text.replace('fail no-route internet', 'fail no-route internt'), file)).join('\n'), /unknown-name.*internt.*Did you mean "internet"/);
  });
});
