/**
 * Byte-level helpers shared by every codec. Everything here works on Uint8Array/DataView so the
 * core stays free of node built-ins (the same code runs in the webview and the CLI).
 */
import { BoundedMap } from '../fifo';

/** Every decode/encode failure is a WireError so callers can tell hostile input from bugs. */
export class WireError extends Error {
  constructor(
    readonly code: 'truncated' | 'invalid' | 'unsupported' | 'too-big' | 'fragmentation-needed',
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export interface FieldSpan {
  name: string;
  /** bytes from the start of the whole frame (relative to the layer while a codec builds it) */
  offset: number;
  length: number;
  value: string;
}

export interface LayerView {
  proto: string;
  offset: number;
  length: number;
  fields: FieldSpan[];
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** The two ASCII digits of each byte value as one little-endian u16, so a frame's hex is
 * written into a byte array two digits at a time and decoded once (a string built by
 * concatenation costs several times more for the thousands of frames an export writes). */
const HEX_CODES = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) t[i] = HEX_PAIRS[i].charCodeAt(0) | (HEX_PAIRS[i].charCodeAt(1) << 8);
  return t;
})();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HEX_CHUNK = 32 * 1024;
let hexScratch = new Uint16Array(0);

export function toHex(b: Uint8Array, sep = ''): string {
  if (sep) {
    const parts = new Array<string>(b.length);
    for (let i = 0; i < b.length; i++) parts[i] = HEX_PAIRS[b[i]];
    return parts.join(sep);
  }
  if (!LITTLE_ENDIAN || b.length < 16) {
    let s = '';
    for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]];
    return s;
  }
  // chunks bound the scratch buffer; a frame of 64 KB is a few decodes
  let out = '';
  for (let i = 0; i < b.length; i += HEX_CHUNK) {
    const end = Math.min(b.length, i + HEX_CHUNK);
    const n = end - i;
    if (hexScratch.length < n) hexScratch = new Uint16Array(Math.max(n, 2048));
    for (let j = 0; j < n; j++) hexScratch[j] = HEX_CODES[b[i + j]];
    out += latin1Dec.decode(new Uint8Array(hexScratch.buffer, 0, 2 * n));
  }
  return out;
}

/** Accepts spaces, newlines and `0x` free hex as typed in from captures or RFCs. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2) throw new WireError('invalid', 'odd number of hex digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

const utf8Enc = new TextEncoder();
const utf8Dec = new TextDecoder('utf-8');
const latin1Dec = new TextDecoder('latin1');
export const utf8 = (s: string): Uint8Array => utf8Enc.encode(s);

/** Whether every character is ASCII: then its UTF-8 bytes are its latin1 bytes (a loop: names
 * and values of every message come through here). */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
export const fromUtf8 = (b: Uint8Array): string => utf8Dec.decode(b);
/** Protocol text (HTTP/1 heads) is bytes, not UTF-8; latin1 keeps every byte distinct. */
export const fromLatin1 = (b: Uint8Array): string => latin1Dec.decode(b);
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new WireError('invalid', `character outside latin1 in protocol text: ${s[i]}`);
    out[i] = c;
  }
  return out;
}

/** RFC 1071 one's-complement sum; callers fold several chunks (pseudo-header + segment). */
export function onesSum(b: Uint8Array, initial = 0): number {
  let sum = initial;
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (b.length & 1) sum += b[b.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export function internetChecksum(...chunks: Uint8Array[]): number {
  let sum = 0;
  for (const c of chunks) {
    // odd-length chunks would shift the byte pairing of the next one
    if (c.length & 1 && c !== chunks[chunks.length - 1]) return internetChecksum(concatBytes(chunks));
    sum = onesSum(c, sum);
  }
  return ~sum & 0xffff;
}

export function parseMac(s: string): Uint8Array {
  const m = /^([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})$/.exec(s);
  if (!m) throw new WireError('invalid', `bad MAC address: ${s}`);
  return Uint8Array.from(m.slice(1).map((x) => parseInt(x, 16)));
}
export const formatMac = (b: Uint8Array): string => toHex(b, ':');

export function parseIpv4(s: string): Uint8Array {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new WireError('invalid', `bad IPv4 address: ${s}`);
  }
  return Uint8Array.from(parts.map(Number));
}
export const formatIpv4 = (b: Uint8Array): string => `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;

export const hex16 = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`;
export const hex8 = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
export const hex32 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function checkUint(v: number, bits: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) {
    throw new WireError('invalid', `${what} out of range for ${bits} bits: ${v}`);
  }
}

// Whether new writers record their field spans. Exports that only need a frame's bytes (the
// pcapng file, a trace's hex) turn it off around one encode (recordingFields): the codecs are the
// same, only the spans, most of an encode's allocations, are not kept.
let recording = true;

/** Runs `f` with writers that keep field spans (`on`) or none; restores the mode even when
 * `f` throws, so an encode nested in the other kind gets what it asked for. */
export function recordingFields<T>(on: boolean, f: () => T): T {
  const was = recording;
  recording = on;
  try {
    return f();
  } finally {
    recording = was;
  }
}

// Addresses repeat on every frame of a journey: parse each text form once. Bounded so a trace
// over thousands of hosts cannot grow it without limit. The arrays are shared: only read.
const parsedAddresses = new BoundedMap<string, Uint8Array>(4096);
function parsedOnce(s: string, parse: (s: string) => Uint8Array): Uint8Array {
  let b = parsedAddresses.get(s);
  if (!b) {
    b = parse(s);
    parsedAddresses.set(s, b);
  }
  return b;
}

/** The bytes of a dotted IPv4 address, parsed once: shared, so read them, never write. */
export const sharedIpv4Bytes = (s: string): Uint8Array => parsedOnce(s, parseIpv4);

