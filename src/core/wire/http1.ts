/** HTTP/1.1 messages as bytes (RFC 9112). Heads are latin1 text; bodies are opaque bytes. */
import { ByteWriter, WireError, concatBytes, fromLatin1, isAscii, latin1, utf8 } from './bytes';

export interface Http1Request {
  proto: 'http1';
  kind: 'request';
  method: string;
  target: string;
  version?: string;
  /** in order, duplicates allowed, names as written */
  headers: Array<[string, string]>;
  body?: Uint8Array;
}
export interface Http1Response {
  proto: 'http1';
  kind: 'response';
  version?: string;
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body?: Uint8Array;
}
export type Http1Message = Http1Request | Http1Response;

/** Adds Content-Length when there is a body and no length/transfer-encoding header yet. */
export function withContentLength<T extends Http1Message>(m: T): T {
  const body = m.body ?? new Uint8Array(0);
  const has = m.headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
  if (has || (body.length === 0 && m.kind === 'request')) return m;
  return { ...m, headers: [...m.headers, ['Content-Length', String(body.length)]] };
}

const CRLF = latin1('\r\n');

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 5.5: a field value is visible ASCII, SP, HTAB and obs-text (bytes 0x80-0xFF); only
 * CR, LF, NUL and the other controls are forbidden. */
const FORBIDDEN_IN_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes of a field value: the text of the .journey file is UTF-8, so non-ASCII characters
 * travel as their UTF-8 bytes, which are obs-text on the wire. */
export function fieldValueBytes(v: string): Uint8Array {
  return isAscii(v) ? latin1(v) : utf8(v);
}

// One scratch for every head line, since encoding is synchronous and never nested: a line is
// copied into the message's writer at once, and an array of its own (one per line, over 64
// bytes for the longer ones, outside V8's heap) cost more than writing the message.
let lineScratch = new Uint8Array(256);

/** `name: value` CRLF: the name is a token (ASCII), the value ASCII or UTF-8. The bytes are
 * the scratch's: read them before the next line. */
function headerLine(n: string, v: string): Uint8Array {
  if (!isAscii(v)) return concatBytes([latin1(`${n}: `), utf8(v), CRLF]);
  const len = n.length + v.length + 4;
  let out = lineScratch;
  if (out.length < len) {
    out = new Uint8Array(Math.max(len, 2 * out.length));
    // the module keeps a grown scratch only while lines are of ordinary sizes (not a huge cookie)
    if (out.length <= 0x4000) lineScratch = out;
  }
  let o = 0;
  for (let i = 0; i < n.length; i++) out[o++] = n.charCodeAt(i);
  out[o++] = 0x3a;
  out[o++] = 0x20;
  for (let i = 0; i < v.length; i++) out[o++] = v.charCodeAt(i);
  out[o++] = 0x0d;
  out[o] = 0x0a;
  return out.subarray(0, len);
}

/** Reads a field value back: UTF-8 when its bytes are, so encode(decode(x)) gives x again. */
function fieldValueText(b: Uint8Array): string | undefined {
  let ascii = true;
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) { ascii = false; break; }
  if (ascii) return fromLatin1(b);
  try { return strictUtf8.decode(b); } catch { return undefined; }
}

/** About the encoded size (exact for ASCII): a writer sized once instead of doubled from 64
 * bytes, since each array over 64 bytes is allocated outside V8's heap. */
function sizeHint(m: Http1Message, version: string): number {
  let n = version.length + 4 + (m.kind === 'request' ? m.method.length + m.target.length : 4 + m.reason.length) + 2 + (m.body?.length ?? 0);
  for (const [k, v] of m.headers) n += k.length + v.length + 4;
  return n;
}

