import { ByteReader, ByteWriter, WireError, hex16, hex8, internetChecksum, toHex } from './bytes';
import { IP_PROTO, Ipv4Header, ipv4PseudoHeader } from './ipv4';

export interface TcpFlags {
  fin?: boolean;
  syn?: boolean;
  rst?: boolean;
  psh?: boolean;
  ack?: boolean;
  urg?: boolean;
  ece?: boolean;
  cwr?: boolean;
  /** RFC 3540 nonce sum, the low bit of byte 12 */
  ns?: boolean;
}

export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sack_perm' }
  | { kind: 'sack'; blocks: Array<[left: number, right: number]> }
  | { kind: 'timestamps'; tsval: number; tsecr: number }
  | { kind: 'unknown'; type: number; data: Uint8Array }
  /** non-zero bytes after EOL, written raw so odd captures round-trip */
  | { kind: 'padding'; data: Uint8Array };

export interface TcpHeader {
  proto: 'tcp';
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** in 32-bit words; derived from the options (padded with EOL) when undefined */
  dataOffset?: number;
  /** the 3 reserved bits between data offset and NS */
  reserved?: number;
  flags: TcpFlags;
  window: number;
  /** computed over the IPv4 pseudo-header when undefined */
  checksum?: number;
  urgentPointer?: number;
  options?: TcpOption[];
}

export const TCP_FIELDS = {
  src_port: [0, 2], dst_port: [2, 4], seq: [4, 8], ack: [8, 12], data_offset_flags: [12, 14],
  window: [14, 16], checksum: [16, 18], urgent_pointer: [18, 20],
} as const;
export const TCP_MIN_HEADER_LEN = 20;

/** The option order Linux uses in a SYN/SYN-ACK: 20 option bytes, so a 40-byte TCP header. */
export function linuxSynOptions(o: { mss: number; tsval: number; tsecr?: number; wscale: number }): TcpOption[] {
  return [
    { kind: 'mss', value: o.mss },
    { kind: 'sack_perm' },
    { kind: 'timestamps', tsval: o.tsval, tsecr: o.tsecr ?? 0 },
    { kind: 'nop' },
    { kind: 'wscale', shift: o.wscale },
  ];
}

/** What Linux puts on every established-state segment when timestamps were negotiated. */
export function linuxTimestampOptions(tsval: number, tsecr: number): TcpOption[] {
  return [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval, tsecr }];
}

export function tcpOptionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'eol':
    case 'nop': return 1;
    case 'mss': return 4;
    case 'wscale': return 3;
    case 'sack_perm': return 2;
    case 'sack': return 2 + 8 * o.blocks.length;
    case 'timestamps': return 10;
    case 'unknown': return 2 + o.data.length;
    case 'padding': return o.data.length;
  }
}

/** A copy with every field in one order (see copyIpv4); flags and options are shared, since
 * nothing edits them once a segment is sent. */
export function copyTcp(h: TcpHeader): TcpHeader {
  return { proto: 'tcp', srcPort: h.srcPort, dstPort: h.dstPort, seq: h.seq, ack: h.ack, dataOffset: h.dataOffset, reserved: h.reserved, flags: h.flags, window: h.window, checksum: h.checksum, urgentPointer: h.urgentPointer, options: h.options };
}

export function tcpHeaderLength(h: TcpHeader): number {
  if (h.dataOffset !== undefined) return h.dataOffset * 4;
  let opt = 0;
  if (h.options) for (const o of h.options) opt += tcpOptionLength(o);
  return TCP_MIN_HEADER_LEN + Math.ceil(opt / 4) * 4;
}

function flagNames(f: TcpFlags): string {
  const names: Array<[keyof TcpFlags, string]> = [['ns', 'NS'], ['cwr', 'CWR'], ['ece', 'ECE'], ['urg', 'URG'], ['ack', 'ACK'], ['psh', 'PSH'], ['rst', 'RST'], ['syn', 'SYN'], ['fin', 'FIN']];
  return names.filter(([k]) => f[k]).map(([, n]) => n).join(',') || 'none';
}

function encodeOption(w: ByteWriter, o: TcpOption, i: number): void {
  const start = w.length;
  const name = `option[${i}].${o.kind}`;
  switch (o.kind) {
    case 'eol': w.u8(0); w.span(name, start, 'EOL'); return;
    case 'nop': w.u8(1); w.span(name, start, 'NOP'); return;
    case 'mss': w.u8(2).u8(4).u16(o.value, 'mss'); w.span(name, start, String(o.value)); return;
    case 'wscale': w.u8(3).u8(3).u8(o.shift, 'window scale'); w.span(name, start, `shift ${o.shift} (x${2 ** o.shift})`); return;
    case 'sack_perm': w.u8(4).u8(2); w.span(name, start, 'SACK permitted'); return;
    case 'sack':
      if (o.blocks.length > 4) throw new WireError('invalid', 'at most 4 SACK blocks fit in TCP options');
      w.u8(5).u8(2 + 8 * o.blocks.length);
      for (const [l, r] of o.blocks) w.u32(l, 'sack left').u32(r, 'sack right');
      w.span(name, start, o.blocks.map(([l, r]) => `${l}-${r}`).join(' '));
      return;
    case 'timestamps': w.u8(8).u8(10).u32(o.tsval, 'tsval').u32(o.tsecr, 'tsecr'); w.span(name, start, `TSval ${o.tsval}, TSecr ${o.tsecr}`); return;
    case 'unknown': w.u8(o.type).u8(2 + o.data.length, 'option length').bytes(o.data); w.span(name, start, `kind ${o.type}: ${toHex(o.data)}`); return;
    case 'padding': w.bytes(o.data); w.span(name, start, toHex(o.data)); return;
  }
}

