// A minimal test runner for the UI specs: named steps on one page, each timed, a screenshot of
// the page when one fails, and the results as { passes, failures, tests } for the summary.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { log, seconds } from './lib.mjs';

export function makeRunner(page, outDir, prefix = 'ui') {
  mkdirSync(outDir, { recursive: true });
  const tests = [];
  const shot = (name) => page.screenshot({ path: path.join(outDir, name), animations: 'disabled' });
  const test = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      tests.push({ name: `${prefix}: ${name}`, state: 'passed', durationMs: Date.now() - t0 });
      log(`  ✔ ${prefix}: ${name} (${seconds(Date.now() - t0)})`);
      return true;
    } catch (err) {
      tests.push({ name: `${prefix}: ${name}`, state: 'failed', durationMs: Date.now() - t0, error: err?.message ?? String(err) });
      log(`  ✘ ${prefix}: ${name} (${seconds(Date.now() - t0)}): ${err?.message ?? err}`);
      const safe = `${prefix}-${name}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 80);
      await shot(`failed-${safe}.png`).catch(() => {});
      return false;
    }
  };
  /** A test that cannot run because an earlier one failed: counted as failed, with the reason. */
  const blocked = (name, reason) => {
    tests.push({ name: `${prefix}: ${name}`, state: 'failed', durationMs: 0, error: `not run: ${reason}` });
    log(`  ✘ ${prefix}: ${name}: not run: ${reason}`);
  };
  const results = () => {
    const passes = tests.filter((t) => t.state === 'passed').length;
    const failures = tests.filter((t) => t.state === 'failed').length;
    return { passes, failures, tests };
  };
  return { test, blocked, shot, results };
}
