/**
 * TLS 1.2 AES-GCM record protection (RFC 5288 3, RFC 5246 6.2.3.3): nonce = 4-byte salt from
 * the key block + 8-byte explicit nonce sent in the record; AAD = seq_num + type + version +
 * plaintext length. The explicit nonce is the sequence number, as OpenSSL and NSS send it.
 */
import { CipherSuite } from './suites';

const TAG_LEN = 16;

function seq64(seq: number): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('bad record sequence number');
  const b = new Uint8Array(8);
  const hi = Math.floor(seq / 2 ** 32);
  const lo = seq >>> 0;
  b[0] = hi >>> 24; b[1] = hi >>> 16; b[2] = hi >>> 8; b[3] = hi;
  b[4] = lo >>> 24; b[5] = lo >>> 16; b[6] = lo >>> 8; b[7] = lo;
  return b;
}

function aad(seq: number, contentType: number, length: number): Uint8Array {
  const a = new Uint8Array(13);
  a.set(seq64(seq));
  a[8] = contentType;
  a[9] = 3;
  a[10] = 3;
  a[11] = length >>> 8;
  a[12] = length & 0xff;
  return a;
}

export class Tls12GcmRecordProtection {
  /** records sealed or opened so far (reset to 0 by ChangeCipherSpec, i.e. by a new instance) */
  seq = 0;

  constructor(readonly suite: CipherSuite, readonly key: Uint8Array, readonly salt: Uint8Array) {
    if (suite.version !== '1.2' || salt.length !== 4 || key.length !== suite.keyLen) throw new RangeError('not a TLS 1.2 AES-GCM key');
  }

  /** The whole record: header, explicit nonce, ciphertext, tag. */
  seal(contentType: number, content: Uint8Array): Uint8Array {
    if (content.length > 16384) throw new RangeError('TLSPlaintext over 2^14 bytes');
    const explicit = seq64(this.seq);
    const nonce = new Uint8Array(12);
    nonce.set(this.salt);
    nonce.set(explicit, 4);
    // shared with the cache: only copied from
    const ct = this.suite.sealShared(this.key, nonce, aad(this.seq++, contentType, content.length), content);
    const len = 8 + ct.length;
    const out = new Uint8Array(5 + len);
    out.set([contentType, 3, 3, len >>> 8, len & 0xff]);
    out.set(explicit, 5);
    out.set(ct, 13);
    return out;
  }

  open(record: Uint8Array): { contentType: number; content: Uint8Array } {
    const len = (record[3] << 8) | record[4];
    if (record.length < 5 + 8 + TAG_LEN || len !== record.length - 5) throw new RangeError('not a TLS 1.2 GCM record');
    const nonce = new Uint8Array(12);
    nonce.set(this.salt);
    nonce.set(record.subarray(5, 13), 4);
    const ctLen = len - 8;
    const content = this.suite.aead(this.key, nonce, aad(this.seq, record[0], ctLen - TAG_LEN)).decrypt(record.subarray(13));
    this.seq++;
    return { contentType: record[0], content };
  }
}
