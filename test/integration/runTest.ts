// Runs the extension-host suite in a desktop VS Code downloaded by @vscode/test-electron. Not used
// on machines that cannot download VS Code (there test/e2e/run.mjs runs the same suite inside
// code-server). Usage, on a desktop: npm run build && npx tsx test/integration/runTest.ts
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { buildSuite } from './build';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-integration-'));
  const results = path.join(work, 'results.json');
  const extensionTestsPath = await buildSuite(path.join(work, 'suite'));
  const examples = path.join(repo, 'examples');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || '1.100.3',
      cachePath: path.join(repo, '.e2e-cache', 'vscode-test'), // git-ignored, beside code-server
      extensionDevelopmentPath: repo,
      extensionTestsPath,
      launchArgs: [examples, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${path.join(work, 'user-data')}`],
      extensionTestsEnv: { PJ_TEST_RESULTS: results, PJ_EXAMPLES_DIR: examples },
    });
  } finally {
    if (fs.existsSync(results)) {
      const r = JSON.parse(fs.readFileSync(results, 'utf8'));
      console.log(`integration: ${r.passes} passed, ${r.failures} failed`);
    } else {
      console.error(`integration: no results file at ${results}`);
      process.exitCode = 1;
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
