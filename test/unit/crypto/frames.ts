/** Ethernet / IPv4 / TCP framing for the end-to-end capture: just enough for tshark to follow one stream. */
const u16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function ipChecksum(h: number[]): number {
  let s = 0;
  for (let i = 0; i < h.length; i += 2) s += (h[i] << 8) | h[i + 1];
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export interface TcpEnd { mac: number[]; ip: number[]; port: number; seq: number }

/** One Ethernet frame carrying a TCP segment from a to b (TCP checksum left 0: tshark does not check it by default). */
export function tcpFrame(a: TcpEnd, b: TcpEnd, flags: number, payload: Uint8Array, ack: number): Uint8Array {
  const tcp = [...u16(a.port), ...u16(b.port), ...u32(a.seq), ...u32(ack), 0x50, flags, ...u16(65535), 0, 0, 0, 0];
  const totalLen = 20 + tcp.length + payload.length;
  const ip = [0x45, 0, ...u16(totalLen), 0, 1, 0x40, 0, 64, 6, 0, 0, ...a.ip, ...b.ip];
  const c = ipChecksum(ip);
  ip[10] = c >>> 8;
  ip[11] = c & 0xff;
  return Uint8Array.from([...b.mac, ...a.mac, 0x08, 0x00, ...ip, ...tcp, ...payload]);
}
