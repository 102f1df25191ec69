// The built panel in headless Chromium, fed real traces, checked the way a person would look:
// the path, the phases and totals, stepping, packet layers and bytes, hover cards, filters,
// failures, keyboard reach, the protocol messages, and a large trace.
import * as assert from 'node:assert/strict';
import type { Trace } from '../../src/core/trace/types';
import { currentSeq, launch, openPanel, posted, send, showTrace, skipReason, watch, type Page, type Session } from './browser';
import { splitTraceMessage } from '../../src/shared/protocol';
import { exampleTrace, failureTrace, largeTrace } from './fixtures';

const reason = skipReason();

/** The text of every element matching `selector`, in document order. */
async function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));
}

/** Offsets of the highlighted hex bytes. */
async function litBytes(page: Page): Promise<number[]> {
  return page.$$eval('#bytes .b.hl', (els) => els.map((e) => Number(e.getAttribute('data-offset'))));
}

/** Opens a layer of the details tree (a click toggles it). */
async function expand(page: Page, proto: string): Promise<void> {
  const row = `#details [data-proto="${proto}"]`;
  if (await page.getAttribute(row, 'aria-expanded') !== 'true') await page.click(`${row} > .layer-row`);
  await page.waitForSelector(`${row}[aria-expanded="true"] [data-field]`);
}

