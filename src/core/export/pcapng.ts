/**
 * pcapng writer (draft-ietf-opsawg-pcapng): one Section Header Block, one Interface Description
 * Block per interface, one Enhanced Packet Block per packet. Little-endian, every block and
 * option padded to 32 bits, timestamps in microseconds (the if_tsresol default, written
 * explicitly anyway so readers need not assume).
 */
import { withRoom } from '../wire/bytes';

export interface PcapngInterface {
  name: string;
  description?: string;
  /** LINKTYPE_*: 1 = Ethernet (default), 101 = raw IP */
  linkType?: number;
  snapLen?: number;
}

export interface PcapngPacket {
  /** index into the interfaces array */
  interface: number;
  timeMicros: number;
  bytes: Uint8Array;
  comment?: string;
}

const enc = new TextEncoder();
const pad4 = (n: number): number => (n + 3) & ~3;

// Bytes go straight into a growing array: a long trace writes hundreds of thousands of
// blocks, and a list of numbers per byte made the capture slower than the simulation.
class LeWriter {
  private buf: Uint8Array = new Uint8Array(256);
  private len = 0;
  private room(n: number): void {
    this.buf = withRoom(this.buf, this.len, n);
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }
  u16(v: number): void {
    this.room(2);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  pad(): void {
    while (this.len % 4) this.u8(0);
  }
  get length(): number {
    return this.len;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function option(w: LeWriter, code: number, value: Uint8Array): void {
  if (value.length > 0xffff) throw new RangeError('pcapng option too long');
  w.u16(code);
  w.u16(value.length);
  w.bytes(value);
  w.pad();
}

function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const w = new LeWriter();
  w.u32(type);
  w.u32(total);
  w.bytes(body);
  w.pad();
  w.u32(total);
  return w.finish();
}

function shb(): Uint8Array {
  const w = new LeWriter();
  w.u32(0x1a2b3c4d);
  w.u16(1);
  w.u16(0);
  // section length unknown (-1), as every streaming writer does
  w.u32(0xffffffff);
  w.u32(0xffffffff);
  option(w, 4, enc.encode('Packet Journey')); // shb_userappl
  option(w, 0, new Uint8Array(0));
  return block(0x0a0d0d0a, w.finish());
}

function idb(i: PcapngInterface): Uint8Array {
  const w = new LeWriter();
  w.u16(i.linkType ?? 1);
  w.u16(0);
  w.u32(i.snapLen ?? 0);
  option(w, 2, enc.encode(i.name)); // if_name
  if (i.description) option(w, 3, enc.encode(i.description)); // if_description
  option(w, 9, Uint8Array.of(6)); // if_tsresol: 10^-6 s
  option(w, 0, new Uint8Array(0));
  return block(0x00000001, w.finish());
}

// The block is sized up front and written in one array: this runs once per frame of the trace.
function epb(p: PcapngPacket, interfaces: readonly PcapngInterface[]): Uint8Array {
  if (!Number.isInteger(p.interface) || p.interface < 0 || p.interface >= interfaces.length) {
    throw new RangeError(`packet refers to interface ${p.interface}, only ${interfaces.length} defined`);
  }
  if (!(p.timeMicros >= 0)) throw new RangeError('negative or NaN packet time');
  const t = Math.round(p.timeMicros);
  const snap = interfaces[p.interface].snapLen ?? 0;
  const captured = snap > 0 ? p.bytes.subarray(0, snap) : p.bytes;
  const comment = p.comment === undefined ? undefined : enc.encode(p.comment);
  if (comment && comment.length > 0xffff) throw new RangeError('pcapng option too long');
  // opt_comment, then opt_endofopt
  const options = comment ? 4 + pad4(comment.length) + 4 : 0;
  const total = 12 + 20 + pad4(captured.length) + options;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x00000006, true);
  v.setUint32(4, total, true);
  v.setUint32(8, p.interface, true);
  v.setUint32(12, Math.floor(t / 2 ** 32), true);
  v.setUint32(16, t % 2 ** 32, true);
  v.setUint32(20, captured.length, true);
  v.setUint32(24, p.bytes.length, true);
  out.set(captured, 28);
  let o = 28 + pad4(captured.length);
  if (comment) {
    v.setUint16(o, 1, true);
    v.setUint16(o + 2, comment.length, true);
    out.set(comment, o + 4);
    o += 4 + pad4(comment.length) + 4;
  }
  v.setUint32(o, total, true);
  return out;
}

export function writePcapng(interfaces: readonly PcapngInterface[], packets: Iterable<PcapngPacket>, beforePackets: readonly Uint8Array[] = []): Uint8Array {
  const blocks = [...pcapngBlocks(interfaces, packets, beforePackets)];
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/** The file's blocks one at a time, in order: a writer can stream a long capture to disk
 * holding one packet's block at a time. `beforePackets` are whole blocks written after the
 * interface descriptions (a Decryption Secrets Block must precede the packets it decrypts). */
export function* pcapngBlocks(interfaces: readonly PcapngInterface[], packets: Iterable<PcapngPacket>, beforePackets: readonly Uint8Array[] = []): Generator<Uint8Array> {
  yield shb();
  for (const i of interfaces) yield idb(i);
  yield* beforePackets;
  for (const p of packets) yield epb(p, interfaces);
}
