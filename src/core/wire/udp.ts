import { ByteReader, ByteWriter, WireError, hex16, internetChecksum } from './bytes';
import { IP_PROTO, Ipv4Header, ipv4PseudoHeader } from './ipv4';

export const UDP_PORT = { DNS: 53, VXLAN: 4789 } as const;

export interface UdpHeader {
  proto: 'udp';
  srcPort: number;
  dstPort: number;
  /** header + payload, derived when undefined */
  length?: number;
  /** computed over the IPv4 pseudo-header when undefined; 0 (none) without an IPv4 outer header */
  checksum?: number;
}

export const UDP_FIELDS = { src_port: [0, 2], dst_port: [2, 4], length: [4, 6], checksum: [6, 8] } as const;
export const UDP_HEADER_LEN = 8;

/** A copy with every field in one order (see copyIpv4). */
export function copyUdp(h: UdpHeader): UdpHeader {
  return { proto: 'udp', srcPort: h.srcPort, dstPort: h.dstPort, length: h.length, checksum: h.checksum };
}

export function encodeUdp(h: UdpHeader, payload: Uint8Array, ip: Ipv4Header | undefined): ByteWriter {
  const w = new ByteWriter();
  const length = h.length ?? UDP_HEADER_LEN + payload.length;
  w.u16(h.srcPort, 'udp src port').last('src_port', 2, String(h.srcPort));
  w.u16(h.dstPort, 'udp dst port').last('dst_port', 2, String(h.dstPort));
  w.u16(length, 'udp length').last('length', 2, String(length));
  w.u16(0);
  let sum = h.checksum;
  if (sum === undefined) {
    if (ip) {
      const pseudo = ipv4PseudoHeader(ip.src, ip.dst, IP_PROTO.UDP, UDP_HEADER_LEN + payload.length);
      sum = internetChecksum(pseudo, w.finish(), payload);
      // 0 means "no checksum" in UDP, so a computed 0 is sent as its other one's-complement form
      if (sum === 0) sum = 0xffff;
    } else {
      sum = 0;
    }
  }
  w.patchU16(6, sum);
  w.fields.push({ name: 'checksum', offset: 6, length: 2, value: hex16(sum) });
  return w;
}

export function decodeUdp(r: ByteReader): { header: UdpHeader; payloadEnd: number } {
  const start = r.pos;
  const srcPort = r.u16('udp header');
  const dstPort = r.u16('udp header');
  const length = r.u16('udp header');
  const checksum = r.u16('udp header');
  if (length < UDP_HEADER_LEN) throw new WireError('invalid', `UDP length ${length} < 8`, start);
  if (start + length > r.end) throw new WireError('truncated', `UDP length ${length} exceeds ${r.end - start} available`, start);
  return { header: { proto: 'udp', srcPort, dstPort, length, checksum }, payloadEnd: start + length };
}