describe('trace panel in Chromium', function () {
  this.timeout(60000);
  let session: Session;
  let page: Page;
  let trace: Trace;

  before(async function () {
    if (reason) { console.log(`    (skipped: ${reason})`); this.skip(); }
    session = await launch();
    page = await openPanel(session);
    trace = exampleTrace();
    await showTrace(page, trace);
  });
  after(async () => { await session?.close(); });

  it('posts ready when loaded', async () => {
    assert.deepEqual((await posted(page))[0], { type: 'ready' });
  });

  it('lists the devices the request crosses, in order, with each link\'s figures', async () => {
    const devices = await page.$$eval('#path li[data-device]', (els) => els.map((e) => e.getAttribute('data-device')));
    const crossing = ['laptop', 'home-ap', 'home-router', 'isp-router', 'backbone-nyc', 'backbone-iad', 'aws-igw', 'vpc-fabric', 'alb'];
    assert.deepEqual(devices.slice(0, crossing.length), crossing);
    assert.ok(devices.includes('web-7d9f'), 'the request reaches the pod behind the load balancer');
    const items = await page.$$eval('#path > li', (els) => els.map((e) => e.getAttribute('data-device') ?? `link:${e.getAttribute('data-link')}`));
    for (let i = 1; i + 1 < items.length; i += 2) {
      const name = items[i].replace(/^link:/, '');
      const link = trace.links.find((l) => l.name === name);
      assert.ok(link, `${name} is a link of the trace`);
      const ends = [link.a.split('.')[0], link.b.split('.')[0]];
      assert.ok(ends.includes(items[i + 1]), `${name} leads to ${items[i + 1]}`);
    }
    const wifi = await page.textContent('#path li[data-link="wifi"]');
    assert.match(wifi ?? '', /1 ms · 300 Mbit\/s · MTU 1500 · wifi/);
    const response = await page.$$eval('#response-path li[data-device]', (els) => els.map((e) => e.getAttribute('data-device')));
    assert.equal(response[0], 'web-7d9f');
    assert.equal(response.at(-1), 'laptop');
  });

  it('shows every phase of every request with its bounds, and the totals', async () => {
    const rows = await page.$$eval('.wf-row', (els) => els.map((e) => ({ name: e.getAttribute('data-phase'), request: Number(e.getAttribute('data-request')), start: Number(e.getAttribute('data-start')), end: Number(e.getAttribute('data-end')), dur: e.querySelector('.wf-dur')?.textContent })));
    assert.deepEqual(rows.map(({ name, request, start, end }) => ({ name, request, start, end })), trace.phases.map((p) => ({ name: p.name, request: p.request, start: p.start, end: p.end })));
    const dns = rows.find((r) => r.name === 'dns');
    assert.equal(dns?.dur, `${Number((trace.phases.find((p) => p.name === 'dns')?.end ?? 0) - 1)} ms`.replace(/^(\d+\.\d{3})\d*/, '$1'));
    const totals = await page.$$eval('#totals .total', (els) => els.map((e) => Number(e.getAttribute('data-total'))));
    assert.deepEqual(totals, trace.outcome.totals);
    assert.deepEqual(await texts(page, '.wf-total'), trace.outcome.totals.map((t) => `total ${t} ms`));
    const bands = await page.$$eval('#sequence rect[data-band]', (els) => els.map((e) => e.getAttribute('data-band')));
    assert.ok(bands.includes('dns'), 'the first rows of the sequence diagram are in the DNS band');
  });

  it('steps forward and back one event, and the device at work follows', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Home');
    assert.equal(await currentSeq(page), 0);
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await currentSeq(page), 7);
    assert.equal(await page.textContent('#device-work .work-device'), trace.events[7].device);
    assert.equal(await page.textContent('#device-work .work-summary'), trace.events[7].summary);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('k');
    assert.equal(await currentSeq(page), 5);
    await page.click('#btn-forward');
    assert.equal(await currentSeq(page), 6);
    assert.equal(await page.textContent('#device-work .work-summary'), trace.events[6].summary);
    const sel = (await posted(page)).filter((m) => m.type === 'selection').at(-1);
    assert.deepEqual(sel, { type: 'selection', selection: { event: 6, packetId: trace.events[6].packetId, link: trace.packets[await page.evaluate(() => Number(document.getElementById('details-title')?.dataset.snapshot))].link } });
  });

  it('shows a clicked packet\'s layers with their sizes, and the event that sent it', async () => {
    const id = await page.$eval('#sequence g.arrow:nth-of-type(5)', (g) => Number(g.getAttribute('data-snapshot')));
    await page.click(`#sequence g.arrow[data-snapshot="${id}"] .hit`);
    assert.equal(await page.getAttribute('#details-title', 'data-snapshot'), String(id));
    const layers = await page.$$eval('#details [data-layer]', (els) => els.map((e) => ({ proto: e.getAttribute('data-proto'), size: e.querySelector('.size')?.textContent })));
    assert.deepEqual(layers, trace.packets[id].layers.map((l) => ({ proto: l.proto, size: `${l.length} bytes` })));
    const sender = trace.events.find((e) => e.snapshot === id && e.kind === 'send');
    assert.equal(await currentSeq(page), sender?.seq);
    assert.equal(await page.$$eval('#bytes .b', (els) => els.length), trace.packets[id].bytes.length / 2);
  });

  it('lights exactly a field\'s bytes, and names the field under a byte', async () => {
    const id = trace.packets.findIndex((p) => p.layers.some((l) => l.proto === 'ipv4') && p.layers.some((l) => l.proto === 'tcp'));
    const seq = trace.events.find((e) => e.snapshot === id)?.seq ?? 0;
    // The extension restores a place by sending the selection with the trace.
    await showTrace(page, trace, { event: seq });
    assert.equal(await page.getAttribute('#details-title', 'data-snapshot'), String(id));
    const p = trace.packets[id];
    const li = p.layers.findIndex((l) => l.proto === 'ipv4');
    await expand(page, 'ipv4');
    for (const name of ['ttl', 'src', 'dst']) {
      const fi = p.layers[li].fields.findIndex((f) => f.name === name);
      const f = p.layers[li].fields[fi];
      await page.hover(`#details [data-field="${li}.${fi}"]`);
      assert.deepEqual(await litBytes(page), Array.from({ length: f.length }, (_, k) => f.offset + k), `ipv4.${name}`);
    }
    const ttl = p.layers[li].fields.find((f) => f.name === 'ttl');
    await page.hover(`#bytes .b[data-offset="${ttl?.offset}"]`);
    assert.equal(await page.getAttribute('#byte-status', 'data-field'), 'ipv4.ttl');
    assert.match(await page.textContent('#byte-status') ?? '', new RegExp(`ipv4\\.ttl = ${ttl?.value}`));
    assert.ok(await page.$eval(`#details [data-name="ipv4.ttl"]`, (e) => e.classList.contains('hl')), 'the field row lights up');
    const tcp = p.layers.find((l) => l.proto === 'tcp');
    const port = tcp?.fields.find((f) => f.name === 'dst_port');
    await page.hover(`#bytes .c[data-offset="${(port?.offset ?? 0) + 1}"]`);
    assert.equal(await page.getAttribute('#byte-status', 'data-field'), 'tcp.dst_port');
    assert.deepEqual(await litBytes(page), [port?.offset, (port?.offset ?? 0) + 1]);
  });

  it('marks fields this hop changed with their value before', async () => {
    const nat = trace.events.find((e) => e.kind === 'nat' && e.changes.some((c) => c.field === 'ip.src'));
    assert.ok(nat);
    await showTrace(page, trace, { event: nat.seq });
    await expand(page, 'ipv4');
    const change = nat.changes.find((c) => c.field === 'ip.src');
    const row = await page.$eval(`#details [data-name="ipv4.src"]`, (e) => ({ changed: e.classList.contains('changed'), text: e.textContent }));
    assert.ok(row.changed);
    assert.match(row.text ?? '', new RegExp(`src: ${change?.after}.*\\(was ${change?.before}\\)`));
    assert.match(await page.textContent('#observer') ?? '', /An on-path observer reads: .+Encrypted from it: /);
  });

  it('shows what the endpoints read inside a frame\'s TLS records, as text', async () => {
    const withTls = structuredClone(trace);
    const id = withTls.packets.findIndex((p) => p.layers.some((l) => l.proto === 'tls'));
    assert.ok(id >= 0, 'the example has a TLS frame');
    const hostile = '<img src=x onerror="document.title=\'pwned\'">';
    withTls.packets[id].plaintext = [
      { proto: 'http2', offset: 0, length: 42, summary: 'HEADERS stream 1: GET /', fields: [{ name: ':path', value: hostile, offset: 9, length: 33 }] },
      { proto: 'http2', offset: 42, length: 13, summary: 'WINDOW_UPDATE stream 0 +65535', fields: [] },
    ];
    const seq = withTls.events.find((e) => e.snapshot === id)?.seq ?? 0;
    await showTrace(page, withTls, { event: seq });
    assert.deepEqual(await texts(page, '#plaintext .inner-layer > summary'), ['http2 HEADERS stream 1: GET / 42 bytes', 'http2 WINDOW_UPDATE stream 0 +65535 13 bytes']);
    await page.click('#plaintext .inner-layer:first-of-type > summary');
    assert.equal(await page.textContent('#plaintext [data-name="http2.:path"] .fvalue'), hostile);
    assert.equal(await page.$$eval('#plaintext img', (els) => els.length), 0, 'no markup from the trace');
    assert.notEqual(await page.title(), 'pwned');
    const plain = withTls.packets.findIndex((p) => !p.layers.some((l) => l.proto === 'tls'));
    await showTrace(page, withTls, { event: withTls.events.find((e) => e.snapshot === plain)?.seq ?? 0 });
    assert.equal(await page.$$eval('#plaintext > *', (els) => els.length), 0, 'nothing inside a frame without TLS');
    await showTrace(page, trace);
  });

  it('shows the headers of the packet at a hop when hovering it', async () => {
    await page.hover('#path button[data-link="wifi"]');
    assert.equal(await page.isVisible('#tooltip'), true);
    const now = trace.events[await currentSeq(page)].time;
    const there = trace.packets.filter((p) => p.link === 'wifi' && p.time <= now).at(-1);
    assert.ok(there);
    const lines = await texts(page, '#tooltip .tt-layer:not(.tt-inner)');
    assert.deepEqual(lines, there.layers.map((l) => `${l.proto} ${l.summary}`));
    assert.deepEqual(await texts(page, '#tooltip .tt-inner'), (there.plaintext ?? []).map((l) => `inside TLS: ${l.proto} ${l.summary}`));
    await page.hover('#path button[data-device="home-router"]');
    assert.match(await page.textContent('#tooltip .tt-title') ?? '', /home-router/);
    await page.mouse.move(1, 1);
    await page.hover('#events');
    assert.equal(await page.isVisible('#tooltip'), false);
  });

  it('narrows the event list with the filters', async () => {
    await page.selectOption('#filter-kind', 'nat');
    const nat = trace.events.filter((e) => e.kind === 'nat');
    assert.equal(await page.textContent('#events-count'), `${nat.length} of ${trace.events.length} events`);
    const kinds = await texts(page, '#events .ev-kind');
    assert.ok(kinds.length > 0 && kinds.every((k) => k === 'nat'), 'only nat events are listed');
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-device', 'alb');
    const alb = await texts(page, '#events .ev-device');
    assert.ok(alb.length > 0 && alb.every((d) => d === 'alb'));
    await page.selectOption('#filter-device', '');
    await page.fill('#filter-text', 'SNAT');
    const n = Number((await page.textContent('#events-count'))?.split(' ')[0]);
    assert.ok(n > 0 && n < trace.events.length, `${n} events mention SNAT`);
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-proto', 'dns');
    const seqs = await page.$$eval('#events [data-seq]', (els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    assert.ok(seqs.length > 0 && seqs.every((s) => trace.events[s].packetId !== undefined));
    await page.selectOption('#filter-proto', '');
    assert.equal(await page.textContent('#events-count'), `${trace.events.length} of ${trace.events.length} events`);
  });

  it('handles stale, editorFocus and settings messages, and keeps the selection on a re-trace', async () => {
    await send(page, { type: 'stale', error: 'line 3: unknown device "rooter"', line: 2 });
    assert.match(await page.textContent('#stale-banner') ?? '', /unknown device "rooter" \(line 3\)/);
    assert.ok(await page.evaluate(() => document.body.classList.contains('stale')));
    await send(page, { type: 'editorFocus', focus: { kind: 'device', name: 'alb', line: 241 } });
    await page.waitForSelector('#path button[data-device="alb"].editor-focus');
    await send(page, { type: 'editorFocus' });
    await page.waitForSelector('#path button.editor-focus', { state: 'detached' });
    const all = ['path', 'timeline', 'events', 'work', 'details', 'bytes', 'tables'] as const;
    await send(page, { type: 'settings', timeUnit: 'us', layout: 'tall', views: ['path', 'events', 'details'] });
    assert.deepEqual(await texts(page, '#totals .total'), trace.outcome.totals.map((t, i) => `request ${i + 1}: ${Math.round(t * 1000).toLocaleString('en-US')} µs`));
    assert.deepEqual(await page.evaluate((names) => names.filter((n) => document.getElementById(`${n}-view`)?.checkVisibility()), [...all]), ['path', 'events', 'details']);
    await send(page, { type: 'settings', timeUnit: 'ms', layout: 'auto', views: [...all] });
    assert.deepEqual(await page.evaluate((names) => names.filter((n) => document.getElementById(`${n}-view`)?.checkVisibility()), [...all]), [...all]);
    const before = await page.evaluate(() => Number(document.getElementById('details-title')?.dataset.snapshot));
    await showTrace(page, exampleTrace());
    assert.equal(await page.evaluate(() => document.body.classList.contains('stale')), false);
    assert.equal(await page.evaluate(() => Number(document.getElementById('details-title')?.dataset.snapshot)), before);
  });

  it('posts export, openText and reveal', async () => {
    for (const f of ['pcapng', 'json', 'mermaid', 'html'] as const) await page.click(`#export-${f}`);
    await page.click('#btn-open-text');
    await page.click('#reveal-source');
    const msgs = await posted(page);
    for (const f of ['pcapng', 'json', 'mermaid', 'html']) assert.ok(msgs.some((m) => m.type === 'export' && m.format === f), f);
    assert.ok(msgs.some((m) => m.type === 'openText'));
    const reveal = msgs.find((m) => m.type === 'reveal');
    assert.ok(reveal && reveal.type === 'reveal' && reveal.source.file === trace.file);
  });

  it('plays and pauses', async () => {
    await showTrace(page, trace, { event: 10 });
    await page.click('#btn-play');
    await page.waitForFunction(() => Number(document.querySelector('#events [aria-selected=true]')?.getAttribute('data-seq')) >= 12);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('p');
    const stopped = await currentSeq(page);
    assert.equal(await page.getAttribute('#btn-pause', 'aria-disabled'), 'true');
    await page.waitForTimeout(800);
    assert.equal(await currentSeq(page), stopped, 'paused: the current event stays');
  });

  it('folds infrastructure hops in compact mode and zooms', async () => {
    const full = await page.$$eval('#sequence .seq-lane', (els) => els.length);
    await page.click('#btn-compact');
    const lanes = await page.$$eval('#sequence .seq-lane', (els) => els.map((e) => e.getAttribute('data-lane')));
    assert.ok(lanes.length < full && !lanes.includes('vpc-fabric') && lanes.includes('laptop') && lanes.includes('alb'));
    await page.click('#btn-compact');
    const h0 = await page.$eval('#sequence .v-spacer', (e) => e.getBoundingClientRect().height);
    await page.click('#btn-zoom-in');
    const h1 = await page.$eval('#sequence .v-spacer', (e) => e.getBoundingClientRect().height);
    assert.ok(h1 > h0);
    await page.click('#btn-zoom-out');
    // Pan by dragging the diagram.
    const box = await page.$eval('#sequence', (e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; });
    const top0 = await page.$eval('#sequence', (e) => e.scrollTop);
    await page.mouse.move(box.x, box.y);
    await page.mouse.down();
    await page.mouse.move(box.x, box.y - 60, { steps: 4 });
    await page.mouse.up();
    assert.ok(await page.$eval('#sequence', (e) => e.scrollTop) > top0, 'dragging up scrolls the diagram down');
  });
});

