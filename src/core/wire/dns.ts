/**
 * DNS messages, decoded by dns-packet and encoded with name compression (RFC 1035 4.1.4) as
 * real servers write them: owner names, question names and the names inside NS, CNAME, PTR,
 * SOA and MX data point back at the longest suffix already written (dns-packet never
 * compresses, so the message frame is written here and dns-packet encodes only the RDATA of
 * the other types). Our repr keeps Buffers out of the API (Uint8Array only) and keeps the
 * flags word whole so unknown opcode/rcode/Z bits round-trip.
 */
import * as dnsPacket from 'dns-packet';
import * as dnsTypes from 'dns-packet/types';
import { BoundedMap } from '../fifo';
import { ByteReader, FieldSpan, WireError, bytesEqual, fromUtf8, hex16, toHex, utf8, withRoom } from './bytes';
import { fromNodeBuffer, toNodeBuffer } from './node-buffer';

export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export interface DnsQuestion {
  name: string;
  /** dns-packet type name: 'A', 'NS', 'AAAA', ... or 'UNKNOWN_<n>' */
  type: string;
  /** 'IN' (default), 'CS', 'CH', 'HS', 'ANY' */
  class?: string;
}
export interface DnsSoa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}
export interface DnsMx {
  preference: number;
  exchange: string;
}
/**
 * A/AAAA: address text; NS/CNAME/PTR/DNAME: a name; TXT: strings; SOA; MX; any other type: the
 * raw RDATA bytes.
 */
export type DnsRdata = string | string[] | DnsSoa | DnsMx | Uint8Array;
export interface DnsResourceRecord {
  name: string;
  type: string;
  class?: string;
  ttl: number;
  data: DnsRdata;
}
/** EDNS(0) pseudo-record (RFC 6891) carried in the additional section. */
export interface DnsOptRecord {
  name: '.';
  edns: {
    udpPayloadSize: number;
    extendedRcode?: number;
    version?: number;
    /** bit 15 is DO */
    flags?: number;
    options?: Array<{ code: number; data: Uint8Array }>;
  };
}
export type DnsRecord = DnsResourceRecord | DnsOptRecord;

export interface DnsMessage {
  proto: 'dns';
  id: number;
  /** the whole 16-bit flags word including QR; build it with dnsFlags() */
  flags: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  /**
   * Set by decode when dns-packet would not reproduce the captured bytes (compressed names,
   * non-UTF-8 labels): encoding then emits these bytes verbatim so decode/encode stays lossless.
   * Delete it (withoutDerived does) after editing the message.
   */
  wire?: Uint8Array;
}

export interface DnsFlagBits {
  qr?: boolean;
  opcode?: number;
  aa?: boolean;
  tc?: boolean;
  rd?: boolean;
  ra?: boolean;
  z?: boolean;
  ad?: boolean;
  cd?: boolean;
  rcode?: number;
}

export function dnsFlags(f: DnsFlagBits): number {
  return (f.qr ? 0x8000 : 0) | (((f.opcode ?? 0) & 0xf) << 11) | (f.aa ? 0x400 : 0) | (f.tc ? 0x200 : 0) |
    (f.rd ? 0x100 : 0) | (f.ra ? 0x80 : 0) | (f.z ? 0x40 : 0) | (f.ad ? 0x20 : 0) | (f.cd ? 0x10 : 0) | ((f.rcode ?? 0) & 0xf);
}

export function parseDnsFlags(flags: number): Required<DnsFlagBits> {
  return {
    qr: !!(flags & 0x8000), opcode: (flags >> 11) & 0xf, aa: !!(flags & 0x400), tc: !!(flags & 0x200), rd: !!(flags & 0x100),
    ra: !!(flags & 0x80), z: !!(flags & 0x40), ad: !!(flags & 0x20), cd: !!(flags & 0x10), rcode: flags & 0xf,
  };
}

export const isOptRecord = (r: DnsRecord): r is DnsOptRecord => 'edns' in r;

const STRING_TYPES = new Set(['A', 'AAAA', 'NS', 'CNAME', 'PTR', 'DNAME']);
const CLASS_CODES: Record<string, number> = { IN: 1, CS: 2, CH: 3, HS: 4, ANY: 255 };
const KNOWN_CLASSES = new Set(Object.keys(CLASS_CODES));

