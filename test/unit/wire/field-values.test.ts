// Header values RFC 9110 allows must reach the wire: visible ASCII with spaces, "/", "@", and
// obs-text (non-ASCII bytes; a .journey file is UTF-8, so an emoji travels as its UTF-8
// bytes). Only control characters are refused, and always with a WireError.
import { strict as assert } from 'node:assert';
import { Hpack, WireError, decodeHttp1, encodeHttp1, encodeStack, frameLength, toHex, utf8, type Header, type Http1Message } from '../../../src/core/wire';

const VALUES = ['a b', 'text/html; q=0.9', 'user@example.org', 'caf\u00e9', '\u{1F680} launch', 'x\ty', '\u00a0nbsp inside\u00a0x'];

const request = (headers: [string, string][]): Http1Message => ({ proto: 'http1', kind: 'request', method: 'GET', target: '/', headers });

describe('wire: HTTP field values (RFC 9110 5.5)', () => {
  for (const v of VALUES) {
    it(`HTTP/1.1 carries ${JSON.stringify(v)} as its UTF-8 bytes and reads it back`, () => {
      const bytes = encodeHttp1(request([['X-Test', v]])).finish();
      assert.ok(toHex(bytes).includes(toHex(utf8(`X-Test: ${v}\r\n`))), 'the value bytes are on the wire unchanged');
      const back = decodeHttp1(bytes);
      assert.deepEqual(back.headers, [['X-Test', v]]);
      assert.equal(toHex(encodeHttp1(back).finish()), toHex(bytes), 'decode then encode gives the same bytes');
    });

    it(`HPACK carries ${JSON.stringify(v)} with and without Huffman coding`, () => {
      for (const huffman of [true, false]) {
        const enc = new Hpack();
        const dec = new Hpack();
        const block = enc.encode([['x-test', v]], { huffman });
        assert.deepEqual(dec.decode(block), [['x-test', v]]);
      }
    });
  }

  it('the reported reproducer (space, "/", "@", emoji) encodes in both HTTP versions', () => {
    const v = 'a b/c@d \u{1F600}';
    assert.doesNotThrow(() => encodeHttp1(request([['X-Odd', v]])));
    assert.deepEqual(new Hpack().decode(new Hpack().encode([['x-odd', v]])), [['x-odd', v]]);
  });

  it('refuses control characters and non-token names with a WireError, never another error', () => {
    for (const bad of ['a\r\nEvil: 1', 'nul\u0000', 'bell\u0007', 'del\u007f']) {
      assert.throws(() => encodeHttp1(request([['X', bad]])), WireError, JSON.stringify(bad));
    }
    for (const name of ['X Test', 'X/Test', 'X@Test', '\u{1F680}', '']) {
      assert.throws(() => encodeHttp1(request([[name, 'v']])), WireError, JSON.stringify(name));
    }
  });

  it('a head whose value bytes are not UTF-8 is refused as HTTP (it would not re-encode the same)', () => {
    const head = Uint8Array.from([...utf8('GET / HTTP/1.1\r\nX: '), 0xe9, ...utf8('\r\n\r\n')]);
    assert.throws(() => decodeHttp1(head), WireError);
  });
});

describe('wire: frameLength', () => {
  it('equals the encoded length of a whole frame without encoding it', () => {
    const frame: Header[] = [
      { proto: 'ethernet', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' },
      { proto: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', ttl: 64 },
      { proto: 'tcp', srcPort: 40000, dstPort: 80, seq: 1, ack: 1, flags: { ack: true, psh: true }, window: 502, options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: 1, tsecr: 2 }] },
      request([['Host', 'example.org'], ['X-Emoji', '\u{1F680}']]),
    ];
    assert.equal(frameLength(frame), encodeStack(frame).bytes.length);
  });
});
