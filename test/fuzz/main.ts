// npm run fuzz [-- --cases N --seed S --out DIR --timeout MS --workers K --dist | --cli PATH --minimize --fixed-timeout]
// The timeout stretches with the machine's load (up to 4x) unless --fixed-timeout.
// npm run fuzz -- --minimize-dir DIR: minimise the failures an earlier run saved in DIR, one per class.
// Runs N mutated cases (default 20,000) with a random seed (printed), saves each failure to DIR
// (default fuzz-failures/), prints a summary and the failure classes, exits 1 on any failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runFuzz, describeFailure, describeDepth, loadFailures, classesOf } from './runner';
import { DIST_CLI, SOURCE_CLI } from './pool';
import { minimizeClasses } from './minimize';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function num(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) { console.error(`fuzz: ${name} needs a number, got "${v}"`); process.exit(2); }
  return n;
}

async function run(): Promise<number> {
  const seed = num('--seed', Math.floor(Math.random() * 2 ** 32)) >>> 0;
  const cases = num('--cases', 20000);
  const timeoutMs = num('--timeout', 10000);
  const size = Math.max(1, num('--workers', 2));
  const outDir = path.resolve(arg('--out') ?? 'fuzz-failures');
  const loadScaling = !process.argv.includes('--fixed-timeout');
  const cli = arg('--cli') ? path.resolve(arg('--cli') as string) : process.argv.includes('--dist') ? DIST_CLI : SOURCE_CLI;
  console.log(`fuzz: seed ${seed}, ${cases} cases, ${size} workers, timeout ${timeoutMs} ms, cli ${path.relative(process.cwd(), cli)}, failures to ${path.relative(process.cwd(), outDir) || '.'}`);
  console.log(`fuzz: replay with: npm run fuzz -- --seed ${seed} --cases ${cases}`);
  const again = arg('--minimize-dir');
  if (again) {
    // Minimise failures saved by an earlier run (one reproducer per class) and stop.
    const classes = classesOf(loadFailures(path.resolve(again)));
    console.log(`fuzz: ${classes.size} classes in ${again}:\n${[...classes].map(([sig, l]) => `${String(l.length).padStart(6)}  ${sig}`).join('\n')}`);
    await minimizeClasses({ classes }, path.join(path.resolve(again), 'minimized'), { timeoutMs, size, cli });
    return 0;
  }
  fs.mkdirSync(outDir, { recursive: true });
  let last = Date.now();
  const s = await runFuzz({
    seed, cases, timeoutMs, size, cli, outDir, loadScaling,
    onProgress: (done, failures) => {
      if (Date.now() - last > 10000) { last = Date.now(); console.log(`fuzz: ${done}/${cases} cases, ${failures} failures`); }
    },
  });
  console.log(`\ncases ${s.cases}, crashes ${s.crashes}, hangs ${s.hangs}, seconds ${s.seconds}`);
  console.log(`depth: ${describeDepth(s)}`);
  if (s.classes.size) {
    console.log(`\n${s.classes.size} failure classes:`);
    for (const [sig, fs_] of [...s.classes].sort((a, b) => b[1].length - a[1].length)) console.log(`${String(fs_.length).padStart(6)}  ${sig}`);
    console.log('\nfirst case of each class:');
    for (const fs_ of s.classes.values()) console.log(describeFailure(fs_[0]) + '\n');
    fs.writeFileSync(path.join(outDir, 'classes.txt'), [...s.classes].map(([sig, l]) => `${l.length}\t${sig}\t${l.slice(0, 5).map((f) => `case-${f.case.seed}-${f.case.index}-${f.verdict.kind}`).join(' ')}`).join('\n') + '\n');
    if (process.argv.includes('--minimize')) await minimizeClasses(s, path.join(outDir, 'minimized'), { timeoutMs, size, cli });
  }
  return s.failures.length ? 1 : 0;
}

run().then((code) => { process.exitCode = code; }, (e: unknown) => { console.error(e); process.exitCode = 2; });
