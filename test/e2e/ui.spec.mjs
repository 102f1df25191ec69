// UI tests as a person sees them: the packaged extension in code-server, driven by Playwright in
// headless Chromium. Run by test/e2e/run.mjs (which starts code-server and the browser); also
// runnable alone against a code-server that is already up:
//   node test/e2e/ui.spec.mjs --url http://127.0.0.1:PORT --folder /abs/examples-copy
// (the panel tests type into follow-a-packet.journey, then revert it: give a copy).
// Screenshots go to test-results/e2e/*.png.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumArgs, chromiumPath, log, repoRoot } from './lib.mjs';
import { runFirstRunTests } from './firstRun.spec.mjs';
import { runPanelTests } from './panel.spec.mjs';
import { makeRunner } from './runner.mjs';
import { DIAGNOSTICS_MS, STEP_MS, hidePanel, openWorkbench, problemRows, problemsErrorCount, quickOpen, statusText, until } from './workbench.mjs';

/**
 * Runs the UI tests on a page of `browser` (a playwright-core Browser) against code-server at
 * `baseUrl` opened on `folder`. Returns { passes, failures, tests }.
 */
export async function runUiTests({ browser, baseUrl, folder, outDir = path.join(repoRoot, 'test-results', 'e2e'), consoleLog, docsImages }) {
  // Wide enough for the file and the panel side by side (the panel's screenshots are the README's).
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  if (consoleLog) page.on('console', (m) => consoleLog(`[ui:${m.type()}] ${m.text()}`));
  const runner = makeRunner(page, outDir, 'ui');
  const { test, shot } = runner;

  try {
    const loaded = await test('the workbench loads on the examples folder', () => openWorkbench(page, baseUrl, folder, 'follow-a-packet.journey'));
    if (!loaded) return runner.results();

    await test('follow-a-packet.journey opens in the Journey language mode', async () => {
      await quickOpen(page, 'follow-a-packet.journey');
      await until('the status bar language mode to read Journey', async () => {
        const { text } = await statusText(page, 'status.editor.mode');
        return { ok: text === 'Journey', detail: text };
      });
      await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
      await shot('01-follow-a-packet.png');
    });

    await test('broken.journey shows an error squiggle and the Problems count', async () => {
      await quickOpen(page, 'broken.journey');
      const editor = page.locator('.editor-group-container.active .monaco-editor').first();
      await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: DIAGNOSTICS_MS });
      const problems = await until('the Problems status item to count errors', async () => {
        const p = await problemsErrorCount(page);
        return { ok: p.count >= 2, detail: p.label, ...p };
      });
      log(`    problems status: "${problems.label}"`);
      const { text: mode } = await statusText(page, 'status.editor.mode');
      if (mode !== 'Journey') throw new Error(`language mode is "${mode}", expected Journey`);
      await shot('02-broken-squiggles.png');
    });

    await test('the Problems panel lists the unknown-name error', async () => {
      // broken.journey has many errors and the list only renders the rows in view: filter by the
      // code (the panel shows it as source(code)), as a person looking for it would.
      const rows = await problemRows(page, 'unknown-name');
      // ... and it points at the line marked "# error: unknown-name" in the file.
      const text = readFileSync(path.join(folder, 'broken.journey'), 'utf8').split(/\r?\n/);
      const want = text.map((l, i) => (l.includes('# error: unknown-name') ? i + 1 : 0)).filter(Boolean);
      for (const line of want) {
        if (!rows.some((t) => t.includes(`[Ln ${line},`))) throw new Error(`no unknown-name row at line ${line}: ${rows.join(' | ')}`);
      }
      await shot('03-problems-panel.png');
      await hidePanel(page); // room for the editor and the trace panel
    });

    await test('follow-a-packet.journey shows no error squiggle', async () => {
      // The server is up (broken.journey has its diagnostics), so a clean file stays clean.
      await quickOpen(page, 'follow-a-packet.journey');
      const editor = page.locator('.editor-group-container.active .monaco-editor').first();
      await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible' });
      const count = await editor.locator('.squiggly-error').count();
      if (count !== 0) throw new Error(`${count} error squiggle(s) in follow-a-packet.journey`);
    });

    await runPanelTests({ page, runner, folder, outDir, docsImages });
    await runFirstRunTests({ page, runner, folder, outDir, docsImages });
  } finally {
    await context.close().catch(() => {});
  }
  return runner.results();
}

// Stand-alone: node test/e2e/ui.spec.mjs --url URL --folder DIR
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const url = arg('--url');
  const folder = path.resolve(arg('--folder') ?? path.join(repoRoot, 'examples'));
  if (!url) {
    console.error('usage: node test/e2e/ui.spec.mjs --url http://127.0.0.1:PORT [--folder DIR]');
    process.exit(2);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true, timeout: 30_000 });
  let code = 1;
  try {
    const r = await runUiTests({ browser, baseUrl: url, folder });
    console.log(`ui: ${r.passes} passed, ${r.failures} failed`);
    code = r.failures === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
  process.exit(code);
}