// dns-packet's name lookup upper-cases the name and walks a switch: each name is looked up once
const typeCodes = new BoundedMap<string, number>(1024);
function typeCode(type: string): number {
  let n = typeCodes.get(type);
  if (n === undefined) {
    n = dnsTypes.toType(type);
    if (!n) throw new WireError('invalid', `unknown DNS type name ${type}`);
    typeCodes.set(type, n);
  }
  return n;
}

function checkClass(c: string | undefined): string {
  const k = c ?? 'IN';
  // dns-packet encodes classes it does not know as 0; refuse rather than emit the wrong bytes
  if (!KNOWN_CLASSES.has(k)) throw new WireError('unsupported', `DNS class ${k} cannot be encoded`);
  return k;
}

/** dns-packet's per-type RDATA codecs (not in its typings); each writes RDLENGTH then RDATA. */
interface RdataCodec { encode(data: unknown): Buffer }
const rdataCodec = (type: string): RdataCodec => (dnsPacket as unknown as { record(t: string): RdataCodec }).record(type);
const optCodec = (dnsPacket as unknown as { opt: RdataCodec }).opt;

/** Types whose RDATA names may be compressed (RFC 3597 section 4: the RFC 1035 types only). */
const COMPRESSIBLE = new Set(['NS', 'CNAME', 'PTR']);
/** Pointers are 14 bits: names further in than this cannot be pointed at. */
const MAX_POINTER = 0x3fff;

// One scratch array for every message, since encoding is synchronous and never nested: a typed
// array over 64 bytes is allocated outside V8's heap, which costs more than writing the message.
// A message is copied out of it (bytes()) at its exact length.
let scratch: Uint8Array = new Uint8Array(512);

/** Writes a message, remembering where each name suffix starts so later names can point at it. */
class DnsWriter {
  private buf: Uint8Array = scratch;
  private len = 0;
  private readonly suffixes = new Map<string, number>();
  get length(): number { return this.len; }
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    this.buf = withRoom(this.buf, this.len, n);
    // large messages are rare: the scratch grows only up to what UDP can carry
    if (this.buf.length <= 0x10000) scratch = this.buf;
  }
  u8(v: number): void { this.room(1); this.buf[this.len++] = v & 0xff; }
  u16(v: number): void { this.room(2); this.buf[this.len++] = (v >>> 8) & 0xff; this.buf[this.len++] = v & 0xff; }
  u32(v: number): void { this.u16((v >>> 16) & 0xffff); this.u16(v & 0xffff); }
  raw(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.len); this.len += b.length; }
  patch16(at: number, v: number): void { this.buf[at] = (v >>> 8) & 0xff; this.buf[at + 1] = v & 0xff; }
  name(text: string, compress = true): void {
    // one leading and one trailing dot dropped; the labels are walked in place (every record
    // of every DNS message comes through here, and the suffixes are substrings of the name)
    const first = text.charCodeAt(0) === 0x2e ? 1 : 0;
    const end = text.length > first && text.charCodeAt(text.length - 1) === 0x2e ? text.length - 1 : text.length;
    if (first < end) for (let start = first; ; ) {
      let stop = text.indexOf('.', start);
      if (stop < 0 || stop >= end) stop = end;
      // exact case: a pointer must decode to the same spelling, or the round trip changes it
      const suffix = text.slice(start, end);
      const at = this.suffixes.get(suffix);
      if (compress && at !== undefined) { this.u16(0xc000 | at); return; }
      if (this.len <= MAX_POINTER) this.suffixes.set(suffix, this.len);
      this.label(text, start, stop);
      if (stop === end) break;
      start = stop + 1;
    }
    this.u8(0);
  }
  /** One label: ASCII as it is, anything else as its UTF-8 bytes. */
  private label(text: string, start: number, stop: number): void {
    let ascii = true;
    for (let i = start; i < stop; i++) if (text.charCodeAt(i) > 0x7f) { ascii = false; break; }
    const bytes = ascii ? undefined : utf8(text.slice(start, stop));
    const length = bytes ? bytes.length : stop - start;
    if (length === 0 || length > 63) throw new WireError('invalid', `DNS label of ${length} bytes in ${text}`);
    this.u8(length);
    if (bytes) this.raw(bytes);
    else {
      this.room(length);
      for (let i = start; i < stop; i++) this.buf[this.len++] = text.charCodeAt(i);
    }
  }
  bytes(): Uint8Array { return this.buf.slice(0, this.len); }
}

