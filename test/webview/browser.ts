// Headless Chromium for the panel's tests and benchmark: the built panel (dist/webview.*) in
// the shell the extension uses, with a stub of VS Code's webview API that records messages.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FromPanel, PanelSelection, ToPanel } from '../../src/shared/protocol';
import type { Trace } from '../../src/core/trace/types';
import { panelHtml } from '../../src/shared/panelHtml';

export const CHROMIUM = '/usr/bin/chromium';
export const DIST = path.resolve(__dirname, '../../dist');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (!existsSync(path.join(DIST, 'webview.js'))) return 'dist/webview.js is missing: run `npm run build` first';
  return undefined;
}

export interface Session { context: BrowserContext; dir: string; close(): Promise<void> }

/** A persistent context in a fresh profile folder, with no network at all. */
export async function launch(options: { colorScheme?: 'light' | 'dark'; offline?: boolean; width?: number; height?: number } = {}): Promise<Session> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pj-webview-'));
  const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: CHROMIUM, headless: true, args: ARGS,
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'dark', offline: options.offline ?? true,
    env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir, XDG_DATA_HOME: dir, HOME: dir },
  });
  // Belt and braces: any request that is not a local file fails.
  await context.route((url) => url.protocol !== 'file:' && url.protocol !== 'data:' && url.protocol !== 'blob:', (r) => r.abort());
  return { context, dir, async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export type { Browser, Page };

/** What a page did that it must not: dialogs (alert) and uncaught errors. */
export interface Watch { dialogs: string[]; errors: string[]; console: string[] }

export function watch(page: Page): Watch {
  const w: Watch = { dialogs: [], errors: [], console: [] };
  page.on('dialog', (d) => { w.dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') w.console.push(m.text()); });
  return w;
}

/** Writes the webview shell (assets by URI, as in VS Code) next to a temp folder and opens it. */
export async function openPanel(session: Session, theme: 'vscode-dark' | 'vscode-light' = 'vscode-dark'): Promise<Page> {
  const html = panelHtml({
    assets: { kind: 'uri', script: pathToFileURL(path.join(DIST, 'webview.js')).href, style: pathToFileURL(path.join(DIST, 'webview.css')).href },
    cspSource: 'file:', nonce: 'dGVzdC1ub25jZS0xMjM0', title: 'Packet Journey test',
  });
  const file = path.join(session.dir, 'panel.html');
  writeFileSync(file, html);
  const page = await session.context.newPage();
  // The stub VS Code gives a webview: messages posted by the panel are recorded for assertions.
  // A string, not a function: the test runner's transpiler may add helpers the page lacks.
  await page.addInitScript(`
    window.__posted = [];
    window.__state = undefined;
    window.acquireVsCodeApi = () => ({ postMessage: (m) => { window.__posted.push(m); }, getState: () => window.__state, setState: (s) => { window.__state = s; } });
    document.addEventListener('DOMContentLoaded', () => document.body.classList.add(${JSON.stringify(theme)}));
  `);
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.body.dataset.state === 'empty' || document.body.dataset.state === 'ready');
  return page;
}

/** Sends a ToPanel message as the extension would and waits until a trace message is drawn. */
export async function send(page: Page, message: ToPanel): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset.traceCount ?? 0));
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  if (message.type === 'trace') await page.waitForFunction((n) => Number(document.body.dataset.traceCount ?? 0) > n, before);
}

export async function showTrace(page: Page, trace: Trace, selection?: PanelSelection): Promise<void> {
  await send(page, { type: 'trace', file: trace.file, trace, selection });
}

export async function posted(page: Page): Promise<FromPanel[]> {
  return page.evaluate(() => (window as unknown as { __posted: FromPanel[] }).__posted);
}

/** The current event's seq as the event list shows it. */
export async function currentSeq(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector('#events [aria-selected=true]')?.getAttribute('data-seq') ?? -1));
}
