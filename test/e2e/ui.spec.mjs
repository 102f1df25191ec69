// UI tests as a person sees them: the packaged extension in code-server, driven by Playwright in
// headless Chromium. Run by test/e2e/run.mjs (which starts code-server and the browser); also
// runnable alone against a code-server that is already up:
//   node test/e2e/ui.spec.mjs --url http://127.0.0.1:PORT --folder /abs/examples
// Screenshots go to test-results/e2e/*.png.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumArgs, chromiumPath, log, repoRoot, seconds } from './lib.mjs';

const WORKBENCH_MS = 60_000;
const STEP_MS = 20_000;
const DIAGNOSTICS_MS = 45_000; // first diagnostics include starting the language server

/** Opens a file through Quick Open (Ctrl+P), the way a person does, and waits for its tab. */
async function quickOpen(page, fileName) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(fileName);
  // Press Enter only once the *focused* row is the file: the list filters asynchronously, and
  // before that the recently-opened list may have another file focused.
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: fileName })
    .first()
    .waitFor({ state: 'visible', timeout: STEP_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ state: 'visible', timeout: STEP_MS });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_MS });
}

async function statusText(page, id) {
  const item = page.locator(`[id="${id}"]`);
  const text = ((await item.innerText({ timeout: STEP_MS })) ?? '').trim();
  const aria = (await item.locator('[aria-label]').first().getAttribute('aria-label').catch(() => null)) ?? (await item.getAttribute('aria-label')) ?? '';
  return { text, aria };
}

/** Number of errors shown by the Problems item of the status bar (its label: "Errors: N, ..."). */
async function problemsErrorCount(page) {
  const { text, aria } = await statusText(page, 'status.problems');
  const fromAria = /(\d+)\s+errors?|errors?:\s*(\d+)/i.exec(aria);
  if (fromAria) return { count: Number(fromAria[1] ?? fromAria[2]), label: aria || text };
  if (/no problems/i.test(aria)) return { count: 0, label: aria };
  const first = /(\d+)/.exec(text); // text is "<error icon> N <warning icon> M"
  return { count: first ? Number(first[1]) : NaN, label: aria || text };
}

async function until(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what} (last: ${last.detail})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Runs the UI tests on a page of `browser` (a playwright-core Browser) against code-server at
 * `baseUrl` opened on `folder`. Returns { passes, failures, tests }.
 */
