import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toHex } from '../../../src/core/crypto/bytes';
import { certificateVerifyInput, deriveSigningKey, signEcdsaSha256, verifyEcdsaSha256 } from '../../../src/core/crypto/signing';
import { issueCertificate, selfSignedCa } from '../../../src/core/crypto/x509Build';
import * as nodeCrypto from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import { parseCertificate, verifyCertificateSignature } from '../../../src/core/crypto/x509Parse';
import { checkServerCertificate, dnsNameMatches } from '../../../src/core/crypto/x509Check';
import { openssl, skipWithoutOpenssl } from './openssl';

const day = 86_400_000;
const notBefore = Date.UTC(2026, 0, 1);
const notAfter = Date.UTC(2027, 0, 1);
const caKey = deriveSigningKey(7, 'Journey Root CA');
const leafKey = deriveSigningKey(7, 'shop.example');
const caDer = issueCertificate({ subjectCN: 'Journey Root CA', subjectPublicKey: caKey.publicKey, issuerCN: 'Journey Root CA', issuerKey: caKey, serial: 1, notBefore, notAfter: notAfter + 365 * day, isCa: true });
const leafDer = issueCertificate({ subjectCN: 'shop.example', sans: ['shop.example', '*.cdn.shop.example'], subjectPublicKey: leafKey.publicKey, issuerCN: 'Journey Root CA', issuerKey: caKey, serial: 0x8a0102, notBefore, notAfter });

const pem = (der: Uint8Array): string => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

