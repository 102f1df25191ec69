/**
 * TLS record layer and the cleartext handshake messages (RFC 5246 / RFC 8446).
 * Decoding is lossless: any extension or handshake message whose typed form would not re-encode
 * to exactly the bytes seen is kept as `unknown` with its raw body.
 */
import { ByteReader, ByteWriter, WireError, bytesEqual, fromUtf8, hex16, recordingFields, toHex, utf8 } from './bytes';
import type { Header } from './stack';

export const TLS_CONTENT = { CHANGE_CIPHER_SPEC: 20, ALERT: 21, HANDSHAKE: 22, APPLICATION_DATA: 23 } as const;
export const TLS_VERSION = { TLS10: 0x0301, TLS11: 0x0302, TLS12: 0x0303, TLS13: 0x0304 } as const;
export const TLS_HANDSHAKE = {
  CLIENT_HELLO: 1, SERVER_HELLO: 2, NEW_SESSION_TICKET: 4, ENCRYPTED_EXTENSIONS: 8, CERTIFICATE: 11, SERVER_KEY_EXCHANGE: 12,
  CERTIFICATE_REQUEST: 13, SERVER_HELLO_DONE: 14, CERTIFICATE_VERIFY: 15, CLIENT_KEY_EXCHANGE: 16, FINISHED: 20,
} as const;
export const TLS_EXT = {
  SERVER_NAME: 0, SUPPORTED_GROUPS: 10, EC_POINT_FORMATS: 11, SIGNATURE_ALGORITHMS: 13, ALPN: 16, SUPPORTED_VERSIONS: 43,
  PSK_KEY_EXCHANGE_MODES: 45, KEY_SHARE: 51, RENEGOTIATION_INFO: 0xff01,
  PADDING: 21, ENCRYPT_THEN_MAC: 22, EXTENDED_MASTER_SECRET: 23, POST_HANDSHAKE_AUTH: 49,
} as const;
export const TLS_CIPHER = {
  TLS_AES_128_GCM_SHA256: 0x1301, TLS_AES_256_GCM_SHA384: 0x1302, TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
} as const;
export const TLS_GROUP = { X25519: 0x001d, SECP256R1: 0x0017, SECP384R1: 0x0018 } as const;
export const TLS_SIG = {
  ECDSA_SECP256R1_SHA256: 0x0403, RSA_PSS_RSAE_SHA256: 0x0804, RSA_PKCS1_SHA256: 0x0401, ECDSA_SECP384R1_SHA384: 0x0503,
  RSA_PSS_RSAE_SHA384: 0x0805, RSA_PKCS1_SHA384: 0x0501, RSA_PSS_RSAE_SHA512: 0x0806, RSA_PKCS1_SHA512: 0x0601,
  ED25519: 0x0807,
} as const;

export type TlsExtension =
  | { kind: 'server_name'; hostName: string }
  | { kind: 'supported_groups'; groups: number[] }
  | { kind: 'ec_point_formats'; formats: number[] }
  | { kind: 'signature_algorithms'; schemes: number[] }
  | { kind: 'alpn'; protocols: string[] }
  /** ClientHello form: the list offered */
  | { kind: 'supported_versions'; versions: number[] }
  /** ServerHello form: the one chosen */
  | { kind: 'supported_versions_selected'; version: number }
  /** ClientHello form */
  | { kind: 'key_share'; entries: Array<{ group: number; keyExchange: Uint8Array }> }
  /** ServerHello form */
  | { kind: 'key_share_selected'; group: number; keyExchange: Uint8Array }
  | { kind: 'psk_key_exchange_modes'; modes: number[] }
  | { kind: 'renegotiation_info'; data: Uint8Array }
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface ClientHello {
  type: 'client_hello';
  /** legacy_version: 0x0303 even for TLS 1.3 */
  version: number;
  random: Uint8Array;
  /** legacy_session_id: 32 random bytes in TLS 1.3 middlebox-compatibility mode */
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions?: TlsExtension[];
}
export interface ServerHello {
  type: 'server_hello';
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions?: TlsExtension[];
}
/** TLS 1.2 Certificate: DER certificates, leaf first. */
export interface CertificateMessage {
  type: 'certificate';
  certificates: Uint8Array[];
}
/** ECDHE ServerKeyExchange (named curve) as sent with ECDHE_* suites in TLS 1.2. */
export interface ServerKeyExchange {
  type: 'server_key_exchange';
  namedGroup: number;
  publicKey: Uint8Array;
  signatureScheme: number;
  signature: Uint8Array;
}
export interface ServerHelloDone {
  type: 'server_hello_done';
}
/** ECDHE ClientKeyExchange: the client's public point. */
export interface ClientKeyExchange {
  type: 'client_key_exchange';
  publicKey: Uint8Array;
}
/** 12 bytes of verify_data in TLS 1.2. On the wire it follows ChangeCipherSpec and is encrypted. */
export interface Finished {
  type: 'finished';
  verifyData: Uint8Array;
}
export interface UnknownHandshake {
  type: 'unknown';
  msgType: number;
  body: Uint8Array;
}
export type HandshakeMessage = ClientHello | ServerHello | CertificateMessage | ServerKeyExchange | ServerHelloDone | ClientKeyExchange | Finished | UnknownHandshake;

