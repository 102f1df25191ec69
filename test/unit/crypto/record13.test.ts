import { strict as assert } from 'node:assert';
import * as nodeCrypto from 'node:crypto';
import { toHex } from '../../../src/core/crypto/bytes';
import { CONTENT_APPLICATION_DATA, CONTENT_HANDSHAKE, Tls13RecordProtection, recordNonce } from '../../../src/core/crypto/record13';
import { CipherSuite, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256 } from '../../../src/core/crypto/suites';
import { counting, rfc8448 as v } from './rfc8448';

const hex = toHex;

/** Seal with node:crypto as an independent AEAD implementation. */
function nodeSeal(suite: CipherSuite, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): string {
  const alg = suite.id === 0x1303 ? 'chacha20-poly1305' : suite.keyLen === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
  const c = nodeCrypto.createCipheriv(alg as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
  c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]).toString('hex');
}

describe('crypto: TLS 1.3 record protection', () => {
  it('seals the RFC 8448 client application data record byte for byte', () => {
    const p = new Tls13RecordProtection(TLS_AES_128_GCM_SHA256, v.clientApplicationTrafficSecret);
    assert.equal(hex(p.seal(CONTENT_APPLICATION_DATA, counting(50))), hex(v.clientAppRecord));
    assert.equal(p.seq, 1);
  });

  it('opens the RFC 8448 record and rejects a flipped bit', () => {
    const p = new Tls13RecordProtection(TLS_AES_128_GCM_SHA256, v.clientApplicationTrafficSecret);
    const r = p.open(v.clientAppRecord);
    assert.equal(r.contentType, CONTENT_APPLICATION_DATA);
    assert.equal(hex(r.content), hex(counting(50)));
    const bad = v.clientAppRecord.slice();
    bad[20] ^= 1;
    assert.throws(() => new Tls13RecordProtection(TLS_AES_128_GCM_SHA256, v.clientApplicationTrafficSecret).open(bad));
  });

  it('nonce is iv XOR the 64-bit sequence number', () => {
    const iv = Uint8Array.from({ length: 12 }, () => 0xff);
    assert.equal(hex(recordNonce(iv, 0)), 'ffffffffffffffffffffffff');
    assert.equal(hex(recordNonce(iv, 1)), 'fffffffffffffffffffffffe');
    assert.equal(hex(recordNonce(iv, 2 ** 32 + 0x0102)), 'fffffffffffffffefffffefd');
  });

  for (const suite of [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256]) {
    it(`${suite.name}: matches node:crypto for consecutive records, with padding, and round-trips`, () => {
      const secret = new Uint8Array(suite.hash === 'sha384' ? 48 : 32).fill(7);
      const tx = new Tls13RecordProtection(suite, secret);
      const rx = new Tls13RecordProtection(suite, secret);
      for (let seq = 0; seq < 3; seq++) {
        const content = counting(100 + seq);
        const padding = seq === 2 ? 9 : 0;
        const rec = tx.seal(CONTENT_HANDSHAKE, content, padding);
        const inner = new Uint8Array([...content, CONTENT_HANDSHAKE, ...new Uint8Array(padding)]);
        const hdr = Uint8Array.of(23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff);
        assert.equal(hex(rec), hex(hdr) + nodeSeal(suite, tx.keys.key, recordNonce(tx.keys.iv, seq), hdr, inner));
        const o = rx.open(rec);
        assert.equal(o.contentType, CONTENT_HANDSHAKE);
        assert.equal(o.padding, padding);
        assert.equal(hex(o.content), hex(content));
      }
    });
  }

  it('refuses plaintext over 2^14 bytes', () => {
    const p = new Tls13RecordProtection(TLS_AES_128_GCM_SHA256, v.clientApplicationTrafficSecret);
    assert.throws(() => p.seal(CONTENT_APPLICATION_DATA, new Uint8Array(16385)), RangeError);
    assert.equal(p.seal(CONTENT_APPLICATION_DATA, new Uint8Array(16384)).length, 5 + 16384 + 1 + 16);
  });
});
