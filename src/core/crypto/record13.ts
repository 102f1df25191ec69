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

let innerScratch = new Uint8Array(1024);

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
    const n = content.length + 1 + padding;
    // the inner plaintext is only read while sealing (the cache keeps a copy): a reused array
    // spares an allocation outside V8's heap per record
    if (innerScratch.length < n) innerScratch = new Uint8Array(Math.max(n, 2 * innerScratch.length));
    const inner = innerScratch.subarray(0, n);
    inner.set(content);
    inner.fill(0, content.length);
    inner[content.length] = contentType;
    const hdr = header(n + TAG_LEN);
    // shared with the cache: only copied from
    const ct = this.suite.sealShared(this.keys.key, recordNonce(this.keys.iv, this.seq++), hdr, inner);
    const out = new Uint8Array(5 + ct.length);
    out.set(hdr);
    out.set(ct, 5);
    return out;
  }

  /** Opens one whole record (header included); throws when the tag or the structure is wrong. */
  open(record: Uint8Array): OpenedRecord {
    return this.openParts(record.subarray(0, 5), record.subarray(5));
  }

  /** open() of the record with this header type and body, without joining them into one array
   * first (the header is what the record's would be: type, 0x0303, the body's length). */
  openBody(contentType: number, body: Uint8Array): OpenedRecord {
    return this.openParts(Uint8Array.of(contentType, 3, 3, body.length >>> 8, body.length & 0xff), body);
  }

  private openParts(hdr: Uint8Array, body: Uint8Array): OpenedRecord {
    if (hdr.length + body.length < 5 + TAG_LEN + 1) throw new RangeError('record too short');
    const len = (hdr[3] << 8) | hdr[4];
    if (hdr[0] !== CONTENT_APPLICATION_DATA || len !== body.length) throw new RangeError('not a TLS 1.3 protected record');
    const inner = this.suite.aead(this.keys.key, recordNonce(this.keys.iv, this.seq), hdr).decrypt(body);
    this.seq++;
    let end = inner.length - 1;
    while (end >= 0 && inner[end] === 0) end--;
    if (end < 0) throw new RangeError('inner plaintext has no content type');
    return { contentType: inner[end], content: inner.subarray(0, end), padding: inner.length - 1 - end };
  }
}
