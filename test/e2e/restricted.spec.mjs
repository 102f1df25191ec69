// Restricted Mode in a real VS Code: workspace trust on and the folder not trusted (a code-server
// started without --disable-workspace-trust). A file that imports another gets the "imports are
// off" diagnostic, and nothing of the imported file reaches the editor or a trace.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeRunner } from './runner.mjs';
import { DIAGNOSTICS_MS, STEP_MS, editorOf, hidePanel, goToLine, notifications, openWorkbench, problemRows, quickOpen, runCommand, until } from './workbench.mjs';

const FILE = 'tls12.journey';
const IMPORTED = 'follow-a-packet.journey';

/** Settings for the user-data folder of the Restricted Mode server. */
export const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  // No modal "Do you trust the authors?" at start: the folder simply stays untrusted.
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
  // The main run's theme tests leave their last theme in the settings this run starts from.
  'workbench.colorTheme': 'Default Light Modern',
};

export async function runRestrictedTests({ browser, baseUrl, folder, outDir, consoleLog }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  if (consoleLog) page.on('console', (m) => consoleLog(`[restricted:${m.type()}] ${m.text()}`));
  const runner = makeRunner(page, outDir, 'restricted');
  const { test, shot } = runner;
  const text = readFileSync(path.join(folder, FILE), 'utf8').split(/\r?\n/);
  const importLine = text.findIndex((l) => l.startsWith('import ')) + 1;
  // A value only the imported file holds: the laptop's address.
  const secret = /ip (\d+\.\d+\.\d+\.\d+)/.exec(readFileSync(path.join(folder, IMPORTED), 'utf8'))?.[1];

  try {
    const loaded = await test('the workbench opens the folder in Restricted Mode', async () => {
      await openWorkbench(page, baseUrl, folder, FILE);
      // The status bar names Restricted Mode when the folder is not trusted.
      await page.locator('[id="status.workspaceTrust"]', { hasText: /Restricted/i }).first().waitFor({ state: 'visible' });
    });
    if (!loaded) return runner.results();

    await test(`an import gives the "imports are off" diagnostic on line ${importLine}`, async () => {
      await quickOpen(page, FILE);
      await editorOf(page, FILE).locator('.squiggly-error, .squiggly-warning').first().waitFor({ state: 'attached', timeout: DIAGNOSTICS_MS });
      const rows = await problemRows(page, 'imports are off');
      if (!rows.some((r) => r.includes(`[Ln ${importLine},`))) throw new Error(`no "imports are off" problem at line ${importLine}: ${rows.join(' | ')}`);
      if (secret && rows.some((r) => r.includes(secret))) throw new Error(`a problem quotes the imported file (${secret})`);
      await shot('restricted-01-imports-off.png');
      await hidePanel(page);
    });

    await test('hovering a name defined in the imported file shows nothing of that file', async () => {
      const fromLine = text.findIndex((l) => /^\s*from /.test(l)) + 1;
      const editor = editorOf(page, FILE);
      await editor.click({ position: { x: 300, y: 40 } });
      await goToLine(page, fromLine);
      const word = editor.locator('.view-line span', { hasText: /^laptop$/ }).first();
      await word.hover();
      // A hover may or may not come (an unknown-name diagnostic does); whatever comes must not
      // carry the imported file's contents.
      const hover = page.locator('.monaco-hover:not(.hidden)').first();
      const shown = await hover.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
      const content = shown ? await hover.innerText() : '';
      if (secret && content.includes(secret)) throw new Error(`the hover shows the imported file's ${secret}: ${content}`);
      await page.keyboard.press('Escape');
    });

    await test('Trace Packet says imports are off and opens no panel', async () => {
      await runCommand(page, 'Packet Journey: Trace Packet');
      const toast = await until('an error notification naming Restricted Mode', async () => {
        const all = await notifications(page);
        const hit = all.find((t) => /cannot trace/i.test(t));
        return { ok: !!hit, detail: all.join(' | ') || 'none', hit };
      });
      if (!/imports are off|Restricted Mode/i.test(toast.hit)) throw new Error(`the message does not say why: ${toast.hit}`);
      if (await page.locator('.tab', { hasText: `Trace: ${FILE}` }).count()) throw new Error('a trace panel opened');
      await shot('restricted-02-trace-refused.png');
    });
  } finally {
    await context.close().catch(() => {});
  }
  return runner.results();
}