export type TlsRecordBody =
  | { kind: 'handshake'; messages: HandshakeMessage[] }
  | { kind: 'change_cipher_spec' }
  | { kind: 'alert'; level: number; description: number }
  /** application_data, or any record whose contents are ciphertext (e.g. an encrypted Finished) */
  | { kind: 'opaque'; data: Uint8Array };

export interface TlsRecord {
  /** derived from the body (22/20/21/23) when undefined */
  contentType?: number;
  /** legacy_record_version: 0x0301 on a first ClientHello, 0x0303 otherwise */
  version: number;
  /** derived when undefined */
  length?: number;
  body: TlsRecordBody;
}

export interface TlsRecords {
  proto: 'tls';
  records: TlsRecord[];
  /** The protected content of these records as the endpoints see it (the inner headers, e.g.
   * HTTP/2 frames), carried beside the ciphertext so the trace can show both. Never encoded. */
  plaintext?: readonly Header[];
}

export const TLS_RECORD_HEADER_LEN = 5;
export const TLS_MAX_PLAINTEXT = 16384;

/** TLS 1.3 record size for `plaintextLength` bytes: +1 inner content type, +16 AEAD tag. */
export function tls13CiphertextLength(plaintextLength: number, padding = 0): number {
  return plaintextLength + 1 + padding + 16;
}

const HS_NAMES: Record<number, string> = {
  1: 'client_hello', 2: 'server_hello', 4: 'new_session_ticket', 8: 'encrypted_extensions', 11: 'certificate', 12: 'server_key_exchange',
  13: 'certificate_request', 14: 'server_hello_done', 15: 'certificate_verify', 16: 'client_key_exchange', 20: 'finished',
};

function contentTypeOf(r: TlsRecord): number {
  if (r.contentType !== undefined) return r.contentType;
  switch (r.body.kind) {
    case 'handshake': return 22;
    case 'change_cipher_spec': return 20;
    case 'alert': return 21;
    case 'opaque': return 23;
  }
}

function u16List(w: ByteWriter, lenSize: 1 | 2, items: number[]): void {
  const l = w.lengthPrefix(lenSize);
  for (const i of items) w.u16(i);
  l.close();
}

function encodeExtensionBody(w: ByteWriter, e: TlsExtension): void {
  switch (e.kind) {
    case 'server_name': {
      const list = w.lengthPrefix(2);
      w.u8(0); // host_name
      const n = w.lengthPrefix(2);
      w.bytes(utf8(e.hostName));
      n.close();
      list.close();
      return;
    }
    case 'supported_groups': return u16List(w, 2, e.groups);
    case 'signature_algorithms': return u16List(w, 2, e.schemes);
    case 'supported_versions': return u16List(w, 1, e.versions);
    case 'supported_versions_selected': w.u16(e.version); return;
    case 'ec_point_formats':
    case 'psk_key_exchange_modes': {
      const l = w.lengthPrefix(1);
      for (const x of e.kind === 'ec_point_formats' ? e.formats : e.modes) w.u8(x);
      l.close();
      return;
    }
    case 'alpn': {
      const l = w.lengthPrefix(2);
      for (const p of e.protocols) {
        const pl = w.lengthPrefix(1);
        w.bytes(utf8(p));
        pl.close();
      }
      l.close();
      return;
    }
    case 'key_share': {
      const l = w.lengthPrefix(2);
      for (const k of e.entries) {
        w.u16(k.group);
        const kl = w.lengthPrefix(2);
        w.bytes(k.keyExchange);
        kl.close();
      }
      l.close();
      return;
    }
    case 'key_share_selected': {
      w.u16(e.group);
      const kl = w.lengthPrefix(2);
      w.bytes(e.keyExchange);
      kl.close();
      return;
    }
    case 'renegotiation_info': {
      const l = w.lengthPrefix(1);
      w.bytes(e.data);
      l.close();
      return;
    }
    case 'unknown': w.bytes(e.data); return;
  }
}

