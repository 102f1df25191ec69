// A frame whose TLS records carry the inner headers they protect gets `plaintext` layers: what
// the endpoints see, offsets into the concatenated plaintext; other frames have no such key.
import { strict as assert } from 'node:assert';
import { TraceBuilder, detachedSnapshot } from '../../../src/core/trace/builder';
import { traceJsonLines } from '../../../src/core/export/json';
import { encodeStack, toHex, utf8, type Header, type Http2Frames } from '../../../src/core/wire';
import type { Trace } from '../../../src/core/trace/types';

const body = utf8('{"id":42}');
const h2: Http2Frames = {
  proto: 'http2',
  frames: [
    { kind: 'headers', streamId: 1, flags: 0x4, headerBlock: Uint8Array.of(0x88) },
    { kind: 'data', streamId: 1, flags: 0x1, data: body },
  ],
};

function frame(tls: Header): Header[] {
  return [
    { proto: 'ethernet', dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01' },
    { proto: 'ipv4', ttl: 64, src: '10.0.0.1', dst: '10.0.0.2' },
    { proto: 'tcp', srcPort: 443, dstPort: 50000, seq: 1, ack: 1, flags: { ack: true, psh: true }, window: 502 },
    tls,
  ];
}

// the ciphertext stands in for the real one: the builder never decrypts, it shows what it was given
const sealed: Header = { proto: 'tls', records: [{ version: 0x0303, body: { kind: 'opaque', data: new Uint8Array(9 + 1 + 9 + body.length + 17) } }], plaintext: [h2] };
const handshake: Header = { proto: 'tls', records: [{ version: 0x0303, body: { kind: 'change_cipher_spec' } }] };

function trace(b: TraceBuilder): Trace {
  return b.finish({ version: 1, scenario: 's', file: 'f', seed: 1, devices: [], links: [], payloadInvariant: { holds: true, checkedHops: 0, note: '' }, outcome: { ok: true, totals: [] } } as unknown as Parameters<TraceBuilder['finish']>[0]);
}

describe('trace: plaintext layers of TLS application data', () => {
  it('lists the inner HTTP/2 frames with offsets into the plaintext and a summary, after hidden', () => {
    const b = new TraceBuilder(new Map());
    b.snapshot(1, 1, 'wan', 'a', 'b', frame(sealed));
    const s = b.packets[0];
    assert.deepEqual(Object.keys(s), ['id', 'packetId', 'time', 'link', 'from', 'to', 'layers', 'bytes', 'visible', 'hidden', 'plaintext']);
    const pt = s.plaintext;
    assert.ok(pt);
    assert.equal(pt.length, 1);
    const inner = encodeStack([h2]);
    assert.equal(pt[0].proto, 'http2');
    assert.equal(pt[0].offset, 0);
    assert.equal(pt[0].length, inner.bytes.length);
    assert.equal(pt[0].length, 9 + 1 + 9 + body.length);
    assert.equal(pt[0].summary, 'HEADERS[1] DATA[1]');
    const data = pt[0].fields.find((f) => f.name.endsWith('.data'));
    assert.ok(data, pt[0].fields.map((f) => f.name).join(', '));
    assert.equal(data.offset, 9 + 1 + 9, 'the DATA payload starts after two frame headers and the header block');
    assert.equal(toHex(inner.bytes.subarray(data.offset, data.offset + data.length)), toHex(body));
    // the ciphertext layers are unchanged by it: the frame's own layers still end with tls
    assert.deepEqual(s.layers.map((l) => l.proto), ['ethernet', 'ipv4', 'tcp', 'tls']);
    assert.equal(s.plaintext, pt, 'made once, then kept');
  });

  it('has no plaintext key when the TLS records carry no inner headers, nor without TLS', () => {
    const b = new TraceBuilder(new Map());
    b.snapshot(1, 1, 'wan', 'a', 'b', frame(handshake));
    b.snapshot(2, 2, 'wan', 'a', 'b', frame({ proto: 'raw', data: Uint8Array.of(1, 2, 3) }));
    for (const s of b.packets) {
      assert.equal('plaintext' in s, false);
      assert.equal(Object.keys(s).at(-1), 'hidden');
      assert.equal('plaintext' in detachedSnapshot(s), false);
    }
  });

  it('round-trips through JSON, streamed or not, and detached copies carry it', () => {
    const b = new TraceBuilder(new Map());
    b.snapshot(1, 1, 'wan', 'a', 'b', frame(handshake));
    b.snapshot(2, 1, 'lan', 'b', 'c', frame(sealed));
    const t = trace(b);
    const streamed = [...traceJsonLines(t)].join('\n');
    const back = JSON.parse(streamed) as Trace;
    assert.equal('plaintext' in back.packets[0], false);
    assert.deepEqual(back.packets[1].plaintext, t.packets[1].plaintext);
    assert.equal(streamed, JSON.stringify(t, null, 2));
    assert.deepEqual(detachedSnapshot(t.packets[1]).plaintext, t.packets[1].plaintext);
    assert.equal([...traceJsonLines(back)].join('\n'), streamed, 'a trace read back streams the same text');
  });
});
