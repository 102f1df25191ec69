// One capture per link (issue #13): the all-links file shows each packet once per link, which
// Wireshark's analysis reads as retransmissions; a file per link is what a tap on that cable
// records, and must carry no retransmission, out-of-order or duplicate-ACK warning that the
// simulation did not cause.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { traceLinks, traceToPcapng } from '../../../src/core/export/trace-pcap';
import { tsharkAvailable } from '../wire/tshark';
import { traceRecordingTls } from './trace-tls';

const run = promisify(execFile);

/** What Wireshark's analysis would warn about. These are expert fields with no value, so
 * `-e` prints nothing for them: they are selected with a display filter instead. */
const SUSPECT = ['tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission', 'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment', 'tcp.analysis.duplicate_ack', 'dns.retransmission'].join(' || ');

interface Row { frame: number; messages: string }

/** The frames of one capture file tshark's TCP/DNS analysis flags, with its expert messages. */
async function analyse(file: string): Promise<Row[]> {
  const { stdout } = await run('tshark', ['-r', file, '-o', 'tls.keylog_file:', '-Y', SUSPECT, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-e', 'frame.number', '-e', '_ws.expert.message'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter((l) => l.trim()).map((l) => {
    const [frame, messages] = l.split('\t');
    return { frame: Number(frame), messages: messages ?? '' };
  });
}

describe('pcapng per link: the seed\'s capture of each link has no false retransmission, out-of-order or duplicate ACK', function () {
  this.timeout(60000);
  let dir = '';
  const rows = new Map<string, Row[]>();

  before(async function () {
    const have = tsharkAvailable();
    if (!have.ok) {
      console.log(`      (skipped: ${have.reason})`);
      this.skip();
    }
    const { trace } = traceRecordingTls('follow-a-packet.journey');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-links-'));
    const links = traceLinks(trace);
    assert.ok(links.length > 5, `the seed crosses many links: ${links.join(', ')}`);
    for (const l of links) fs.writeFileSync(path.join(dir, `${l.replace(/[^A-Za-z0-9._-]+/g, '-')}.pcapng`), traceToPcapng(trace, { link: l }));
    // two at a time: the machine is shared
    const names = fs.readdirSync(dir);
    for (let i = 0; i < names.length; i += 2) {
      await Promise.all(names.slice(i, i + 2).map(async (n) => rows.set(n, await analyse(path.join(dir, n)))));
    }
  });

  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('no retransmission, spurious retransmission, out-of-order or lost segment on any link; no DNS retransmission', () => {
    const bad = [...rows].flatMap(([file, rs]) => rs.filter((r) => !/Duplicate ACK/.test(r.messages)).map((r) => `${file} frame ${r.frame}: ${r.messages}`));
    assert.ok(rows.size > 5, 'files analysed');
    assert.deepEqual(bad, []);
  });

  it('no duplicate ACK on any link', () => {
    const dups = [...rows].flatMap(([file, rs]) => rs.filter((r) => /Duplicate ACK/.test(r.messages)).map((r) => `${file} frame ${r.frame}: ${r.messages}`));
    assert.deepEqual(dups, []);
  });

  it('control: the same analysis of the all-links file does flag the copies (each packet seen once per link)', async () => {
    const { trace } = traceRecordingTls('follow-a-packet.journey');
    const file = path.join(dir, 'all-links.pcapng.tmp');
    fs.writeFileSync(file, traceToPcapng(trace));
    const flagged = await analyse(file);
    assert.ok(flagged.some((r) => /retransmission/.test(r.messages)), 'TCP or DNS retransmissions reported');
  });
});
