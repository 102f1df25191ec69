import { ByteReader, ByteWriter, hex16, hex32, internetChecksum, toHex } from './bytes';

export const ICMP_TYPE = { ECHO_REPLY: 0, DEST_UNREACHABLE: 3, ECHO_REQUEST: 8, TIME_EXCEEDED: 11 } as const;
export const ICMP_UNREACH = { NET: 0, HOST: 1, PROTOCOL: 2, PORT: 3, FRAGMENTATION_NEEDED: 4, ADMIN_PROHIBITED: 13 } as const;

interface IcmpBase {
  proto: 'icmp';
  /** computed when undefined */
  checksum?: number;
}
export interface IcmpEcho extends IcmpBase {
  kind: 'echo_request' | 'echo_reply';
  code?: number;
  identifier: number;
  sequence: number;
  data: Uint8Array;
}
export interface IcmpDestUnreachable extends IcmpBase {
  kind: 'dest_unreachable';
  code: number;
  /** RFC 1191: set with code 4 (fragmentation needed and DF set) */
  nextHopMtu?: number;
  /** the high 16 "unused" bits; kept so odd senders round-trip */
  unused?: number;
  /** the original IP header + first 8 bytes of its payload (see icmpQuote) */
  original: Uint8Array;
}
export interface IcmpTimeExceeded extends IcmpBase {
  kind: 'time_exceeded';
  /** 0 TTL exceeded in transit, 1 fragment reassembly time exceeded */
  code: number;
  unused?: number;
  original: Uint8Array;
}
/** Any other type: the 4 bytes after the checksum and the rest as-is. */
export interface IcmpOther extends IcmpBase {
  kind: 'other';
  type: number;
  code: number;
  restOfHeader: number;
  data: Uint8Array;
}
export type IcmpMessage = IcmpEcho | IcmpDestUnreachable | IcmpTimeExceeded | IcmpOther;

export const ICMP_HEADER_LEN = 8;

/** What an ICMP error quotes from the offending datagram: its IP header plus 8 payload bytes (RFC 792). */
export function icmpQuote(ipPacket: Uint8Array): Uint8Array {
  const ihl = (ipPacket[0] & 0xf) * 4;
  return ipPacket.slice(0, Math.min(ipPacket.length, ihl + 8));
}

export function icmpTypeOf(m: IcmpMessage): number {
  switch (m.kind) {
    case 'echo_request': return 8;
    case 'echo_reply': return 0;
    case 'dest_unreachable': return 3;
    case 'time_exceeded': return 11;
    case 'other': return m.type;
  }
}

export function icmpEncodingLength(m: IcmpMessage): number {
  switch (m.kind) {
    case 'echo_request':
    case 'echo_reply':
    case 'other': return ICMP_HEADER_LEN + m.data.length;
    case 'dest_unreachable':
    case 'time_exceeded': return ICMP_HEADER_LEN + m.original.length;
  }
}

/** Includes the ICMP body: its checksum covers everything, so it cannot be split from its payload. */
export function encodeIcmp(m: IcmpMessage): ByteWriter {
  const w = new ByteWriter();
  const type = icmpTypeOf(m);
  const code = m.code ?? 0;
  w.u8(type, 'icmp type').last('type', 1, `${type} (${m.kind})`);
  w.u8(code, 'icmp code').last('code', 1, String(code));
  w.u16(0);
  let body: Uint8Array;
  switch (m.kind) {
    case 'echo_request':
    case 'echo_reply':
      w.u16(m.identifier).last('identifier', 2, hex16(m.identifier));
      w.u16(m.sequence).last('sequence', 2, String(m.sequence));
      body = m.data;
      w.bytes(body).last('data', body.length, `${body.length} bytes`);
      break;
    case 'dest_unreachable':
      w.u16(m.unused ?? 0).last('unused', 2, String(m.unused ?? 0));
      w.u16(m.nextHopMtu ?? 0).last(m.code === 4 ? 'next_hop_mtu' : 'unused_low', 2, String(m.nextHopMtu ?? 0));
      body = m.original;
      w.bytes(body).last('original_datagram', body.length, toHex(body.subarray(0, 28)));
      break;
    case 'time_exceeded':
      w.u32(m.unused ?? 0).last('unused', 4, hex32(m.unused ?? 0));
      body = m.original;
      w.bytes(body).last('original_datagram', body.length, toHex(body.subarray(0, 28)));
      break;
    case 'other':
      w.u32(m.restOfHeader).last('rest_of_header', 4, hex32(m.restOfHeader));
      w.bytes(m.data).last('data', m.data.length, `${m.data.length} bytes`);
      break;
  }
  const sum = m.checksum ?? internetChecksum(w.finish());
  w.patchU16(2, sum);
  w.fields.push({ name: 'checksum', offset: 2, length: 2, value: hex16(sum) });
  return w;
}

export function decodeIcmp(r: ByteReader): IcmpMessage {
  const type = r.u8('icmp type');
  const code = r.u8('icmp code');
  const checksum = r.u16('icmp checksum');
  const rest = r.u32('icmp rest of header');
  const data = r.rest();
  switch (type) {
    case 8:
    case 0:
      return { proto: 'icmp', kind: type === 8 ? 'echo_request' : 'echo_reply', code, checksum, identifier: rest >>> 16, sequence: rest & 0xffff, data };
    case 3:
      return { proto: 'icmp', kind: 'dest_unreachable', code, checksum, unused: rest >>> 16, nextHopMtu: rest & 0xffff, original: data };
    case 11:
      return { proto: 'icmp', kind: 'time_exceeded', code, checksum, unused: rest, original: data };
    default:
      return { proto: 'icmp', kind: 'other', type, code, checksum, restOfHeader: rest, data };
  }
}
