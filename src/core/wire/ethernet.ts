import { ByteReader, ByteWriter, formatMac, hex16 } from './bytes';

export const ETHERTYPE = { IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, IPV6: 0x86dd } as const;
const ETHERTYPE_NAMES: Record<number, string> = { 0x0800: 'IPv4', 0x0806: 'ARP', 0x8100: '802.1Q', 0x86dd: 'IPv6' };

export interface EthernetHeader {
  proto: 'ethernet';
  dst: string;
  src: string;
  /** derived from the next header (IPv4/ARP) when undefined */
  ethertype?: number;
  /** bytes after the L3 packet, e.g. padding up to the 60-byte minimum; kept so decode/encode round-trips */
  trailer?: Uint8Array;
}

/** smoltcp-style field table: the byte ranges every view of the header derives from. */
export const ETHERNET_FIELDS = { dst: [0, 6], src: [6, 12], ethertype: [12, 14] } as const;
export const ETHERNET_HEADER_LEN = 14;
/** Without FCS: what a capture on the sending host would not show, but a wire frame has at least. */
export const ETHERNET_MIN_FRAME = 60;

export const ethertypeName = (t: number): string => ETHERTYPE_NAMES[t] ?? 'unknown';

export function encodeEthernet(h: EthernetHeader, ethertype: number): ByteWriter {
  const w = new ByteWriter();
  w.mac(h.dst).last('dst', 6, h.dst.toLowerCase());
  w.mac(h.src).last('src', 6, h.src.toLowerCase());
  w.u16(ethertype, 'ethertype').last('ethertype', 2, `${hex16(ethertype)} (${ethertypeName(ethertype)})`);
  return w;
}

export function decodeEthernet(r: ByteReader): EthernetHeader {
  r.need(ETHERNET_HEADER_LEN, 'ethernet header');
  const dst = formatMac(r.bytes(6));
  const src = formatMac(r.bytes(6));
  return { proto: 'ethernet', dst, src, ethertype: r.u16() };
}
