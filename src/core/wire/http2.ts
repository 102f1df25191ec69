/** HTTP/2 framing (RFC 9113). Header blocks are opaque here; Hpack turns them into header lists. */
import { ByteReader, ByteWriter, WireError, bytesEqual, fromLatin1, hex8, latin1, toHex } from './bytes';
import { HeaderList, Hpack } from './hpack-context';

export const H2_PREFACE = latin1('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
export const H2_FRAME_TYPE = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const H2_FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
export const H2_SETTING = { HEADER_TABLE_SIZE: 1, ENABLE_PUSH: 2, MAX_CONCURRENT_STREAMS: 3, INITIAL_WINDOW_SIZE: 4, MAX_FRAME_SIZE: 5, MAX_HEADER_LIST_SIZE: 6 } as const;
export const H2_ERROR = { NO_ERROR: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2, FLOW_CONTROL_ERROR: 3, REFUSED_STREAM: 7, CANCEL: 8, COMPRESSION_ERROR: 9 } as const;
export const H2_FRAME_HEADER_LEN = 9;

interface FrameBase {
  /** flags as on the wire; PADDED/PRIORITY are added from `padding`/`priority` when present */
  flags?: number;
  streamId: number;
  /** the reserved bit before the stream id */
  reservedBit?: boolean;
  /** payload length, derived when undefined */
  length?: number;
}
export interface H2Priority {
  exclusive: boolean;
  dependency: number;
  /** 0-255 on the wire (weight - 1) */
  weight: number;
}
export interface H2Data extends FrameBase { kind: 'data'; data: Uint8Array; padding?: Uint8Array }
export interface H2Headers extends FrameBase {
  kind: 'headers';
  headerBlock: Uint8Array;
  padding?: Uint8Array;
  priority?: H2Priority;
  /** decoded list for display; not used when encoding (headerBlock is the truth) */
  headers?: HeaderList;
}
export interface H2Settings extends FrameBase { kind: 'settings'; settings: Array<{ id: number; value: number }> }
export interface H2WindowUpdate extends FrameBase { kind: 'window_update'; increment: number; incrementReservedBit?: boolean }
export interface H2Goaway extends FrameBase { kind: 'goaway'; lastStreamId: number; errorCode: number; debugData?: Uint8Array }
export interface H2Ping extends FrameBase { kind: 'ping'; data: Uint8Array }
export interface H2RstStream extends FrameBase { kind: 'rst_stream'; errorCode: number }
export interface H2Unknown extends FrameBase { kind: 'unknown'; type: number; payload: Uint8Array }
export type Http2Frame = H2Data | H2Headers | H2Settings | H2WindowUpdate | H2Goaway | H2Ping | H2RstStream | H2Unknown;

export interface Http2Frames {
  proto: 'http2';
  /** the client connection preface precedes the frames */
  preface?: boolean;
  frames: Http2Frame[];
}

export function h2FrameType(f: Http2Frame): number {
  switch (f.kind) {
    case 'data': return 0;
    case 'headers': return 1;
    case 'rst_stream': return 3;
    case 'settings': return 4;
    case 'ping': return 6;
    case 'goaway': return 7;
    case 'window_update': return 8;
    case 'unknown': return f.type;
  }
}

function frameFlags(f: Http2Frame): number {
  let flags = f.flags ?? 0;
  if ((f.kind === 'data' || f.kind === 'headers') && f.padding) flags |= H2_FLAG.PADDED;
  if (f.kind === 'headers' && f.priority) flags |= H2_FLAG.PRIORITY;
  return flags;
}

// Spans (and the text of their values) are made only for a writer that keeps them: the capture
// path encodes every frame without, and would otherwise build every name and value string.
function encodePayload(w: ByteWriter, f: Http2Frame, p: string): void {
  const rec = w.recording;
  switch (f.kind) {
    case 'data':
    case 'headers': {
      if (f.padding) {
        w.u8(f.padding.length, 'pad length');
        if (rec) w.last(`${p}pad_length`, 1, String(f.padding.length));
      }
      if (f.kind === 'headers' && f.priority) {
        const pr = f.priority;
        w.u32(((pr.exclusive ? 0x80000000 : 0) | pr.dependency) >>> 0, 'stream dependency').u8(pr.weight, 'weight');
        if (rec) w.last(`${p}priority`, 5, `exclusive ${pr.exclusive}, depends on ${pr.dependency}, weight ${pr.weight + 1}`);
      }
      const body = f.kind === 'data' ? f.data : f.headerBlock;
      w.bytes(body);
      if (rec) {
        w.last(f.kind === 'data' ? `${p}data` : `${p}header_block`, body.length,
          f.kind === 'headers' && f.headers ? f.headers.map(([n, v]) => `${n}: ${v}`).join('; ') : `${body.length} bytes`);
      }
      if (f.padding) {
        w.bytes(f.padding);
        if (rec) w.last(`${p}padding`, f.padding.length, toHex(f.padding));
      }
      return;
    }
    case 'settings':
      for (let i = 0; i < f.settings.length; i++) {
        const s = f.settings[i];
        w.u16(s.id).u32(s.value);
        if (rec) w.last(`${p}setting[${i}]`, 6, `${s.id} = ${s.value}`);
      }
      return;
    case 'window_update':
      w.u32(((f.incrementReservedBit ? 0x80000000 : 0) | f.increment) >>> 0, 'window increment');
      if (rec) w.last(`${p}window_increment`, 4, String(f.increment));
      return;
    case 'goaway':
      w.u32(f.lastStreamId, 'last stream id');
      if (rec) w.last(`${p}last_stream_id`, 4, String(f.lastStreamId));
      w.u32(f.errorCode);
      if (rec) w.last(`${p}error_code`, 4, String(f.errorCode));
      if (f.debugData?.length) {
        w.bytes(f.debugData);
        if (rec) w.last(`${p}debug_data`, f.debugData.length, fromLatin1(f.debugData));
      }
      return;
    case 'ping':
      if (f.data.length !== 8) throw new WireError('invalid', 'PING payload must be 8 bytes');
      w.bytes(f.data);
      if (rec) w.last(`${p}opaque_data`, 8, toHex(f.data));
      return;
    case 'rst_stream':
      w.u32(f.errorCode);
      if (rec) w.last(`${p}error_code`, 4, String(f.errorCode));
      return;
    case 'unknown':
      w.bytes(f.payload);
      if (rec) w.last(`${p}payload`, f.payload.length, `${f.payload.length} bytes`);
      return;
  }
}

export function encodeHttp2Frame(w: ByteWriter, f: Http2Frame, prefix: string): void {
  if (f.streamId < 0 || f.streamId > 0x7fffffff) throw new WireError('invalid', `bad stream id ${f.streamId}`);
  const rec = w.recording;
  // the length is patched in afterwards, as lengthPrefix would, without its closure per frame
  const lenAt = w.length;
  w.zeros(3);
  const t = h2FrameType(f);
  const flags = frameFlags(f);
  w.u8(t);
  if (rec) w.last(`${prefix}type`, 1, `${t} (${f.kind})`);
  w.u8(flags, 'frame flags');
  if (rec) w.last(`${prefix}flags`, 1, hex8(flags));
  w.u32(((f.reservedBit ? 0x80000000 : 0) | f.streamId) >>> 0);
  if (rec) w.last(`${prefix}stream_id`, 4, String(f.streamId));
  const start = w.length;
  encodePayload(w, f, prefix);
  const n = f.length ?? w.length - start;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffff) throw new WireError('invalid', `length out of range for 24 bits: ${n}`);
  w.patchU16(lenAt + 1, n & 0xffff);
  w.patchU16(lenAt, n >>> 8);
  if (rec) w.fields.push({ name: `${prefix}length`, offset: lenAt, length: 3, value: String(n) });
}

