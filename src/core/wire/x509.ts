/**
 * A minimal DER writer that builds structurally valid X.509 v3 certificates: wire-format
 * fixtures for the TLS decoder's tests. The certificate is NOT signed for real (the signature
 * is caller-supplied or deterministic filler of the right size); the simulation's certificates
 * are real and come from crypto/x509Build.ts through crypto/pki.ts.
 */
import { WireError, concatBytes, utf8 } from './bytes';

export interface CertificateInput {
  subjectCN: string;
  sans: string[];
  issuerCN: string;
  /** milliseconds since the epoch (UTC) */
  notBefore: number;
  notAfter: number;
  /** positive serial; a number or big-endian bytes */
  serial: number | Uint8Array;
  /** 65-byte uncompressed P-256 point (0x04 || X || Y); filler derived from the names when absent */
  publicKey?: Uint8Array;
  /** 256 bytes for sha256WithRSAEncryption by a 2048-bit CA; filler when absent */
  signature?: Uint8Array;
  /** adds basicConstraints CA:TRUE (for intermediates/roots) */
  isCa?: boolean;
}

const TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, UTF8: 0x0c, UTC_TIME: 0x17, GEN_TIME: 0x18, SEQUENCE: 0x30, SET: 0x31, BOOLEAN: 0x01 } as const;

export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  let len: number[];
  if (n < 0x80) len = [n];
  else if (n < 0x100) len = [0x81, n];
  else if (n < 0x10000) len = [0x82, n >> 8, n & 0xff];
  else if (n < 0x1000000) len = [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  else throw new WireError('too-big', 'DER value too long');
  return concatBytes([Uint8Array.of(tag, ...len), content]);
}

const seq = (...items: Uint8Array[]): Uint8Array => derTlv(TAG.SEQUENCE, concatBytes(items));

export function derOid(oid: string): Uint8Array {
  const parts = oid.split('.').map(Number);
  if (parts.length < 2 || parts.some((p) => !Number.isInteger(p) || p < 0)) throw new WireError('invalid', `bad OID ${oid}`);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return derTlv(TAG.OID, Uint8Array.from(out));
}

/** DER INTEGER from unsigned big-endian bytes: minimal, with a 0x00 when the top bit is set. */
export function derUnsigned(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let b = bytes.subarray(i);
  if (b.length === 0) b = Uint8Array.of(0);
  if (b[0] & 0x80) b = concatBytes([Uint8Array.of(0), b]);
  return derTlv(TAG.INTEGER, b);
}

function numberBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new WireError('invalid', `bad serial ${n}`);
  const out: number[] = [];
  do {
    out.unshift(n % 256);
    n = Math.floor(n / 256);
  } while (n > 0);
  return Uint8Array.from(out);
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
export function derTime(ms: number): Uint8Array {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new WireError('invalid', 'bad certificate date');
  const p2 = (v: number): string => String(v).padStart(2, '0');
  const y = d.getUTCFullYear();
  const rest = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return derTlv(TAG.UTC_TIME, utf8(p2(y % 100) + rest));
  return derTlv(TAG.GEN_TIME, utf8(String(y).padStart(4, '0') + rest));
}

const name = (cn: string): Uint8Array => seq(derTlv(TAG.SET, seq(derOid('2.5.4.3'), derTlv(TAG.UTF8, utf8(cn)))));

export const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  commonName: '2.5.4.3',
} as const;

/** Deterministic, obviously-fake bytes so certificates are reproducible without a PRNG. */
function filler(seed: string, n: number): Uint8Array {
  let h = 0x811c9dc5;
  for (const c of utf8(seed)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ i, 0x01000193) >>> 0;
    out[i] = h >>> 24;
  }
  return out;
}

export function buildCertificateDer(c: CertificateInput): Uint8Array {
  const alg = seq(derOid(OID.sha256WithRSAEncryption), derTlv(TAG.NULL, new Uint8Array(0)));
  const point = c.publicKey ?? concatBytes([Uint8Array.of(4), filler(`pk:${c.subjectCN}`, 64)]);
  const spki = seq(seq(derOid(OID.ecPublicKey), derOid(OID.prime256v1)), derTlv(TAG.BIT_STRING, concatBytes([Uint8Array.of(0), point])));
  const exts: Uint8Array[] = [];
  if (c.sans.length) {
    // dNSName is [2] IMPLICIT IA5String
    const names = seq(...c.sans.map((s) => derTlv(0x82, utf8(s))));
    exts.push(seq(derOid(OID.subjectAltName), derTlv(TAG.OCTET_STRING, names)));
  }
  if (c.isCa) {
    exts.push(seq(derOid(OID.basicConstraints), derTlv(TAG.BOOLEAN, Uint8Array.of(0xff)), derTlv(TAG.OCTET_STRING, seq(derTlv(TAG.BOOLEAN, Uint8Array.of(0xff))))));
  }
  const serial = typeof c.serial === 'number' ? numberBytes(c.serial) : c.serial;
  const tbsParts = [
    derTlv(0xa0, derUnsigned(Uint8Array.of(2))), // [0] EXPLICIT version v3
    derUnsigned(serial),
    alg,
    name(c.issuerCN),
    seq(derTime(c.notBefore), derTime(c.notAfter)),
    name(c.subjectCN),
    spki,
  ];
  if (exts.length) tbsParts.push(derTlv(0xa3, seq(...exts)));
  const tbs = seq(...tbsParts);
  const sig = c.signature ?? filler(`sig:${c.issuerCN}:${c.subjectCN}`, 256);
  return seq(tbs, alg, derTlv(TAG.BIT_STRING, concatBytes([Uint8Array.of(0), sig])));
}