export function extensionType(e: TlsExtension): number {
  switch (e.kind) {
    case 'server_name': return 0;
    case 'supported_groups': return 10;
    case 'ec_point_formats': return 11;
    case 'signature_algorithms': return 13;
    case 'alpn': return 16;
    case 'supported_versions':
    case 'supported_versions_selected': return 43;
    case 'psk_key_exchange_modes': return 45;
    case 'key_share':
    case 'key_share_selected': return 51;
    case 'renegotiation_info': return 0xff01;
    case 'unknown': return e.type;
  }
}

function extensionSummary(e: TlsExtension): string {
  switch (e.kind) {
    case 'server_name': return e.hostName;
    case 'supported_groups': return e.groups.map(hex16).join(',');
    case 'signature_algorithms': return e.schemes.map(hex16).join(',');
    case 'supported_versions': return e.versions.map(hex16).join(',');
    case 'supported_versions_selected': return hex16(e.version);
    case 'alpn': return e.protocols.join(',');
    case 'key_share': return e.entries.map((k) => `${hex16(k.group)}:${k.keyExchange.length}B`).join(',');
    case 'key_share_selected': return `${hex16(e.group)}:${toHex(e.keyExchange)}`;
    case 'ec_point_formats': return e.formats.join(',');
    case 'psk_key_exchange_modes': return e.modes.join(',');
    case 'renegotiation_info': return toHex(e.data);
    case 'unknown': return `type ${e.type}: ${toHex(e.data.subarray(0, 32))}`;
  }
}

function encodeExtensions(w: ByteWriter, exts: TlsExtension[] | undefined, prefix: string): void {
  if (exts === undefined) return;
  const rec = w.recording;
  const all = w.lengthPrefix(2);
  const lenAt = w.length - 2;
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i];
    const s = w.length;
    w.u16(extensionType(e));
    const l = w.lengthPrefix(2);
    encodeExtensionBody(w, e);
    l.close();
    // a span's name and summary are made only for a writer that keeps spans
    if (rec) w.span(`${prefix}extension[${i}].${e.kind}`, s, extensionSummary(e));
  }
  const n = all.close();
  if (rec) w.fields.push({ name: `${prefix}extensions_length`, offset: lenAt, length: 2, value: String(n) });
}

function decodeExtensionTyped(type: number, r: ByteReader, isServer: boolean): TlsExtension {
  const u16s = (lenSize: 1 | 2): number[] => {
    const n = lenSize === 1 ? r.u8() : r.u16();
    if (n % 2) throw new WireError('invalid', 'odd list length');
    const s = r.sub(n, 'list');
    const out: number[] = [];
    while (s.remaining) out.push(s.u16());
    return out;
  };
  const u8s = (): number[] => Array.from(r.bytes(r.u8()));
  switch (type) {
    case 0: {
      const list = r.sub(r.u16(), 'server_name list');
      if (list.u8() !== 0) throw new WireError('unsupported', 'non-host_name SNI');
      const hostName = fromUtf8(list.bytes(list.u16()));
      list.expectEnd('server_name');
      return { kind: 'server_name', hostName };
    }
    case 10: return { kind: 'supported_groups', groups: u16s(2) };
    case 11: return { kind: 'ec_point_formats', formats: u8s() };
    case 13: return { kind: 'signature_algorithms', schemes: u16s(2) };
    case 16: {
      const l = r.sub(r.u16(), 'alpn');
      const protocols: string[] = [];
      while (l.remaining) protocols.push(fromUtf8(l.bytes(l.u8())));
      return { kind: 'alpn', protocols };
    }
    case 43: return isServer ? { kind: 'supported_versions_selected', version: r.u16() } : { kind: 'supported_versions', versions: u16s(1) };
    case 45: return { kind: 'psk_key_exchange_modes', modes: u8s() };
    case 51: {
      if (isServer) return { kind: 'key_share_selected', group: r.u16(), keyExchange: r.bytes(r.u16()) };
      const l = r.sub(r.u16(), 'key_share');
      const entries: Array<{ group: number; keyExchange: Uint8Array }> = [];
      while (l.remaining) entries.push({ group: l.u16(), keyExchange: l.bytes(l.u16()) });
      return { kind: 'key_share', entries };
    }
    case 0xff01: return { kind: 'renegotiation_info', data: r.bytes(r.u8()) };
    default: return { kind: 'unknown', type, data: r.rest() };
  }
}

