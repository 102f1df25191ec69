/**
 * HPACK (RFC 7541) through hpack.js. The dynamic table makes HPACK stateful per connection and
 * direction, so the simulation keeps one Hpack per (connection, direction) and must feed it
 * every header block in order. (hpack.js's wbuf dependency calls the deprecated `new Buffer()`,
 * so Node prints DEP0005 once per process; harmless, and not ours to fix.)
 */
import * as hpack from 'hpack.js';
import { WireError, concatBytes, fromLatin1, isAscii, latin1, utf8 } from './bytes';
import { BoundedMap } from '../fifo';
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
// streams' _write and execute() do, on coders made without their stream (withoutStream).
type Compressor = hpack.CompressorInternals;
type Decompressor = hpack.DecompressorInternals;
type Decoded = { name: string; value: string; neverIndex: boolean };
type Coded = { name: string; value: string; huffman: boolean; neverIndex: boolean };

/** An hpack.js coder with the fields its constructor sets besides the stream's (the table, the
 * bit coder): the stream's state, two buffers and their listeners, is what constructing one
 * costs, and nothing here reads it. */
function withoutStream<T>(coder: { prototype: object }, fields: object): T {
  return Object.assign(Object.create(coder.prototype) as object, fields) as T;
}

/** One block coded after a given history: `id` names the history that ends with it. */
interface Step<R> { id: string; result: R }

// What HPACK makes of a block is a function of the table size and of every block the context
// coded before it, and a re-trace makes the same requests: each block coded is kept under the
// id of the history before it and its own text (ids chain, so a key does not grow with the
// connection). hpack.js codes only a block not seen after the same history, catching up first
// with the blocks looked up instead of coded. Bounded: a few hundred bytes an entry.
const encodedSteps = new BoundedMap<string, Step<Uint8Array>>(1024);
const decodedSteps = new BoundedMap<string, Step<HeaderList>>(1024);
let stepsMade = 0;

/** One direction of a context: the id of its history so far, and the blocks it looked up
 * without hpack.js since it last coded one (kept, not copied: header lists and blocks are not
 * edited once made). */
class History<I, R> {
  private after: string;
  private backlog: I[] = [];
  constructor(tableSize: number, private readonly steps: BoundedMap<string, Step<R>>, private readonly code: (input: I) => R) {
    this.after = `table ${tableSize}`;
  }

  /** What coding `input` (whose text is `text`) after this history gives: hpack.js codes it,
   * after the blocks it has not seen yet, only when no context had this history before. */
  next(input: I, text: string): R {
    const key = `${this.after}\u0000${text}`;
    let step = this.steps.get(key);
    if (step === undefined) {
      for (const skipped of this.backlog) this.code(skipped);
      this.backlog = [];
      step = { id: `#${stepsMade++}`, result: this.code(input) };
      this.steps.set(key, step);
    } else this.backlog.push(input);
    this.after = step.id;
    return step.result;
  }
}

/** A header list's text for the step keys: lengths first, so no two lists share one. */
function listKey(list: readonly Coded[]): string {
  let k = '';
  for (const h of list) k += `${h.name.length}:${h.name}${h.value.length}:${h.value}${h.huffman ? 'h' : '-'}${h.neverIndex ? 'n' : '-'}`;
  return k;
}

export class Hpack {
  // Each is made on first use: a context is mostly used in one direction only (a connection end
  // encodes what it sends).
  private compressorMade?: Compressor;
  private decompressorMade?: Decompressor;
  private broken = false;
  /** Where the decompressor's headers go while decode() runs. */
  private decoded: Decoded[] = [];
  private readonly sent: History<readonly Coded[], Uint8Array>;
  private readonly received: History<Uint8Array, HeaderList>;

  constructor(readonly tableSize = 4096) {
    this.sent = new History(tableSize, encodedSteps, (list: readonly Coded[]) => this.compress(list));
    this.received = new History(tableSize, decodedSteps, (block: Uint8Array) => this.decompress(block));
  }

  private get compressor(): Compressor {
    return (this.compressorMade ??= withoutStream<Compressor>(hpack.compressor, { _encoder: null, _table: hpack.table.create({ maxSize: this.tableSize }) }));
  }

  private get decompressor(): Decompressor {
    let d = this.decompressorMade;
    if (d === undefined) {
      // through a local, not a function literal on the property: see test/unit/sim/closures.test.ts
      const push = (h: Decoded): boolean => { this.decoded.push(h); return true; };
      d = withoutStream<Decompressor>(hpack.decompressor, { _decoder: hpack.decoder.create(), _table: hpack.table.create({ maxSize: this.tableSize }), push });
      this.decompressorMade = d;
    }
    return d;
  }

  /** Encodes one header block and updates this context's dynamic table. */
  encode(headers: HeaderList | HpackField[], opts: { huffman?: boolean } = {}): Uint8Array {
    const list: Coded[] = [];
    for (const h of headers) {
      const f: HpackField = Array.isArray(h) ? { name: h[0], value: h[1] } : h;
      const name = toBinary(f.name);
      if (name !== name.toLowerCase()) throw new WireError('invalid', `HTTP/2 header names must be lower case: ${name}`);
      list.push({ name, value: toBinary(f.value), huffman: f.huffman ?? opts.huffman ?? true, neverIndex: f.neverIndex ?? false });
    }
    if (list.length === 0) return new Uint8Array(0);
    // the caller's own bytes, as a block coded here would be
    return this.sent.next(list, listKey(list)).slice();
  }

  private compress(list: readonly Coded[]): Uint8Array {
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
    // the caller's own list, as a block decoded here would be
    return this.received.next(block, fromLatin1(block)).map(([n, v]): [string, string] => [n, v]);
  }

  private decompress(block: Uint8Array): HeaderList {
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