function rdataBytes(type: string, data: unknown): Uint8Array {
  try {
    return fromNodeBuffer(rdataCodec(type).encode(data)).subarray(2);
  } catch (e) {
    throw new WireError('invalid', `DNS ${type} data cannot be encoded: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// The RDATA of an address is a function of its text, and the same addresses are answered on
// every query of a trace: each is encoded by dns-packet once. Bounded; the arrays are only
// copied out of (DnsWriter.raw), never handed on.
const stringRdata = new BoundedMap<string, Uint8Array>(1024);
function stringRdataBytes(type: string, d: string): Uint8Array {
  const key = `${type} ${d}`;
  let b = stringRdata.get(key);
  if (b === undefined) {
    b = rdataBytes(type, d);
    stringRdata.set(key, b);
  }
  return b;
}

// Nearly every message carries an OPT record without options: its RDATA, as dns-packet writes
// it, is made once (DnsWriter.raw copies it, so sharing it is safe).
let emptyOpt: Uint8Array | undefined;
const emptyOptRdata = (): Uint8Array => (emptyOpt ??= fromNodeBuffer(optCodec.encode([])));

function writeRecord(w: DnsWriter, r: DnsRecord): void {
  if (isOptRecord(r)) {
    const e = r.edns;
    w.u8(0);
    w.u16(41);
    w.u16(e.udpPayloadSize);
    w.u32((((e.extendedRcode ?? 0) & 0xff) << 24 | ((e.version ?? 0) & 0xff) << 16 | ((e.flags ?? 0) & 0xffff)) >>> 0);
    const options = e.options ?? [];
    w.raw(options.length ? fromNodeBuffer(optCodec.encode(options.map((o) => ({ code: o.code, data: toNodeBuffer(o.data) })))) : emptyOptRdata());
    return;
  }
  const klass = CLASS_CODES[checkClass(r.class)];
  const d = r.data;
  const type = r.type;
  w.name(r.name);
  const header = (code: number): number => { w.u16(code); w.u16(klass); w.u32(r.ttl >>> 0); const at = w.length; w.u16(0); return at; };
  let lenAt: number;
  if (STRING_TYPES.has(type) && typeof d === 'string') {
    lenAt = header(typeCode(type));
    if (COMPRESSIBLE.has(type)) w.name(d);
    else if (type === 'DNAME') w.name(d, false);
    else w.raw(stringRdataBytes(type, d));
  } else if (type === 'SOA' && typeof d === 'object' && 'mname' in d) {
    lenAt = header(6);
    w.name(d.mname);
    w.name(d.rname);
    for (const v of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) w.u32(v >>> 0);
  } else if (type === 'MX' && typeof d === 'object' && 'exchange' in d) {
    lenAt = header(15);
    w.u16(d.preference);
    w.name(d.exchange);
  } else if (type === 'TXT' && Array.isArray(d)) {
    lenAt = header(16);
    w.raw(rdataBytes('TXT', d.map((s) => toNodeBuffer(utf8(s)))));
  } else if (d instanceof Uint8Array) {
    lenAt = header(typeCode(type));
    w.raw(d);
  } else throw new WireError('invalid', `DNS ${r.type} record with data of the wrong shape`);
  const rdlen = w.length - lenAt - 2;
  if (rdlen > 0xffff) throw new WireError('invalid', `DNS ${r.type} data of ${rdlen} bytes`);
  w.patch16(lenAt, rdlen);
}

export function encodeDnsBytes(m: DnsMessage): Uint8Array {
  if (m.wire) return m.wire.slice();
  const counts = [m.questions.length, m.answers.length, m.authorities.length, m.additionals.length];
  if (counts.some((c) => c > 0xffff)) throw new WireError('invalid', 'too many DNS records');
  const w = new DnsWriter();
  w.u16(m.id & 0xffff);
  w.u16(m.flags & 0xffff);
  for (const c of counts) w.u16(c);
  for (const q of m.questions) {
    const t = typeCode(q.type);
    const c = CLASS_CODES[checkClass(q.class)];
    w.name(q.name);
    w.u16(t);
    w.u16(c);
  }
  for (const r of m.answers) writeRecord(w, r);
  for (const r of m.authorities) writeRecord(w, r);
  for (const r of m.additionals) writeRecord(w, r);
  return w.bytes();
}

export function dnsEncodingLength(m: DnsMessage): number {
  return encodeDnsBytes(m).length;
}

/** Where each part of a message sits, found by walking the bytes (pointers are never followed). */
interface DnsLayout {
  fields: FieldSpan[];
  rdata: Array<{ type: number; klass: number; offset: number; length: number }>;
  end: number;
}

function skipName(r: ByteReader): void {
  for (let guard = 0; guard < 128; guard++) {
    const len = r.u8('dns name');
    if (len === 0) return;
    if ((len & 0xc0) === 0xc0) {
      r.u8('dns pointer');
      return;
    }
    if (len & 0xc0) throw new WireError('invalid', `bad DNS label length byte ${len}`, r.pos - 1);
    r.bytes(len, 'dns label');
  }
  throw new WireError('invalid', 'DNS name with too many labels', r.pos);
}

function layoutDns(bytes: Uint8Array, start: number, end: number, names: { q: string[]; rr: string[][] }): DnsLayout {
  const r = new ByteReader(bytes, start, end);
  const f: FieldSpan[] = [];
  const at = (): number => r.pos - start;
  const id = r.u16('dns header');
  f.push({ name: 'id', offset: 0, length: 2, value: hex16(id) });
  const flags = r.u16('dns header');
  const b = parseDnsFlags(flags);
  f.push({
    name: 'flags', offset: 2, length: 2,
    value: `${hex16(flags)} qr=${+b.qr} opcode=${b.opcode} aa=${+b.aa} tc=${+b.tc} rd=${+b.rd} ra=${+b.ra} z=${+b.z} ad=${+b.ad} cd=${+b.cd} rcode=${b.rcode} (${RCODE_NAMES[b.rcode] ?? 'unknown'})`,
  });
  const counts = [r.u16('dns header'), r.u16('dns header'), r.u16('dns header'), r.u16('dns header')];
  ['qdcount', 'ancount', 'nscount', 'arcount'].forEach((n, i) => f.push({ name: n, offset: 4 + 2 * i, length: 2, value: String(counts[i]) }));
  for (let i = 0; i < counts[0]; i++) {
    const s = at();
    skipName(r);
    f.push({ name: `question[${i}].name`, offset: s, length: at() - s, value: names.q[i] ?? '' });
    const t = r.u16('dns qtype');
    f.push({ name: `question[${i}].type`, offset: at() - 2, length: 2, value: dnsTypes.toString(t) });
    const c = r.u16('dns qclass');
    f.push({ name: `question[${i}].class`, offset: at() - 2, length: 2, value: String(c) });
  }
  const rdata: DnsLayout['rdata'] = [];
  const sections = ['answer', 'authority', 'additional'];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const p = `${sections[s]}[${i}]`;
      const ns = at();
      skipName(r);
      f.push({ name: `${p}.name`, offset: ns, length: at() - ns, value: names.rr[s][i] ?? '' });
      const type = r.u16('dns rr type');
      f.push({ name: `${p}.type`, offset: at() - 2, length: 2, value: dnsTypes.toString(type) });
      const klass = r.u16('dns rr class');
      f.push({ name: `${p}.class`, offset: at() - 2, length: 2, value: String(klass) });
      const ttl = r.u32('dns rr ttl');
      f.push({ name: type === 41 ? `${p}.edns_ttl` : `${p}.ttl`, offset: at() - 4, length: 4, value: String(ttl) });
      const rdlen = r.u16('dns rdlength');
      f.push({ name: `${p}.rdlength`, offset: at() - 2, length: 2, value: String(rdlen) });
      const ro = at();
      const rd = r.bytes(rdlen, 'dns rdata');
      f.push({ name: `${p}.rdata`, offset: ro, length: rdlen, value: toHex(rd.subarray(0, 32)) });
      rdata.push({ type, klass, offset: r.pos - rdlen, length: rdlen });
    }
  }
  return { fields: f, rdata, end: r.pos };
}

export function dnsFields(bytes: Uint8Array, m: DnsMessage): FieldSpan[] {
  const names = { q: m.questions.map((q) => q.name), rr: [m.answers, m.authorities, m.additionals].map((l) => l.map((x) => x.name)) };
  return layoutDns(bytes, 0, bytes.length, names).fields;
}

function asBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return fromNodeBuffer(v);
  throw new WireError('invalid', 'expected bytes from dns-packet');
}

function fromPacketAnswer(a: unknown, raw: Uint8Array): DnsRecord {
  const o = a as Record<string, unknown>;
  const name = String(o.name);
  const type = String(o.type);
  if (type === 'OPT') {
    const opts = Array.isArray(o.options) ? o.options : [];
    return {
      name: '.',
      edns: {
        udpPayloadSize: Number(o.udpPayloadSize), extendedRcode: Number(o.extendedRcode), version: Number(o.ednsVersion), flags: Number(o.flags),
        options: opts.map((x: unknown) => {
          const opt = x as { code: unknown; data: unknown };
          return { code: Number(opt.code), data: asBytes(opt.data) };
        }),
      },
    };
  }
  const klass = String(o.class);
  if (!KNOWN_CLASSES.has(klass) || o.flush) throw new WireError('unsupported', `DNS class ${klass} not supported`);
  const base = { name, type, class: klass, ttl: Number(o.ttl) };
  const d = o.data;
  if (STRING_TYPES.has(type) && typeof d === 'string') return { ...base, data: d };
  if (type === 'TXT' && Array.isArray(d)) return { ...base, data: d.map((x: unknown) => fromUtf8(asBytes(x))) };
  if (type === 'SOA' && typeof d === 'object' && d !== null) {
    const s = d as Record<string, unknown>;
    return { ...base, data: { mname: String(s.mname), rname: String(s.rname), serial: Number(s.serial), refresh: Number(s.refresh), retry: Number(s.retry), expire: Number(s.expire), minimum: Number(s.minimum) } };
  }
  if (type === 'MX' && typeof d === 'object' && d !== null) {
    const m = d as Record<string, unknown>;
    return { ...base, data: { preference: Number(m.preference), exchange: String(m.exchange) } };
  }
  return { ...base, data: raw };
}

export function decodeDns(bytes: Uint8Array, start = 0, end = bytes.length): DnsMessage {
  // our walk validates structure and bounds first, so dns-packet only sees well-formed framing
  const layout = layoutDns(bytes, start, end, { q: [], rr: [[], [], []] });
  let p: dnsPacket.Packet;
  try {
    p = dnsPacket.decode(toNodeBuffer(bytes.subarray(start, end)));
  } catch (e) {
    throw new WireError('invalid', `DNS decode failed: ${e instanceof Error ? e.message : String(e)}`, start);
  }
  const raws = layout.rdata.map((x) => bytes.slice(x.offset, x.offset + x.length));
  let k = 0;
  const conv = (list: unknown[] | undefined): DnsRecord[] => (list ?? []).map((a) => fromPacketAnswer(a, raws[k++]));
  const questions = (p.questions ?? []).map((q) => {
    if (!KNOWN_CLASSES.has(String(q.class))) throw new WireError('unsupported', `DNS class ${String(q.class)} not supported`);
    return { name: q.name, type: String(q.type), class: String(q.class) };
  });
  const rawFlags = ((bytes[start + 2] << 8) | bytes[start + 3]) >>> 0;
  const answers = conv(p.answers);
  const authorities = conv(p.authorities);
  const additionals = conv(p.additionals);
  if (layout.end !== end) throw new WireError('invalid', `${end - layout.end} trailing bytes after DNS message`, layout.end);
  const m: DnsMessage = { proto: 'dns', id: p.id ?? 0, flags: rawFlags, questions, answers, authorities, additionals };
  const captured = bytes.slice(start, end);
  let same = false;
  try {
    same = bytesEqual(encodeDnsBytes(m), captured);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
  }
  if (!same) m.wire = captured;
  return m;
}
