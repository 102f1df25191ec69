// Certificates with `key ed25519` (RFC 8410): the key follows its definition, node:crypto and
// OpenSSL verify what the PKI signs, and a leaf OpenSSL makes the reality lab's way with
// `-newkey ed25519` has the same DER size and structure as the simulated one.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodeCrypto from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { toHex } from '../../../src/core/crypto/bytes';
import { authority, serverCredentials, type CertificateFields } from '../../../src/core/crypto/pki';
import { deriveSigningKey, sign, verifyScheme, ED25519, ECDSA_SECP256R1_SHA256 } from '../../../src/core/crypto/signing';
import { issueCertificate } from '../../../src/core/crypto/x509Build';
import { parseCertificate, verifyCertificateSignature } from '../../../src/core/crypto/x509Parse';
import { checkServerCertificate } from '../../../src/core/crypto/x509Check';
import { openssl, skipWithoutOpenssl } from './openssl';

/** RFC 8410 7: a PKCS#8 OneAsymmetricKey around a 32-byte Ed25519 private key. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const nodeKey = (privateKey: Uint8Array): nodeCrypto.KeyObject => nodeCrypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, privateKey]), format: 'der', type: 'pkcs8' });
const pem = (der: Uint8Array): string => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

/** What the reality lab's journey says about its certificate, as an Ed25519 one. */
const LAB_CERT: CertificateFields = {
  subject: 'api.example.com', sans: ['api.example.com'], issuer: 'Packet Journey Lab', validFrom: Date.UTC(2026, 0, 1), validUntil: Date.UTC(2027, 11, 31), key: 'ed25519',
};

