// The whole path against real software: namespaces for every device of the seed's shape, curl,
// unbound, nsd, nginx (TLS + HTTP/2 or HTTP/1.1, and a sidecar), iptables NAT, a VXLAN overlay and a pod
// bridge; every link captured, the same topology traced by the CLI, and the two compared link
// by link. It prints the scores per link and asserts a share of the real packets matched field
// for field on every link (GOAL: issue #15's 0.9 over HTTP/2; docs/reality.md has the figures
// and what is left). PJ_LAB_KEEP=1 keeps the captures and the generated .journey in a temp
// directory.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compare, formatTable, withServicePorts, type LinkPackets, type Report } from '../../src/core/compare';
import { buildNetwork, fetchPage, LAB_ISSUER, LAB_TOOLS, newLab, startCaptures, startServers, stopCaptures, teardown, type Fetch, type Lab } from './lab/build';
import { labJourney } from './lab/journey';
import { APP_PORT, BODY_BYTES, LINKS, NODE_PORT, POD, POD_PORT } from './lab/path';
import { describe as describeDiffs, isDns, kindScore, linkPackets } from './lab/report';
import { labMissing } from './lab/shell';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/journey.js');

/** The share of real packets that must match on every link. Issue #15's goal is 0.9, and the
 * HTTP/2 lab meets it. Over HTTP/1.1 the ALB waits for the upstream with curl's request
 * unacknowledged, 24 ms in the simulation; on this 2-core lab the real wait passes the 40 ms
 * delayed-ACK timeout in some runs (the Python app alone took 9-22 ms), which adds two pure
 * ACKs on each client-side link (22-26 packets): 0.91 there. Asserted at 0.85, printed above. */
const GOAL = { '2': 0.9, '1.1': 0.85 } as const;

// curl over HTTP/2 (the browser's way) and over HTTP/1.1 (close_notify, nginx's keep-alive),
// each on a lab of its own, caches cold.
for (const HTTP of ['2', '1.1'] as const) describe(`the whole path against real software (namespaces, curl over HTTP/${HTTP}, unbound, nsd, nginx, VXLAN)`, function () {
  this.timeout(60000);
  let lab: Lab | undefined;
  let fetched: Fetch;
  let links: LinkPackets[] = [];
  let report: Report;
  let dns = { real: 0, matched: 0 };
  let traced: { status: number | null; stderr: string } = { status: null, stderr: '' };

  before(async function () {
    const why = labMissing(LAB_TOOLS) ?? (fs.existsSync('/dev/net/tun') ? undefined : 'no /dev/net/tun (the lab\'s links are TAP devices joined by relay.py)')
      ?? (fs.existsSync(path.join(ROOT, 'dist/cli.js')) ? undefined : 'dist/cli.js is not built (npm run build)');
    if (why) { console.log(`      skipped: ${why}`); this.skip(); }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-path-'));
    lab = newLab(dir);
    await buildNetwork(lab);
    await startServers(lab);
    await startCaptures(lab);
    const started = new Date();
    fetched = fetchPage(lab, HTTP);
    await stopCaptures(lab);
    const journey = path.join(dir, 'lab.journey');
    fs.writeFileSync(journey, labJourney({ issuer: LAB_ISSUER }, started, HTTP));
    const simDir = path.join(dir, 'sim');
    const r = spawnSync(process.execPath, [CLI, 'trace', journey, '--format', 'json', '--pcap-dir', simDir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    traced = { status: r.status, stderr: r.stderr };
    links = linkPackets(lab.captures, r.status === 0 ? simDir : undefined, lab.keylog);
    if (r.status === 0) {
      report = compare(links, withServicePorts([NODE_PORT, POD_PORT, APP_PORT]));
      console.log(`\n${formatTable(report).replace(/^/gm, '      ')}\n`);
      dns = kindScore(report, links, isDns);
      console.log(`      DNS packets: ${dns.matched} of ${dns.real} real ones matched\n`);
      console.log(`${describeDiffs(report, links).replace(/^/gm, '      ')}\n`);
    }
  });

  after(async function () {
    if (!lab) return;
    await teardown(lab);
    if (process.env.PJ_LAB_KEEP) console.log(`      lab files kept in ${lab.dir}`);
    else fs.rmSync(lab.dir, { recursive: true, force: true });
  });

  it(`curl fetched the page over TLS and HTTP/${HTTP} through every hop`, function () {
    assert.equal(fetched.status, '200', fetched.stderr);
    assert.equal(fetched.httpVersion, HTTP);
    assert.equal(fetched.bodyBytes, BODY_BYTES);
  });

  it('every link captured packets', function () {
    assert.ok(lab);
    const empty = lab.captures.filter((c) => links.find((l) => l.link === c.link)?.real.length === 0).map((c) => c.link);
    assert.equal(links.length, LINKS.length + 2);
    assert.deepEqual(empty, []);
  });

  it('the CLI traced the generated .journey file', function () {
    assert.equal(traced.status, 0, traced.stderr);
    assert.ok(links.some((l) => l.sim.length > 0));
  });

  it('the DNS walk matches the real one packet for packet (all but one at most: a late AAAA)', function () {
    assert.ok(dns.real >= 30, `${dns.real} real DNS packets`);
    assert.ok(dns.matched >= dns.real - 1, `${dns.matched} of ${dns.real}`);
  });

  it('the comparison scored every link (printed above)', function () {
    assert.deepEqual(report.links.map((l) => l.link), [...LINKS.map((l) => l.name), POD.link, POD.lo]);
    for (const l of report.links) {
      assert.ok(l.score >= 0 && l.score <= 1, `${l.link}: ${l.score}`);
      assert.equal(l.steps.filter((s) => s.kind !== 'extra').length, l.realCount, `${l.link}: every real packet is aligned or missing`);
    }
    assert.ok(report.score >= 0 && report.score <= 1);
  });

  it(`at least ${GOAL[HTTP]} of the real packets on every link match the simulated ones field for field`, function () {
    const low = report.links.filter((l) => l.score < GOAL[HTTP]).map((l) => `${l.link} ${(l.score * 100).toFixed(0)}%`);
    assert.deepEqual(low, [], `links below ${GOAL[HTTP]} (differences printed above): ${low.join(', ')}`);
  });
});
