import { ByteReader, ByteWriter, WireError, formatIpv4, formatMac, hex16 } from './bytes';

export const ARP_OP = { REQUEST: 1, REPLY: 2 } as const;

/** ARP for IPv4 over Ethernet only (hlen 6, plen 4): the only flavour the simulation needs. */
export interface ArpPacket {
  proto: 'arp';
  hardwareType?: number; // 1 = Ethernet
  protocolType?: number; // 0x0800
  /** 1 request, 2 reply; other values round-trip */
  operation: number;
  senderMac: string;
  senderIp: string;
  /** 00:00:00:00:00:00 in a request */
  targetMac: string;
  targetIp: string;
}

export const ARP_LEN = 28;

export function encodeArp(p: ArpPacket): ByteWriter {
  const w = new ByteWriter();
  const htype = p.hardwareType ?? 1;
  const ptype = p.protocolType ?? 0x0800;
  w.u16(htype).last('hardware_type', 2, String(htype));
  w.u16(ptype).last('protocol_type', 2, hex16(ptype));
  w.u8(6).last('hardware_size', 1, '6');
  w.u8(4).last('protocol_size', 1, '4');
  const opName = p.operation === 1 ? 'request' : p.operation === 2 ? 'reply' : 'unknown';
  w.u16(p.operation, 'arp operation').last('opcode', 2, `${p.operation} (${opName})`);
  w.mac(p.senderMac).last('sender_mac', 6, p.senderMac.toLowerCase());
  w.ipv4(p.senderIp).last('sender_ip', 4, p.senderIp);
  w.mac(p.targetMac).last('target_mac', 6, p.targetMac.toLowerCase());
  w.ipv4(p.targetIp).last('target_ip', 4, p.targetIp);
  return w;
}

export function decodeArp(r: ByteReader): ArpPacket {
  const hardwareType = r.u16('arp htype');
  const protocolType = r.u16('arp ptype');
  const hlen = r.u8('arp hlen');
  const plen = r.u8('arp plen');
  if (hlen !== 6 || plen !== 4) throw new WireError('unsupported', `ARP with hlen ${hlen} plen ${plen}`, r.pos);
  const operation = r.u16('arp op');
  const senderMac = formatMac(r.bytes(6, 'arp sha'));
  const senderIp = formatIpv4(r.bytes(4, 'arp spa'));
  const targetMac = formatMac(r.bytes(6, 'arp tha'));
  const targetIp = formatIpv4(r.bytes(4, 'arp tpa'));
  return { proto: 'arp', hardwareType, protocolType, operation, senderMac, senderIp, targetMac, targetIp };
}
