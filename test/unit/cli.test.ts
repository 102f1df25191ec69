import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { main } from '../../src/cli/main';
import { ROOT } from './helpers';
import { MAX_BODY_BYTES } from '../../src/core/limits';

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

  it('check: reads only regular files, refusing /dev/zero and a FIFO before opening them', async function () {
    if (process.platform === 'win32') { console.log('      (skipped: no /dev/zero or mkfifo on Windows)'); this.skip(); }
    const zero = await run('check', '/dev/zero');
    assert.equal(zero.code, 1);
    assert.match(zero.err.join('\n'), /^\/dev\/zero: not a regular file/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-cli-'));
    try {
      const fifo = path.join(dir, 'pipe.journey');
      execFileSync('mkfifo', [fifo]);
      const r = await run('check', fifo);
      assert.equal(r.code, 1);
      assert.match(r.err.join('\n'), /not a regular file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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

  it('trace: a long output waits for a slow reader instead of queueing in memory', async () => {
    let inFlight = 0, maxInFlight = 0, pieces = 0, text = '';
    const code = await main(['trace', ex('follow-a-packet.journey'), '--format', 'json'], {
      out: () => assert.fail('a long output goes through outLong when the output has one'),
      err: () => undefined,
      outLong: async (s) => {
        inFlight++; maxInFlight = Math.max(maxInFlight, inFlight); pieces++; text += `${s}\n`;
        await new Promise((r) => setImmediate(r));
        inFlight--;
      },
    });
    assert.equal(code, 0);
    assert.ok(pieces > 1, `${pieces} pieces`);
    assert.equal(maxInFlight, 1, 'one piece at a time');
    assert.equal(JSON.parse(text).scenario, 'first-visit');
  });

  it('trace: JSON through a pipe arrives whole (bin/journey.js, a reader slower than the writer)', function () {
    this.timeout(60000);
    const bin = path.join(ROOT, 'bin', 'journey.js');
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) { console.log('    (skipped: dist/cli.js is not built; npm run build)'); this.skip(); }
    const out = execFileSync('sh', ['-c', `node "${bin}" trace "${ex('big-response.journey')}" --format json --root "${path.join(ROOT, 'examples')}" | (sleep 1; cat)`], { maxBuffer: 1 << 30 });
    assert.ok(out.length > 1 << 20, `${out.length} bytes`);
    const t = JSON.parse(out.toString('utf8')) as { packets: unknown[] };
    assert.ok(t.packets.length > 100);
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

describe('journey (command line): hostile files (issue #11)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pj-hostile-'))); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  const seed = (): string => fs.readFileSync(path.join(ROOT, 'examples', 'follow-a-packet.journey'), 'utf8');
  const write = (name: string, text: string): string => { const f = path.join(dir, name); fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, text); return f; };

  for (const [what, header] of [['a space', '"X Y" "v"'], ['"/"', 'a/b "v"'], ['"@"', 'me@host "v"'], ['an emoji', 'X-😀 "v"'], ['a newline in the value', 'X-A "a\\nb"']]) {
    it(`a header with ${what}: check reports its line, trace refuses with that diagnostic (no internal error)`, async () => {
      const text = seed().replace('  request {\n', `  request {\n    header ${header}\n`);
      const f = write('h.journey', text);
      const line = text.slice(0, text.indexOf(`    header ${header}`)).split('\n').length;
      const c = await run('check', f, '--root', dir);
      assert.equal(c.code, 1);
      assert.deepEqual(c.out.filter((l) => / error /.test(l)).map((l) => l.split(': ')[0].replace(/:\d+$/, '')), [`${f}:${line}`]);
      assert.match(c.out.join('\n'), /error bad-header/);
      const t = await run('trace', f, '--root', dir);
      assert.equal(t.code, 2);
      assert.doesNotMatch(t.err.join('\n'), /internal error/);
      assert.match(t.err.join('\n'), /bad-header/);
    });
  }

  it('a body the simulation cannot carry is refused by check at its line', async () => {
    const text = seed().replace('    body 256B\n', `    body ${MAX_BODY_BYTES + 1}B\n`);
    const f = write('b.journey', text);
    const c = await run('check', f, '--root', dir);
    assert.equal(c.code, 1);
    assert.match(c.out.join('\n'), new RegExp(`:${text.slice(0, text.indexOf('    body ')).split('\n').length}:10: error bad-size`));
  });

  it('nesting 40,000 levels deep is a diagnostic, not a RangeError', async () => {
    const f = write('deep.journey', `scenario s {\n${'x {\n'.repeat(40000)}`);
    const c = await run('check', f, '--root', dir);
    assert.equal(c.code, 1);
    assert.match(c.out.join('\n'), /syntax-too-deep/);
    const t = await run('trace', f, '--root', dir);
    assert.equal(t.code, 2);
    assert.doesNotMatch(t.err.join('\n'), /RangeError|internal error/);
  });

  it('imports stay inside --root: absolute paths, ".." escapes, symlinks out and non-.journey files are refused, and nothing of them is shown', async () => {
    const secret = 'TOP-SECRET-LINE root:x:0:0';
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pj-outside-')));
    try {
      fs.writeFileSync(path.join(outside, 'loot.journey'), `${secret}\n`);
      const ws = path.join(dir, 'ws');
      write('ws/.env', `${secret}\n`);
      write('ws/notes.txt', `${secret}\n`);
      fs.symlinkSync(path.join(outside, 'loot.journey'), path.join(dir, 'ws', 'link.journey'));
      write('ws/ok.journey', 'host shared {\n  interface e {\n    mac 02:00:00:00:00:09\n  }\n}\n');
      const imports = ['/etc/passwd', path.join(outside, 'loot.journey'), '../../' + path.basename(outside) + '/loot.journey', '.env', 'notes.txt', 'link.journey', '/proc/self/environ', 'ok.journey'];
      const main = write('ws/main.journey', imports.map((i) => `import "${i}"`).join('\n') + '\n');
      const c = await run('check', main, '--root', ws);
      const all = [...c.out, ...c.err].join('\n');
      assert.doesNotMatch(all, /TOP-SECRET|root:x:0:0/);
      for (let i = 0; i < imports.length - 1; i++) {
        const here = c.out.filter((l) => l.startsWith(`${main}:${i + 1}:`));
        assert.equal(here.length, 1, `one diagnostic for import ${imports[i]}:\n${all}`);
        assert.ok(here[0].includes(`"${imports[i]}"`), `it names the path: ${here[0]}`);
        assert.match(here[0], /error import-(outside-workspace|not-journey)/);
      }
      assert.equal(c.out.filter((l) => l.startsWith(`${main}:${imports.length}:`) && / error /.test(l)).length, 0, 'an import inside the root still works');
      // Without --root the boundary is the current directory, which does not hold this file.
      const cwdRoot = await run('check', main);
      assert.match(cwdRoot.out.join('\n'), /ok\.journey" is outside the workspace/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('--root without a directory, or naming no directory, is a usage error', async () => {
    const f = write('x.journey', '');
    assert.equal((await run('check', f, '--root')).code, 2);
    const r = await run('check', f, '--root', path.join(dir, 'nope'));
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /not a directory/);
    assert.equal((await run('trace', f, '--format')).code, 2);
  });
});
