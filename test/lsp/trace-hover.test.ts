// Hover after a trace: the extension sends journey/traceCompleted; hovering a device then shows
// the headers of the last packet there and what the device changed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import type { Trace } from '../../src/core/trace/types';
import { LineIndex } from '../../src/core/language/range';
import { TraceCompletedNotification, TRACE_COMPLETED_METHOD } from '../../src/server/protocol';
import { FIXTURES, fixtureUri, TestServer } from './harness';

const NET = fs.readFileSync(path.join(FIXTURES, 'net.journey'), 'utf8');
const TRACE = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'trace.json'), 'utf8')) as Trace;
const idx = new LineIndex(NET);
const at = (needle: string, k: number): { line: number; character: number } => idx.position(NET.indexOf(needle) + k);

describe('language server over stdio: hover after a trace', function () {
  this.timeout(30000);
  let s: TestServer;
  const uri = fixtureUri('net.journey');
  before(async () => { s = await TestServer.start(); await s.open(uri, NET); });
  after(async () => { assert.ok(s.alive); await s.stop(); });
  const hover = async (needle: string, k: number): Promise<string> =>
    ((await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at(needle, k) }))?.contents as MarkupContent | undefined)?.value ?? '';

  it('uses the method name of the one typed protocol file', () => {
    assert.equal(TRACE_COMPLETED_METHOD, 'journey/traceCompleted');
    assert.equal(TraceCompletedNotification.method, 'journey/traceCompleted');
  });

  it('shows nothing about packets before a trace', async () => {
    assert.ok(!(await hover('router home-router', 8)).includes('Last packet'));
  });

  it('appends the last packet\'s headers and the hop\'s changes to a device hover', async () => {
    await s.conn.sendNotification(TraceCompletedNotification, { uri, trace: TRACE });
    const v = await hover('router home-router', 8);
    const section = v.slice(v.indexOf('\n---\n') + 1);
    assert.equal(section, [
      '---', '',
      '**Last packet at this device** (leaving to `fabric` on `uplink`, t = 2.300 ms, scenario `first-visit`)', '',
      '| layer | fields |', '| --- | --- |',
      '| Ethernet | dst=02:aa:00:00:02:01, src=aa:bb:cc:dd:ee:03 |',
      '| IPv4 | src=10.0.1.2, dst=10.0.1.10, ttl=63 |',
      '| TCP | sport=50000, dport=443, flags=SYN |', '',
      '**What this hop changed**', '',
      '- IPv4.src: `192.168.1.100` → `10.0.1.2` (masquerade out wan)',
      '- IPv4.ttl: `64` → `63` (masquerade out wan)',
    ].join('\n'));
    // A reference to the device (a link end) shows the same.
    assert.equal(await hover('laptop.wlan0 home-router.lan', 14), v);
    const laptop = await hover('host laptop', 6);
    assert.ok(laptop.includes('(leaving to `home-router` on `wifi`, t = 0.100 ms'), laptop);
    assert.ok(!laptop.includes('What this hop changed'));
  });

  it('ignores a malformed notification and keeps serving', async () => {
    await s.conn.sendNotification(TraceCompletedNotification, { uri, trace: { nonsense: true } as unknown as Trace });
    await s.conn.sendNotification(TRACE_COMPLETED_METHOD, null);
    assert.ok((await hover('router home-router', 8)).includes('Last packet at this device'));
  });

  it('forgets the trace when the document closes', async () => {
    await s.close(uri);
    await s.open(uri, NET, 2);
    assert.ok(!(await hover('router home-router', 8)).includes('Last packet'));
  });
});