/** `buf`, whose first `len` bytes are in use, with room for `extra` more: the same array when
 * they fit, else a copy doubled until they do (amortised O(1) per byte written). */
export function withRoom(buf: Uint8Array, len: number, extra: number): Uint8Array {
  if (len + extra <= buf.length) return buf;
  let cap = Math.max(1, buf.length) * 2;
  while (cap < len + extra) cap *= 2;
  const nb = new Uint8Array(cap);
  nb.set(buf.subarray(0, len));
  return nb;
}

/** Growable big-endian writer; records fields relative to its own start. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;
  readonly fields: FieldSpan[] = [];
  /** false inside recordingFields(false, ...): span, last and adopt record nothing */
  readonly recording = recording;

  constructor(capacity = 64) {
    // at least one byte: growth doubles the capacity
    this.buf = new Uint8Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.len;
  }

  private grow(extra: number): void {
    this.buf = withRoom(this.buf, this.len, extra);
  }

  u8(v: number, what = 'u8'): this {
    checkUint(v, 8, what);
    this.grow(1);
    this.buf[this.len++] = v;
    return this;
  }
  u16(v: number, what = 'u16'): this {
    checkUint(v, 16, what);
    this.grow(2);
    this.buf[this.len++] = v >>> 8;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u24(v: number, what = 'u24'): this {
    checkUint(v, 24, what);
    this.grow(3);
    this.buf[this.len++] = v >>> 16;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u32(v: number, what = 'u32'): this {
    checkUint(v, 32, what);
    this.grow(4);
    this.buf[this.len++] = v >>> 24;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  i32(v: number): this {
    return this.u32(v >>> 0);
  }
  bytes(b: Uint8Array): this {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  zeros(n: number): this {
    this.grow(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }
  /** Writes a big-endian length placeholder; `close` patches it with the bytes written since. */
  lengthPrefix(size: 1 | 2 | 3 | 4): { close: (explicit?: number) => number } {
    const at = this.len;
    this.zeros(size);
    return {
      close: (explicit?: number): number => {
        const n = explicit ?? this.len - at - size;
        checkUint(n, size * 8, 'length');
        for (let i = 0; i < size; i++) this.buf[at + i] = (n >>> (8 * (size - 1 - i))) & 0xff;
        return n;
      },
    };
  }
  patchU16(at: number, v: number): void {
    checkUint(v, 16, 'u16');
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v & 0xff;
  }
  /** A MAC address in its text form (parsed once per distinct address). */
  mac(s: string): this {
    return this.bytes(parsedOnce(s, parseMac));
  }
  /** An IPv4 address in dotted form (parsed once per distinct address). */
  ipv4(s: string): this {
    return this.bytes(parsedOnce(s, parseIpv4));
  }
  /** Records a span covering bytes [start, current). */
  span(name: string, start: number, value: string): void {
    if (this.recording) this.fields.push({ name, offset: start, length: this.len - start, value });
  }
  /** Records a span of `length` bytes starting `length` back from now (field just written). */
  last(name: string, length: number, value: string): void {
    if (this.recording) this.fields.push({ name, offset: this.len - length, length, value });
  }
  /** Adds spans produced by a nested writer placed at `base`. */
  adopt(fields: readonly FieldSpan[], base: number, prefix = ''): void {
    if (!this.recording) return;
    for (const f of fields) this.fields.push({ ...f, name: prefix + f.name, offset: f.offset + base });
  }
  /** The bytes written. A writer sized exactly for its message hands over its buffer (no copy),
   * so writing to it afterwards changes what it handed over: a writer is done once finished.
   * (The IPv4, TCP, UDP and ICMP encoders read finish() to compute their checksum and then patch
   * it in: they are done with those bytes before the patch.) */
  finish(): Uint8Array {
    return this.len === this.buf.length ? this.buf : this.buf.slice(0, this.len);
  }
}

/** Bounds-checked big-endian reader over [start, end) of a buffer; never reads past `end`. */
export class ByteReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    public end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) throw new WireError('truncated', 'bad range', start);
    this.pos = start;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new WireError('truncated', `truncated ${what}: need ${n} bytes, have ${this.end - this.pos}`, this.pos);
    }
  }
  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }
  u16(what = 'u16'): number {
    this.need(2, what);
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }
  u24(what = 'u24'): number {
    this.need(3, what);
    const v = (this.buf[this.pos] << 16) | (this.buf[this.pos + 1] << 8) | this.buf[this.pos + 2];
    this.pos += 3;
    return v;
  }
  u32(what = 'u32'): number {
    this.need(4, what);
    const v = ((this.buf[this.pos] << 24) | (this.buf[this.pos + 1] << 16) | (this.buf[this.pos + 2] << 8) | this.buf[this.pos + 3]) >>> 0;
    this.pos += 4;
    return v;
  }
  i32(what = 'i32'): number {
    return this.u32(what) | 0;
  }
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }
  /** A reader over the next `n` bytes; advances this reader past them. */
  sub(n: number, what: string): ByteReader {
    this.need(n, what);
    const r = new ByteReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  /** NUL-terminated string (PostgreSQL). */
  cstring(what = 'cstring'): string {
    let i = this.pos;
    while (i < this.end && this.buf[i] !== 0) i++;
    if (i >= this.end) throw new WireError('truncated', `unterminated ${what}`, this.pos);
    const s = fromUtf8(this.buf.subarray(this.pos, i));
    this.pos = i + 1;
    return s;
  }
  expectEnd(what: string): void {
    if (this.pos !== this.end) throw new WireError('invalid', `${this.end - this.pos} trailing bytes in ${what}`, this.pos);
  }
}
