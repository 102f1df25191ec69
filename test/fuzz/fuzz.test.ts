// The mutation fuzzer as a test: a fixed seed and a fixed number of mutated examples must never
// crash, hang or exhaust memory in `journey check` / `journey trace` (see property.ts), and every
// crash class found so far stays fixed (regressions/*.journey, minimised reproducers).
// FUZZ_CASES=N overrides the number of seeded cases (FUZZ_CASES=0 skips them), FUZZ_SEED the seed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from './pool';
import { signature } from './property';
import { describeDepth, describeFailure, runFuzz } from './runner';

// Measured 2026-11-30 on 2 cores: 4000 cases in 90 s when the machine was quiet, 1200 in 217 s
// at load average 13; 800 keeps the test near 20 s quiet and near 90 s under moderate load.
const DEFAULT_CASES = 800;
const TIMEOUT_MS = 10_000;
const MAX_FAILURES = 20;

describe('fuzz: mutated examples never crash journey check or trace', function () {
  const cases = Number(process.env.FUZZ_CASES ?? DEFAULT_CASES);
  const seed = Number(process.env.FUZZ_SEED ?? 20261130) >>> 0;

  it(`${cases} seeded cases (seed ${seed}): no crash, no hang, no out-of-memory`, async function () {
    if (!(cases > 0)) {
      console.log(`      (skipped: FUZZ_CASES=${process.env.FUZZ_CASES} asks for no seeded cases)`);
      this.skip();
    }
    // Generous: a loaded machine (the pool stretches timeouts up to 4x) and up to MAX_FAILURES hangs.
    this.timeout(120_000 + cases * 250 + MAX_FAILURES * TIMEOUT_MS * 2);
    const s = await runFuzz({ seed, cases, timeoutMs: TIMEOUT_MS, size: 2, maxFailures: MAX_FAILURES });
    console.log(`      cases ${s.cases}, crashes ${s.crashes}, hangs ${s.hangs}, seconds ${s.seconds}${s.stoppedEarly ? ` (stopped after ${MAX_FAILURES} failures)` : ''}; ${describeDepth(s)}`);
    if (s.failures.length) {
      console.log(`      failure classes:\n${[...s.classes].map(([sig, l]) => `        ${l.length} x ${sig}`).join('\n')}`);
      console.log(`      first failing cases (replay: npm run fuzz -- --seed ${seed} --cases ${cases}):`);
      for (const f of s.failures.slice(0, 8)) console.log(describeFailure(f).replace(/^/gm, '        '));
    }
    assert.equal(s.crashes, 0, `${s.crashes} crash(es): ${[...s.classes.keys()].join(' | ')}`);
    assert.equal(s.hangs, 0, `${s.hangs} hang(s) (over ${TIMEOUT_MS} ms)`);
    assert.equal(s.cases, cases);
  });
});

describe('fuzz regressions: minimised crash reproducers stay fixed', function () {
  const dir = path.join(__dirname, 'regressions');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.journey')).sort() : [];
  // The richest output of a long transfer is big by nature (a 10 MB body over the seed's path
  // is 160,000 frames: over 1 GB of JSON and 160 MB of pcapng, about half a minute to write), so
  // that variant gets a bound that grows with what it writes; the plain trace keeps TIMEOUT_MS.
  const RICH_TIMEOUT_MS = 6 * TIMEOUT_MS;
  let pool: Pool;
  let rich: Pool;
  before(() => { pool = new Pool({ size: 1, timeoutMs: TIMEOUT_MS }); rich = new Pool({ size: 1, timeoutMs: RICH_TIMEOUT_MS }); });
  after(async () => { await Promise.all([pool.close(), rich.close()]); });

  it('has reproducers to run', () => {
    assert.ok(files.length > 0, `no .journey files in ${dir}`);
  });

  for (const name of files) {
    it(name, async function () {
      this.timeout(RICH_TIMEOUT_MS * 4 + 30_000);
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8');
      const header = /^# fuzz-trace-args: (.*)$/m.exec(text)?.[1];
      const pcap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'journey-fuzz-reg-')), 'trace.pcapng');
      // The arguments the crash needed, then the richest output (json, details, pcap).
      const variants = [header ? header.split(' ').map((a) => (a === 'PCAP' ? pcap : a)) : [], ['--format', 'json', '--details', '--pcap', pcap]];
      try {
        // Both variants at once, one per pool (the pcap paths differ).
        const verdicts = await Promise.all(variants.map((traceArgs, i) => (i === 0 ? pool : rich).run({ file, traceArgs: traceArgs.map((a) => (a === pcap ? `${pcap}.${i}` : a)) })));
        verdicts.forEach((v, i) => assert.ok(v.ok, `${name} with trace ${variants[i].join(' ') || '(no options)'}: ${signature(v)}\n${(v.message ?? '').slice(0, 2000)}`));
      } finally {
        fs.rmSync(path.dirname(pcap), { recursive: true, force: true });
      }
    });
  }
});
