import { strict as assert } from 'node:assert';
import * as nodeCrypto from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import { fromHex, toHex } from '../../../src/core/crypto/bytes';
import { generateKeyShare, sharedSecret } from '../../../src/core/crypto/ecdhe';
import { Tls12GcmRecordProtection } from '../../../src/core/crypto/record12';
import { deriveSigningKey, signEcdsaSha256, verifyEcdsaSha256 } from '../../../src/core/crypto/signing';
import { TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 } from '../../../src/core/crypto/suites';
import { ecdhParams, extendedMasterSecret, finished12, keyBlock, masterSecret, prf, serverKeyExchangeSignedData } from '../../../src/core/crypto/tls12';
import { openssl, skipWithoutOpenssl } from './openssl';
import { counting } from './rfc8448';

const hex = toHex;
const seeded = (seed: number) => {
  let x = seed;
  return (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
};
const opensslPrf = (digest: string, secret: Uint8Array, label: string, seed: Uint8Array, len: number): string =>
  openssl(['kdf', '-keylen', String(len), '-kdfopt', `digest:${digest}`, '-kdfopt', `hexsecret:${hex(secret)}`,
    '-kdfopt', `seed:${label}`, '-kdfopt', `hexseed:${hex(seed)}`, 'TLS1-PRF']).trim().replace(/:/g, '').toLowerCase();

describe('crypto: TLS 1.2', () => {
  it('PRF P_SHA256 matches the published IETF test vector (100 bytes)', () => {
    const out = prf('sha256', fromHex('9bbe436ba940f017b17652849a71db35'), 'test label', fromHex('a0ba9f936cda311827a6f796ffd5198c'), 100);
    assert.equal(hex(out), 'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa0' +
      '22f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66');
  });

  it('PRF with SHA-256 and SHA-384, master secret, extended master secret and Finished match openssl TLS1-PRF', function () {
    skipWithoutOpenssl(this);
    const pre = counting(32);
    const cr = seeded(1)(32);
    const sr = seeded(2)(32);
    for (const [h, d] of [['sha256', 'SHA256'], ['sha384', 'SHA384']] as const) {
      assert.equal(hex(prf(h, pre, 'key expansion', cr, 77)), opensslPrf(d, pre, 'key expansion', cr, 77));
      assert.equal(hex(masterSecret(h, pre, cr, sr)), opensslPrf(d, pre, 'master secret', new Uint8Array([...cr, ...sr]), 48));
      assert.equal(hex(extendedMasterSecret(h, pre, sr)), opensslPrf(d, pre, 'extended master secret', sr, 48));
      assert.equal(hex(finished12(h, pre, 'server', cr)), opensslPrf(d, pre, 'server finished', cr, 12));
      assert.equal(hex(finished12(h, pre, 'client', cr)), opensslPrf(d, pre, 'client finished', cr, 12));
    }
  });

  it('key block splits client key, server key, client salt, server salt', () => {
    const ms = counting(48);
    const cr = seeded(3)(32);
    const sr = seeded(4)(32);
    const k = keyBlock(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ms, cr, sr);
    const kb = prf('sha256', ms, 'key expansion', new Uint8Array([...sr, ...cr]), 40);
    assert.equal(hex(new Uint8Array([...k.clientKey, ...k.serverKey, ...k.clientIv, ...k.serverIv])), hex(kb));
    const k384 = keyBlock(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, ms, cr, sr);
    assert.deepEqual([k384.clientKey.length, k384.serverKey.length, k384.clientIv.length, k384.serverIv.length], [32, 32, 4, 4]);
  });

  it('ECDHE premaster for x25519 and secp256r1 agrees between peers and with node:crypto', () => {
    for (const group of ['x25519', 'secp256r1'] as const) {
      const a = generateKeyShare(group, seeded(5));
      const b = generateKeyShare(group, seeded(6));
      const s = sharedSecret(a, b.publicKey);
      assert.equal(hex(s), hex(sharedSecret(b, a.publicKey)));
      assert.equal(s.length, 32);
      if (group === 'secp256r1') {
        const ecdh = nodeCrypto.createECDH('prime256v1');
        ecdh.setPrivateKey(a.privateKey);
        assert.equal(ecdh.getPublicKey('hex'), hex(a.publicKey));
        assert.equal(ecdh.computeSecret(b.publicKey).toString('hex'), hex(s));
      }
    }
    // the same random source gives the same share (determinism)
    assert.equal(hex(generateKeyShare('x25519', seeded(9)).publicKey), hex(generateKeyShare('x25519', seeded(9)).publicKey));
  });

  it('ServerKeyExchange signature input and ECDSA P-256 signature verify with node:crypto', () => {
    const key = deriveSigningKey(42, 'server.example');
    const share = generateKeyShare('x25519', seeded(7));
    const params = ecdhParams(0x001d, share.publicKey);
    assert.equal(hex(params.subarray(0, 4)), '03001d20');
    const cr = seeded(8)(32);
    const sr = seeded(10)(32);
    const signed = serverKeyExchangeSignedData(cr, sr, params);
    assert.equal(hex(signed), hex(cr) + hex(sr) + hex(params));
    const sig = signEcdsaSha256(key.privateKey, signed);
    assert.equal(hex(sig), hex(signEcdsaSha256(key.privateKey, signed)), 'RFC 6979: same input, same signature');
    assert.ok(verifyEcdsaSha256(key.publicKey, signed, sig));
    const spki = nodeCrypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(key.publicKey.subarray(1, 33)).toString('base64url'), y: Buffer.from(key.publicKey.subarray(33)).toString('base64url') }, format: 'jwk' });
    assert.ok(nodeCrypto.verify('sha256', signed, spki, sig));
    // and a signature made by node (random k, maybe high S) verifies here
    const priv = nodeCrypto.createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: Buffer.from(key.privateKey).toString('base64url'), x: Buffer.from(key.publicKey.subarray(1, 33)).toString('base64url'), y: Buffer.from(key.publicKey.subarray(33)).toString('base64url') }, format: 'jwk' });
    assert.ok(verifyEcdsaSha256(key.publicKey, signed, nodeCrypto.sign('sha256', signed, priv)));
    assert.ok(!verifyEcdsaSha256(key.publicKey, counting(5), sig));
    assert.ok(p256.utils.isValidPrivateKey(key.privateKey));
  });

  it('AES-GCM records: explicit nonce = seq, AAD = seq + type + version + length; matches node:crypto and round-trips', () => {
    for (const suite of [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]) {
      const key = counting(suite.keyLen);
      const salt = fromHex('a0a1a2a3');
      const tx = new Tls12GcmRecordProtection(suite, key, salt);
      const rx = new Tls12GcmRecordProtection(suite, key, salt);
      for (let seq = 0; seq < 2; seq++) {
        const pt = counting(33 + seq);
        const rec = tx.seal(23, pt);
        const explicit = Buffer.from([0, 0, 0, 0, 0, 0, 0, seq]);
        const c = nodeCrypto.createCipheriv(suite.keyLen === 16 ? 'aes-128-gcm' : 'aes-256-gcm', key, Buffer.concat([salt, explicit]));
        c.setAAD(Buffer.concat([explicit, Buffer.from([23, 3, 3, 0, pt.length])]));
        const body = Buffer.concat([explicit, c.update(pt), c.final(), c.getAuthTag()]);
        assert.equal(hex(rec), '170303' + body.length.toString(16).padStart(4, '0') + body.toString('hex'));
        assert.equal(hex(rx.open(rec).content), hex(pt));
      }
    }
  });
});