/** Typed if the typed form re-encodes to the same bytes, raw otherwise: decode never loses bytes. */
function decodeExtension(type: number, data: Uint8Array, isServer: boolean): TlsExtension {
  try {
    const r = new ByteReader(data);
    const e = decodeExtensionTyped(type, r, isServer);
    r.expectEnd('extension');
    const w = new ByteWriter();
    encodeExtensionBody(w, e);
    if (bytesEqual(w.finish(), data)) return e;
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
  }
  return { kind: 'unknown', type, data };
}

function decodeExtensions(r: ByteReader, isServer: boolean): TlsExtension[] | undefined {
  if (r.remaining === 0) return undefined;
  const all = r.sub(r.u16('extensions length'), 'extensions');
  const out: TlsExtension[] = [];
  while (all.remaining) {
    const type = all.u16('extension type');
    out.push(decodeExtension(type, all.bytes(all.u16('extension length'), 'extension'), isServer));
  }
  return out;
}

export function handshakeTypeOf(m: HandshakeMessage): number {
  switch (m.type) {
    case 'client_hello': return 1;
    case 'server_hello': return 2;
    case 'certificate': return 11;
    case 'server_key_exchange': return 12;
    case 'server_hello_done': return 14;
    case 'client_key_exchange': return 16;
    case 'finished': return 20;
    case 'unknown': return m.msgType;
  }
}

function encodeHandshakeBody(w: ByteWriter, m: HandshakeMessage, p: string): void {
  // spans (and their hex and lists) only for a writer that keeps them
  const rec = w.recording;
  switch (m.type) {
    case 'client_hello':
    case 'server_hello': {
      w.u16(m.version);
      if (rec) w.last(`${p}version`, 2, hex16(m.version));
      if (m.random.length !== 32) throw new WireError('invalid', 'TLS random must be 32 bytes');
      w.bytes(m.random);
      if (rec) w.last(`${p}random`, 32, toHex(m.random));
      const s = w.length;
      w.u8(m.sessionId.length, 'session id length').bytes(m.sessionId);
      if (rec) w.span(`${p}session_id`, s, toHex(m.sessionId));
      if (m.type === 'client_hello') {
        const cs = w.length;
        u16List(w, 2, m.cipherSuites);
        if (rec) w.span(`${p}cipher_suites`, cs, m.cipherSuites.map(hex16).join(','));
        const cm = w.length;
        w.u8(m.compressionMethods.length, 'compression methods length');
        for (const c of m.compressionMethods) w.u8(c);
        if (rec) w.span(`${p}compression_methods`, cm, m.compressionMethods.join(','));
      } else {
        w.u16(m.cipherSuite);
        if (rec) w.last(`${p}cipher_suite`, 2, hex16(m.cipherSuite));
        w.u8(m.compressionMethod);
        if (rec) w.last(`${p}compression_method`, 1, String(m.compressionMethod));
      }
      encodeExtensions(w, m.extensions, p);
      return;
    }
    case 'certificate': {
      const all = w.lengthPrefix(3);
      for (let i = 0; i < m.certificates.length; i++) {
        const c = m.certificates[i];
        const s = w.length;
        w.u24(c.length, 'certificate length').bytes(c);
        if (rec) w.span(`${p}certificate[${i}]`, s, `${c.length} bytes DER`);
      }
      all.close();
      return;
    }
    case 'server_key_exchange': {
      w.u8(3).u16(m.namedGroup);
      if (rec) w.last(`${p}curve`, 3, `named_curve ${hex16(m.namedGroup)}`);
      w.u8(m.publicKey.length, 'ECDH point length').bytes(m.publicKey);
      if (rec) w.last(`${p}pubkey`, 1 + m.publicKey.length, toHex(m.publicKey));
      w.u16(m.signatureScheme);
      if (rec) w.last(`${p}signature_algorithm`, 2, hex16(m.signatureScheme));
      w.u16(m.signature.length, 'signature length').bytes(m.signature);
      if (rec) w.last(`${p}signature`, 2 + m.signature.length, `${m.signature.length} bytes`);
      return;
    }
    case 'server_hello_done': return;
    case 'client_key_exchange':
      w.u8(m.publicKey.length, 'ECDH point length').bytes(m.publicKey);
      if (rec) w.last(`${p}pubkey`, 1 + m.publicKey.length, toHex(m.publicKey));
      return;
    case 'finished':
      w.bytes(m.verifyData);
      if (rec) w.last(`${p}verify_data`, m.verifyData.length, toHex(m.verifyData));
      return;
    case 'unknown':
      w.bytes(m.body);
      if (rec) w.last(`${p}body`, m.body.length, `${m.body.length} bytes`);
      return;
  }
}

