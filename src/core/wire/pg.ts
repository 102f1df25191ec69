/**
 * PostgreSQL wire protocol v3 (frontend and backend messages).
 *
 * Encoding is ours for both directions: pg-protocol's serializer shares one mutable writer, infers
 * each Bind parameter's format from its JS type and always writes a single result-format code,
 * so it cannot reproduce every message a repr describes; the tests check our bytes against it
 * for the messages it can produce. Backend decoding goes through pg-protocol's Parser; anything
 * whose parsed form would not re-encode to the same bytes (e.g. non-UTF-8 column values, which
 * the Parser's text mode turns into strings) is kept as `unknown` with its raw body.
 */
import { Parser } from 'pg-protocol/dist/parser';
import type { BackendMessage } from 'pg-protocol/dist/messages';
import { ByteReader, ByteWriter, WireError, bytesEqual, fromUtf8, isAscii, latin1, toHex, utf8 } from './bytes';
import { toNodeBuffer } from './node-buffer';

export const PG_PORT = 5432;
export const PG_PROTOCOL_3 = 196608;
const SSL_REQUEST_CODE = 80877103;

export interface PgField {
  name: string;
  tableOid: number;
  columnAttr: number;
  typeOid: number;
  typeSize: number;
  typeModifier: number;
  /** 0 text, 1 binary */
  format: number;
}

export type PgFrontendMessage =
  | { type: 'startup'; protocolVersion?: number; params: Array<[string, string]> }
  | { type: 'ssl_request' }
  | { type: 'query'; sql: string }
  | { type: 'parse'; name: string; query: string; paramTypes: number[] }
  | { type: 'bind'; portal: string; statement: string; paramFormats: number[]; values: Array<Uint8Array | null>; resultFormats: number[] }
  | { type: 'describe'; target: 'S' | 'P'; name: string }
  | { type: 'execute'; portal: string; maxRows: number }
  | { type: 'close'; target: 'S' | 'P'; name: string }
  | { type: 'sync' }
  | { type: 'flush' }
  | { type: 'terminate' };

export type PgBackendMessage =
  | { type: 'authentication_ok' }
  | { type: 'parameter_status'; name: string; value: string }
  | { type: 'backend_key_data'; processId: number; secretKey: number }
  | { type: 'ready_for_query'; status: string }
  | { type: 'parse_complete' }
  | { type: 'bind_complete' }
  | { type: 'close_complete' }
  | { type: 'no_data' }
  | { type: 'row_description'; fields: PgField[] }
  | { type: 'data_row'; values: Array<Uint8Array | null> }
  | { type: 'command_complete'; tag: string }
  /** S severity, C code, M message... in wire order */
  | { type: 'error_response' | 'notice_response'; fields: Array<[string, string]> };

/** Any message we do not model (either direction): its type byte and body, verbatim. */
export interface PgUnknownMessage {
  type: 'unknown';
  code: number;
  body: Uint8Array;
}

export type PgMessage = PgFrontendMessage | PgBackendMessage | PgUnknownMessage;

export interface PgMessages {
  proto: 'pgsql';
  direction: 'frontend' | 'backend';
  messages: PgMessage[];
}

const CODES: Record<string, number> = {
  query: 0x51, parse: 0x50, bind: 0x42, describe: 0x44, execute: 0x45, close: 0x43, sync: 0x53, flush: 0x48, terminate: 0x58,
  authentication_ok: 0x52, parameter_status: 0x53, backend_key_data: 0x4b, ready_for_query: 0x5a, parse_complete: 0x31,
  bind_complete: 0x32, close_complete: 0x33, no_data: 0x6e, row_description: 0x54, data_row: 0x44, command_complete: 0x43,
  error_response: 0x45, notice_response: 0x4e,
};

function cstr(w: ByteWriter, s: string): void {
  // only U+0000 encodes to a zero byte in UTF-8; ASCII (nearly every name and query) goes in
  // as it is, the same bytes as its UTF-8
  if (s.includes('\u0000')) throw new WireError('invalid', 'NUL inside a PostgreSQL string');
  w.bytes(isAscii(s) ? latin1(s) : utf8(s)).u8(0);
}

function i16(w: ByteWriter, v: number): void {
  w.u16(v & 0xffff);
}

