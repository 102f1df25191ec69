import { strict as assert } from 'node:assert';
import {
  H2_FLAG, H2_PREFACE, Hpack, Http1Message, Http2Frames, WireError, decodeHeaderBlocks, decodeHttp1, decodeHttp2, decodeStack, encodeHttp1,
  encodeHttp2, encodeStack, headersFrame, toHex, utf8, withContentLength,
} from '../../../src/core/wire';
import { assertTruncationsSafe, hex, roundTrip } from './helpers';

type H = Array<[string, string]>;

// RFC 7541 Appendix C, exactly as printed (hex dumps with spaces), one context per sequence.
const C3: Array<[H, string]> = [
  [[[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']], '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'],
  [[[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']], '8286 84be 5808 6e6f 2d63 6163 6865'],
  [[[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
    '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'],
];
const C4: Array<[H, string]> = [
  [C3[0][0], '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'],
  [C3[1][0], '8286 84be 5886 a8eb 1064 9cbf'],
  [C3[2][0], '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'],
];
const RESP: H[] = [
  [[':status', '302'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
  [[':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
  [[':status', '200'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'], ['location', 'https://www.example.com'], ['content-encoding', 'gzip'],
    ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1']],
];
// C.6: responses with Huffman coding and a 256-byte dynamic table (so entries get evicted)
const C6 = [
  '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
  '4883 640e ffc1 c0bf',
  '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
];

describe('wire: HPACK (RFC 7541 Appendix C)', () => {
  const run = (name: string, vectors: Array<[H, string]>, huffman: boolean, size = 4096) => {
    it(`${name}: encodes and decodes each block of the sequence in one context`, () => {
      const enc = new Hpack(size);
      const dec = new Hpack(size);
      for (const [headers, printed] of vectors) {
        const block = enc.encode(headers, { huffman });
        assert.equal(toHex(block), toHex(hex(printed)));
        assert.deepEqual(dec.decode(hex(printed)), headers);
      }
    });
  };
  run('C.3 requests without Huffman', C3, false);
  run('C.4 requests with Huffman', C4, true);
  run('C.6 responses with Huffman, 256-byte table', RESP.map((h, i) => [h, C6[i]]), true, 256);

  it('a context that repeats the blocks of an earlier one, then departs from them, codes as one of its own would', () => {
    const reqs = C4.map(([h]) => h);
    const seq = [reqs[0], reqs[1], reqs[0], reqs[2], reqs[1]];
    // a 4097-byte table holds these few entries as a 4096-byte one does: the same bytes, from a
    // history no other context had
    const own = new Hpack(4097);
    const want = seq.map((h) => toHex(own.encode(h, { huffman: true })));
    for (const shared of [0, 2, 3, 5]) {
      const earlier = new Hpack();
      const blocks = seq.slice(0, shared).map((h) => earlier.encode(h, { huffman: true }));
      const reader = new Hpack();
      for (const b of blocks) reader.decode(b);
      const ctx = new Hpack();
      assert.deepEqual(seq.map((h) => toHex(ctx.encode(h, { huffman: true }))), want);
      const dec = new Hpack();
      assert.deepEqual(want.map((b) => dec.decode(hex(b))), seq);
    }
  });

  it('rejects a block referring past the tables with a WireError and stays failed', () => {
    const d = new Hpack();
    assert.throws(() => d.decode(Uint8Array.of(0xff, 0x7f)), WireError);
    assert.throws(() => d.decode(hex('82')), WireError);
    assert.throws(() => new Hpack().encode([['Host', 'x']]), WireError);
  });
});

describe('wire: HTTP/1.1', () => {
  const codec = { encode: (m: Http1Message) => encodeHttp1(m).finish(), decode: (b: Uint8Array, s: number, e: number) => decodeHttp1(b, s, e) };
  it('round-trips a request and a response with Content-Length derived from the body', () => {
    const req = withContentLength<Http1Message>({ proto: 'http1', kind: 'request', method: 'POST', target: '/users', headers: [['Host', 'api.example.com']], body: utf8('{"a":1}') });
    const { bytes } = roundTrip(codec, req);
    assert.equal(new TextDecoder().decode(bytes), 'POST /users HTTP/1.1\r\nHost: api.example.com\r\nContent-Length: 7\r\n\r\n{"a":1}');
    const res = withContentLength<Http1Message>({ proto: 'http1', kind: 'response', status: 404, reason: 'Not Found', headers: [], body: new Uint8Array(0) });
    assert.equal(new TextDecoder().decode(codec.encode(res)), 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    roundTrip(codec, res);
  });
  it('refuses header injection and rejects non-HTTP bytes', () => {
    assert.throws(() => codec.encode({ proto: 'http1', kind: 'request', method: 'GET', target: '/', headers: [['X', 'a\r\nEvil: 1']] }), WireError);
    assert.throws(() => decodeHttp1(utf8('hello\r\n\r\n')), WireError);
    assertTruncationsSafe((b) => decodeHttp1(b), utf8('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
  });
});

describe('wire: HTTP/2 frames', () => {
  const codec = { encode: (h: Http2Frames) => encodeHttp2(h).finish(), decode: (b: Uint8Array, s: number, e: number) => decodeHttp2(b, s, e) };
  it('round-trips preface, SETTINGS, HEADERS (HPACK, padded, priority), DATA, WINDOW_UPDATE, PING, RST_STREAM, GOAWAY', () => {
    const ctx = new Hpack();
    const h = headersFrame(ctx, 1, [[':method', 'GET'], [':path', '/users/42'], [':scheme', 'https'], [':authority', 'api.example.com']], { endStream: true });
    const frames: Http2Frames = {
      proto: 'http2', preface: true, frames: [
        { kind: 'settings', streamId: 0, settings: [{ id: 1, value: 65536 }, { id: 4, value: 6291456 }] },
        { kind: 'settings', streamId: 0, flags: H2_FLAG.ACK, settings: [] },
        { kind: 'window_update', streamId: 0, increment: 15663105 },
        { ...h, headers: undefined },
        { kind: 'headers', streamId: 3, flags: H2_FLAG.END_HEADERS, headerBlock: ctx.encode([[':method', 'GET']]), padding: new Uint8Array(4), priority: { exclusive: true, dependency: 1, weight: 255 } },
        { kind: 'data', streamId: 1, flags: H2_FLAG.END_STREAM, data: utf8('ok'), padding: new Uint8Array(2) },
        { kind: 'ping', streamId: 0, data: hex('0102030405060708') },
        { kind: 'rst_stream', streamId: 3, errorCode: 8 },
        { kind: 'goaway', streamId: 0, lastStreamId: 3, errorCode: 0, debugData: utf8('bye') },
        { kind: 'unknown', type: 0xfa, flags: 0, streamId: 0, payload: Uint8Array.of(1) },
      ],
    };
    const { bytes, decoded } = roundTrip(codec, frames);
    assert.equal(toHex(bytes.subarray(0, 24)), toHex(H2_PREFACE));
    // SETTINGS frame header: length 12, type 4, flags 0, stream 0
    assert.equal(toHex(bytes.subarray(24, 33)), '00000c040000000000');
    const withHeaders = decodeHeaderBlocks(decoded, new Hpack());
    const hf = withHeaders.frames[3];
    assert.ok(hf.kind === 'headers');
    assert.deepEqual(hf.kind === 'headers' && hf.headers, [[':method', 'GET'], [':path', '/users/42'], [':scheme', 'https'], [':authority', 'api.example.com']]);
    assert.equal(hf.flags, H2_FLAG.END_HEADERS | H2_FLAG.END_STREAM);
  });

  it('decodes h2c over TCP 80 in a full frame and keeps malformed frames as unknown', () => {
    const ctx = new Hpack();
    const stack = encodeStack([
      { proto: 'ipv4', ttl: 64, src: '10.0.0.1', dst: '10.0.0.2' },
      { proto: 'tcp', srcPort: 5000, dstPort: 80, seq: 1, ack: 1, flags: { ack: true, psh: true }, window: 100 },
      { proto: 'http2', preface: true, frames: [headersFrame(ctx, 1, [[':method', 'GET'], [':path', '/']], { endStream: true })] },
    ]);
    const hs = decodeStack(stack.bytes, 'ipv4');
    assert.equal(hs[2].proto, 'http2');
    // a SETTINGS frame of length 5 is malformed: kept verbatim as unknown
    const bad = hex('000005 04 00 00000000 0000000000');
    const d = decodeHttp2(bad);
    assert.equal(d.frames[0].kind, 'unknown');
    assert.equal(toHex(codec.encode(d)), toHex(bad));
    assertTruncationsSafe((b) => decodeHttp2(b), stack.bytes.subarray(40));
  });
});
