#!/usr/bin/env node
// `npm run test:e2e`: the packaged extension in a real VS Code (code-server 4.100.3, VS Code OSS
// 1.100.3) on this machine.
//   1. npm run build                         5. install the .vsix into isolated dirs
//   2. package the .vsix (vsce 3)            6. extension-host suite (test/integration) via the
//   3. install code-server into .e2e-cache      workbench URL's payload; results file = verdict
//   4. start code-server on a free port      7. UI tests (ui.spec.mjs) in headless Chromium
// Everything it starts is stopped in `finally`; every wait has a timeout; exits non-zero on any
// failure. Artifacts: test-results/e2e/ (screenshots, results JSON, logs).
//
// Options (for developing the harness): --extension-dir DIR (default: the repository),
// --skip-build, --skip-ui, --skip-integration, --skip-restricted, --keep (keep the temporary
// folder), --update-docs-images (copy the panel's theme screenshots to docs/images/).
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { installCodeServer } from './install-code-server.mjs';
import {
  abort,
  chromiumArgs,
  chromiumPath,
  codeServerBin,
  freePort,
  isolatedEnv,
  log,
  repoRoot,
  run,
  running,
  seconds,
  sleep,
  step,
  stopGroup,
  waitFor,
} from './lib.mjs';
import { RESTRICTED_SETTINGS, runRestrictedTests } from './restricted.spec.mjs';
import { runUiTests } from './ui.spec.mjs';

const OVERALL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 20 * 60_000;
const SERVER_READY_MS = 60_000;
const RESULTS_MS = Number(process.env.E2E_RESULTS_TIMEOUT_MS) || 240_000;
const EXTENSION_ID = 'packet-journey.packet-journey';
/** The .vsix may grow this far: 459 KiB measured on 2026-11-30 once TLS became real (the
 * trace worker bundles @noble/* and the ASN.1 libraries: 113 -> 194 KB compressed; the
 * extension host no longer bundles the wire encoders), plus about 15%. A bigger package means
 * something unbundled or unlisted in .vscodeignore slipped in: look before raising it. */
const VSIX_BUDGET_BYTES = 528 * 1024;

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const extensionDir = path.resolve(option('--extension-dir') ?? process.env.E2E_EXTENSION_DIR ?? repoRoot);
const examplesDir = path.join(extensionDir, 'examples');
const artifacts = path.join(repoRoot, 'test-results', 'e2e');

const timings = [];
const state = { servers: [], browser: null, runRoot: null, cleaned: false };
const summary = { integration: null, ui: null, restricted: null, checks: { passes: 0, failures: 0, tests: [] }, errors: [] };

/** A check of the run itself (package size, logs): counted in the summary like a test. */
function check(name, fn) {
  try {
    const detail = fn();
    summary.checks.tests.push({ name, state: 'passed' });
    summary.checks.passes++;
    log(`  ✔ check: ${name}${detail ? ` (${detail})` : ''}`);
  } catch (e) {
    summary.checks.tests.push({ name, state: 'failed', error: e.message });
    summary.checks.failures++;
    log(`  ✘ check: ${name}: ${e.message}`);
  }
}

/** Log entries (a timestamped line and its continuation lines) of VS Code's log files under `dir`. */
function logEntries(dir, pattern) {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pattern.test(e.name)) files.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  const entries = [];
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (/^\d{4}-\d\d-\d\d /.test(line) || entries.length === 0) entries.push({ file: f, text: line });
      else entries[entries.length - 1].text += `\n${line}`;
    }
  }
  return entries;
}

/**
 * Warnings and errors of ours in the extension hosts' logs and in what the hosts forwarded to the
 * browser console: our extension named in the entry's first line, or hpack.js's Buffer()
 * deprecation (DEP0005), which the trace worker must keep quiet. The suite's own "Could not
 * identify extension for 'vscode' require call" (a test harness artefact) is not ours.
 */