function decodeHandshakeTyped(msgType: number, r: ByteReader): HandshakeMessage {
  switch (msgType) {
    case 1:
    case 2: {
      const version = r.u16();
      const random = r.bytes(32, 'random');
      const sessionId = r.bytes(r.u8(), 'session id');
      if (msgType === 1) {
        const n = r.u16();
        if (n % 2) throw new WireError('invalid', 'odd cipher suite list');
        const cs = r.sub(n, 'cipher suites');
        const cipherSuites: number[] = [];
        while (cs.remaining) cipherSuites.push(cs.u16());
        const compressionMethods = Array.from(r.bytes(r.u8(), 'compression methods'));
        return { type: 'client_hello', version, random, sessionId, cipherSuites, compressionMethods, extensions: decodeExtensions(r, false) };
      }
      const cipherSuite = r.u16();
      const compressionMethod = r.u8();
      return { type: 'server_hello', version, random, sessionId, cipherSuite, compressionMethod, extensions: decodeExtensions(r, true) };
    }
    case 11: {
      const all = r.sub(r.u24(), 'certificate list');
      const certificates: Uint8Array[] = [];
      while (all.remaining) certificates.push(all.bytes(all.u24(), 'certificate'));
      return { type: 'certificate', certificates };
    }
    case 12: {
      if (r.u8() !== 3) throw new WireError('unsupported', 'non named_curve ServerKeyExchange');
      const namedGroup = r.u16();
      const publicKey = r.bytes(r.u8(), 'pubkey');
      const signatureScheme = r.u16();
      const signature = r.bytes(r.u16(), 'signature');
      return { type: 'server_key_exchange', namedGroup, publicKey, signatureScheme, signature };
    }
    case 14: return { type: 'server_hello_done' };
    case 16: return { type: 'client_key_exchange', publicKey: r.bytes(r.u8(), 'pubkey') };
    case 20: return { type: 'finished', verifyData: r.rest() };
    default: return { type: 'unknown', msgType, body: r.rest() };
  }
}

function decodeHandshake(msgType: number, body: Uint8Array): HandshakeMessage {
  try {
    const r = new ByteReader(body);
    const m = decodeHandshakeTyped(msgType, r);
    r.expectEnd('handshake message');
    // only the bytes are compared: no spans
    if (bytesEqual(recordingFields(false, () => handshakeBodyBytes(m)), body)) return m;
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
  }
  return { type: 'unknown', msgType, body };
}

function handshakeBodyBytes(m: HandshakeMessage): Uint8Array {
  const w = new ByteWriter();
  encodeHandshakeBody(w, m, '');
  return w.finish();
}

export function encodeHandshakeMessage(w: ByteWriter, m: HandshakeMessage, prefix: string): void {
  const rec = w.recording;
  const t = handshakeTypeOf(m);
  w.u8(t);
  if (rec) w.last(`${prefix}msg_type`, 1, `${t} (${HS_NAMES[t] ?? 'unknown'})`);
  const l = w.lengthPrefix(3);
  const lenAt = w.length - 3;
  encodeHandshakeBody(w, m, rec ? `${prefix}${m.type}.` : '');
  const n = l.close();
  if (rec) w.fields.push({ name: `${prefix}length`, offset: lenAt, length: 3, value: String(n) });
}