describe('crypto: X.509 certificates (ECDSA P-256)', () => {
  it('signing keys follow their definition: HKDF-SHA256(seed, name) -> 48 bytes -> (x mod (n-1)) + 1, checked with node:crypto', () => {
    const okm = Buffer.from(nodeCrypto.hkdfSync('sha256', Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]), Buffer.from('packet-journey p256 signing key'), Buffer.from('shop.example'), 48));
    const d = (BigInt('0x' + okm.toString('hex')) % (p256.CURVE.n - 1n)) + 1n;
    const dHex = d.toString(16).padStart(64, '0');
    assert.equal(toHex(leafKey.privateKey), dHex);
    const ecdh = nodeCrypto.createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(dHex, 'hex'));
    assert.equal(toHex(leafKey.publicKey), ecdh.getPublicKey('hex'));
  });

  it('keys are deterministic per seed and name; cached results cannot be corrupted by callers', () => {
    const k = deriveSigningKey(7, 'shop.example');
    k.privateKey.fill(0);
    const cert = selfSignedCa('Journey Root CA', caKey, 1, notBefore, notAfter + 365 * day);
    cert.fill(0);
    assert.equal(toHex(deriveSigningKey(7, 'shop.example').privateKey), toHex(leafKey.privateKey));
    assert.notEqual(toHex(deriveSigningKey(8, 'shop.example').privateKey), toHex(leafKey.privateKey));
    assert.notEqual(toHex(caKey.privateKey), toHex(leafKey.privateKey));
    assert.equal(toHex(issueCertificate({ subjectCN: 'Journey Root CA', subjectPublicKey: caKey.publicKey, issuerCN: 'Journey Root CA', issuerKey: caKey, serial: 1, notBefore, notAfter: notAfter + 365 * day, isCa: true })), toHex(caDer), 'same inputs, same certificate bytes');
  });

  it('parses back subject, SANs, issuer, validity, serial, CA flag and verifies signatures', () => {
    const ca = parseCertificate(caDer);
    const leaf = parseCertificate(leafDer);
    assert.equal(ca.subjectCN, 'Journey Root CA');
    assert.equal(ca.isCa, true);
    assert.equal(leaf.subjectCN, 'shop.example');
    assert.equal(leaf.issuerCN, 'Journey Root CA');
    assert.deepEqual(leaf.sans, ['shop.example', '*.cdn.shop.example']);
    assert.equal(leaf.isCa, false);
    assert.equal(leaf.notBefore.getTime(), notBefore);
    assert.equal(leaf.notAfter.getTime(), notAfter);
    assert.equal(toHex(leaf.serial), '008a0102');
    assert.equal(toHex(leaf.publicKey), toHex(leafKey.publicKey));
    assert.ok(verifyCertificateSignature(ca, ca.publicKey));
    assert.ok(verifyCertificateSignature(leaf, ca.publicKey));
    assert.ok(!verifyCertificateSignature(leaf, leafKey.publicKey));
  });

  it('browser checks: chain, dates, names', () => {
    const ca = parseCertificate(caDer);
    const leaf = parseCertificate(leafDer);
    const mid = Date.UTC(2026, 5, 1);
    assert.deepEqual(checkServerCertificate(leaf, ca, 'shop.example', mid), []);
    assert.deepEqual(checkServerCertificate(leaf, ca, 'img.cdn.shop.example', mid), []);
    assert.deepEqual(checkServerCertificate(leaf, ca, 'a.b.cdn.shop.example', mid), ['name-mismatch']);
    assert.deepEqual(checkServerCertificate(leaf, ca, 'shop.example', notAfter + day), ['expired']);
    assert.deepEqual(checkServerCertificate(leaf, ca, 'shop.example', notBefore - day), ['not-yet-valid']);
    assert.deepEqual(checkServerCertificate(leaf, leaf, 'shop.example', mid), ['issuer-mismatch', 'issuer-not-ca', 'bad-signature']);
    const tampered = leafDer.slice();
    tampered[tampered.indexOf(0x73, 100)] ^= 0x20; // flips the case of an 's' inside the signed part
    assert.deepEqual(checkServerCertificate(parseCertificate(tampered), ca, 'shop.example', mid).includes('bad-signature'), true);
    assert.ok(dnsNameMatches('*.example.com', 'WWW.example.com.'));
    assert.ok(!dnsNameMatches('*.example.com', 'example.com'));
  });

  it('TLS 1.3 CertificateVerify input is 64 spaces, context, 0, transcript hash; signature verifies', () => {
    const th = new Uint8Array(32).fill(0xab);
    const input = certificateVerifyInput('server', th);
    assert.equal(toHex(input), '20'.repeat(64) + Buffer.from('TLS 1.3, server CertificateVerify').toString('hex') + '00' + 'ab'.repeat(32));
    assert.equal(certificateVerifyInput('client', th).length, 64 + 33 + 1 + 32);
    const sig = signEcdsaSha256(leafKey.privateKey, input);
    assert.ok(verifyEcdsaSha256(parseCertificate(leafDer).publicKey, input, sig));
  });

  it('openssl parses both certificates and verifies the chain at a time inside the validity period', function () {
    skipWithoutOpenssl(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-x509-'));
    try {
      fs.writeFileSync(path.join(dir, 'ca.der'), caDer);
      fs.writeFileSync(path.join(dir, 'leaf.der'), leafDer);
      fs.writeFileSync(path.join(dir, 'ca.pem'), pem(caDer));
      fs.writeFileSync(path.join(dir, 'leaf.pem'), pem(leafDer));
      const caText = openssl(['x509', '-inform', 'DER', '-in', path.join(dir, 'ca.der'), '-noout', '-text']);
      assert.match(caText, /Issuer: CN ?= ?Journey Root CA/);
      assert.match(caText, /CA:TRUE/);
      assert.match(caText, /ecdsa-with-SHA256/);
      const leafText = openssl(['x509', '-inform', 'DER', '-in', path.join(dir, 'leaf.der'), '-noout', '-text']);
      assert.match(leafText, /Subject: CN ?= ?shop\.example/);
      assert.match(leafText, /DNS:shop\.example, DNS:\*\.cdn\.shop\.example/);
      assert.match(leafText, /Not Before: Jan  1 00:00:00 2026 GMT/);
      assert.match(leafText, /Not After : Jan  1 00:00:00 2027 GMT/);
      assert.match(leafText, /TLS Web Server Authentication/);
      const at = String(Math.floor(Date.UTC(2026, 5, 1) / 1000));
      const ok = openssl(['verify', '-attime', at, '-CAfile', path.join(dir, 'ca.pem'), '-verify_hostname', 'shop.example', path.join(dir, 'leaf.pem')]);
      assert.match(ok, /leaf\.pem: OK/);
      assert.throws(() => openssl(['verify', '-attime', String(Math.floor((notAfter + day) / 1000)), '-CAfile', path.join(dir, 'ca.pem'), path.join(dir, 'leaf.pem')]), /expired/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