/** About the encoded size: the writer is sized once instead of doubled from 64 bytes (each
 * array over 64 bytes is allocated outside V8's heap). */
function sizeHint(h: Http2Frames): number {
  let n = h.preface ? H2_PREFACE.length : 0;
  for (const f of h.frames) {
    n += H2_FRAME_HEADER_LEN;
    switch (f.kind) {
      case 'data': n += f.data.length + (f.padding ? 1 + f.padding.length : 0); break;
      case 'headers': n += f.headerBlock.length + (f.padding ? 1 + f.padding.length : 0) + (f.priority ? 5 : 0); break;
      case 'settings': n += 6 * f.settings.length; break;
      case 'goaway': n += 8 + (f.debugData?.length ?? 0); break;
      case 'unknown': n += f.payload.length; break;
      default: n += 8;
    }
  }
  return n;
}

export function encodeHttp2(h: Http2Frames): ByteWriter {
  const w = new ByteWriter(sizeHint(h));
  if (h.preface) w.bytes(H2_PREFACE).last('preface', H2_PREFACE.length, 'PRI * HTTP/2.0');
  for (let i = 0; i < h.frames.length; i++) encodeHttp2Frame(w, h.frames[i], w.recording ? `frame[${i}].` : '');
  return w;
}

export const http2EncodingLength = (h: Http2Frames): number => encodeHttp2(h).length;

