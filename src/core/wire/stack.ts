/**
 * Whole-frame encode/decode over a list of header reprs, outermost first. Derived fields
 * (lengths, checksums, data offsets, ethertype/protocol numbers) are computed when left
 * undefined and written as given otherwise, so decoded headers re-encode to the same bytes.
 */
import { ARP_LEN, ArpPacket, decodeArp, encodeArp } from './arp';
import { ByteReader, ByteWriter, FieldSpan, LayerView, WireError, concatBytes, recordingFields, toHex } from './bytes';
import { DnsMessage, decodeDns, dnsFields, encodeDnsBytes } from './dns';
import { ETHERNET_HEADER_LEN, ETHERTYPE, EthernetHeader, decodeEthernet, encodeEthernet } from './ethernet';
import { Http1Message, decodeHttp1, encodeHttp1 } from './http1';
import { H2_PREFACE, Http2Frames, decodeHttp2, encodeHttp2 } from './http2';
import { IcmpMessage, decodeIcmp, encodeIcmp, icmpEncodingLength } from './icmp';
import { IP_PROTO, Ipv4Header, decodeIpv4, encodeIpv4, ipv4HeaderLength } from './ipv4';
import { PG_PORT, PgMessages, decodePg, encodePg } from './pg';
import { TcpHeader, decodeTcp, encodeTcp, tcpHeaderLength } from './tcp';
import { TlsRecords, decodeTlsRecords, encodeTlsRecords } from './tls';
import { UDP_HEADER_LEN, UdpHeader, decodeUdp, encodeUdp } from './udp';
import { VXLAN_HEADER_LEN, VXLAN_UDP_PORT, VxlanHeader, decodeVxlan, encodeVxlan } from './vxlan';
import { Fifo } from '../fifo';

/** Bytes we do not (or cannot, e.g. ciphertext or a non-first fragment) interpret. */
export interface RawPayload {
  proto: 'raw';
  data: Uint8Array;
  /** why it was not decoded further, for the panel */
  note?: string;
}

export type Header =
  | EthernetHeader | ArpPacket | Ipv4Header | IcmpMessage | UdpHeader | TcpHeader | DnsMessage | TlsRecords
  | Http1Message | Http2Frames | VxlanHeader | PgMessages | RawPayload;

export type Proto = Header['proto'];

export interface Encoded {
  bytes: Uint8Array;
  layers: LayerView[];
}

const MAX_DEPTH = 16;
const NO_BYTES = new Uint8Array(0);

function nextEthertype(next: Header | undefined): number {
  if (next?.proto === 'ipv4') return ETHERTYPE.IPV4;
  if (next?.proto === 'arp') return ETHERTYPE.ARP;
  throw new WireError('invalid', `cannot derive ethertype for ${next?.proto ?? 'nothing'}; set it explicitly`);
}

function nextIpProtocol(next: Header | undefined): number {
  if (next?.proto === 'tcp') return IP_PROTO.TCP;
  if (next?.proto === 'udp') return IP_PROTO.UDP;
  if (next?.proto === 'icmp') return IP_PROTO.ICMP;
  throw new WireError('invalid', `cannot derive IP protocol for ${next?.proto ?? 'nothing'}; set it explicitly`);
}

/** The IPv4 header whose pseudo-header covers this transport header (the nearest one outside it). */
function enclosingIpv4(headers: readonly Header[], i: number): Ipv4Header | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const h = headers[j];
    if (h.proto === 'ipv4') return h;
    if (h.proto === 'vxlan') return undefined;
  }
  return undefined;
}

interface LayerOut {
  header: ByteWriter;
  /** the layer's own bytes already include its payload (ICMP covers its body in the checksum) */
  includesPayload?: boolean;
  trailer?: Uint8Array;
}

/** What the headers inside the current one make, kept as pieces: most layers need only its
 * length, and the frame is assembled once at the end rather than copied at every layer. */