function ourLogProblems(logDirs, consoleFile) {
  const ours = /packet-journey|Packet Journey|journey/i;
  const problems = [];
  for (const dir of logDirs) {
    for (const e of logEntries(dir, /exthost.*\.log$/i)) {
      const first = e.text.split('\n')[0];
      if (!/\[(error|warning)\]/.test(first)) continue;
      if (/Could not identify extension for 'vscode' require call/.test(first)) continue;
      if (ours.test(first) || /DEP0005/.test(e.text)) problems.push(`${path.basename(path.dirname(e.file))}: ${first.slice(0, 200)}`);
    }
  }
  if (existsSync(consoleFile)) {
    for (const line of readFileSync(consoleFile, 'utf8').split('\n')) {
      if (/DEP0005|Buffer\(\) is deprecated/.test(line)) problems.push(`browser console: ${line.slice(0, 200)}`);
    }
  }
  return problems;
}
const t0 = Date.now();

// -------------------------------------------------------------------------------------------
// Steps

async function build() {
  await run('npm', ['run', 'build'], { cwd: extensionDir, timeoutMs: 5 * 60_000 });
  const pkg = JSON.parse(readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const main = path.join(extensionDir, pkg.main ?? 'dist/extension.js');
  const mainFile = existsSync(main) ? main : `${main}.js`;
  if (!existsSync(mainFile)) throw new Error(`the build did not produce the extension main ${pkg.main}`);
  for (const f of ['broken.journey', 'follow-a-packet.journey']) {
    if (!existsSync(path.join(examplesDir, f))) throw new Error(`missing ${path.join(examplesDir, f)}`);
  }
}

async function packageVsix(out) {
  // --yes: this machine's npm config cancels npx otherwise. vsce 3.x runs on Node 20.
  // --no-dependencies: esbuild bundles everything the extension runs, so vsce need not walk
  // node_modules (that walk was most of the step's 25 s).
  await run('npx', ['--yes', '@vscode/vsce@3', 'package', '--no-rewrite-relative-links', '--no-dependencies', '--out', out], {
    cwd: extensionDir,
    env: { ...process.env, npm_config_yes: 'true' },
    timeoutMs: 5 * 60_000,
  });
  if (!existsSync(out)) throw new Error(`vsce did not write ${out}`);
  const size = readFileSync(out).length;
  log(`packaged ${path.basename(out)} (${(size / 1024).toFixed(0)} KiB)`);
  check(`the .vsix stays within its size budget (${VSIX_BUDGET_BYTES / 1024} KiB)`, () => {
    if (size > VSIX_BUDGET_BYTES) throw new Error(`${(size / 1024).toFixed(1)} KiB > ${VSIX_BUDGET_BYTES / 1024} KiB`);
    return `${(size / 1024).toFixed(1)} KiB`;
  });
}

function prepareDirs(root) {
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    suite: path.join(root, 'suite'),
    wsIntegration: path.join(root, 'workspace-integration'),
    // The UI tests type into their files (and undo): never into the repository's examples.
    wsUi: path.join(root, 'workspace-ui'),
    results: path.join(root, 'integration-results.json'),
  };
  const env = isolatedEnv(path.join(root, 'home'));
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'TMPDIR']) {
    mkdirSync(env[k], { recursive: true, mode: 0o700 });
  }
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  // Without startupEditor=none a welcome walkthrough opens after the workbench appears, takes the
  // focus and closes the Ctrl+P box.
  writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'window.restoreWindows': 'none',
        // The UI tests type into a file and undo; nothing may reach the disk meanwhile.
        'files.autoSave': 'off',
        // The repository above examples/ would otherwise raise a notification in every screenshot.
        'git.openRepositoryInParentFolders': 'never',
        'editor.hover.enabled': true,
      },
      null,
      2,
    ),
  );
  // The extension-host suite gets its own copy of the examples, so its workspace (and the editors
  // it leaves open) is not the one the UI test opens.
  cpSync(examplesDir, dirs.wsIntegration, { recursive: true });
  cpSync(examplesDir, dirs.wsUi, { recursive: true });
  return { dirs, env };
}

/** A second server's folders for Restricted Mode: workspace trust on, the folder untrusted. */
function prepareRestrictedDirs(root, baseSettingsFile) {
  const dirs = {
    userData: path.join(root, 'restricted-user-data'),
    extensions: path.join(root, 'restricted-extensions'),
    workspace: path.join(root, 'workspace-restricted'),
  };
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  const settings = { ...JSON.parse(readFileSync(baseSettingsFile, 'utf8')), ...RESTRICTED_SETTINGS };
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  cpSync(examplesDir, dirs.workspace, { recursive: true });
  return dirs;
}

