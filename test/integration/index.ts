// Entry point of the extension-host test suite. VS Code calls `run()` with the real `vscode` API:
// - in code-server (this machine): through the workbench URL's `payload` (extensionTestsPath),
//   driven by test/e2e/run.mjs;
// - on a desktop: through @vscode/test-electron (see runTest.ts).
// The JSON results file is the pass/fail signal (code-server logs exit code 0 whatever happens),
// so it is written in a `finally`, whatever fails. Its path: $PJ_TEST_RESULTS, else next to this
// file as integration-results.json.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { CollectingReporter, fatalOf, results } from './reporter';

export function resultsPath(): string {
  return process.env.PJ_TEST_RESULTS || path.join(__dirname, 'integration-results.json');
}

export async function run(): Promise<void> {
  const out = resultsPath();
  results.startedAt = new Date().toISOString();
  results.uiKind = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
  results.vscodeVersion = vscode.version;
  console.log(`[integration] VS Code ${vscode.version} (${results.uiKind}); results -> ${out}`);
  try {
    const mocha = new Mocha({
      ui: 'bdd',
      color: false,
      timeout: Number(process.env.PJ_TEST_TIMEOUT_MS) || 60_000,
      reporter: CollectingReporter as unknown as Mocha.ReporterConstructor,
      forbidOnly: !!process.env.CI,
      grep: process.env.PJ_TEST_GREP || undefined,
    });
    // Define describe/it on the global object, then load the test files (bundled, so no glob).
    mocha.suite.emit('pre-require', globalThis, 'test/integration', mocha);
    // First: it times the activation, which only a suite that has opened no .journey file sees.
    require('./activation.test');
    require('./diagnostics.test');
    require('./features.test');
    require('./panel.test');
    require('./firstRun.test');
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (results.tests.length === 0) throw new Error('no integration test ran');
    if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  } catch (err) {
    if (results.failures === 0) results.fatal = fatalOf(err);
    throw err;
  } finally {
    results.finishedAt = new Date().toISOString();
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Write then rename, so a watcher never reads half a file.
    fs.writeFileSync(`${out}.tmp`, JSON.stringify(results, null, 2));
    fs.renameSync(`${out}.tmp`, out);
    console.log(`[integration] ${results.passes} passed, ${results.failures} failed, ${results.pending} pending`);
  }
}
