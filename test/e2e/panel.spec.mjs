// The trace panel as a person uses it, in code-server: Trace Packet from the palette and from
// the code lens, stepping, a hop's headers on hover, an event's line in the editor, the cursor's
// device in the panel, edits that re-trace, and the panel in the light, dark and high-contrast
// themes. Expected values come from the CLI's JSON trace of the same file.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { log, repoRoot, seconds } from './lib.mjs';
import { DIAGNOSTICS_MS, cursorLine, editorOf, goToLine, hidePanel, notifications, quickOpen, runCommand, runCommandKeepOpen, until, webviewFrame } from './workbench.mjs';

const FILE = 'follow-a-packet.journey';
const PANEL_TITLE = `Trace: ${FILE}`;
const READY = '#events [data-seq]';

export const THEMES = [
  { name: 'light', label: 'Light Modern', workbenchClass: 'vs', bodyClass: 'vscode-light' },
  { name: 'dark', label: 'Dark Modern', workbenchClass: 'vs-dark', bodyClass: 'vscode-dark' },
  { name: 'high-contrast', label: 'Dark High Contrast', workbenchClass: 'hc-black', bodyClass: 'vscode-high-contrast' },
];

/** Picks a colour theme from the palette's theme list, as a person does. */
export async function pickTheme(page, label) {
  await runCommandKeepOpen(page, 'Preferences: Color Theme');
  await page.locator('.quick-input-widget input').first().fill(label);
  // Pick with the keyboard, the pointer parked on the empty status bar: where the list was, it
  // would rest on the editor's toolbar and leave a hover card in the screenshot.
  await page.mouse.move(960, 1070);
  await page.locator('.quick-input-list .monaco-list-row.focused').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

function traceJson(file) {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'journey.js'), 'trace', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

/** "event 3 of 120" -> { index: 2, count: 120 } */
async function position(frame) {
  const text = (await frame.locator('#position').innerText()).trim();
  const m = /event (\d+) of (\d+)/.exec(text);
  return m ? { index: Number(m[1]) - 1, count: Number(m[2]), text } : { index: NaN, count: NaN, text };
}

async function atEvent(frame, index) {
  await until(`the panel at event ${index + 1}`, async () => {
    const p = await position(frame);
    return { ok: p.index === index, detail: p.text };
  });
}

/** Presses a panel shortcut with the event list focused (a disabled button takes no click). */
async function key(frame, k) {
  await frame.locator('#events').focus();
  await frame.locator('#events').press(k);
}

async function traceCount(frame) {
  return Number((await frame.locator('body').getAttribute('data-trace-count')) ?? 0);
}

/**
 * Runs the panel tests with `runner` (makeRunner) on `page`, a workbench open on `folder`.
 * `docsImages`, when set, is where the theme screenshots are copied for the README.
 */
export async function runPanelTests({ page, runner, folder, outDir, docsImages }) {
  const { test, blocked, shot } = runner;
  const file = path.join(folder, FILE);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const lineOf = (prefix) => lines.findIndex((l) => l.startsWith(prefix)) + 1; // 1-based
  const trace = traceJson(file);
  const editor = editorOf(page, FILE);
  let frame;

  const opened = await test('Trace Packet from the command palette opens the panel beside the file', async () => {
    await hidePanel(page);
    await quickOpen(page, FILE);
    await editor.click({ position: { x: 300, y: 100 } });
    // Above the scenario, so its code lens is in view for the code-lens test.
    await goToLine(page, Math.max(1, lineOf('scenario ') - 3));
    await page.locator('.codelens-decoration a', { hasText: 'Trace Packet' }).first().waitFor({ state: 'visible', timeout: DIAGNOSTICS_MS });
    const t0 = Date.now();
    await runCommand(page, 'Packet Journey: Trace Packet');
    await page.locator('.tab', { hasText: PANEL_TITLE }).first().waitFor({ state: 'visible' });
    frame = await webviewFrame(page, PANEL_TITLE, READY);
    log(`    panel painted ${seconds(Date.now() - t0)} after Enter (command, webview load, first trace)`);
    const groups = await page.locator('.editor-group-container').count();
    if (groups < 2) throw new Error(`the panel did not open beside the file (${groups} editor group)`);
    const p = await position(frame);
    if (p.count !== trace.events.length) throw new Error(`the panel counts ${p.text}; the CLI trace has ${trace.events.length} events`);
    // The file keeps the focus: typing goes on in the editor.
    if (!(await editor.evaluate((el) => el.contains(document.activeElement)))) throw new Error('the editor lost the focus to the panel');
    await shot('04-trace-panel.png');
  });
  if (!opened) {
    for (const name of ['stepping', 'hover', 'reveal', 'editor focus', 'edit', 'code lens', 'themes']) blocked(name, 'the panel did not open');
    return;
  }

  await test('the step buttons and keys move through the events', async () => {
    await key(frame, 'Home');
    await atEvent(frame, 0);
    await frame.locator('#btn-forward').click();
    await frame.locator('#btn-forward').click();
    await atEvent(frame, 2);
    await frame.locator('#btn-back').click();
    await atEvent(frame, 1);
    const selected = frame.locator('#events [aria-selected="true"]');
    const seq = Number(await selected.first().getAttribute('data-seq'));
    if (seq !== trace.events[1].seq) throw new Error(`the selected row is event ${seq}, expected ${trace.events[1].seq}`);
    await key(frame, 'j');
    await atEvent(frame, 2);
    await frame.locator('#btn-last').click();
    await atEvent(frame, trace.events.length - 1);
  });

  await test('hovering a hop shows the headers of the packet on it', async () => {
    const link = frame.locator('#path button.link[data-link="wifi"]').first();
    await link.hover();
    const tip = frame.locator('#tooltip');
    await tip.locator('.tt-layer').first().waitFor({ state: 'visible' });
    const shown = (await tip.locator('.tt-layer').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const onWifi = trace.packets.filter((p) => p.link === 'wifi').map((p) => p.layers.map((l) => `${l.proto} ${l.summary}`.replace(/\s+/g, ' ').trim()));
    if (!onWifi.some((layers) => layers.join('\n') === shown.join('\n'))) throw new Error(`the hover's headers match no packet of the wifi link: ${shown.join(' | ')}`);
    if (!/ethernet/i.test(shown[0] ?? '') || !shown.some((l) => /^ipv4/i.test(l))) throw new Error(`expected Ethernet then IPv4 among: ${shown.join(' | ')}`);
    log(`    wifi hop: ${shown.join(' | ')}`);
    await shot('05-hop-hover.png');
    await page.mouse.move(5, 5);
  });

  await test('an event\'s "line N" puts the editor\'s cursor on that line', async () => {
    const current = await cursorLine(editor).catch(() => 0);
    // An early event behind a rule of this file, on a line away from the cursor.
    const target = trace.events.find((e) => e.source && e.source.file.endsWith(FILE) && e.source.start.line + 1 !== current && e.source.start.line > 20);
    if (!target) throw new Error('no event with a source line in the trace');
    const index = trace.events.indexOf(target);
    await key(frame, 'Home');
    for (let i = 0; i < index; i++) await frame.locator('#events').press('j');
    await atEvent(frame, index);
    const want = target.source.start.line + 1;
    const reveal = frame.locator('#reveal-source');
    if ((await reveal.innerText()).trim() !== `line ${want}`) throw new Error(`the panel offers "${await reveal.innerText()}", expected line ${want}`);
    await reveal.click();
    await until(`the editor's cursor on line ${want}`, async () => {
      const at = await cursorLine(editor);
      return { ok: at === want, detail: `line ${at}` };
    });
    await shot('06-reveal-line.png');
  });

  await test('moving the cursor onto a device highlights it in the panel', async () => {
    await editor.click({ position: { x: 300, y: 60 } });
    await goToLine(page, lineOf('router home-router') + 2);
    await frame.locator('#path .editor-focus[data-device="home-router"], #path .editor-focus [data-device="home-router"]').first().waitFor({ state: 'attached' });
    await goToLine(page, lineOf('link wifi') + 1);
    await frame.locator('#path .editor-focus[data-link="wifi"], #path .editor-focus [data-link="wifi"]').first().waitFor({ state: 'attached' });
  });

  await test('editing the file traces again; an error keeps the last trace, marked stale', async () => {
    const total = async () => (await frame.locator('.wf-total').first().innerText()).trim();
    const before = await total();
    const count = await traceCount(frame);
    const latency = lineOf('link wifi') + 3;
    if (!/latency 1ms/.test(lines[latency - 1])) throw new Error(`line ${latency} is "${lines[latency - 1]}", expected the wifi latency`);
    await editor.click({ position: { x: 300, y: 60 } });
    await goToLine(page, latency);
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('latency 40ms');
    await until('a new trace with the slower Wi-Fi', async () => {
      const now = await total();
      return { ok: (await traceCount(frame)) > count && now !== before, detail: `${now} (was ${before})` };
    });
    const after = await total();
    log(`    request 1: ${before} -> ${after}`);
    await page.keyboard.press('End');
    await page.keyboard.type(' zz');
    await frame.locator('#stale-banner').waitFor({ state: 'visible' });
    const banner = (await frame.locator('#stale-banner').innerText()).replace(/\s+/g, ' ');
    if (!banner.includes(`line ${latency}`)) throw new Error(`the stale banner does not name line ${latency}: ${banner}`);
    if ((await total()) !== after) throw new Error('the last good trace did not stay while the file has an error');
    await shot('07-stale.png');
    // Undo back to the file as saved (Undo goes word by word, so until the tab is clean): the
    // trace follows, and nothing unsaved stays behind.
    const dirty = page.locator('.tab.dirty', { hasText: FILE });
    if (!(await dirty.count())) throw new Error('the edited file is not marked dirty (is auto save on?)');
    for (let i = 0; i < 40 && (await dirty.count()); i++) await page.keyboard.press('Control+Z');
    await until('the trace of the file as saved', async () => {
      const now = await total();
      const dirty = await page.locator('.tab.dirty', { hasText: FILE }).count();
      return { ok: now === before && !dirty && !(await frame.locator('#stale-banner').isVisible()), detail: `${now}, ${dirty} dirty tab(s)` };
    });
  });

  await test('the panel\'s HTML export writes a self-contained report next to the file', async () => {
    await frame.locator('#export-html').click();
    // VS Code's save dialog (a quick input in the browser) offers the path next to the file.
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await until('the save dialog to offer follow-a-packet.html beside the file', async () => {
      const offered = await input.inputValue();
      return { ok: offered === path.join(folder, 'follow-a-packet.html'), detail: offered };
    });
    await page.keyboard.press('Enter');
    await until('the "wrote" notification', async () => {
      const all = await notifications(page);
      return { ok: all.some((t) => t.includes('wrote') && t.includes('follow-a-packet.html')), detail: all.join(' | ') || 'none' };
    });
    const html = readFileSync(path.join(folder, 'follow-a-packet.html'), 'utf8');
    if (!html.includes('id="journey-trace"') || !html.includes(`"scenario":"${trace.scenario}"`)) throw new Error('the report does not embed the trace');
    if (/<script[^>]+src=/.test(html)) throw new Error('the report loads a script from elsewhere');
  });

  await test('after a window reload the panel comes back at the same event', async () => {
    // An event with a packet: the panel's selection names the event and its packet and hop.
    const chosen = trace.events.findIndex((e, i) => i >= 10 && e.snapshot !== undefined);
    await key(frame, 'Home');
    for (let i = 0; i < chosen; i++) await frame.locator('#events').press('j');
    await atEvent(frame, chosen);
    // Developer: Reload Window shuts the workbench down properly (its state is saved) before
    // loading again, as a person's reload does; a bare page reload may lose the last state.
    const loaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await loaded;
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The serializer restores the panel with the state the webview saved, and traces again.
    frame = await webviewFrame(page, PANEL_TITLE, READY, 45_000);
    await atEvent(frame, chosen);
    if ((await page.locator('.tab', { hasText: PANEL_TITLE }).count()) !== 1) throw new Error('not exactly one trace panel after the reload');
  });

  await test('"Text" opens the trace as text over the panel; back on the panel, its place is kept', async () => {
    const at = await position(frame);
    await frame.locator('#btn-open-text').click();
    await page.locator('.tab.active', { hasText: `${FILE}.trace.txt` }).first().waitFor({ state: 'visible' });
    // Monaco renders spaces as U+00A0: match any character between the words.
    await page.locator('.monaco-editor .view-line', { hasText: /Request.1:.[\d.]+.ms/ }).first().waitFor({ state: 'visible' });
    if ((await page.locator('.editor-group-container').count()) !== 2) throw new Error('the text view opened in a third column, not over the panel');
    // The hidden panel's webview was torn down (no retained context); it comes back where it was.
    await page.locator('.tab', { hasText: PANEL_TITLE }).first().click();
    frame = await webviewFrame(page, PANEL_TITLE, READY);
    await atEvent(frame, at.index);
  });

  await test('Trace Packet from the code lens opens the panel again', async () => {
    await page.locator('.tab', { hasText: PANEL_TITLE }).first().locator('.codicon-close').click();
    await page.locator('.tab', { hasText: PANEL_TITLE }).first().waitFor({ state: 'detached' });
    await editor.click({ position: { x: 300, y: 60 } });
    await goToLine(page, Math.max(1, lineOf('scenario ') - 3));
    await page.locator('.codelens-decoration a', { hasText: 'Trace Packet' }).first().click();
    frame = await webviewFrame(page, PANEL_TITLE, READY);
    const p = await position(frame);
    if (p.count !== trace.events.length) throw new Error(`the panel counts ${p.text}`);
  });

  const closePanel = async () => {
    await page.locator('.tab', { hasText: PANEL_TITLE }).first().locator('.codicon-close').click();
    await page.locator('.tab', { hasText: PANEL_TITLE }).first().waitFor({ state: 'detached' });
  };
  const panelShowsTrace = async () => {
    frame = await webviewFrame(page, PANEL_TITLE, READY);
    const p = await position(frame);
    if (p.count !== trace.events.length) throw new Error(`the panel counts ${p.text}`);
  };

  await test('Ctrl+Alt+T in the editor traces the file', async () => {
    await closePanel();
    await editor.click({ position: { x: 300, y: 60 } });
    await page.keyboard.press('Control+Alt+T');
    await panelShowsTrace();
  });

  await test('the editor title\'s Trace Packet button traces the file', async () => {
    await closePanel();
    const group = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: FILE }) });
    await group.locator('.editor-actions .action-label.codicon-debug-start').first().click();
    await panelShowsTrace();
  });

  // The theme screenshots are the README's: a larger window, the file and the panel side by side.
  if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await page.setViewportSize({ width: 1920, height: 1080 });
  for (const theme of THEMES) {
    await test(`the panel in the ${theme.name} theme`, async () => {
      await pickTheme(page, theme.label);
      await until(`the workbench in ${theme.label}`, async () => {
        const cls = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
        return { ok: cls.split(/\s+/).includes(theme.workbenchClass), detail: cls };
      });
      frame = await webviewFrame(page, PANEL_TITLE, READY);
      await until(`the panel in ${theme.bodyClass}`, async () => {
        const cls = (await frame.locator('body').getAttribute('class')) ?? '';
        return { ok: cls.split(/\s+/).includes(theme.bodyClass), detail: cls };
      });
      // A moment worth showing: the home router's NAT rewriting the first packet.
      const first = trace.events.findIndex((e) => e.kind === 'nat');
      if (first < 0) throw new Error('the trace has no NAT event to show');
      await key(frame, 'Home');
      for (let i = 0; i < first; i++) await frame.locator('#events').press('j');
      await atEvent(frame, first);
      // The pointer rests on the empty middle of the status bar: no hover card in the picture.
      await page.mouse.move(960, 1070);
      const name = `panel-${theme.name}.png`;
      await shot(name);
      if (docsImages) {
        mkdirSync(docsImages, { recursive: true });
        copyFileSync(path.join(outDir, name), path.join(docsImages, name));
      }
    });
  }
}