function decodePayload(type: number, flags: number, streamId: number, reservedBit: boolean, r: ByteReader): Http2Frame {
  const base = { flags, streamId, reservedBit };
  if (type === 0 || type === 1) {
    const padLen = flags & H2_FLAG.PADDED ? r.u8('pad length') : -1;
    let priority: H2Priority | undefined;
    if (type === 1 && flags & H2_FLAG.PRIORITY) {
      const dep = r.u32('priority');
      priority = { exclusive: !!(dep & 0x80000000), dependency: dep & 0x7fffffff, weight: r.u8('weight') };
    }
    const bodyLen = r.remaining - Math.max(padLen, 0);
    if (bodyLen < 0) throw new WireError('invalid', 'HTTP/2 padding exceeds payload', r.pos);
    const body = r.bytes(bodyLen);
    const padding = padLen >= 0 ? r.bytes(padLen) : undefined;
    if (type === 0) return { kind: 'data', ...base, data: body, padding };
    return { kind: 'headers', ...base, headerBlock: body, padding, priority };
  }
  switch (type) {
    case 3: return { kind: 'rst_stream', ...base, errorCode: r.u32() };
    case 4: {
      if (r.remaining % 6) throw new WireError('invalid', 'SETTINGS length not a multiple of 6', r.pos);
      const settings: Array<{ id: number; value: number }> = [];
      while (r.remaining) settings.push({ id: r.u16(), value: r.u32() });
      return { kind: 'settings', ...base, settings };
    }
    case 6: return { kind: 'ping', ...base, data: r.bytes(8) };
    case 7: return { kind: 'goaway', ...base, lastStreamId: r.u32(), errorCode: r.u32(), debugData: r.rest() };
    case 8: {
      const v = r.u32();
      return { kind: 'window_update', ...base, increment: v & 0x7fffffff, incrementReservedBit: !!(v & 0x80000000) };
    }
    default: return { kind: 'unknown', ...base, type, payload: r.rest() };
  }
}

export function decodeHttp2(bytes: Uint8Array, start = 0, end = bytes.length): Http2Frames {
  const r = new ByteReader(bytes, start, end);
  let preface = false;
  if (r.remaining >= H2_PREFACE.length && bytesEqual(bytes.subarray(start, start + H2_PREFACE.length), H2_PREFACE)) {
    preface = true;
    r.pos += H2_PREFACE.length;
  }
  const frames: Http2Frame[] = [];
  while (r.remaining) {
    const frameStart = r.pos;
    const length = r.u24('frame header');
    const type = r.u8('frame header');
    const flags = r.u8('frame header');
    const sid = r.u32('frame header');
    const payload = r.bytes(length, 'HTTP/2 frame payload');
    let f: Http2Frame;
    try {
      const pr = new ByteReader(payload);
      f = decodePayload(type, flags, sid & 0x7fffffff, !!(sid & 0x80000000), pr);
      pr.expectEnd('HTTP/2 frame');
      const w = new ByteWriter();
      encodeHttp2Frame(w, f, '');
      if (!bytesEqual(w.finish(), bytes.subarray(frameStart, r.pos))) throw new WireError('invalid', 'non-canonical frame');
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      f = { kind: 'unknown', type, flags, streamId: sid & 0x7fffffff, reservedBit: !!(sid & 0x80000000), payload };
    }
    frames.push(f);
  }
  if (!preface && frames.length === 0) throw new WireError('truncated', 'no HTTP/2 frames', start);
  return { proto: 'http2', preface, frames };
}

/** A HEADERS frame whose block is produced by (and advances) the connection's Hpack context. */
export function headersFrame(ctx: Hpack, streamId: number, headers: HeaderList, o: { endStream?: boolean; huffman?: boolean } = {}): H2Headers {
  const headerBlock = ctx.encode(headers, { huffman: o.huffman });
  return { kind: 'headers', streamId, flags: H2_FLAG.END_HEADERS | (o.endStream ? H2_FLAG.END_STREAM : 0), headerBlock, headers };
}

/** Fills in `headers` on every HEADERS frame using the receiving side's Hpack context, in order. */
export function decodeHeaderBlocks(frames: Http2Frames, ctx: Hpack): Http2Frames {
  return { ...frames, frames: frames.frames.map((f) => (f.kind === 'headers' ? { ...f, headers: ctx.decode(f.headerBlock) } : f)) };
}
