/**
 * HPACK (RFC 7541) through hpack.js. The dynamic table makes HPACK stateful per connection and
 * direction, so the simulation keeps one Hpack per (connection, direction) and must feed it
 * every header block in order. (hpack.js's wbuf dependency calls the deprecated `new Buffer()`,
 * so Node prints DEP0005 once per process; harmless, and not ours to fix.)
 */
import * as hpack from 'hpack.js';
import { WireError, concatBytes, fromLatin1, isAscii, latin1, utf8 } from './bytes';
import { toNodeBuffer } from './node-buffer';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// hpack.js writes each character of a string as one byte (it masks char codes to 8 bits), so
// strings go in as "binary strings" of their UTF-8 bytes: non-ASCII values (obs-text, RFC 9110
// 5.5) keep their real bytes, and come back as the text they were.
const toBinary = (s: string): string => (isAscii(s) ? s : fromLatin1(utf8(s)));
function fromBinary(s: string): string {
  if (isAscii(s)) return s;
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
  // Each is made on first use: creating one builds hpack.js's stream objects, and a context is
  // mostly used in one direction only (a connection end encodes what it sends).
  private compressorMade?: Compressor;
  private decompressorMade?: Decompressor;
  private broken = false;
  /** Where the decompressor's headers go while decode() runs. */
  private decoded: Decoded[] = [];

  constructor(readonly tableSize = 4096) {}

  private get compressor(): Compressor {
    return (this.compressorMade ??= hpack.compressor.create({ table: { maxSize: this.tableSize } }) as Compressor);
  }

  private get decompressor(): Decompressor {
    let d = this.decompressorMade;
    if (d === undefined) {
      d = hpack.decompressor.create({ table: { maxSize: this.tableSize } }) as Decompressor;
      // through a local, not a function literal on the property: see test/unit/sim/closures.test.ts
      const push = (h: Decoded): boolean => { this.decoded.push(h); return true; };
      d.push = push;
      this.decompressorMade = d;
    }
    return d;
  }

  /** Encodes one header block and updates this context's dynamic table. */
  encode(headers: HeaderList | HpackField[], opts: { huffman?: boolean } = {}): Uint8Array {
    const list: Array<{ name: string; value: string; huffman: boolean; neverIndex: boolean }> = [];
    for (const h of headers) {
      const f: HpackField = Array.isArray(h) ? { name: h[0], value: h[1] } : h;
      const name = toBinary(f.name);
      if (name !== name.toLowerCase()) throw new WireError('invalid', `HTTP/2 header names must be lower case: ${name}`);
      list.push({ name, value: toBinary(f.value), huffman: f.huffman ?? opts.huffman ?? true, neverIndex: f.neverIndex ?? false });
    }
    if (list.length === 0) return new Uint8Array(0);
    const c = this.compressor;
    c._encoder = hpack.encoder.create();
    for (const h of list) c._encodeHeader(h);
    const parts = c._encoder.render();
    c._encoder = null;
    // concatBytes copies out of the library's Buffers into a plain Uint8Array, so callers only
    // ever hold plain Uint8Arrays
    return concatBytes(parts);
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