export function encodeTlsRecords(t: TlsRecords): ByteWriter {
  // Sized for the encrypted records up front (they are most of the bytes): growing by doubling
  // would copy a long record several times.
  let size = 0;
  for (const rec of t.records) size += TLS_RECORD_HEADER_LEN + (rec.body.kind === 'opaque' ? rec.body.data.length : 64);
  const w = new ByteWriter(size);
  // the field names and values are only made when someone keeps the spans (the panel, not the lengths)
  const keep = w.recording;
  for (let i = 0; i < t.records.length; i++) {
    const rec = t.records[i];
    const p = keep ? `record[${i}].` : '';
    const ct = contentTypeOf(rec);
    w.u8(ct, 'content type');
    if (keep) w.last(`${p}content_type`, 1, String(ct));
    w.u16(rec.version, 'record version');
    if (keep) w.last(`${p}version`, 2, hex16(rec.version));
    const l = w.lengthPrefix(2);
    const lenAt = w.length - 2;
    const b = rec.body;
    switch (b.kind) {
      case 'handshake':
        for (let j = 0; j < b.messages.length; j++) encodeHandshakeMessage(w, b.messages[j], keep ? `${p}handshake[${j}].` : '');
        break;
      case 'change_cipher_spec':
        w.u8(1);
        if (keep) w.last(`${p}change_cipher_spec`, 1, '1');
        break;
      case 'alert':
        w.u8(b.level).u8(b.description);
        if (keep) w.last(`${p}alert`, 2, `level ${b.level}, description ${b.description}`);
        break;
      case 'opaque':
        w.bytes(b.data);
        if (keep) w.last(`${p}encrypted_data`, b.data.length, `${b.data.length} bytes`);
        break;
    }
    const n = l.close(rec.length);
    if (keep) w.fields.push({ name: `${p}length`, offset: lenAt, length: 2, value: String(n) });
  }
  return w;
}

export function tlsEncodingLength(t: TlsRecords): number {
  return encodeTlsRecords(t).length;
}

function decodeRecordBody(ct: number, body: Uint8Array): TlsRecordBody {
  if (ct === 20 && body.length === 1 && body[0] === 1) return { kind: 'change_cipher_spec' };
  if (ct === 21 && body.length === 2) return { kind: 'alert', level: body[0], description: body[1] };
  if (ct === 22) {
    // an encrypted handshake record (TLS 1.2 Finished) rarely parses; when it does not, it is opaque
    try {
      const r = new ByteReader(body);
      const messages: HandshakeMessage[] = [];
      while (r.remaining) {
        const msgType = r.u8();
        messages.push(decodeHandshake(msgType, r.bytes(r.u24(), 'handshake body')));
      }
      if (messages.length) return { kind: 'handshake', messages };
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
    }
  }
  return { kind: 'opaque', data: body };
}

/** Whole records only: a record cut by a segment boundary is a WireError (the stack then shows raw bytes). */
export function decodeTlsRecords(bytes: Uint8Array, start = 0, end = bytes.length): TlsRecords {
  const r = new ByteReader(bytes, start, end);
  const records: TlsRecord[] = [];
  while (r.remaining) {
    const contentType = r.u8('record header');
    if (contentType < 20 || contentType > 63) throw new WireError('invalid', `not a TLS record (content type ${contentType})`, r.pos - 1);
    const version = r.u16('record header');
    if (version >> 8 !== 3) throw new WireError('invalid', `not a TLS record (version ${hex16(version)})`, r.pos - 2);
    const length = r.u16('record header');
    const body = r.bytes(length, 'TLS record');
    const decoded = decodeRecordBody(contentType, body);
    const rec: TlsRecord = { contentType, version, length, body: decoded };
    records.push(rec);
  }
  if (records.length === 0) throw new WireError('truncated', 'no TLS records', start);
  return { proto: 'tls', records };
}

/** Extension list of a typical TLS 1.3 ClientHello (curl/OpenSSL 3 order, trimmed). */
export function clientHelloExtensions(o: { serverName?: string; x25519PublicKey: Uint8Array; alpn?: string[]; tls12?: boolean }): TlsExtension[] {
  const exts: TlsExtension[] = [
    ...(o.serverName !== undefined ? [{ kind: 'server_name' as const, hostName: o.serverName }] : []),
    { kind: 'ec_point_formats', formats: [0, 1, 2] },
    { kind: 'supported_groups', groups: [TLS_GROUP.X25519, TLS_GROUP.SECP256R1, TLS_GROUP.SECP384R1] },
  ];
  if (o.alpn?.length) exts.push({ kind: 'alpn', protocols: o.alpn });
  exts.push(
    {
      kind: 'signature_algorithms',
      schemes: [TLS_SIG.ECDSA_SECP256R1_SHA256, TLS_SIG.ECDSA_SECP384R1_SHA384, TLS_SIG.RSA_PSS_RSAE_SHA256, TLS_SIG.RSA_PSS_RSAE_SHA384,
        TLS_SIG.RSA_PSS_RSAE_SHA512, TLS_SIG.RSA_PKCS1_SHA256, TLS_SIG.RSA_PKCS1_SHA384, TLS_SIG.RSA_PKCS1_SHA512],
    },
    { kind: 'supported_versions', versions: o.tls12 ? [TLS_VERSION.TLS12] : [TLS_VERSION.TLS13, TLS_VERSION.TLS12] },
    { kind: 'psk_key_exchange_modes', modes: [1] },
    { kind: 'key_share', entries: [{ group: TLS_GROUP.X25519, keyExchange: o.x25519PublicKey }] },
  );
  return exts;
}