class Inner {
  /** innermost last */
  private parts: Uint8Array[] = [];
  length = 0;
  private joined?: Uint8Array;
  bytes(): Uint8Array {
    if (this.parts.length === 0) return NO_BYTES;
    if (this.parts.length === 1) return this.parts[0];
    return (this.joined ??= concatBytes(this.parts));
  }
  /** This layer's own bytes are the whole of what it carries (ICMP checksums its body). */
  replace(b: Uint8Array): void {
    this.parts = [b];
    this.length = b.length;
    this.joined = undefined;
  }
  wrap(header: Uint8Array, trailer: Uint8Array): void {
    // the joined form, when made, already holds the inner parts: keep it instead of them
    const inner = this.joined ? [this.joined] : this.parts;
    this.parts = trailer.length ? [header, ...inner, trailer] : [header, ...inner];
    this.length += header.length + trailer.length;
    this.joined = undefined;
  }
  /** The frame: the one piece itself when there is one (an application message alone, which
   * the window of recent messages may hold too: callers read it, never write it). */
  finish(): Uint8Array {
    return this.bytes();
  }
}

function encodeOne(headers: readonly Header[], i: number, inner: Inner): LayerOut {
  const h = headers[i];
  const next = headers[i + 1];
  switch (h.proto) {
    case 'ethernet': return { header: encodeEthernet(h, h.ethertype ?? nextEthertype(next)), trailer: h.trailer };
    case 'arp': return { header: encodeArp(h) };
    case 'ipv4': return { header: encodeIpv4(h, inner.length, h.protocol ?? nextIpProtocol(next)) };
    case 'icmp': {
      if (inner.length) throw new WireError('invalid', 'ICMP carries its data in the repr, not as a following header');
      return { header: encodeIcmp(h), includesPayload: true };
    }
    case 'udp': return { header: encodeUdp(h, inner.bytes(), enclosingIpv4(headers, i)) };
    case 'tcp': return { header: encodeTcp(h, inner.bytes(), enclosingIpv4(headers, i)) };
    case 'vxlan': return { header: encodeVxlan(h) };
    case 'dns': {
      const b = encodeDnsBytes(h);
      // sized for the message: no growth (a writer past 64 bytes is a buffer outside the heap)
      const w = new ByteWriter(b.length);
      w.bytes(b);
      // the layout walk is the spans' only use: skipped when the writer keeps none
      if (w.recording) w.adopt(dnsFields(b, h), 0);
      return { header: w };
    }
    case 'tls': return { header: encodeTlsRecords(h) };
    case 'http1': return { header: encodeHttp1(h) };
    case 'http2': return { header: encodeHttp2(h) };
    case 'pgsql': return { header: encodePg(h) };
    case 'raw': {
      const w = new ByteWriter(h.data.length);
      w.bytes(h.data).last('data', h.data.length, `${h.data.length} bytes${h.note ? ` (${h.note})` : ''}`);
      return { header: w };
    }
  }
}

type LayerSink = (i: number, header: ByteWriter, headerBytes: Uint8Array, payloadLength: number, trailer: Uint8Array) => void;

/** The one encode loop: innermost first, since outer lengths and checksums depend on what
 * they carry. `sink`, when given, sees each layer as it is made (for its field spans). */
function encodeFrame(headers: readonly Header[], sink: LayerSink | undefined): Uint8Array {
  const inner = new Inner();
  for (let i = headers.length - 1; i >= 0; i--) {
    const h = headers[i];
    // Without field spans an application message's bytes are all that is needed, and the
    // same message crosses every hop of its path: encode it once.
    const innermost = i === headers.length - 1;
    const known = sink || !innermost ? undefined : recentApp.get(h);
    if (known) { inner.replace(known); continue; }
    const out = encodeOne(headers, i, inner);
    const hb = out.header.finish();
    const trailer = out.trailer ?? NO_BYTES;
    sink?.(i, out.header, hb, inner.length, trailer);
    if (out.includesPayload) inner.replace(hb);
    else inner.wrap(hb, trailer);
    if (innermost && isApp(h)) {
      // the simulation encodes each message once when it is written: that is its length too
      appLength.set(h, hb.length);
      // A frame's bytes are wanted for an export, which asks for the same message again at
      // the next hops; a message encoded alone is the simulation writing it (it keeps the
      // bytes itself), and remembering those would fill the window for exports that may
      // never come (and keep each message's headers alive long after its trace).
      if (!sink && headers.length > 1) remember(h, hb);
    }
  }
  return inner.finish();
}

