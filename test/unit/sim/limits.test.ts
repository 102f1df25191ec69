// Issue #11: what the model accepts, the simulation runs (no exception escapes simulate()),
// and its cost is bounded: records and segments are split where the protocols split them,
// budgets stop a runaway run with a clear outcome, layer-2 loops end as a visible broadcast
// storm. Each reported defect has its reproducer here.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../../../src/core/model/build';
import { simulate } from '../../../src/core/sim/run';
import { MAX_BODY_BYTES } from '../../../src/core/limits';
import { decodeStack, encodeStack, fromHex, frameLength, type Header } from '../../../src/core/wire';
import type { PacketSnapshot, Trace } from '../../../src/core/trace/types';
import { resolveImportFromDisk } from '../../../src/node/files';
import { bigResponse, l2Loop, lan } from '../../../bench/sim';
import { ROOT, build, example } from '../helpers';
import { SEED, traceOf } from './helpers';

function traceFile(name: string): Trace {
  const file = path.join(ROOT, 'examples', name);
  const r = simulate(buildNetwork(fs.readFileSync(file, 'utf8'), { file, resolveImport: resolveImportFromDisk }));
  if (!r.ok) throw new Error(r.error);
  return r.trace;
}

function traceText(text: string, budget?: Parameters<typeof simulate>[1]): Trace {
  const b = build(text);
  assert.deepEqual(b.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = simulate(b, budget);
  if (!r.ok) throw new Error(r.error);
  return r.trace;
}

const headersOf = (p: PacketSnapshot): Header[] => decodeStack(fromHex(p.bytes));
const ipv4Of = (p: PacketSnapshot): Extract<Header, { proto: 'ipv4' }> | undefined => headersOf(p).find((h): h is Extract<Header, { proto: 'ipv4' }> => h.proto === 'ipv4');
const tlsRecords = (t: Trace) => t.packets.flatMap((p) => headersOf(p).flatMap((h) => (h.proto === 'tls' ? h.records : [])));

describe('simulation: every example traces to an outcome (issue #11)', () => {
  const files = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.journey')).sort();
  for (const f of files) {
    it(f, () => {
      const file = path.join(ROOT, 'examples', f);
      const built = buildNetwork(fs.readFileSync(file, 'utf8'), { file, resolveImport: resolveImportFromDisk });
      const r = simulate(built);
      if (!r.ok) {
        // only a file with errors may be refused, and then with a message naming them
        assert.ok(built.diagnostics.some((d) => d.severity === 'error'), `${f} has no errors but was refused: ${r.error}`);
        assert.match(r.error, /error/);
        return;
      }
      assert.equal(typeof r.trace.outcome.ok, 'boolean');
      assert.ok(r.trace.packets.length > 0);
      assert.doesNotMatch(r.trace.outcome.symptom ?? '', /internal error/);
    });
  }
});

describe('simulation: segments, datagrams and records stay within their protocol limits (issue #11)', function () {
  this.timeout(60000);

  it('big-response.journey (100 KB through the sidecar on loopback) no longer throws; no IPv4 datagram exceeds 65,535 bytes', () => {
    const t = traceFile('big-response.journey');
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
    for (const p of t.packets) {
      const ip = ipv4Of(p);
      if (ip) assert.ok((ip.totalLength ?? 0) <= 65535, `${p.link}: ${ip.totalLength}`);
    }
    // The sidecar's upstream connection runs on loopback: Linux advertises MSS 65495 there.
    const loSyn = t.packets.map(headersOf).find((hs) => hs.some((h) => h.proto === 'tcp' && h.flags.syn && !h.flags.ack) && hs.some((h) => h.proto === 'ipv4' && h.src === '127.0.0.1'));
    const mss = loSyn?.flatMap((h) => (h.proto === 'tcp' ? h.options ?? [] : [])).find((o) => o.kind === 'mss');
    assert.deepEqual(mss, { kind: 'mss', value: 65495 });
    const loData = t.packets.filter((p) => p.link.startsWith('lo@')).map((p) => fromHex(p.bytes).length - 14);
    assert.ok(Math.max(...loData) === 65535, `the largest loopback datagram is ${Math.max(...loData)} bytes: full segments fill a datagram exactly`);
  });

  it('every TCP segment fits the MTU of the link it crosses', () => {
    const t = traceFile('big-response.journey');
    const mtu = new Map(t.links.map((l) => [l.name, l.mtu]));
    for (const p of t.packets) {
      const ip = ipv4Of(p);
      const limit = mtu.get(p.link) ?? 65536;
      if (ip && !p.link.startsWith('lo@')) assert.ok((ip.totalLength ?? 0) <= limit, `${p.link}: ${ip.totalLength} > MTU ${limit}`);
    }
  });

  it('a 100 KB response over TLS is cut into records of at most 2^14 bytes of plaintext (RFC 8446 5.1)', () => {
    const records = tlsRecords(traceFile('big-response.journey')).filter((r) => r.body.kind === 'opaque');
    assert.ok(records.length >= 7, `${records.length} application records for 100 KB`);
    // TLS 1.3: 16384 plaintext + 1 content type + 16 tag = 16401
    for (const r of records) assert.ok(r.body.kind === 'opaque' && r.body.data.length <= 16401, `record of ${r.body.kind === 'opaque' ? r.body.data.length : 0} bytes`);
  });

  it('a request body over 64 KB (the reproducer) is split into 16 KB records and DATA frames, and arrives', () => {
    const t = traceOf(SEED, ['    tls 1.3\n  }', '    tls 1.3\n    body 100KB\n    method POST\n  }'], ['    method GET\n', '']);
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
    const big = tlsRecords(t).filter((r) => r.body.kind === 'opaque' && r.body.data.length > 16401);
    assert.deepEqual(big.map((r) => r.body.kind === 'opaque' && r.body.data.length), []);
    assert.match(t.payloadInvariant.note, /100000-byte body/);
    assert.equal(t.payloadInvariant.holds, true);
    const enc = t.events.find((e) => e.kind === 'tls' && /encrypt 100\d{3} bytes of http2 into 7 records/.test(e.summary));
    assert.ok(enc, 'the browser encrypts the 100 KB body (and its 9-byte DATA frame headers) into 7 records');
  });
});

describe('simulation: the smallest MTU the model accepts (fuzz case 1414, seed 20261130)', function () {
  this.timeout(120000);
  // "mtu 68" on a node's link left 18 bytes for a VXLAN-wrapped pod packet: the MSS went
  // negative and the SYN-ACK's window out of 16 bits; the exception came out of JSON.stringify.
  const links = [...SEED.matchAll(/^link ([\w-]+) \{/gm)].map((m) => m[1]);
  for (const name of links) {
    it(`mtu 68 on ${name}: the trace and its JSON come out, the SYN's MSS is at least 256`, () => {
      const text = SEED.replace(new RegExp(`(^link ${name} \\{\\n)`, 'm'), '$1  mtu 68\n').replace(/(^link wifi \{[^}]*?)  mtu 1500\n/m, '$1');
      const t = traceText(text);
      assert.equal(typeof t.outcome.ok, 'boolean');
      assert.doesNotMatch(t.outcome.symptom ?? '', /internal error/);
      assert.doesNotThrow(() => JSON.stringify(t));
      for (const p of t.packets) {
        for (const h of headersOf(p)) if (h.proto === 'tcp') for (const o of h.options ?? []) if (o.kind === 'mss') assert.ok(o.value >= 256, `MSS ${o.value}`);
      }
    });
  }
});

describe('simulation: header values RFC 9110 allows reach the server (issue #11)', () => {
  it('a space, "/", "@" and an emoji in header values trace without an exception and travel as UTF-8', () => {
    const t = traceOf(SEED, ['    header Accept "application/json"\n', '    header Accept "application/json"\n    header X-Note "a b/c@d \u{1F680}"\n'], ['    header X-Request-Id "abc-123-def-456"\n', '    header X-Request-Id "abc-123-def-456"\n    header X-Reply "caf\u00e9 \u{1F600}"\n']);
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
    // The load balancer forwards the request over HTTP/1.1 in clear (with the lower-case name
    // HTTP/2 gave it): the value's bytes are there.
    const rocket = Buffer.from('x-note: a b/c@d \u{1F680}\r\n', 'utf8').toString('hex');
    assert.ok(t.packets.some((p) => p.bytes.includes(rocket)), 'the request header crosses an HTTP/1.1 hop as its UTF-8 bytes');
    const reply = Buffer.from('X-Reply: caf\u00e9 \u{1F600}\r\n', 'utf8').toString('hex');
    assert.ok(t.packets.some((p) => p.bytes.includes(reply)), 'the response header crosses an HTTP/1.1 hop as its UTF-8 bytes');
  });
});

describe('simulation: bounded cost (issue #11)', function () {
  this.timeout(120000);

  it('snapshots are plain JSON with the same keys as before, and their bytes are the encoding of the frame', () => {
    const t = traceFile('follow-a-packet.journey');
    const p = JSON.parse(JSON.stringify(t.packets[40])) as PacketSnapshot;
    assert.deepEqual(Object.keys(p), ['id', 'packetId', 'time', 'link', 'from', 'to', 'layers', 'bytes', 'visible', 'hidden']);
    assert.deepEqual(Object.keys({ ...t.packets[40] }), Object.keys(p));
    assert.deepEqual(structuredClone(t.packets[40]), p);
    for (const f of ['follow-a-packet.journey', 'tls12.journey', 'no-kubernetes.journey', 'lan-only.journey', 'big-response.journey']) {
      const tr = f === 'follow-a-packet.journey' ? t : traceFile(f);
      // the length the simulation timed each frame by is the length of its bytes
      const sent = new Map(tr.events.filter((e) => e.kind === 'send' && e.snapshot !== undefined).map((e) => [e.snapshot, Number(/L1: (\d+) bytes/.exec(e.details.join(' '))?.[1])]));
      for (const s of tr.packets) {
        const hs = headersOf(s);
        assert.equal(s.bytes.length / 2, frameLength(hs));
        assert.equal(sent.get(s.id), s.bytes.length / 2, `${f} snapshot ${s.id}`);
        assert.equal(s.layers.reduce((n, l) => n + l.length, 0), s.bytes.length / 2);
        assert.deepEqual(encodeStack(hs).bytes, fromHex(s.bytes));
      }
    }
  });

  it('the seed trace stays the same packet for packet (only the loopback SYNs changed on purpose: MSS 65495)', () => {
    const t = traceFile('follow-a-packet.journey');
    const digest = createHash('sha256').update(JSON.stringify(t.packets.map((p) => [p.packetId, p.time, p.link, p.from, p.to, p.bytes]))).digest('hex');
    // 483 since issue #15: every link's first use waits for an ARP exchange (the caches start
    // cold, switches flood the requests: 50 frames more), the receivers ACK as Linux does
    // (quick ACKs before the answer, delayed ACKs on interactive connections, no duplicate pure
    // ACK), and the sidecar's upstream connections on loopback end with FIN, FIN, ACK. Since
    // then, window fields only: the receive-buffer accounting of Linux 6.18 as the reality lab
    // measured it (tcp_init_buffer_space's clamp, the scaling ratio, tcp_grow_window).
    assert.equal(t.packets.length, 483);
    assert.equal(digest, SEED_PACKETS_SHA256, 'the seed example\'s packets changed: if that is on purpose, say which packets and why in the change, and update SEED_PACKETS_SHA256');
  });

  it('a 2 MB response traces to completion with every segment shown', () => {
    const t = traceText(bigResponse(example('follow-a-packet.journey'), '2MB'));
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
    const browserBytes = t.events.filter((e) => e.kind === 'render' || /2000000 bytes/.test(e.summary));
    assert.ok(browserBytes.length > 0);
    assert.ok(t.packets.length > 2_000_000 / 1448, `${t.packets.length} packets`);
  });

  it('a body over MAX_BODY_BYTES is refused with an outcome that says so, without allocating it', () => {
    // The model refuses such a file; were one to get through, the simulation still answers.
    const b = build(SEED);
    b.network.scenarios[0].response.bodySize = MAX_BODY_BYTES + 1;
    const r = simulate(b);
    assert.ok(r.ok);
    const t = r.trace;
    assert.equal(t.outcome.ok, false);
    assert.match(t.outcome.symptom ?? '', /larger than the 16777216 bytes the simulation can carry/);
  });

  it('a defect inside the simulation ends the journey with a clear outcome instead of an exception', () => {
    // The model never builds a scenario without a URL; the safety net must still hold if a
    // defect does something like it.
    const b = build(SEED);
    (b.network.scenarios[0] as { url?: unknown }).url = undefined;
    const r = simulate(b);
    assert.ok(r.ok);
    assert.equal(r.trace.outcome.ok, false);
    assert.match(r.trace.outcome.symptom ?? '', /simulation stopped: internal error at 0 ms \(TypeError: .*\); please report it with the file/);
  });

  it('a spent packet budget stops the run with a clear outcome and returns what it has', () => {
    const t = traceText(SEED, { budget: { packets: 50 } });
    assert.equal(t.packets.length, 50);
    assert.equal(t.outcome.ok, false);
    assert.match(t.outcome.symptom ?? '', /packet budget spent: 50 frames recorded; the trace shows everything up to this point/);
  });

  it('a spent event budget and a spent memory budget do the same', () => {
    const e = traceText(SEED, { budget: 300 });
    assert.match(e.outcome.symptom ?? '', /event budget of 300 exhausted/);
    const m = traceText(SEED, { budget: { bytesKept: 1000 } });
    assert.match(m.outcome.symptom ?? '', /memory budget spent: more than 1000 bytes of payload held/);
    assert.equal(m.events[m.events.length - 1].kind, 'error');
  });

  it('a switch with two of its own ports cabled together shows the broadcast storm and stops: spanning tree would block a port', () => {
    const t = traceText(l2Loop());
    assert.equal(t.outcome.ok, false);
    assert.match(t.outcome.symptom ?? '', /broadcast storm/);
    assert.match(t.outcome.symptom ?? '', /spanning tree would have blocked a port/);
    assert.match(t.outcome.symptom ?? '', /link loop \(sw\.p2 <-> sw\.p3\) closes a loop/);
    // the storm is visible: the same ARP request crosses the looped link again and again
    const arp = t.packets.find((p) => p.link === 'loop');
    assert.ok(arp);
    assert.ok(t.packets.filter((p) => p.link === 'loop' && p.packetId === arp.packetId).length >= 2, 'the broadcast goes round the loop more than once');
    assert.ok(t.events.some((e) => /Broadcast storm: the broadcast from 02:00:00:00:00:0a came back to sw/.test(e.summary)));
    assert.ok(t.packets.length < 100, `${t.packets.length} packets: stopped within a few laps`);
  });

  it('300 hosts on one switch trace (the layer-2 path is computed once per port, not per frame)', () => {
    const t = traceText(lan(300));
    assert.equal(t.outcome.ok, true, t.outcome.symptom);
    // the client's ARP broadcast reaches every port once
    const arp = t.packets.find((p) => p.from === 'sw');
    assert.ok(arp);
    assert.equal(t.packets.filter((p) => p.packetId === arp.packetId && p.from === 'sw').length, 300);
  });
});

// sha256 of the seed example's packets (packetId, time, link, ends, bytes), issue #15: the root
// zone now holds its own NS and glue, so the priming answer is a referral-sized answer instead
// of a NODATA; the nginx sidecar sends HTTP/1.0 upstream with Host and Connection: close first
// and signs its response with Server and Date (the loopback and pod-link segments grow). The
// packet count stays 483. TLS work in progress (sim/tls.ts, issue #15's ClientHello and server
// flight) will move it again.
const SEED_PACKETS_SHA256 = 'ffcdf02cc09449bba2fd9bb9ef43d637974b9aed001a38d2653a7d5d1697b490';