/** What an OpenSSL 3 client (curl) puts in its ClientHello besides the server name, ALPN and
 * key share: the library's defaults, in the order of OpenSSL's extension table (ssl/statem/extensions.c). */
export interface OpenSslHelloOptions {
  /** absent: no server_name extension */
  serverName?: string;
  x25519PublicKey: Uint8Array;
  alpn?: string[];
  groups: number[];
  signatureSchemes: number[];
  /** supported_versions, highest first; absent when TLS 1.3 is off (OpenSSL then sends no TLS 1.3 extension) */
  versions?: number[];
}

const flag = (type: number): TlsExtension => ({ kind: 'unknown', type, data: new Uint8Array(0) });

export function openSslClientHelloExtensions(o: OpenSslHelloOptions): TlsExtension[] {
  const exts: TlsExtension[] = [
    ...(o.serverName !== undefined ? [{ kind: 'server_name' as const, hostName: o.serverName }] : []),
    { kind: 'ec_point_formats', formats: [0, 1, 2] },
    { kind: 'supported_groups', groups: o.groups },
  ];
  if (o.alpn?.length) exts.push({ kind: 'alpn', protocols: o.alpn });
  // encrypt_then_mac and extended_master_secret are TLS 1.2 features OpenSSL offers whenever 1.2 is enabled
  exts.push(flag(TLS_EXT.ENCRYPT_THEN_MAC), flag(TLS_EXT.EXTENDED_MASTER_SECRET));
  if (o.versions) exts.push(flag(TLS_EXT.POST_HANDSHAKE_AUTH));
  exts.push({ kind: 'signature_algorithms', schemes: o.signatureSchemes });
  if (o.versions) {
    exts.push(
      { kind: 'supported_versions', versions: o.versions },
      { kind: 'psk_key_exchange_modes', modes: [1] },
      { kind: 'key_share', entries: [{ group: TLS_GROUP.X25519, keyExchange: o.x25519PublicKey }] },
    );
  }
  return exts;
}

/** OpenSSL's padding extension (RFC 7685; tls_construct_ctos_padding): a ClientHello message
 * whose length so far (handshake header included) lies strictly between 255 and 512 bytes is
 * padded to 512, because some F5 load balancers hang on hellos of that size. The extension's own
 * 4-byte header counts towards the 512; it carries at least one byte. Undefined: no padding. */
export function openSslPadding(helloLength: number): TlsExtension | undefined {
  if (helloLength <= 0xff || helloLength >= 0x200) return undefined;
  const gap = 0x200 - helloLength;
  return { kind: 'unknown', type: TLS_EXT.PADDING, data: new Uint8Array(gap > 4 ? gap - 4 : 1) };
}

/** Names for the panel: field spans keep numbers, this gives the words. */
export function handshakeName(t: number): string {
  return HS_NAMES[t] ?? 'unknown';
}


/** One handshake message as the transcript hashes it: type, 24-bit length, body. */
export function handshakeMessageBytes(m: HandshakeMessage): Uint8Array {
  // the bytes alone: a writer without spans
  return recordingFields(false, () => {
    // sized for the message (most are certificates, tickets and opaque bodies) rather than
    // doubled from 64 bytes: each array over 64 bytes is allocated outside V8's heap
    const w = new ByteWriter(m.type === 'unknown' ? 4 + m.body.length : m.type === 'certificate' ? 7 + m.certificates.reduce((n, c) => n + 3 + c.length, 0) : 64);
    encodeHandshakeMessage(w, m, '');
    return w.finish();
  });
}

/** The handshake messages in decrypted handshake bytes (a flight may span several records). */
export function splitHandshakeMessages(bytes: Uint8Array): { type: number; body: Uint8Array; raw: Uint8Array }[] {
  const out: { type: number; body: Uint8Array; raw: Uint8Array }[] = [];
  const r = new ByteReader(bytes);
  while (r.remaining) {
    const start = r.pos;
    const type = r.u8('handshake type');
    const body = r.bytes(r.u24('handshake length'), 'handshake body');
    out.push({ type, body, raw: bytes.subarray(start, r.pos) });
  }
  return out;
}

