import { ByteReader, ByteWriter, WireError, formatIpv4, hex16, internetChecksum, sharedIpv4Bytes, toHex } from './bytes';

export const IP_PROTO = { ICMP: 1, TCP: 6, UDP: 17 } as const;
const PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

export interface Ipv4Header {
  proto: 'ipv4';
  /** always 4 when encoding; kept so a decoded header shows what was there */
  version?: number;
  /** header length in 32-bit words; derived from options when undefined */
  ihl?: number;
  dscp?: number;
  ecn?: number;
  /** derived (header + payload) when undefined */
  totalLength?: number;
  identification?: number;
  reservedFlag?: boolean;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** in BYTES (a multiple of 8), as Wireshark shows it; the wire carries it in 8-byte units */
  fragmentOffset?: number;
  ttl: number;
  /** derived from the next header (ICMP/TCP/UDP) when undefined */
  protocol?: number;
  /** computed when undefined */
  checksum?: number;
  src: string;
  dst: string;
  /** raw option bytes; padded with zeros (EOL) to a multiple of 4 */
  options?: Uint8Array;
}

export const IPV4_FIELDS = {
  version_ihl: [0, 1], dscp_ecn: [1, 2], total_length: [2, 4], identification: [4, 6], flags_fragment: [6, 8],
  ttl: [8, 9], protocol: [9, 10], checksum: [10, 12], src: [12, 16], dst: [16, 20],
} as const;
export const IPV4_MIN_HEADER_LEN = 20;

export const ipProtoName = (p: number): string => PROTO_NAMES[p] ?? 'unknown';

/** A copy with every field, always in this order: copies of copies keep one shape. (A spread
 * gives each generation of copies a shape of its own, and copying those is several times
 * slower: a router copies the header of every packet it forwards.) */
export function copyIpv4(h: Ipv4Header): Ipv4Header {
  return {
    proto: 'ipv4', version: h.version, ihl: h.ihl, dscp: h.dscp, ecn: h.ecn, totalLength: h.totalLength, identification: h.identification,
    reservedFlag: h.reservedFlag, dontFragment: h.dontFragment, moreFragments: h.moreFragments, fragmentOffset: h.fragmentOffset,
    ttl: h.ttl, protocol: h.protocol, checksum: h.checksum, src: h.src, dst: h.dst, options: h.options,
  };
}

export function ipv4HeaderLength(h: Ipv4Header): number {
  if (h.ihl !== undefined) return h.ihl * 4;
  const opt = h.options?.length ?? 0;
  return IPV4_MIN_HEADER_LEN + Math.ceil(opt / 4) * 4;
}