function encodeBody(w: ByteWriter, m: PgMessage, p: string): void {
  // spans (and the text of their values) only for a writer that keeps them
  const rec = w.recording;
  switch (m.type) {
    case 'startup':
      w.i32(m.protocolVersion ?? PG_PROTOCOL_3);
      if (rec) w.last(`${p}protocol_version`, 4, String(m.protocolVersion ?? PG_PROTOCOL_3));
      for (const [k, v] of m.params) {
        const s = w.length;
        cstr(w, k);
        cstr(w, v);
        if (rec) w.span(`${p}param.${k}`, s, v);
      }
      w.u8(0);
      return;
    case 'ssl_request': w.i32(SSL_REQUEST_CODE); return;
    case 'query': { const s = w.length; cstr(w, m.sql); if (rec) w.span(`${p}query`, s, m.sql); return; }
    case 'parse': {
      let s = w.length;
      cstr(w, m.name);
      if (rec) w.span(`${p}statement`, s, m.name);
      s = w.length;
      cstr(w, m.query);
      if (rec) w.span(`${p}query`, s, m.query);
      s = w.length;
      i16(w, m.paramTypes.length);
      for (const t of m.paramTypes) w.i32(t);
      if (rec) w.span(`${p}param_types`, s, m.paramTypes.join(','));
      return;
    }
    case 'bind': {
      let s = w.length;
      cstr(w, m.portal);
      if (rec) w.span(`${p}portal`, s, m.portal);
      s = w.length;
      cstr(w, m.statement);
      if (rec) w.span(`${p}statement`, s, m.statement);
      s = w.length;
      i16(w, m.paramFormats.length);
      for (const f of m.paramFormats) i16(w, f);
      if (rec) w.span(`${p}param_formats`, s, m.paramFormats.join(','));
      i16(w, m.values.length);
      m.values.forEach((v, i) => {
        const vs = w.length;
        if (v === null) w.i32(-1);
        else w.i32(v.length).bytes(v);
        if (rec) w.span(`${p}param[${i}]`, vs, v === null ? 'NULL' : fromUtf8(v));
      });
      s = w.length;
      i16(w, m.resultFormats.length);
      for (const f of m.resultFormats) i16(w, f);
      if (rec) w.span(`${p}result_formats`, s, m.resultFormats.join(','));
      return;
    }
    case 'describe':
    case 'close': {
      w.u8(m.target.charCodeAt(0));
      if (rec) w.last(`${p}target`, 1, m.target);
      const s = w.length;
      cstr(w, m.name);
      if (rec) w.span(`${p}name`, s, m.name);
      return;
    }
    case 'execute': {
      const s = w.length;
      cstr(w, m.portal);
      if (rec) w.span(`${p}portal`, s, m.portal);
      w.i32(m.maxRows);
      if (rec) w.last(`${p}max_rows`, 4, String(m.maxRows));
      return;
    }
    case 'sync': case 'flush': case 'terminate': case 'parse_complete': case 'bind_complete': case 'close_complete': case 'no_data':
      return;
    case 'authentication_ok': w.i32(0); if (rec) w.last(`${p}auth_code`, 4, '0 (ok)'); return;
    case 'parameter_status': { const s = w.length; cstr(w, m.name); cstr(w, m.value); if (rec) w.span(`${p}parameter`, s, `${m.name}=${m.value}`); return; }
    case 'backend_key_data':
      w.i32(m.processId);
      if (rec) w.last(`${p}pid`, 4, String(m.processId));
      w.i32(m.secretKey);
      if (rec) w.last(`${p}key`, 4, String(m.secretKey));
      return;
    case 'ready_for_query':
      if (m.status.length !== 1) throw new WireError('invalid', 'ReadyForQuery status is one character');
      w.u8(m.status.charCodeAt(0));
      if (rec) w.last(`${p}status`, 1, m.status);
      return;
    case 'row_description':
      i16(w, m.fields.length);
      m.fields.forEach((f, i) => {
        const s = w.length;
        cstr(w, f.name);
        w.u32(f.tableOid).u16(f.columnAttr & 0xffff).u32(f.typeOid);
        i16(w, f.typeSize);
        w.i32(f.typeModifier);
        i16(w, f.format);
        if (rec) w.span(`${p}field[${i}]`, s, `${f.name} type ${f.typeOid}`);
      });
      return;
    case 'data_row':
      i16(w, m.values.length);
      m.values.forEach((v, i) => {
        const s = w.length;
        if (v === null) w.i32(-1);
        else w.i32(v.length).bytes(v);
        if (rec) w.span(`${p}column[${i}]`, s, v === null ? 'NULL' : fromUtf8(v));
      });
      return;
    case 'command_complete': { const s = w.length; cstr(w, m.tag); if (rec) w.span(`${p}tag`, s, m.tag); return; }
    case 'error_response':
    case 'notice_response':
      for (const [k, v] of m.fields) {
        const s = w.length;
        if (k.length !== 1) throw new WireError('invalid', 'error field codes are one character');
        w.u8(k.charCodeAt(0));
        cstr(w, v);
        if (rec) w.span(`${p}field.${k}`, s, v);
      }
      w.u8(0);
      return;
    case 'unknown': w.bytes(m.body); if (rec) w.last(`${p}body`, m.body.length, toHex(m.body.subarray(0, 32))); return;
  }
}