// The TLS 1.3 messages that only ever travel encrypted (RFC 8446 4.3-4.6). They are built as
// bytes for the record layer; an observer never sees them, so they need no typed header.

/** EncryptedExtensions: the ALPN choice, when there is one. `sniAck`: an empty server_name
 * first, as OpenSSL sends when it used the client's SNI (RFC 6066 3). */
export function encryptedExtensions13(alpn: string | undefined, sniAck = false): HandshakeMessage {
  const w = new ByteWriter();
  const exts: TlsExtension[] = sniAck ? [flag(TLS_EXT.SERVER_NAME)] : [];
  if (alpn) exts.push({ kind: 'alpn', protocols: [alpn] });
  encodeExtensions(w, exts, '');
  return { type: 'unknown', msgType: TLS_HANDSHAKE.ENCRYPTED_EXTENSIONS, body: w.finish() };
}

/** TLS 1.3 Certificate: empty request context, then each DER certificate with no extensions. */
export function certificate13(chain: readonly Uint8Array[]): HandshakeMessage {
  let size = 4;
  for (const c of chain) size += 5 + c.length;
  const w = new ByteWriter(size);
  w.u8(0);
  const all = w.lengthPrefix(3);
  for (const c of chain) {
    w.u24(c.length).bytes(c);
    w.u16(0);
  }
  all.close();
  return { type: 'unknown', msgType: TLS_HANDSHAKE.CERTIFICATE, body: w.finish() };
}

export function certificateVerify13(scheme: number, signature: Uint8Array): HandshakeMessage {
  const w = new ByteWriter(4 + signature.length);
  w.u16(scheme).u16(signature.length).bytes(signature);
  return { type: 'unknown', msgType: TLS_HANDSHAKE.CERTIFICATE_VERIFY, body: w.finish() };
}

/** The DER certificates of a TLS 1.3 Certificate body. */
export function parseCertificate13(body: Uint8Array): Uint8Array[] {
  const r = new ByteReader(body);
  r.bytes(r.u8('context length'), 'certificate_request_context');
  const all = r.sub(r.u24('certificate list length'), 'certificate list');
  const out: Uint8Array[] = [];
  while (all.remaining) {
    out.push(all.bytes(all.u24('certificate length'), 'certificate'));
    all.bytes(all.u16('extensions length'), 'certificate extensions');
  }
  r.expectEnd('Certificate');
  return out;
}

export function parseCertificateVerify13(body: Uint8Array): { scheme: number; signature: Uint8Array } {
  const r = new ByteReader(body);
  const scheme = r.u16('signature scheme');
  const signature = r.bytes(r.u16('signature length'), 'signature');
  r.expectEnd('CertificateVerify');
  return { scheme, signature };
}

/** The ALPN protocol of an EncryptedExtensions body, if any. */
export function alpnOfEncryptedExtensions(body: Uint8Array): string | undefined {
  const exts = decodeExtensions(new ByteReader(body), true) ?? [];
  const a = exts.find((e) => e.kind === 'alpn');
  return a && a.kind === 'alpn' ? a.protocols[0] : undefined;
}

/** TLS 1.3 NewSessionTicket (RFC 8446 4.6.1), sent under the server's application keys. */
export function newSessionTicket13(lifetimeSeconds: number, ageAdd: number, nonce: Uint8Array, ticket: Uint8Array): HandshakeMessage {
  const w = new ByteWriter(13 + nonce.length + ticket.length);
  w.u32(lifetimeSeconds).u32(ageAdd);
  w.u8(nonce.length).bytes(nonce);
  w.u16(ticket.length).bytes(ticket);
  w.u16(0);
  return { type: 'unknown', msgType: TLS_HANDSHAKE.NEW_SESSION_TICKET, body: w.finish() };
}

export function parseNewSessionTicket13(body: Uint8Array): { lifetime: number; ageAdd: number; nonce: Uint8Array; ticket: Uint8Array } {
  const r = new ByteReader(body);
  const lifetime = r.u32('ticket_lifetime');
  const ageAdd = r.u32('ticket_age_add');
  const nonce = r.bytes(r.u8('nonce length'), 'ticket_nonce');
  const ticket = r.bytes(r.u16('ticket length'), 'ticket');
  r.bytes(r.u16('extensions length'), 'extensions');
  r.expectEnd('NewSessionTicket');
  return { lifetime, ageAdd, nonce, ticket };
}