// Application messages are built once and never edited afterwards (forwarding and NAT only
// touch Ethernet, IPv4 and transport headers), so their encoded length is worth remembering.
const appLength = new WeakMap<Header, number>();

/** Records the encoded length of an application message made of parts already encoded (the
 * TLS records of several writes that one TCP segment carries together), so that sizing the
 * frame does not encode it again. The caller answers for the figure: it is the parts' sum. */
export function knownLength(h: Header, length: number): void {
  appLength.set(h, length);
}

const APP_PROTOS = new Set<Proto>(['dns', 'tls', 'http1', 'http2', 'pgsql']);
const isApp = (h: Header): boolean => APP_PROTOS.has(h.proto);

// Exports walk the trace in time order, so a segment's later hops come soon after its first;
// a map bounded in bytes (oldest out first) keeps a window of the latest messages, not the body.
const RECENT_BYTES = 4 * 1024 * 1024;
const recentApp = new Map<Header, Uint8Array>();
/** recentApp's keys, oldest first. */
const recentOrder = new Fifo<Header>();
let recentBytes = 0;
function remember(h: Header, bytes: Uint8Array): void {
  if (bytes.length > RECENT_BYTES / 16) return;
  while (recentBytes + bytes.length > RECENT_BYTES && recentOrder.size > 0) {
    const oldest = recentOrder.shift() as Header;
    const b = recentApp.get(oldest);
    if (b) { recentApp.delete(oldest); recentBytes -= b.length; }
  }
  if (!recentApp.has(h)) recentOrder.push(h);
  else recentBytes -= (recentApp.get(h) as Uint8Array).length;
  recentApp.set(h, bytes);
  recentBytes += bytes.length;
}

/** Encodes the frame with each layer's field spans (offsets from the start of the frame). */
export function encodeStack(headers: readonly Header[]): Encoded {
  // Field offsets are relative to their own header while encoding; each header starts where
  // the headers outside it end, which is known once they are all encoded.
  const own: LayerView[] = new Array<LayerView>(headers.length);
  // a writer's spans are fresh objects, made for this encode alone: the layer takes them as they are
  const bytes = recordingFields(true, () => encodeFrame(headers, (i, w, hb, payloadLength, trailer) => {
    const layer: LayerView = { proto: headers[i].proto, offset: 0, length: hb.length, fields: w.fields };
    if (trailer.length) layer.fields.push({ name: 'trailer', offset: hb.length + payloadLength, length: trailer.length, value: toHex(trailer) });
    own[i] = layer;
  }));
  let offset = 0;
  for (const layer of own) {
    layer.offset = offset;
    if (offset) for (const f of layer.fields) f.offset += offset;
    offset += layer.length;
  }
  return { bytes, layers: own };
}

/** The frame's bytes alone, as encodeStack(headers).bytes, without the field spans: what a
 * capture file needs, at a fraction of the cost. The result may be shared with later calls
 * for the same message: read it, never write it. */
export function encodeStackBytes(headers: readonly Header[]): Uint8Array {
  return recordingFields(false, () => encodeFrame(headers, undefined));
}

/** Total frame length, for serialisation delay and MTU checks. */
export function encodingLength(headers: readonly Header[]): number {
  return frameLength(headers);
}


/** The encoded length of one header and what it alone contains, without encoding the
 * transport and network headers (their length follows from their fields). */