export function encodePgMessage(w: ByteWriter, m: PgMessage, prefix: string): void {
  const rec = w.recording;
  const untyped = m.type === 'startup' || m.type === 'ssl_request';
  if (!untyped) {
    const code = m.type === 'unknown' ? m.code : CODES[m.type];
    w.u8(code);
    if (rec) w.last(`${prefix}type`, 1, `${String.fromCharCode(code)} (${m.type})`);
  }
  const len = w.lengthPrefix(4);
  const at = w.length - 4;
  encodeBody(w, m, prefix);
  const n = len.close(w.length - at);
  if (rec) w.fields.push({ name: `${prefix}length`, offset: at, length: 4, value: String(n) });
}

/** About the encoded size: the writer is sized once instead of doubled from 64 bytes (each
 * array over 64 bytes is allocated outside V8's heap). */
function sizeHint(p: PgMessages): number {
  let n = 0;
  for (const m of p.messages) {
    n += 5;
    switch (m.type) {
      case 'startup': n += 5; for (const [k, v] of m.params) n += k.length + v.length + 2; break;
      case 'query': n += m.sql.length + 1; break;
      case 'parse': n += m.name.length + m.query.length + 4 + 4 * m.paramTypes.length; break;
      case 'row_description': n += 2; for (const f of m.fields) n += f.name.length + 19; break;
      case 'data_row': n += 2; for (const v of m.values) n += 4 + (v?.length ?? 0); break;
      case 'command_complete': n += m.tag.length + 1; break;
      case 'error_response': case 'notice_response': n += 1; for (const [, v] of m.fields) n += v.length + 2; break;
      case 'unknown': n += m.body.length; break;
      default: n += 16;
    }
  }
  return n;
}

export function encodePg(p: PgMessages): ByteWriter {
  const w = new ByteWriter(sizeHint(p));
  for (let i = 0; i < p.messages.length; i++) encodePgMessage(w, p.messages[i], w.recording ? `message[${i}].` : '');
  return w;
}

export const pgEncodingLength = (p: PgMessages): number => encodePg(p).length;

function decodeFrontendBody(code: number, r: ByteReader): PgMessage {
  const i16s = (): number => (r.u16() << 16) >> 16;
  const list = (f: () => number): number[] => Array.from({ length: r.u16() }, f);
  switch (code) {
    case 0x51: return { type: 'query', sql: r.cstring() };
    case 0x50: return { type: 'parse', name: r.cstring(), query: r.cstring(), paramTypes: list(() => r.u32()) };
    case 0x42: {
      const portal = r.cstring();
      const statement = r.cstring();
      const paramFormats = list(i16s);
      const values = Array.from({ length: r.u16() }, () => {
        const n = r.i32();
        return n === -1 ? null : r.bytes(n, 'bind value');
      });
      return { type: 'bind', portal, statement, paramFormats, values, resultFormats: list(i16s) };
    }
    case 0x44:
    case 0x43: {
      const t = String.fromCharCode(r.u8());
      if (t !== 'S' && t !== 'P') throw new WireError('invalid', 'bad describe/close target');
      return { type: code === 0x44 ? 'describe' : 'close', target: t, name: r.cstring() };
    }
    case 0x45: return { type: 'execute', portal: r.cstring(), maxRows: r.u32() };
    case 0x53: return { type: 'sync' };
    case 0x48: return { type: 'flush' };
    case 0x58: return { type: 'terminate' };
    default: throw new WireError('unsupported', 'unknown frontend message');
  }
}

type ParsedBackend = BackendMessage & Record<string, unknown>;