async function installVsix(vsix, dirs, env) {
  await run(codeServerBin, ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix], {
    env,
    timeoutMs: 60_000,
  });
  const installed = readdirSync(dirs.extensions).find((d) => d.toLowerCase().startsWith(`${EXTENSION_ID}-`));
  if (!installed) throw new Error(`${EXTENSION_ID} not found in ${dirs.extensions} after install`);
  return path.join(dirs.extensions, installed);
}

async function startServer(dirs, env, logFile, { folder, trust = false }) {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    // Workspace trust is off except for the Restricted Mode run, which is about it.
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    folder,
  ];
  const child = spawn(codeServerBin, args, {
    env: { ...env, PJ_TEST_RESULTS: dirs.results, PJ_EXAMPLES_DIR: dirs.wsIntegration },
    stdio: ['ignore', fd, fd],
    detached: true, // own process group: the extension hosts and the language server die with it
  });
  closeSync(fd);
  state.servers.push(child);
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `code-server on ${url}/healthz`,
    async () => {
      if (exited !== null) throw abort(`code-server exited (${exited}); see ${logFile}`);
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      return res.status === 200; // body says "expired" until a browser connects: fine
    },
    { timeoutMs: SERVER_READY_MS },
  );
  log(`code-server ${url} (pid ${child.pid})`);
  return { port, url, child };
}

async function buildSuite(outDir) {
  const outfile = path.join(outDir, 'index.js');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'test', 'integration', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  await esbuild.stop(); // its service process would otherwise live until we exit
  return outfile;
}

async function launchBrowser(root) {
  const { chromium } = await import('playwright-core');
  const env = isolatedEnv(path.join(root, 'home'));
  // playwright makes its profile and artifacts folders in os.tmpdir(): keep them in the run folder.
  process.env.TMPDIR = env.TMPDIR;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    env,
    timeout: 30_000,
  });
  state.browser = browser;
  return browser;
}

async function runIntegration({ browser, url, port, extensionPath, suiteFile, dirs, consoleLog, consoleFile, serverLog }) {
  rmSync(dirs.results, { force: true });
  const fallback = path.join(path.dirname(suiteFile), 'integration-results.json');
  rmSync(fallback, { force: true });
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(suiteFile)],
  ];
  const pageUrl = `${url}/?folder=${encodeURIComponent(dirs.wsIntegration)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      const text = m.text();
      consoleLog(`[integration:${m.type()}] ${text}`);
      if (text.includes('[integration]')) process.stdout.write(`${text.replace(/^.*?\[integration\]/, '  [integration]')}\n`);
    });
    page.on('pageerror', (e) => consoleLog(`[integration:pageerror] ${e.message}`));
    const logStart = existsSync(serverLog) ? readFileSync(serverLog, 'utf8').length : 0;
    await page.goto(pageUrl, { timeout: 60_000 });
    // Fail fast when the extension host ends without writing results (a crash, or run() never
    // called): code-server logs its exit; give the file a few seconds to land after that.
    let hostExitedAt = 0;
    const file = await waitFor(
      'the integration results file',
      () => {
        const found = [dirs.results, fallback].find((f) => existsSync(f));
        if (found) return found;
        if (!hostExitedAt && readFileSync(serverLog, 'utf8').slice(logStart).includes('Extension Host Process exited')) {
          hostExitedAt = Date.now();
        }
        if (hostExitedAt && Date.now() - hostExitedAt > 5000) {
          throw abort(`the extension host exited without writing results; see ${path.relative(repoRoot, consoleFile)} and code-server.log`);
        }
        return undefined;
      },
      { timeoutMs: RESULTS_MS, intervalMs: 250 },
    );
    const results = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(path.join(artifacts, 'integration-results.json'), JSON.stringify(results, null, 2));
    // For `npm run bench` to print: the extension's activation as the extension host timed it.
    if (results.activation) {
      writeFileSync(path.join(artifacts, 'activation.json'), `${JSON.stringify({ ...results.activation, vscodeVersion: results.vscodeVersion, uiKind: results.uiKind }, null, 2)}\n`);
      log(`activation: ${results.activation.alreadyActive ? 'already active when measured' : `${results.activation.ms} ms`}`);
    }
    return results;
  } finally {
    await context.close().catch(() => {});
  }
}

// -------------------------------------------------------------------------------------------
// Cleanup: the browser, code-server's whole process group, then anything still running with the
// run folder in its command line or environment.

function processesUsing(marker) {
  const found = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmd.includes(marker) || env.includes(marker)) found.push({ pid: Number(pid), cmd: cmd.replace(/\0/g, ' ').slice(0, 160) });
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

async function cleanup() {
  if (state.cleaned) return;
  state.cleaned = true;
  const t = Date.now();
  if (state.browser) await Promise.race([state.browser.close().catch(() => {}), sleep(10_000)]);
  for (const server of state.servers) await stopGroup(server.pid, 5000);
  for (const pid of running) await stopGroup(pid, 2000); // a build or install cut short
  if (state.runRoot) {
    let left = processesUsing(state.runRoot);
    const deadline = Date.now() + 5000;
    while (left.length && Date.now() < deadline) {
      await sleep(200);
      left = processesUsing(state.runRoot);
    }
    if (left.length) {
      log(`killing ${left.length} leftover process(es): ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    // Keep the server's own logs (extension host, language server output) with the artifacts.
    const logs = path.join(state.runRoot, 'user-data', 'logs');
    if (existsSync(logs)) cpSync(logs, path.join(artifacts, 'code-server-logs'), { recursive: true });
    if (flag('--keep')) log(`kept ${state.runRoot}`);
    else rmSync(state.runRoot, { recursive: true, force: true });
  }
  log(`cleanup (${seconds(Date.now() - t)})`);
}

