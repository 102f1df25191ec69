/**
 * HPACK (RFC 7541) through hpack.js. The dynamic table makes HPACK stateful per connection and
 * direction, so the simulation keeps one Hpack per (connection, direction) and must feed it
 * every header block in order. (hpack.js's wbuf dependency calls the deprecated `new Buffer()`,
 * so Node prints DEP0005 once per process; harmless, and not ours to fix.)
 */
import * as hpack from 'hpack.js';
import { WireError, concatBytes, fromLatin1, latin1, utf8 } from './bytes';
import { toNodeBuffer } from './node-buffer';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const ASCII = /^[\x00-\x7f]*$/;

// hpack.js writes each character of a string as one byte (it masks char codes to 8 bits), so
// strings go in as "binary strings" of their UTF-8 bytes: non-ASCII values (obs-text, RFC 9110
// 5.5) keep their real bytes, and come back as the text they were.
const toBinary = (s: string): string => (ASCII.test(s) ? s : fromLatin1(utf8(s)));
function fromBinary(s: string): string {
  if (ASCII.test(s)) return s;
  try { return strictUtf8.decode(latin1(s)); } catch { return s; }
}

export type HeaderList = Array<[name: string, value: string]>;
export interface HpackField {
  name: string;
  value: string;
  /** Huffman-code the strings (default true, as browsers do) */
  huffman?: boolean;
  /** literal never indexed, e.g. for authorization/cookie */
  neverIndex?: boolean;
}

// hpack.js wraps its coder in Node streams: every header block written through them costs a
// stream write, a queued callback and a read per header, several times the coding itself. The
// simulation is synchronous, so it drives the same coder and tables directly, doing what the
// streams' _write and execute() do.
type Compressor = ReturnType<typeof hpack.compressor.create> & hpack.CompressorInternals;
type Decompressor = ReturnType<typeof hpack.decompressor.create> & hpack.DecompressorInternals;
type Decoded = { name: string; value: string; neverIndex: boolean };

export class Hpack {
  private readonly compressor: Compressor;
  private readonly decompressor: Decompressor;
  private broken = false;
  /** Where the decompressor's headers go while decode() runs. */
  private decoded: Decoded[] = [];

  constructor(readonly tableSize = 4096) {
    this.compressor = hpack.compressor.create({ table: { maxSize: tableSize } }) as Compressor;
    this.decompressor = hpack.decompressor.create({ table: { maxSize: tableSize } }) as Decompressor;
    // through a local, not a function literal on the property: see test/unit/sim/closures.test.ts
    const push = (h: Decoded): boolean => { this.decoded.push(h); return true; };
    this.decompressor.push = push;
  }

  /** Encodes one header block and updates this context's dynamic table. */
  encode(headers: HeaderList | HpackField[], opts: { huffman?: boolean } = {}): Uint8Array {
    const list = headers.map((h) => (Array.isArray(h) ? { name: h[0], value: h[1] } : h)).map((h) => ({
      name: toBinary(h.name), value: toBinary(h.value), huffman: h.huffman ?? opts.huffman ?? true, neverIndex: h.neverIndex ?? false,
    }));
    for (const h of list) {
      if (h.name !== h.name.toLowerCase()) throw new WireError('invalid', `HTTP/2 header names must be lower case: ${h.name}`);
    }
    if (list.length === 0) return new Uint8Array(0);
    const c = this.compressor;
    c._encoder = hpack.encoder.create();
    for (const h of list) c._encodeHeader(h);
    const parts = c._encoder.render();
    c._encoder = null;
    // copy out of the library's Buffers so callers only ever hold plain Uint8Arrays
    return Uint8Array.from(concatBytes(parts));
  }

  /** Decodes one header block; a failure is a COMPRESSION_ERROR and leaves the context unusable. */
  decode(block: Uint8Array): HeaderList {
    if (this.broken) throw new WireError('invalid', 'HPACK context unusable after an earlier error');
    const out: HeaderList = [];
    const d = this.decompressor;
    this.decoded = [];
    try {
      // the stream handed _write a Buffer copy of the block: so does this
      d._decoder.push(toNodeBuffer(block));
      while (!d._decoder.isEmpty()) d._execute();
      for (const h of this.decoded) out.push([fromBinary(h.name), fromBinary(h.value)]);
    } catch (e) {
      this.broken = true;
      throw new WireError('invalid', `HPACK decode failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out;
  }
}