export function encodeTcp(h: TcpHeader, payload: Uint8Array, ip: Ipv4Header | undefined): ByteWriter {
  const hlen = tcpHeaderLength(h);
  if (hlen < 20 || hlen > 60 || hlen % 4) throw new WireError('invalid', `TCP header length ${hlen} out of range`);
  const w = new ByteWriter();
  w.u16(h.srcPort, 'tcp src port').last('src_port', 2, String(h.srcPort));
  w.u16(h.dstPort, 'tcp dst port').last('dst_port', 2, String(h.dstPort));
  w.u32(h.seq, 'tcp seq').last('seq', 4, String(h.seq));
  w.u32(h.ack, 'tcp ack').last('ack', 4, String(h.ack));
  const f = h.flags;
  const b12 = ((hlen / 4) << 4) | (((h.reserved ?? 0) & 7) << 1) | (f.ns ? 1 : 0);
  const b13 = (f.cwr ? 0x80 : 0) | (f.ece ? 0x40 : 0) | (f.urg ? 0x20 : 0) | (f.ack ? 0x10 : 0) | (f.psh ? 0x08 : 0) | (f.rst ? 0x04 : 0) | (f.syn ? 0x02 : 0) | (f.fin ? 0x01 : 0);
  w.u8(b12).u8(b13).last('data_offset_flags', 2, `data offset ${hlen / 4} (${hlen} bytes); flags ${hex8(b13)} ${flagNames(f)}`);
  w.u16(h.window, 'tcp window').last('window', 2, String(h.window));
  w.u16(0);
  const urg = h.urgentPointer ?? 0;
  w.u16(urg, 'urgent pointer').last('urgent_pointer', 2, String(urg));
  (h.options ?? []).forEach((o, i) => encodeOption(w, o, i));
  if (w.length > hlen) throw new WireError('invalid', `TCP options need ${w.length - 20} bytes, data offset allows ${hlen - 20}`);
  // padding is EOL (0), which is what every stack emits after the last option
  w.zeros(hlen - w.length);
  let sum = h.checksum;
  if (sum === undefined) {
    sum = ip ? internetChecksum(ipv4PseudoHeader(ip.src, ip.dst, IP_PROTO.TCP, hlen + payload.length), w.finish(), payload) : 0;
  }
  w.patchU16(16, sum);
  w.fields.push({ name: 'checksum', offset: 16, length: 2, value: hex16(sum) });
  return w;
}

function decodeOptions(r: ByteReader): TcpOption[] {
  const out: TcpOption[] = [];
  while (r.remaining > 0) {
    const kind = r.u8();
    if (kind === 0) {
      out.push({ kind: 'eol' });
      // bytes after EOL are padding; keep non-zero padding as an unknown blob so it round-trips
      const rest = r.rest();
      if (rest.some((b) => b !== 0)) out.push({ kind: 'padding', data: rest });
      break;
    }
    if (kind === 1) {
      out.push({ kind: 'nop' });
      continue;
    }
    const len = r.u8('tcp option length');
    if (len < 2) throw new WireError('invalid', `TCP option ${kind} with length ${len}`, r.pos - 1);
    const body = r.sub(len - 2, 'tcp option');
    if (kind === 2 && len === 4) out.push({ kind: 'mss', value: body.u16() });
    else if (kind === 3 && len === 3) out.push({ kind: 'wscale', shift: body.u8() });
    else if (kind === 4 && len === 2) out.push({ kind: 'sack_perm' });
    else if (kind === 8 && len === 10) out.push({ kind: 'timestamps', tsval: body.u32(), tsecr: body.u32() });
    else if (kind === 5 && (len - 2) % 8 === 0 && len > 2) {
      const blocks: Array<[number, number]> = [];
      while (body.remaining) blocks.push([body.u32(), body.u32()]);
      out.push({ kind: 'sack', blocks });
    } else out.push({ kind: 'unknown', type: kind, data: body.rest() });
  }
  return out;
}

export function decodeTcp(r: ByteReader): TcpHeader {
  const start = r.pos;
  r.need(20, 'TCP header');
  const srcPort = r.u16();
  const dstPort = r.u16();
  const seq = r.u32();
  const ack = r.u32();
  const b12 = r.u8();
  const b13 = r.u8();
  const window = r.u16();
  const checksum = r.u16();
  const urgentPointer = r.u16();
  const dataOffset = b12 >> 4;
  if (dataOffset < 5) throw new WireError('invalid', `TCP data offset ${dataOffset} < 5`, start);
  const optReader = r.sub(dataOffset * 4 - 20, 'TCP options');
  const flags: TcpFlags = {
    fin: !!(b13 & 1), syn: !!(b13 & 2), rst: !!(b13 & 4), psh: !!(b13 & 8), ack: !!(b13 & 0x10),
    urg: !!(b13 & 0x20), ece: !!(b13 & 0x40), cwr: !!(b13 & 0x80), ns: !!(b12 & 1),
  };
  const h: TcpHeader = { proto: 'tcp', srcPort, dstPort, seq, ack, dataOffset, reserved: (b12 >> 1) & 7, flags, window, checksum, urgentPointer };
  if (dataOffset > 5) h.options = decodeOptions(optReader);
  return h;
}