export function encodeHttp1(m: Http1Message): ByteWriter {
  const version = m.version ?? 'HTTP/1.1';
  const w = new ByteWriter(sizeHint(m, version));
  if (m.kind === 'request') {
    if (!TOKEN.test(m.method)) throw new WireError('invalid', `bad HTTP method ${m.method}`);
    if (/[\s]/.test(m.target) || !m.target) throw new WireError('invalid', `bad request target ${m.target}`);
    const s = w.length;
    w.bytes(latin1(m.method)).last('method', m.method.length, m.method);
    w.u8(0x20);
    w.bytes(latin1(m.target)).last('target', m.target.length, m.target);
    w.u8(0x20);
    w.bytes(latin1(version)).last('version', version.length, version);
    w.bytes(CRLF);
    // a span's text is built only for a writer that keeps spans
    if (w.recording) w.span('request_line', s, `${m.method} ${m.target} ${version}`);
  } else {
    const s = w.length;
    w.bytes(latin1(version)).last('version', version.length, version);
    const st = String(m.status).padStart(3, '0');
    if (!/^\d{3}$/.test(st)) throw new WireError('invalid', `bad HTTP status ${m.status}`);
    w.u8(0x20);
    w.bytes(latin1(st)).last('status', 3, st);
    w.u8(0x20);
    w.bytes(latin1(m.reason)).last('reason', m.reason.length, m.reason);
    w.bytes(CRLF);
    if (w.recording) w.span('status_line', s, `${version} ${st} ${m.reason}`);
  }
  for (let i = 0; i < m.headers.length; i++) {
    const [n, v] = m.headers[i];
    if (!TOKEN.test(n)) throw new WireError('invalid', `bad HTTP header name ${JSON.stringify(n)}: not a token (RFC 9110 5.1)`);
    if (FORBIDDEN_IN_VALUE.test(v)) throw new WireError('invalid', `bad HTTP header value for ${n}: control characters are not allowed (RFC 9110 5.5)`);
    const s = w.length;
    w.bytes(headerLine(n, v));
    if (w.recording) w.span(`header[${i}].${n.toLowerCase()}`, s, v);
  }
  w.bytes(CRLF);
  const body = m.body;
  if (body && body.length) w.bytes(body).last('body', body.length, `${body.length} bytes`);
  return w;
}

export const http1EncodingLength = (m: Http1Message): number => encodeHttp1(m).length;

/**
 * Parses one message head and treats everything after it as the body (a segment-level view:
 * no chunked decoding, no pipelining).
 */
export function decodeHttp1(bytes: Uint8Array, start = 0, end = bytes.length): Http1Message {
  let headEnd = -1;
  for (let i = start; i + 3 < end; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      headEnd = i;
      break;
    }
  }
  if (headEnd < 0) throw new WireError('truncated', 'no end of HTTP head', start);
  const lines = fromLatin1(bytes.subarray(start, headEnd)).split('\r\n');
  const body = bytes.slice(headEnd + 4, end);
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const c = line.indexOf(':');
    const name = line.slice(0, c);
    const raw = line.slice(c + 2);
    // re-encoding writes "name: value", so accept only what will come back byte-identical
    const value = fieldValueText(latin1(raw));
    if (c <= 0 || !TOKEN.test(name) || line[c + 1] !== ' ' || /^[ \t]|[ \t]$/.test(raw) || value === undefined || FORBIDDEN_IN_VALUE.test(value)) {
      throw new WireError('invalid', `malformed HTTP header line`, start);
    }
    headers.push([name, value]);
  }
  const first = lines[0];
  let m = /^(HTTP\/\d\.\d) (\d{3}) ([^\r\n]*)$/.exec(first);
  if (m) return { proto: 'http1', kind: 'response', version: m[1], status: Number(m[2]), reason: m[3], headers, body };
  m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/\d\.\d)$/.exec(first);
  if (m) return { proto: 'http1', kind: 'request', method: m[1], target: m[2], version: m[3], headers, body };
  throw new WireError('invalid', 'not an HTTP/1.x start line', start);
}
