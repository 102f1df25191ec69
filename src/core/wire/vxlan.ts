import { ByteReader, ByteWriter, WireError, hex8 } from './bytes';

/** RFC 7348. The I flag (0x08) says the VNI is valid. */
export interface VxlanHeader {
  proto: 'vxlan';
  /** default 0x08 (I) */
  flags?: number;
  vni: number;
  /** the 24 reserved bits after the flags and the 8 after the VNI; kept so decode round-trips */
  reserved1?: number;
  reserved2?: number;
}

export const VXLAN_HEADER_LEN = 8;
export const VXLAN_UDP_PORT = 4789;

export function encodeVxlan(h: VxlanHeader): ByteWriter {
  const w = new ByteWriter();
  const flags = h.flags ?? 0x08;
  w.u8(flags, 'vxlan flags').last('flags', 1, `${hex8(flags)}${flags & 0x08 ? ' (I: VNI valid)' : ''}`);
  w.u24(h.reserved1 ?? 0, 'vxlan reserved').last('reserved', 3, String(h.reserved1 ?? 0));
  w.u24(h.vni, 'vxlan vni').last('vni', 3, String(h.vni));
  w.u8(h.reserved2 ?? 0, 'vxlan reserved').last('reserved2', 1, String(h.reserved2 ?? 0));
  return w;
}

export function decodeVxlan(r: ByteReader): VxlanHeader {
  if (r.remaining < VXLAN_HEADER_LEN) throw new WireError('truncated', 'truncated VXLAN header', r.pos);
  const flags = r.u8();
  const reserved1 = r.u24();
  const vni = r.u24();
  const reserved2 = r.u8();
  return { proto: 'vxlan', flags, reserved1, vni, reserved2 };
}