export async function runUiTests({ browser, baseUrl, folder, outDir = path.join(repoRoot, 'test-results', 'e2e'), consoleLog }) {
  mkdirSync(outDir, { recursive: true });
  const shot = (page, name) => page.screenshot({ path: path.join(outDir, name), animations: 'disabled' });
  const tests = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  if (consoleLog) page.on('console', (m) => consoleLog(`[ui:${m.type()}] ${m.text()}`));

  const test = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      tests.push({ name, state: 'passed', durationMs: Date.now() - t0 });
      log(`  ✔ ui: ${name} (${seconds(Date.now() - t0)})`);
    } catch (err) {
      tests.push({ name, state: 'failed', durationMs: Date.now() - t0, error: err?.message ?? String(err) });
      log(`  ✘ ui: ${name} (${seconds(Date.now() - t0)}): ${err?.message ?? err}`);
      const safe = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await shot(page, `failed-${safe}.png`).catch(() => {});
    }
  };

  try {
    await test('the workbench loads on the examples folder', async () => {
      await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`, { timeout: WORKBENCH_MS });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_MS });
      // The explorer lists the folder once the remote file system answers: safe to type then.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: WORKBENCH_MS });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'follow-a-packet.journey' }).waitFor({ timeout: STEP_MS });
    });

    await test('follow-a-packet.journey opens in the Journey language mode', async () => {
      await quickOpen(page, 'follow-a-packet.journey');
      await until(
        'the status bar language mode to read Journey',
        async () => {
          const { text } = await statusText(page, 'status.editor.mode');
          return { ok: text === 'Journey', detail: text };
        },
        STEP_MS,
      );
      await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
      await shot(page, '01-follow-a-packet.png');
    });

    await test('broken.journey shows an error squiggle and the Problems count', async () => {
      await quickOpen(page, 'broken.journey');
      const editor = page.locator('.editor-group-container.active .monaco-editor').first();
      await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: DIAGNOSTICS_MS });
      const problems = await until(
        'the Problems status item to count errors',
        async () => {
          const p = await problemsErrorCount(page);
          return { ok: p.count >= 2, detail: p.label, ...p };
        },
        STEP_MS,
      );
      log(`    problems status: "${problems.label}"`);
      const { text: mode } = await statusText(page, 'status.editor.mode');
      if (mode !== 'Journey') throw new Error(`language mode is "${mode}", expected Journey`);
      await shot(page, '02-broken-squiggles.png');
    });

    await test('the Problems panel lists the unknown-name error', async () => {
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: STEP_MS });
      // broken.journey has many errors and the list only renders the rows in view: filter by the
      // code (the panel shows it as source(code)), as a person looking for it would.
      const filter = page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
      await filter.fill('unknown-name');
      // The filter applies after a debounce: wait until every problem row left is an unknown-name.
      const markerRows = page.locator('.markers-panel .monaco-list-row:has(.marker-icon)');
      await until(
        'the Problems panel to show only unknown-name rows',
        async () => {
          const all = await markerRows.count();
          const matching = await markerRows.filter({ hasText: 'unknown-name' }).count();
          return { ok: matching >= 1 && matching === all, detail: `${matching} of ${all} rows` };
        },
        STEP_MS,
      );
      // ... and it points at the line marked "# error: unknown-name" in the file.
      const text = readFileSync(path.join(folder, 'broken.journey'), 'utf8').split(/\r?\n/);
      const want = text.map((l, i) => (l.includes('# error: unknown-name') ? i + 1 : 0)).filter(Boolean);
      const rowsText = await markerRows.allInnerTexts();
      for (const line of want) {
        if (!rowsText.some((t) => t.includes(`[Ln ${line},`))) throw new Error(`no unknown-name row at line ${line}: ${rowsText.map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
      }
      await shot(page, '03-problems-panel.png');
    });

    await test('follow-a-packet.journey shows no error squiggle', async () => {
      // The server is up (broken.journey has its diagnostics), so a clean file stays clean.
      await quickOpen(page, 'follow-a-packet.journey');
      const editor = page.locator('.editor-group-container.active .monaco-editor').first();
      await editor.locator('.view-lines .view-line').first().waitFor({ state: 'visible' });
      const count = await editor.locator('.squiggly-error').count();
      if (count !== 0) throw new Error(`${count} error squiggle(s) in follow-a-packet.journey`);
    });

    await test('Trace Packet from the command palette opens the journey beside the file', async () => {
      const editor = page.locator('.editor-group-container.active .monaco-editor').first();
      await editor.click({ position: { x: 200, y: 100 } });
      // The code lens sits above the scenario: go a few lines above it so it is in view.
      const lines = readFileSync(path.join(folder, 'follow-a-packet.journey'), 'utf8').split(/\r?\n/);
      const scenarioLine = lines.findIndex((l) => l.startsWith('scenario ')) + 1;
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(Math.max(1, scenarioLine - 3)));
      await page.keyboard.press('Enter');
      await page.locator('.codelens-decoration a', { hasText: 'Trace Packet' }).first().waitFor({ state: 'visible', timeout: DIAGNOSTICS_MS });
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input').first();
      await input.waitFor({ state: 'visible' });
      await input.fill('>Packet Journey: Trace Packet');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Trace Packet' }).first().waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: 'trace.txt' }).first().waitFor({ state: 'visible', timeout: STEP_MS });
      // Monaco renders spaces as U+00A0: match any character between the words.
      await page.locator('.monaco-editor .view-line', { hasText: /Request.1:.[\d.]+.ms/ }).first().waitFor({ state: 'visible', timeout: STEP_MS });
      await shot(page, '04-trace-timeline.png');
    });
  } finally {
    await context.close().catch(() => {});
  }
  const passes = tests.filter((t) => t.state === 'passed').length;
  return { passes, failures: tests.length - passes, tests };
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