export function headerLength(h: Header): number {
  switch (h.proto) {
    case 'ethernet': return ETHERNET_HEADER_LEN + (h.trailer?.length ?? 0);
    case 'arp': return ARP_LEN;
    case 'ipv4': return ipv4HeaderLength(h);
    case 'icmp': return icmpEncodingLength(h);
    case 'udp': return UDP_HEADER_LEN;
    case 'tcp': return tcpHeaderLength(h);
    case 'vxlan': return VXLAN_HEADER_LEN;
    case 'raw': return h.data.length;
    default: {
      let n = appLength.get(h);
      if (n === undefined) {
        n = encodeStackBytes([h]).length;
        appLength.set(h, n);
      }
      return n;
    }
  }
}

/** What encodeStack(headers).bytes.length would be, at a fraction of the cost. */
export function frameLength(headers: readonly Header[]): number {
  let n = 0;
  for (const h of headers) n += headerLength(h);
  return n;
}

/**
 * Clears every derived field so edited headers (TTL decremented, NAT rewrites) get fresh lengths
 * and checksums on the next encode. Decoded headers keep what was on the wire until then.
 */
export function withoutDerived(headers: readonly Header[]): Header[] {
  return headers.map((h): Header => {
    switch (h.proto) {
      case 'ipv4': return { ...h, ihl: h.options ? undefined : h.ihl === 5 ? undefined : h.ihl, totalLength: undefined, checksum: undefined };
      case 'udp': return { ...h, length: undefined, checksum: undefined };
      case 'tcp': return { ...h, dataOffset: undefined, checksum: undefined };
      case 'icmp': return { ...h, checksum: undefined };
      case 'dns': return { ...h, wire: undefined };
      case 'tls': return { ...h, records: h.records.map((r) => ({ ...r, length: undefined })) };
      case 'http2': return { ...h, frames: h.frames.map((f) => ({ ...f, length: undefined })) };
      default: return h;
    }
  });
}

type Kind = Proto | 'app-tcp' | 'app-udp';

interface DecodedOne {
  header: Header;
  payloadStart: number;
  payloadEnd: number;
  next?: Kind;
  /** for app dispatch */
  ports?: [number, number];
}

function appForTcp(src: number, dst: number, bytes: Uint8Array, start: number, end: number): Header {
  const has = (p: number): boolean => src === p || dst === p;
  if (has(443) || has(8443)) return decodeTlsRecords(bytes, start, end);
  if (has(PG_PORT)) return decodePg(bytes, dst === PG_PORT ? 'frontend' : 'backend', start, end);
  if (has(80) || has(8080) || has(3000)) {
    const n = H2_PREFACE.length;
    if (end - start >= n && H2_PREFACE.every((b, k) => bytes[start + k] === b)) return decodeHttp2(bytes, start, end);
    try {
      return decodeHttp1(bytes, start, end);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      // h2c frames after the preface segment; a body continuation would parse as junk frames
      const h2 = decodeHttp2(bytes, start, end);
      if (h2.frames.some((f) => f.kind === 'unknown')) throw new WireError('unsupported', 'neither an HTTP/1 head nor HTTP/2 frames');
      return h2;
    }
  }
  throw new WireError('unsupported', `no dissector for TCP ports ${src}/${dst}`);
}