export function encodeIpv4(h: Ipv4Header, payloadLength: number, protocol: number): ByteWriter {
  const hlen = ipv4HeaderLength(h);
  const optLen = h.options?.length ?? 0;
  if (hlen < 20 || hlen > 60 || hlen % 4 || optLen > hlen - 20) {
    throw new WireError('invalid', `IPv4 header length ${hlen} cannot hold ${optLen} option bytes`);
  }
  const version = h.version ?? 4;
  const dscp = h.dscp ?? 0;
  const ecn = h.ecn ?? 0;
  const total = h.totalLength ?? hlen + payloadLength;
  const frag = h.fragmentOffset ?? 0;
  if (frag % 8) throw new WireError('invalid', `fragment offset ${frag} is not a multiple of 8`);
  const df = !!h.dontFragment;
  const mf = !!h.moreFragments;
  const rf = !!h.reservedFlag;

  const w = new ByteWriter();
  w.u8(((version & 0xf) << 4) | (hlen / 4)).last('version_ihl', 1, `version ${version}, ihl ${hlen / 4} (${hlen} bytes)`);
  w.u8(((dscp & 0x3f) << 2) | (ecn & 3)).last('dscp_ecn', 1, `dscp ${dscp}, ecn ${ecn}`);
  w.u16(total, 'IPv4 total length').last('total_length', 2, String(total));
  const id = h.identification ?? 0;
  w.u16(id, 'IPv4 identification').last('identification', 2, hex16(id));
  const ff = (rf ? 0x8000 : 0) | (df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | (frag / 8);
  w.u16(ff, 'IPv4 fragment offset').last('flags_fragment', 2,
    `flags: ${[rf && 'RF', df && 'DF', mf && 'MF'].filter(Boolean).join(',') || 'none'}; fragment offset ${frag}`);
  w.u8(h.ttl, 'IPv4 ttl').last('ttl', 1, String(h.ttl));
  w.u8(protocol, 'IPv4 protocol').last('protocol', 1, `${protocol} (${ipProtoName(protocol)})`);
  const checksumAt = w.length;
  w.u16(0);
  w.ipv4(h.src).last('src', 4, h.src);
  w.ipv4(h.dst).last('dst', 4, h.dst);
  if (h.options) {
    w.bytes(h.options).last('options', optLen, toHex(h.options));
  }
  w.zeros(hlen - w.length);
  const header = w.finish();
  const sum = h.checksum ?? internetChecksum(header);
  w.patchU16(checksumAt, sum);
  w.fields.push({ name: 'checksum', offset: checksumAt, length: 2, value: hex16(sum) });
  return w;
}

export interface DecodedIpv4 {
  header: Ipv4Header;
  headerLength: number;
  totalLength: number;
}

export function decodeIpv4(r: ByteReader): DecodedIpv4 {
  const start = r.pos;
  const vihl = r.u8('IPv4 header');
  const version = vihl >> 4;
  if (version !== 4) throw new WireError('invalid', `IP version ${version}, expected 4`, start);
  const ihl = vihl & 0xf;
  if (ihl < 5) throw new WireError('invalid', `IPv4 IHL ${ihl} < 5`, start);
  r.need(ihl * 4 - 1, 'IPv4 header');
  const tos = r.u8();
  const totalLength = r.u16();
  if (totalLength < ihl * 4) throw new WireError('invalid', `IPv4 total length ${totalLength} < header ${ihl * 4}`, start);
  if (start + totalLength > r.end) throw new WireError('truncated', `IPv4 total length ${totalLength} exceeds ${r.end - start} available`, start);
  const identification = r.u16();
  const ff = r.u16();
  const ttl = r.u8();
  const protocol = r.u8();
  const checksum = r.u16();
  const src = formatIpv4(r.bytes(4));
  const dst = formatIpv4(r.bytes(4));
  const header: Ipv4Header = {
    proto: 'ipv4', version, ihl, dscp: tos >> 2, ecn: tos & 3, totalLength, identification,
    reservedFlag: !!(ff & 0x8000), dontFragment: !!(ff & 0x4000), moreFragments: !!(ff & 0x2000),
    fragmentOffset: (ff & 0x1fff) * 8, ttl, protocol, checksum, src, dst,
  };
  if (ihl > 5) header.options = r.bytes(ihl * 4 - 20, 'IPv4 options');
  return { header, headerLength: ihl * 4, totalLength };
}

/** True when the header's checksum matches its bytes (for panels that flag a bad checksum). */
export function ipv4ChecksumOk(headerBytes: Uint8Array): boolean {
  return internetChecksum(headerBytes) === 0;
}

export interface Ipv4Fragment {
  header: Ipv4Header;
  payload: Uint8Array;
}

/**
 * Splits an IP payload (the already-encoded transport segment, checksum included, so the
 * reassembled datagram verifies) into fragments that fit `mtu`. Throws
 * WireError('fragmentation-needed') when DF is set and the packet does not fit: that is the
 * point where a router sends ICMP type 3 code 4.
 */
export function fragmentIpv4(header: Ipv4Header, payload: Uint8Array, mtu: number): Ipv4Fragment[] {
  const hlen = ipv4HeaderLength({ ...header, ihl: undefined });
  const base = header.fragmentOffset ?? 0;
  const strip = (h: Ipv4Header): Ipv4Header => ({ ...h, ihl: undefined, totalLength: undefined, checksum: undefined });
  if (hlen + payload.length <= mtu) return [{ header: strip(header), payload }];
  if (header.dontFragment) {
    throw new WireError('fragmentation-needed', `packet of ${hlen + payload.length} bytes exceeds MTU ${mtu} with DF set`);
  }
  const chunk = Math.floor((mtu - hlen) / 8) * 8;
  if (chunk < 8) throw new WireError('invalid', `MTU ${mtu} too small to fragment`);
  const out: Ipv4Fragment[] = [];
  for (let off = 0; off < payload.length; off += chunk) {
    const last = off + chunk >= payload.length;
    out.push({
      header: { ...strip(header), fragmentOffset: base + off, moreFragments: last ? !!header.moreFragments : true },
      payload: payload.slice(off, off + chunk),
    });
  }
  return out;
}

/** IPv4 pseudo-header for TCP/UDP checksums (RFC 793 / 768). */
export function ipv4PseudoHeader(src: string, dst: string, protocol: number, length: number): Uint8Array {
  const p = new Uint8Array(12);
  p.set(sharedIpv4Bytes(src), 0);
  p.set(sharedIpv4Bytes(dst), 4);
  p[9] = protocol;
  p[10] = length >>> 8;
  p[11] = length & 0xff;
  return p;
}