describe('trace panel: a failed journey', function () {
  this.timeout(60000);
  let session: Session;
  let page: Page;
  let trace: Trace;
  before(async function () {
    if (reason) { console.log(`    (skipped: ${reason})`); this.skip(); }
    session = await launch({ colorScheme: 'light' });
    page = await openPanel(session, 'vscode-light');
    trace = failureTrace();
    await showTrace(page, trace);
  });
  after(async () => { await session?.close(); });

  it('says where it stopped, the symptom, the cause and the command, and marks the hop', async () => {
    assert.equal(trace.outcome.ok, false);
    assert.match(await page.textContent('#outcome .badge') ?? '', /Failed/);
    assert.match(await page.textContent('#stopped-at') ?? '', new RegExp(trace.outcome.stoppedAt ?? '?'));
    assert.match(await page.textContent('#symptom') ?? '', /connection refused/);
    assert.match(await page.textContent('#root-cause') ?? '', /db-refused/);
    assert.equal(await page.textContent('#detect-with code'), trace.outcome.detectWith);
    assert.ok(await page.$(`#path button.failed[data-device="${trace.outcome.stoppedAt}"]`));
    assert.ok(await page.$(`#sequence .seq-lane.failed[data-lane="${trace.outcome.stoppedAt}"]`));
    await page.keyboard.press('f');
    const seq = await currentSeq(page);
    assert.equal(trace.events[seq].kind, 'error');
    assert.equal(trace.events[seq].device, trace.outcome.stoppedAt);
    assert.ok(await page.$eval(`#ev-${seq}`, (e) => e.classList.contains('failed')));
  });

  it('reaches every control with the keyboard alone, with a visible focus', async () => {
    // Start on a frame of a flow with a later packet, so every control has something to do.
    const model = trace.events.find((e) => e.kind === 'send' && e.seq > 0 && trace.events.some((x) => x.seq > e.seq && x.snapshot !== undefined && x.packetId !== e.packetId && x.device === e.device));
    await showTrace(page, trace, { event: model?.seq });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const reached = new Set<string>();
    const outlines: Record<string, string> = {};
    for (let i = 0; i < 160; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        if (!a || a === document.body) return undefined;
        const key = a.id || (a.getAttribute('role') === 'treeitem' ? 'treeitem' : a.dataset.device ? `device:${a.dataset.device}` : a.dataset.link ? `link:${a.dataset.link}` : a.dataset.phase ? `phase:${a.dataset.phase}` : a.tagName);
        return { key, outline: getComputedStyle(a).outlineStyle };
      });
      if (f) { reached.add(f.key); outlines[f.key] = f.outline; }
    }
    const controls = ['btn-first', 'btn-back', 'btn-play', 'btn-forward', 'btn-last', 'jump-phase', 'btn-next-flow', 'btn-failure', 'btn-compact', 'btn-zoom-out', 'btn-zoom-in', 'btn-open-text',
      'export-pcapng', 'export-json', 'export-mermaid', 'export-html', 'filter-text', 'filter-proto', 'filter-layer', 'filter-device', 'filter-kind', 'events', 'sequence', 'treeitem', 'bytes',
      'device:laptop', 'link:wifi', 'phase:dns', 'outcome-failure', 'reveal-source'];
    const missing = controls.filter((c) => !reached.has(c));
    assert.deepEqual(missing, [], `not reachable by Tab: ${missing.join(', ')}`);
    for (const k of ['events', 'filter-text', 'device:laptop', 'treeitem', 'bytes']) assert.notEqual(outlines[k], 'none', `${k} shows focus`);
    // The step buttons act on Enter, as a person using only the keyboard would press them.
    await page.focus('#btn-back');
    const before = await currentSeq(page);
    await page.keyboard.press('Enter');
    assert.equal(await currentSeq(page), before - 1);
  });
});

