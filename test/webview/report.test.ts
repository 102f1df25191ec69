// The HTML report opened from file:// with the network off shows what the panel shows; and a
// hostile trace renders as text and runs nothing, in the panel and in the report.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Trace } from '../../src/core/trace/types';
import { readPanelBundle, renderHtmlReport } from '../../src/node/htmlReport';
import { DIST, launch, openPanel, showTrace, skipReason, watch, type Page, type Session } from './browser';
import { exampleTrace, HOSTILE, hostileTrace } from './fixtures';

const reason = skipReason();

async function openReport(session: Session, trace: Trace, name: string): Promise<{ page: Page; requests: string[] }> {
  const file = path.join(session.dir, name);
  writeFileSync(file, renderHtmlReport(trace, readPanelBundle(DIST)));
  const page = await session.context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => { if (!/^(file|data|blob):/.test(r.url())) requests.push(r.url()); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  return { page, requests };
}

/** What a person reads first: the path, the totals, the layers of the first frame. */
async function summary(page: Page): Promise<{ path: (string | null)[]; totals: (string | null)[]; layers: (string | null)[] }> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Home');
  // The first event that carries a frame.
  for (let i = 0; i < 12 && !(await page.$('#details [data-layer]')); i++) await page.keyboard.press('ArrowRight');
  return {
    path: await page.$$eval('#path li', (els) => els.map((e) => e.textContent)),
    totals: await page.$$eval('#totals .total', (els) => els.map((e) => e.getAttribute('data-total'))),
    layers: await page.$$eval('#details [data-layer] .layer-row', (els) => els.map((e) => e.textContent)),
  };
}

/** Every way a hostile string could have become markup or code. */
async function assertInert(page: Page, w: ReturnType<typeof watch>): Promise<void> {
  // Walk the views so that lazily built parts (layers, tooltips, tables) render too.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Home');
  await page.click('#sequence g.arrow[data-snapshot="0"] .hit');
  // Each click rebuilds the tree, so look the next closed layer up again.
  for (let i = 0; i < 20 && await page.$('#details [aria-expanded="false"]'); i++) await page.click('#details [aria-expanded="false"] > .layer-row');
  await page.hover('#path li button');
  await page.hover('#path li:nth-child(2) button');
  assert.deepEqual(w.dialogs, [], 'no dialog opened');
  assert.deepEqual(w.errors, [], 'no page error');
  assert.deepEqual(w.console, [], 'no console error (a CSP violation would show here)');
  assert.equal(await page.$$eval('img, iframe, object, embed', (els) => els.length), 0, 'no element came from trace text');
  assert.equal(await page.$$eval('script:not([type="application/json"])', (els) => els.length), 1, 'only the panel script exists');
  assert.equal(await page.$$eval('[onerror], [onclick], [onload]', (els) => els.length), 0);
  assert.equal(await page.$$eval('a[href^="javascript:"]', (els) => els.length), 0);
  const text = await page.evaluate(() => document.body.innerText);
  for (const h of HOSTILE) assert.ok(text.includes(h), `${h} shows as text`);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
}

describe('HTML report', function () {
  this.timeout(60000);
  let session: Session;
  before(async function () {
    if (reason) { console.log(`    (skipped: ${reason})`); this.skip(); }
    session = await launch({ offline: true });
  });
  after(async () => { await session?.close(); });

  it('opens from file:// offline and shows the same path, totals and layers as the panel', async () => {
    const trace = exampleTrace();
    const { page, requests } = await openReport(session, trace, 'example.html');
    const w = watch(page);
    const report = await summary(page);
    const panel = await openPanel(session);
    await showTrace(panel, trace);
    assert.deepEqual(report, await summary(panel));
    assert.ok(report.path.length > 10 && report.layers.length >= 3);
    assert.deepEqual(report.totals, trace.outcome.totals.map(String));
    assert.deepEqual(requests, [], 'the report asks for nothing over the network');
    assert.deepEqual(w.errors, []);
  });

  it('offers only in-browser exports and downloads the trace as JSON', async () => {
    const { page } = await openReport(session, exampleTrace(), 'exports.html');
    assert.equal(await page.$('#export-pcapng'), null);
    assert.equal(await page.$('#btn-open-text'), null);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    assert.equal(download.suggestedFilename(), 'trace.json');
    const saved = await download.path();
    const back = JSON.parse((await import('node:fs')).readFileSync(saved, 'utf8')) as Trace;
    assert.equal(back.events.length, exampleTrace().events.length);
  });

  it('renders a hostile trace as text and runs nothing', async () => {
    const { page } = await openReport(session, hostileTrace(), 'hostile.html');
    const w = watch(page);
    await assertInert(page, w);
    assert.equal(await page.title(), `Packet Journey: ${HOSTILE[3]}`);
  });
});

describe('trace panel with a hostile trace', function () {
  this.timeout(60000);
  let session: Session;
  before(async function () {
    if (reason) { console.log(`    (skipped: ${reason})`); this.skip(); }
    session = await launch();
  });
  after(async () => { await session?.close(); });

  it('renders every hostile string as text and runs nothing', async () => {
    const page = await openPanel(session);
    const w = watch(page);
    await showTrace(page, hostileTrace());
    await assertInert(page, w);
    const device = await page.getAttribute('#path li:first-child', 'data-device');
    assert.equal(device, HOSTILE[0]);
  });
});
