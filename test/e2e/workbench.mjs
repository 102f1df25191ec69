// Driving the VS Code workbench in a page the way a person does: Quick Open, the command
// palette, the status bar, and the webviews (nested iframes) where the trace panel lives.
// Every wait polls with a timeout; nothing sleeps blindly.
import { seconds } from './lib.mjs';

export const WORKBENCH_MS = 60_000;
export const STEP_MS = 20_000;
export const DIAGNOSTICS_MS = 45_000; // first diagnostics include starting the language server

/** Polls `probe` (returning { ok, detail, ... }) until ok; throws with the last detail. */
export async function until(what, probe, timeoutMs = STEP_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
    } catch (e) {
      last = { ok: false, detail: e?.message ?? String(e) };
    }
    if (last.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what} (last: ${last.detail})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens the workbench on `folder` and waits until the explorer lists it (safe to type then). */
export async function openWorkbench(page, baseUrl, folder, expectFile) {
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`, { timeout: WORKBENCH_MS });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_MS });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: WORKBENCH_MS });
  if (expectFile) await page.locator('.explorer-folders-view .monaco-list-row', { hasText: expectFile }).waitFor({ timeout: STEP_MS });
}

/** Opens a file through Quick Open (Ctrl+P), the way a person does, and waits for its tab. */
export async function quickOpen(page, fileName) {
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

/** Runs a command from the palette (F1) by its full title, e.g. "Packet Journey: Trace Packet". */
export async function runCommand(page, title) {
  await runCommandKeepOpen(page, title);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_MS });
}

/** Runs a palette command that opens a quick pick of its own (Color Theme, ...). The palette
 * can close under us before its row is clicked (focus moving to a webview that just got a trace,
 * seen on a loaded CI machine): then it opens it again, up to three times. A failed click has
 * run nothing, so nothing runs twice. */
export async function runCommandKeepOpen(page, title) {
  let failure;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input').first();
      await input.waitFor({ state: 'visible', timeout: STEP_MS / 2 });
      await input.fill(`>${title}`);
      await pickRow(page, title, STEP_MS / 2);
      return;
    } catch (e) {
      failure = e;
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
  throw failure;
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Clicks the row of the open quick pick whose label is exactly `label` (not one containing it,
 * such as "Browse Color Themes in Marketplace" for "Color Theme"). */
export async function pickRow(page, label, timeout = STEP_MS) {
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click({ timeout });
}

/** Hides the bottom panel (Problems, ...) when it is open: room for the editor and the webview. */
export async function hidePanel(page) {
  if (await page.locator('.part.panel').isVisible().catch(() => false)) {
    await page.keyboard.press('Control+J');
    await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: STEP_MS });
  }
}

/** The editor of the group showing `fileName` (its active tab). */
export function editorOf(page, fileName) {
  return page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: fileName }) }).locator('.monaco-editor').first();
}

/** Moves the cursor of the focused editor to a 1-based line with Go to Line (Ctrl+G). */
export async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_MS });
}

/** The 1-based line of the primary cursor in `editor` (its line number is marked active). */
export async function cursorLine(editor) {
  const text = await editor.locator('.line-numbers.active-line-number').first().innerText({ timeout: 2000 });
  return Number(text.trim());
}

export async function statusText(page, id) {
  const item = page.locator(`[id="${id}"]`);
  const text = ((await item.innerText({ timeout: STEP_MS })) ?? '').trim();
  const aria = (await item.locator('[aria-label]').first().getAttribute('aria-label').catch(() => null)) ?? (await item.getAttribute('aria-label')) ?? '';
  return { text, aria };
}

/** Number of errors shown by the Problems item of the status bar (its label: "Errors: N, ..."). */
export async function problemsErrorCount(page) {
  const { text, aria } = await statusText(page, 'status.problems');
  const fromAria = /(\d+)\s+errors?|errors?:\s*(\d+)/i.exec(aria);
  if (fromAria) return { count: Number(fromAria[1] ?? fromAria[2]), label: aria || text };
  if (/no problems/i.test(aria)) return { count: 0, label: aria };
  const first = /(\d+)/.exec(text); // text is "<error icon> N <warning icon> M"
  return { count: first ? Number(first[1]) : NaN, label: aria || text };
}

/** Opens the Problems panel filtered to `filter` and returns the text of its problem rows. */
export async function problemRows(page, filter) {
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: STEP_MS });
  const box = page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
  await box.fill(filter);
  const rows = page.locator('.markers-panel .monaco-list-row:has(.marker-icon)');
  const found = await until(
    `Problems rows matching "${filter}"`,
    async () => {
      const all = await rows.allInnerTexts();
      const matching = all.filter((t) => t.toLowerCase().includes(filter.toLowerCase()));
      return { ok: matching.length >= 1 && matching.length === all.length, detail: `${matching.length} of ${all.length} rows`, rows: all };
    },
    DIAGNOSTICS_MS,
  );
  return found.rows.map((t) => t.replace(/\s+/g, ' '));
}

/**
 * The frame of the webview whose document title is `title`, a string or a RegExp (webviews are nested iframes: the
 * panel's document is the inner one). Waits for it and for `readySelector` inside it.
 */
export async function webviewFrame(page, title, readySelector, timeoutMs = STEP_MS) {
  const found = await until(
    `the webview "${title}" with ${readySelector}`,
    async () => {
      const titles = [];
      for (const frame of page.frames()) {
        if (frame === page.mainFrame() || frame.isDetached()) continue;
        const t = await frame.title().catch(() => '');
        titles.push(t || '(untitled)');
        if (typeof title === 'string' ? t !== title : !title.test(t)) continue;
        if (await frame.locator(readySelector).first().isVisible().catch(() => false)) return { ok: true, frame };
      }
      return { ok: false, detail: `frames: ${titles.join(', ') || 'none'}` };
    },
    timeoutMs,
  );
  return found.frame;
}

/** Text of the visible notification toasts. */
export async function notifications(page) {
  return (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
}