describe('trace panel: 5,000 events and 2,000 frames', function () {
  this.timeout(90000);
  let session: Session;
  let page: Page;
  let trace: Trace;
  before(async function () {
    if (reason) { console.log(`    (skipped: ${reason})`); this.skip(); }
    session = await launch();
    page = await openPanel(session);
    trace = largeTrace(5000, 2000);
    await showTrace(page, trace);
  });
  after(async () => { await session?.close(); });

  it('keeps only the visible rows in the DOM and still reaches the end', async () => {
    assert.equal(trace.events.length, 5000);
    assert.equal(trace.packets.length, 2000);
    const w = watch(page);
    assert.ok(await page.$$eval('#events .ev', (els) => els.length) < 120);
    assert.ok(await page.$$eval('#sequence g.arrow', (els) => els.length) < 120);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('End');
    assert.equal(await currentSeq(page), 4999);
    assert.ok(await page.isVisible('#ev-4999'));
    await page.keyboard.press('ArrowLeft');
    assert.equal(await currentSeq(page), 4998);
    await page.fill('#filter-text', 'SNAT');
    assert.ok(await page.$$eval('#events .ev', (els) => els.length) > 0);
    assert.deepEqual(w.errors, []);
  });

  it('takes the trace in parts, as the extension sends a large one, and shows it whole', async () => {
    await page.fill('#filter-text', '');
    const messages = splitTraceMessage({ type: 'trace', file: trace.file, trace: { ...trace, scenario: 'in parts' } });
    assert.ok(messages.length > 2, 'a trace this size goes in parts');
    for (const m of messages) await send(page, m);
    assert.match(await page.textContent('#scenario') ?? '', /in parts/);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('End');
    assert.equal(await currentSeq(page), 4999, 'every event arrived, in order');
    const last = trace.events.filter((e) => e.snapshot !== undefined).at(-1);
    assert.ok(last);
    await showTrace(page, trace, { event: last.seq });
    assert.equal(await page.getAttribute('#details-title', 'data-snapshot'), String(last.snapshot));
  });
});