// -------------------------------------------------------------------------------------------

function printSummary() {
  const line = '─'.repeat(60);
  console.log(`\n${line}\ne2e summary (${seconds(Date.now() - t0)} in all)`);
  for (const s of timings) console.log(`  ${s.ok ? '✔' : '✘'} ${s.name.padEnd(34)} ${seconds(s.ms).padStart(8)}`);
  const count = (r) => (r ? `${r.passes} passed, ${r.failures} failed` : 'not run');
  console.log(`  integration (extension host): ${count(summary.integration)}`);
  for (const t of summary.integration?.tests ?? []) {
    if (t.state === 'failed') console.log(`    ✘ ${t.fullTitle}\n      ${t.error?.message?.split('\n').join('\n      ')}`);
  }
  if (summary.integration?.fatal) console.log(`    fatal: ${summary.integration.fatal.message}`);
  console.log(`  ui (Playwright, Chromium):    ${count(summary.ui)}`);
  for (const t of summary.ui?.tests ?? []) if (t.state === 'failed') console.log(`    ✘ ${t.name}\n      ${t.error}`);
  console.log(`  restricted mode (Playwright): ${count(summary.restricted)}`);
  for (const t of summary.restricted?.tests ?? []) if (t.state === 'failed') console.log(`    ✘ ${t.name}\n      ${t.error}`);
  console.log(`  checks (package, logs):       ${count(summary.checks)}`);
  for (const t of summary.checks.tests) if (t.state === 'failed') console.log(`    ✘ ${t.name}\n      ${t.error}`);
  for (const t of [...(summary.ui?.tests ?? []), ...(summary.restricted?.tests ?? [])]) if (t.state === 'skipped') console.log(`    - ${t.name}: skipped: ${t.reason}`);
  for (const e of summary.errors) console.log(`  error: ${e}`);
  console.log(`  artifacts: ${path.relative(process.cwd(), artifacts) || artifacts}`);
  const parts = [summary.integration, summary.ui, summary.restricted, summary.checks];
  const passes = parts.reduce((n, r) => n + (r?.passes ?? 0), 0);
  const failures = parts.reduce((n, r) => n + (r?.failures ?? 0), 0) + summary.errors.length;
  console.log(line);
  console.log(`e2e: ${passes} passed, ${failures} failed`);
  return { passes, failures };
}

