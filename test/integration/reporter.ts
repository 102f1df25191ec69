// A mocha reporter that keeps every result in memory (for the JSON results file that `run()`
// writes in a `finally`) and prints one line per test, so the extension host log reads like `spec`.
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: { message: string; stack?: string };
}

export interface SuiteResults {
  suite: string;
  startedAt: string;
  finishedAt?: string;
  passes: number;
  failures: number;
  pending: number;
  tests: TestResult[];
  /** Set when the run itself failed (setup, loading the tests, ...), not a single test. */
  fatal?: { message: string; stack?: string };
  uiKind?: string;
  vscodeVersion?: string;
  /** The extension's activation as the suite saw it (test/e2e writes it to activation.json). */
  activation?: { ms: number; alreadyActive: boolean; measuredAt: string };
}

export const results: SuiteResults = {
  suite: 'integration',
  startedAt: new Date().toISOString(),
  passes: 0,
  failures: 0,
  pending: 0,
  tests: [],
};

function errorOf(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

export class CollectingReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    const print = (line: string) => console.log(`[integration] ${line}`);
    runner.on(EVENT_TEST_PASS, (test) => {
      results.passes++;
      results.tests.push({ title: test.title, fullTitle: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      print(`  ✔ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    // A failing hook arrives here too, with the hook as `test`.
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      results.failures++;
      results.tests.push({
        title: test.title,
        fullTitle: test.fullTitle(),
        state: 'failed',
        durationMs: test.duration ?? 0,
        error: errorOf(err),
      });
      print(`  ✘ ${test.fullTitle()}: ${errorOf(err).message}`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      results.pending++;
      results.tests.push({ title: test.title, fullTitle: test.fullTitle(), state: 'pending', durationMs: 0 });
      print(`  - ${test.fullTitle()} (pending)`);
    });
  }
}

export function fatalOf(err: unknown): { message: string; stack?: string } {
  return errorOf(err);
}