function fromParser(msg: ParsedBackend): PgBackendMessage {
  const s = (k: string): string => String(msg[k]);
  switch (msg.name) {
    case 'authenticationOk': return { type: 'authentication_ok' };
    case 'parameterStatus': return { type: 'parameter_status', name: s('parameterName'), value: s('parameterValue') };
    case 'backendKeyData': return { type: 'backend_key_data', processId: Number(msg.processID) >>> 0, secretKey: Number(msg.secretKey) >>> 0 };
    case 'readyForQuery': return { type: 'ready_for_query', status: s('status') };
    case 'parseComplete': return { type: 'parse_complete' };
    case 'bindComplete': return { type: 'bind_complete' };
    case 'closeComplete': return { type: 'close_complete' };
    case 'noData': return { type: 'no_data' };
    case 'commandComplete': return { type: 'command_complete', tag: s('text') };
    case 'rowDescription': {
      const fields = Array.isArray(msg.fields) ? msg.fields : [];
      return {
        type: 'row_description',
        fields: fields.map((f: Record<string, unknown>) => ({
          name: String(f.name), tableOid: Number(f.tableID), columnAttr: Number(f.columnID), typeOid: Number(f.dataTypeID),
          typeSize: Number(f.dataTypeSize), typeModifier: Number(f.dataTypeModifier), format: f.format === 'binary' ? 1 : 0,
        })),
      };
    }
    case 'dataRow': {
      const vals = Array.isArray(msg.fields) ? msg.fields : [];
      return { type: 'data_row', values: vals.map((v: unknown) => (v === null ? null : utf8(String(v)))) };
    }
    default: throw new WireError('unsupported', `backend message ${msg.name}`);
  }
}

function decodeErrorFields(r: ByteReader): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let k = r.u8(); k !== 0; k = r.u8()) out.push([String.fromCharCode(k), r.cstring()]);
  return out;
}

function decodeBackend(code: number, whole: Uint8Array, body: Uint8Array): PgMessage {
  try {
    let m: PgMessage | undefined;
    if (code === 0x45 || code === 0x4e) {
      m = { type: code === 0x45 ? 'error_response' : 'notice_response', fields: decodeErrorFields(new ByteReader(body)) };
    } else {
      const parser = new Parser();
      const got: ParsedBackend[] = [];
      parser.parse(toNodeBuffer(whole), (msg) => got.push(msg as ParsedBackend));
      if (got.length === 1) m = fromParser(got[0]);
    }
    if (m) {
      const w = new ByteWriter();
      encodePgMessage(w, m, '');
      if (bytesEqual(w.finish(), whole)) return m;
    }
  } catch (e) {
    // pg-protocol throws plain Errors on bad input; both cases fall back to the raw message
    if (!(e instanceof Error)) throw e;
  }
  return { type: 'unknown', code, body };
}

function decodeFrontend(code: number, whole: Uint8Array, body: Uint8Array): PgMessage {
  try {
    const r = new ByteReader(body);
    const m = decodeFrontendBody(code, r);
    r.expectEnd('pg message');
    const w = new ByteWriter();
    encodePgMessage(w, m, '');
    if (bytesEqual(w.finish(), whole)) return m;
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
  }
  return { type: 'unknown', code, body };
}

/** Whole messages only; a message cut by a segment boundary is a WireError. */
export function decodePg(bytes: Uint8Array, direction: 'frontend' | 'backend', start = 0, end = bytes.length): PgMessages {
  const r = new ByteReader(bytes, start, end);
  const messages: PgMessage[] = [];
  // a startup-phase message has no type byte; it can only be the first thing the client sends
  if (direction === 'frontend' && r.remaining >= 8 && bytes[start] === 0) {
    const len = r.u32('startup length');
    if (len < 8) throw new WireError('invalid', 'bad startup length', start);
    const body = r.sub(len - 4, 'startup message');
    const version = body.u32();
    if (version === SSL_REQUEST_CODE && len === 8) messages.push({ type: 'ssl_request' });
    else {
      const params: Array<[string, string]> = [];
      while (body.remaining > 1) params.push([body.cstring(), body.cstring()]);
      if (body.u8() !== 0) throw new WireError('invalid', 'startup not NUL-terminated');
      const m: PgMessage = { type: 'startup', protocolVersion: version, params };
      const w = new ByteWriter();
      encodePgMessage(w, m, '');
      // e.g. non-UTF-8 parameter bytes: no typed form reproduces them, so the caller shows raw bytes
      if (!bytesEqual(w.finish(), bytes.subarray(start, r.pos))) throw new WireError('unsupported', 'non-canonical startup message', start);
      messages.push(m);
    }
  }
  while (r.remaining) {
    const s = r.pos;
    const code = r.u8('pg message type');
    const len = r.u32('pg message length');
    if (len < 4) throw new WireError('invalid', `pg message length ${len} < 4`, s);
    const body = r.bytes(len - 4, 'pg message');
    const whole = bytes.subarray(s, r.pos);
    messages.push(direction === 'frontend' ? decodeFrontend(code, whole, body) : decodeBackend(code, whole, body));
  }
  if (messages.length === 0) throw new WireError('truncated', 'no PostgreSQL messages', start);
  return { proto: 'pgsql', direction, messages };
}