async function main() {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const consoleFile = path.join(artifacts, 'browser-console.log');
  const consoleLog = (line) => appendFileSync(consoleFile, `${line}\n`);
  state.runRoot = mkdtempSync(path.join(os.tmpdir(), 'pj-e2e-'));
  log(`extension: ${extensionDir}`);
  log(`run folder: ${state.runRoot}`);

  if (!flag('--skip-build')) await step('build (npm run build)', build, timings);
  const vsix = path.join(state.runRoot, 'packet-journey.vsix');
  await step('package vsix (vsce 3)', () => packageVsix(vsix), timings);
  await step('install code-server', () => installCodeServer(), timings);
  const { dirs, env } = prepareDirs(state.runRoot);
  const extensionPath = await step('install vsix into code-server', () => installVsix(vsix, dirs, env), timings);
  const serverLog = path.join(artifacts, 'code-server.log');
  const { url, port } = await step('start code-server', () => startServer(dirs, env, serverLog, { folder: dirs.wsUi }), timings);
  const browser = await step('launch chromium', () => launchBrowser(state.runRoot), timings);

  if (!flag('--skip-integration')) {
    const suiteFile = await step('build integration suite', () => buildSuite(dirs.suite), timings);
    try {
      summary.integration = await step(
        'integration suite (extension host)',
        () => runIntegration({ browser, url, port, extensionPath, suiteFile, dirs, consoleLog, consoleFile, serverLog }),
        timings,
      );
      // A failure outside any test (loading the suite, ...) is in `fatal`; count it.
      if (summary.integration.fatal) summary.errors.push(`integration: ${summary.integration.fatal.message}`);
      else if (summary.integration.tests.length === 0) summary.errors.push('the integration suite ran no test');
    } catch (e) {
      summary.errors.push(`integration: ${e.message}`);
    }
  }
  if (!flag('--skip-ui')) {
    try {
      const docsImages = flag('--update-docs-images') ? path.join(repoRoot, 'docs', 'images') : undefined;
      summary.ui = await step(
        'ui tests (Playwright)',
        () => runUiTests({ browser, baseUrl: url, folder: dirs.wsUi, outDir: artifacts, consoleLog, docsImages }),
        timings,
      );
      writeFileSync(path.join(artifacts, 'ui-results.json'), JSON.stringify(summary.ui, null, 2));
    } catch (e) {
      summary.errors.push(`ui: ${e.message}`);
    }
  }
  if (!flag('--skip-restricted')) {
    try {
      // A second server: the first runs with --disable-workspace-trust, which this test is about.
      const rdirs = prepareRestrictedDirs(state.runRoot, path.join(dirs.userData, 'User', 'settings.json'));
      await step('install vsix (restricted server)', () => installVsix(vsix, rdirs, env), timings);
      const restricted = await step(
        'start code-server (workspace trust on)',
        () => startServer(rdirs, env, path.join(artifacts, 'code-server-restricted.log'), { folder: rdirs.workspace, trust: true }),
        timings,
      );
      summary.restricted = await step(
        'restricted mode tests (Playwright)',
        () => runRestrictedTests({ browser, baseUrl: restricted.url, folder: rdirs.workspace, outDir: artifacts, consoleLog }),
        timings,
      );
      writeFileSync(path.join(artifacts, 'restricted-results.json'), JSON.stringify(summary.restricted, null, 2));
    } catch (e) {
      summary.errors.push(`restricted: ${e.message}`);
    }
  }
  if (!flag('--skip-ui')) {
    // After the UI tests (normal use: traces, edits, exports, New Journey): nothing of ours in
    // the extension hosts' logs. Restricted Mode refuses on purpose; its logs are checked too.
    check('no warning or error of ours in the extension host logs', () => {
      const dirs = [path.join(state.runRoot, 'user-data', 'logs'), path.join(state.runRoot, 'restricted-user-data', 'logs')];
      const problems = ourLogProblems(dirs, consoleFile);
      if (problems.length) throw new Error(`${problems.length} line(s):\n      ${problems.slice(0, 10).join('\n      ')}`);
      return 'exthost logs and the browser console';
    });
  }
}

let exitCode = 1;
const onSignal = (sig) => {
  log(`${sig}: cleaning up`);
  cleanup().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
let watchdog;
try {
  await Promise.race([
    main(),
    new Promise((_, reject) => {
      watchdog = setTimeout(() => reject(new Error(`e2e run exceeded ${seconds(OVERALL_TIMEOUT_MS)}`)), OVERALL_TIMEOUT_MS);
    }),
  ]);
} catch (e) {
  summary.errors.push(e?.message?.split('\n')[0] ?? String(e));
  if (e?.stack) console.error(e.stack);
} finally {
  clearTimeout(watchdog);
  await cleanup().catch((e) => summary.errors.push(`cleanup: ${e.message}`));
  const { passes, failures } = printSummary();
  exitCode = failures === 0 && passes > 0 ? 0 : 1;
}
process.exit(exitCode);
