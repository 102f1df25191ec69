/**
 * TLS 1.3 record protection (RFC 8446 5.2-5.3): one instance per direction and traffic secret,
 * keys derived once at construction, the sequence number counting records sealed or opened.
 */
import { CipherSuite } from './suites';
import { TrafficKeys, trafficKeys } from './keySchedule13';

export const CONTENT_HANDSHAKE = 22;
export const CONTENT_ALERT = 21;
export const CONTENT_APPLICATION_DATA = 23;
const MAX_PLAINTEXT = 16384;
const TAG_LEN = 16;

export interface OpenedRecord {
  contentType: number;
  content: Uint8Array;
  /** how many zero bytes of padding followed the content type */
  padding: number;
}

/** per-record nonce: the 64-bit sequence number, big-endian, left-padded and XORed into the iv */
export function recordNonce(iv: Uint8Array, seq: number): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('bad record sequence number');
  const n = iv.slice();
  let hi = Math.floor(seq / 2 ** 32);
  let lo = seq >>> 0;
  for (let i = 0; i < 4; i++) {
    n[n.length - 1 - i] ^= lo & 0xff;
    n[n.length - 5 - i] ^= hi & 0xff;
    lo >>>= 8;
    hi >>>= 8;
  }
  return n;
}

function header(length: number): Uint8Array {
  return Uint8Array.of(CONTENT_APPLICATION_DATA, 0x03, 0x03, length >>> 8, length & 0xff);
}

export class Tls13RecordProtection {
  readonly keys: TrafficKeys;
  /** records sealed or opened so far; the next record uses this number */
  seq = 0;

  constructor(readonly suite: CipherSuite, trafficSecret: Uint8Array) {
    this.keys = trafficKeys(suite, trafficSecret);
  }

  /** The whole TLSCiphertext record: header (opaque_type 23, legacy 0x0303, length) and encrypted inner plaintext. */
  seal(contentType: number, content: Uint8Array, padding = 0): Uint8Array {
    if (content.length + padding > MAX_PLAINTEXT) throw new RangeError('TLSInnerPlaintext over 2^14 bytes');
    const inner = new Uint8Array(content.length + 1 + padding);
    inner.set(content);
    inner[content.length] = contentType;
    const hdr = header(inner.length + TAG_LEN);
    const ct = this.suite.aead(this.keys.key, recordNonce(this.keys.iv, this.seq++), hdr).encrypt(inner);
    const out = new Uint8Array(5 + ct.length);
    out.set(hdr);
    out.set(ct, 5);
    return out;
  }

  /** Opens one whole record (header included); throws when the tag or the structure is wrong. */
  open(record: Uint8Array): OpenedRecord {
    if (record.length < 5 + TAG_LEN + 1) throw new RangeError('record too short');
    const len = (record[3] << 8) | record[4];
    if (record[0] !== CONTENT_APPLICATION_DATA || len !== record.length - 5) throw new RangeError('not a TLS 1.3 protected record');
    const inner = this.suite.aead(this.keys.key, recordNonce(this.keys.iv, this.seq), record.subarray(0, 5)).decrypt(record.subarray(5));
    this.seq++;
    let end = inner.length - 1;
    while (end >= 0 && inner[end] === 0) end--;
    if (end < 0) throw new RangeError('inner plaintext has no content type');
    return { contentType: inner[end], content: inner.subarray(0, end), padding: inner.length - 1 - end };
  }
}