describe('crypto: Ed25519 certificates (RFC 8410) and signatures (RFC 8032)', () => {
  it('the key follows its definition: HKDF-SHA256(seed, name) -> 32 bytes, the RFC 8032 private key; node:crypto derives the same public key', () => {
    const key = deriveSigningKey(7, 'shop.example', 'ed25519');
    const seed = Buffer.from(nodeCrypto.hkdfSync('sha256', Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]), Buffer.from('packet-journey ed25519 signing key'), Buffer.from('shop.example'), 32));
    assert.equal(key.type, 'ed25519');
    assert.equal(toHex(key.privateKey), seed.toString('hex'));
    const spki = nodeCrypto.createPublicKey(nodeKey(key.privateKey)).export({ format: 'der', type: 'spki' });
    assert.equal(toHex(key.publicKey), spki.subarray(spki.length - 32).toString('hex'));
    assert.notEqual(toHex(deriveSigningKey(7, 'shop.example').publicKey), toHex(key.publicKey), 'the P-256 key of the same name is another key');
    assert.equal(deriveSigningKey(7, 'shop.example').type, 'ecdsa-p256', 'P-256 stays the default');
  });

  it('signatures are 64 bytes, deterministic, and the same as node:crypto makes; the schemes check the key type', () => {
    const key = deriveSigningKey(1, 'server', 'ed25519');
    const data = new TextEncoder().encode('TLS 1.3, server CertificateVerify');
    const sig = sign(key, data);
    assert.equal(sig.length, 64);
    assert.equal(toHex(sig), toHex(sign(key, data)));
    assert.equal(toHex(sig), nodeCrypto.sign(null, data, nodeKey(key.privateKey)).toString('hex'), 'Ed25519 has one signature per key and message');
    assert.ok(verifyScheme(ED25519, 'ed25519', key.publicKey, data, sig));
    assert.ok(!verifyScheme(ECDSA_SECP256R1_SHA256, 'ed25519', key.publicKey, data, sig), 'an Ed25519 key does not sign ecdsa_secp256r1_sha256');
    assert.ok(!verifyScheme(ED25519, 'ed25519', key.publicKey, data.subarray(1), sig));
  });

  it('the PKI issues an Ed25519 leaf from an Ed25519 root: id-Ed25519 key and signature, node:crypto verifies the chain', () => {
    const creds = serverCredentials(3, LAB_CERT);
    const root = authority(3, LAB_CERT.issuer, [LAB_CERT]);
    const leaf = parseCertificate(creds.chain[0]);
    const ca = parseCertificate(root.der);
    assert.equal(creds.key.type, 'ed25519');
    assert.equal(root.key.type, 'ed25519');
    for (const c of [leaf, ca]) {
      assert.equal(c.publicKeyAlgorithm, '1.3.101.112');
      assert.equal(c.signatureAlgorithm, '1.3.101.112');
      assert.equal(c.publicKey.length, 32);
      assert.equal(c.signature.length, 64);
    }
    assert.ok(verifyCertificateSignature(leaf, ca.publicKey));
    assert.deepEqual(checkServerCertificate(leaf, ca, 'api.example.com', Date.UTC(2026, 5, 1)), []);
    assert.ok(new nodeCrypto.X509Certificate(creds.chain[0]).verify(new nodeCrypto.X509Certificate(root.der).publicKey));
    assert.equal(toHex(serverCredentials(3, LAB_CERT).chain[0]), toHex(creds.chain[0]), 'deterministic');
  });

  it('a root of the other key type did not sign it: a P-256 root refuses an Ed25519-signed leaf and the other way round', () => {
    const p256Root = authority(3, LAB_CERT.issuer, [{ ...LAB_CERT, key: 'ecdsa-p256' }]);
    const ed = parseCertificate(serverCredentials(3, LAB_CERT).chain[0]);
    assert.deepEqual(checkServerCertificate(ed, parseCertificate(p256Root.der), 'api.example.com', Date.UTC(2026, 5, 1)), ['bad-signature']);
    const edRoot = authority(3, LAB_CERT.issuer, [LAB_CERT]);
    const p256Leaf = parseCertificate(serverCredentials(3, { ...LAB_CERT, key: 'ecdsa-p256' }).chain[0]);
    assert.deepEqual(checkServerCertificate(p256Leaf, parseCertificate(edRoot.der), 'api.example.com', Date.UTC(2026, 5, 1)), ['bad-signature']);
    // a P-256 leaf signed by an Ed25519 key: the subject's key and the issuer's are independent
    const mixed = issueCertificate({
      subjectCN: 'mixed.example', sans: ['mixed.example'], subjectPublicKey: deriveSigningKey(3, 'mixed').publicKey, issuerCN: LAB_CERT.issuer, issuerKey: edRoot.key,
      serial: 5, notBefore: LAB_CERT.validFrom, notAfter: LAB_CERT.validUntil,
    });
    assert.equal(parseCertificate(mixed).publicKeyAlgorithm, '1.2.840.10045.2.1');
    assert.equal(parseCertificate(mixed).signatureAlgorithm, '1.3.101.112');
    assert.ok(verifyCertificateSignature(parseCertificate(mixed), edRoot.key.publicKey));
  });

  describe('against OpenSSL', () => {
    let dir: string;
    before(function () {
      skipWithoutOpenssl(this);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-ed25519-'));
    });
    after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

    /** openssl asn1parse as (depth, header length, length, type, and an OID's name): the shape
     * without the values that differ by nature (keys, serial, dates, signature). */
    function shape(der: Uint8Array, name: string): string[] {
      const file = path.join(dir, name);
      fs.writeFileSync(file, der);
      return openssl(['asn1parse', '-inform', 'DER', '-in', file]).trim().split('\n').map((line) => {
        const m = /^\s*\d+:d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(prim|cons):\s*([^:]*?)\s*(?::(.*))?$/.exec(line);
        assert.ok(m, `asn1parse line: ${line}`);
        return `d=${m[1]} hl=${m[2]} l=${m[3]} ${m[5]}${m[5] === 'OBJECT' ? ` ${m[6]}` : ''}`;
      });
    }

    it('a leaf made the lab\'s way with -newkey ed25519 has the simulated leaf\'s DER length and TBSCertificate, field by field', () => {
      const caKey = path.join(dir, 'ca-key.pem');
      const ca = path.join(dir, 'ca.pem');
      // the commands of test/reality/lab/build.ts's startServers, with ed25519 keys
      openssl(['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', caKey, '-out', ca, '-days', '3650', '-subj', `/CN=${LAB_CERT.issuer}`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
      const csr = path.join(dir, 'cert.csr');
      openssl(['req', '-new', '-newkey', 'ed25519', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', csr, '-subj', `/CN=${LAB_CERT.subject}`]);
      const ext = path.join(dir, 'cert.ext');
      fs.writeFileSync(ext, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid', 'extendedKeyUsage=serverAuth', `subjectAltName=DNS:${LAB_CERT.subject}`, ''].join('\n'));
      // a 16-byte serial with the top bit clear, as the lab draws it
      const cert = path.join(dir, 'cert.der');
      openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-set_serial', '0x4a0102030405060708090a0b0c0d0e0f', '-days', '30', '-extfile', ext, '-outform', 'DER', '-out', cert]);
      const real = new Uint8Array(fs.readFileSync(cert));
      const simulated = serverCredentials(3, LAB_CERT).chain[0];
      assert.equal(simulated.length, real.length, 'DER length');
      assert.equal(real.length, 396, 'the size this test documents (docs/language.md)');
      const [sim, ossl] = [shape(simulated, 'sim.der'), shape(real, 'real.der')];
      assert.deepEqual(sim, ossl);
      assert.ok(ossl.includes('d=3 hl=2 l=3 OBJECT ED25519') && ossl.includes('d=2 hl=2 l=3 OBJECT ED25519'), 'key and signature algorithm are id-Ed25519');
      assert.equal(ossl[ossl.length - 1], 'd=1 hl=2 l=65 BIT STRING', 'a 64-byte signature (plus the unused-bits byte)');
    });

    it('openssl reads the simulated chain as Ed25519 and verifies it', () => {
      const root = authority(3, LAB_CERT.issuer, [LAB_CERT]);
      fs.writeFileSync(path.join(dir, 'sim-ca.pem'), pem(root.der));
      fs.writeFileSync(path.join(dir, 'sim-leaf.pem'), pem(serverCredentials(3, LAB_CERT).chain[0]));
      const text = openssl(['x509', '-in', path.join(dir, 'sim-leaf.pem'), '-noout', '-text']);
      assert.match(text, /Signature Algorithm: ED25519/);
      assert.match(text, /Public Key Algorithm: ED25519/);
      assert.match(text, /Digital Signature/);
      const at = String(Math.floor(Date.UTC(2026, 5, 1) / 1000));
      assert.match(openssl(['verify', '-attime', at, '-CAfile', path.join(dir, 'sim-ca.pem'), '-verify_hostname', 'api.example.com', path.join(dir, 'sim-leaf.pem')]), /sim-leaf\.pem: OK/);
    });
  });
});