function decodeOne(kind: Kind, bytes: Uint8Array, start: number, end: number, outer: Header | undefined): DecodedOne {
  const r = new ByteReader(bytes, start, end);
  switch (kind) {
    case 'ethernet': {
      const h = decodeEthernet(r);
      const t = h.ethertype;
      const next: Kind = t === ETHERTYPE.IPV4 ? 'ipv4' : t === ETHERTYPE.ARP ? 'arp' : 'raw';
      return { header: h, payloadStart: r.pos, payloadEnd: end, next };
    }
    case 'arp': {
      const h = decodeArp(r);
      return { header: h, payloadStart: r.pos, payloadEnd: r.pos };
    }
    case 'ipv4': {
      const d = decodeIpv4(r);
      const h = d.header;
      const pe = start + d.totalLength;
      const fragmented = h.moreFragments || (h.fragmentOffset ?? 0) > 0;
      let next: Kind = 'raw';
      if (!fragmented) next = h.protocol === 6 ? 'tcp' : h.protocol === 17 ? 'udp' : h.protocol === 1 ? 'icmp' : 'raw';
      return { header: h, payloadStart: r.pos, payloadEnd: pe, next: pe > r.pos || next === 'icmp' ? next : undefined };
    }
    case 'icmp': return { header: decodeIcmp(r), payloadStart: end, payloadEnd: end };
    case 'udp': {
      const d = decodeUdp(r);
      const { srcPort, dstPort } = d.header;
      return { header: d.header, payloadStart: r.pos, payloadEnd: d.payloadEnd, next: d.payloadEnd > r.pos ? 'app-udp' : undefined, ports: [srcPort, dstPort] };
    }
    case 'tcp': {
      const h = decodeTcp(r);
      return { header: h, payloadStart: r.pos, payloadEnd: end, next: end > r.pos ? 'app-tcp' : undefined, ports: [h.srcPort, h.dstPort] };
    }
    case 'vxlan': return { header: decodeVxlan(r), payloadStart: r.pos, payloadEnd: end, next: 'ethernet' };
    case 'raw': return { header: { proto: 'raw', data: r.rest() }, payloadStart: end, payloadEnd: end };
    case 'app-udp':
    case 'app-tcp': {
      const ports = outer?.proto === 'udp' || outer?.proto === 'tcp' ? [outer.srcPort, outer.dstPort] : [0, 0];
      const [src, dst] = ports;
      if (kind === 'app-udp' && (src === VXLAN_UDP_PORT || dst === VXLAN_UDP_PORT)) return decodeOne('vxlan', bytes, start, end, outer);
      let header: Header;
      try {
        if (kind === 'app-udp') {
          if (src !== 53 && dst !== 53) throw new WireError('unsupported', `no dissector for UDP ports ${src}/${dst}`);
          header = decodeDns(bytes, start, end);
        } else header = appForTcp(src, dst, bytes, start, end);
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
        // application bytes that do not parse (ciphertext, a segment mid-record) are still a valid frame
        header = { proto: 'raw', data: bytes.slice(start, end), note: e.message };
      }
      return { header, payloadStart: end, payloadEnd: end };
    }
    default:
      throw new WireError('unsupported', `cannot start decoding at ${kind}`);
  }
}

function decodeFrom(kind: Kind, bytes: Uint8Array, start: number, end: number, outer: Header | undefined, depth: number): { headers: Header[]; usedEnd: number } {
  if (depth > MAX_DEPTH) throw new WireError('unsupported', 'too many nested headers', start);
  const d = decodeOne(kind, bytes, start, end, outer);
  if (!d.next) return { headers: [d.header], usedEnd: d.payloadEnd };
  if (d.payloadStart === d.payloadEnd && d.next !== 'icmp') return { headers: [d.header], usedEnd: d.payloadEnd };
  const inner = decodeFrom(d.next, bytes, d.payloadStart, d.payloadEnd, d.header, depth + 1);
  if (inner.usedEnd < d.payloadEnd) {
    if (d.header.proto !== 'ethernet') throw new WireError('invalid', `${d.payloadEnd - inner.usedEnd} unexplained bytes after ${d.header.proto} payload`, inner.usedEnd);
    d.header.trailer = bytes.slice(inner.usedEnd, d.payloadEnd);
  }
  return { headers: [d.header, ...inner.headers], usedEnd: d.payloadEnd };
}

/** Decodes a captured frame (or a bare IPv4 packet). Throws WireError on anything malformed. */
export function decodeStack(bytes: Uint8Array, first: 'ethernet' | 'ipv4' = 'ethernet'): Header[] {
  if (!(bytes instanceof Uint8Array)) throw new WireError('invalid', 'decodeStack expects a Uint8Array');
  // a Buffer (or other subclass) would leak into every slice we keep in the reprs
  const plain = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes);
  return decodeFrom(first, plain, 0, plain.length, undefined, 0).headers;
}

export type { FieldSpan, LayerView };
