import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { ROOT } from './helpers';

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const ex = (name: string): string => path.relative(process.cwd(), path.join(ROOT, 'examples', name));

describe('journey (command line)', () => {
  it('check: a clean file prints nothing and exits 0', async () => {
    const r = await run('check', ex('follow-a-packet.journey'));
    assert.equal(r.code, 0);
    assert.deepEqual(r.out, []);
  });

  it('check: prints file:line:col: severity code: message for each error and exits 1', async () => {
    const r = await run('check', ex('broken.journey'));
    assert.equal(r.code, 1);
    const file = ex('broken.journey');
    assert.ok(r.out.includes(`${file}:6:9: error bad-mac: "aa:bb:cc:dd:ee:0g" is not a MAC address: write six pairs of hex digits separated by colons, e.g. 02:00:00:00:00:01.`), r.out.join('\n'));
    assert.ok(r.out.some((l) => l.startsWith(`${file}:26:24: error unknown-name:`)));
    for (const l of r.out) assert.match(l, /^.+:\d+:\d+: (error|warning|info|hint) [a-z-]+: .+/);
  });

  it('check: an unreadable file is an error of its own, not a crash', async () => {
    const r = await run('check', 'no/such/file.journey');
    assert.equal(r.code, 1);
    assert.match(r.err.join('\n'), /cannot read \(ENOENT\)/);
  });

  it('trace: prints the phases of each request and exits 0 when the journey succeeds', async () => {
    const r = await run('trace', ex('follow-a-packet.journey'));
    assert.equal(r.code, 0);
    const text = r.out.join('\n');
    assert.match(text, /Request 1: [\d.]+ ms from Enter to render/);
    assert.match(text, /Request 2: [\d.]+ ms/);
    assert.match(text, /Outcome: the response reached the browser/);
  });

  it('trace --format json prints the Trace; --pcap writes the capture', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-cli-'));
    try {
      const pcap = path.join(dir, 'out.pcapng');
      const r = await run('trace', ex('follow-a-packet.journey'), '--format', 'json', '--pcap', pcap);
      assert.equal(r.code, 0);
      const t = JSON.parse(r.out.join('\n')) as { version: number; packets: unknown[] };
      assert.equal(t.version, 1);
      const bytes = fs.readFileSync(pcap);
      assert.equal(bytes.readUInt32LE(0), 0x0a0d0d0a, 'pcapng section header block');
      assert.match(r.err.join('\n'), new RegExp(`wrote ${t.packets.length} packets`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trace --format mermaid prints a sequence diagram', async () => {
    const r = await run('trace', ex('lan-only.journey'), '--format', 'mermaid');
    assert.equal(r.code, 0);
    assert.match(r.out[0], /^sequenceDiagram/);
    assert.ok(r.out.join('\n').includes('participant laptop'));
  });

  it('trace: a file with errors, an unknown scenario and a failed journey each say so', async () => {
    assert.equal((await run('trace', ex('broken.journey'))).code, 2);
    const missing = await run('trace', ex('follow-a-packet.journey'), '--scenario', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.err.join('\n'), /no scenario named "nope" \(have: first-visit\)/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-cli-'));
    try {
      const f = path.join(dir, 'fail.journey');
      fs.writeFileSync(f, fs.readFileSync(path.join(ROOT, 'examples', 'follow-a-packet.journey'), 'utf8').replace('  interval 1s\n', '  interval 1s\n  fail nxdomain\n'));
      const r = await run('trace', f);
      assert.equal(r.code, 1);
      assert.match(r.out.join('\n'), /Outcome: FAILED at laptop: .*NXDOMAIN/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 with the usage text', async () => {
    const r = await run('frobnicate');
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /unknown command "frobnicate"/);
    assert.equal((await run('trace', ex('follow-a-packet.journey'), '--format', 'xml')).code, 2);
  });
});
