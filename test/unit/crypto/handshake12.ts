/**
 * A complete TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256 handshake (RFC 5246 7.3, RFC 8422) built
 * from the crypto module's API, with extended master secret off so the plain master secret
 * formula applies; its CLIENT_RANDOM key log line lets tshark decrypt it.
 */
import { concat, utf8 } from '../../../src/core/crypto/bytes';
import { GROUP_ID, generateKeyShare, sharedSecret } from '../../../src/core/crypto/ecdhe';
import { keyLogLine12, keyLogText } from '../../../src/core/crypto/keylog';
import { Tls12GcmRecordProtection } from '../../../src/core/crypto/record12';
import { ECDSA_SECP256R1_SHA256, deriveSigningKey, signEcdsaSha256 } from '../../../src/core/crypto/signing';
import { TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 } from '../../../src/core/crypto/suites';
import { ecdhParams, finished12, keyBlock, masterSecret, serverKeyExchangeSignedData } from '../../../src/core/crypto/tls12';
import { Transcript } from '../../../src/core/crypto/transcript';
import { issueCertificate } from '../../../src/core/crypto/x509Build';
import { Flight } from './handshake13';

const u24 = (n: number): Uint8Array => Uint8Array.of(n >>> 16, (n >>> 8) & 0xff, n & 0xff);
const u16 = (n: number): Uint8Array => Uint8Array.of(n >>> 8, n & 0xff);
const handshake = (type: number, body: Uint8Array): Uint8Array => concat(Uint8Array.of(type), u24(body.length), body);
const plainRecord = (type: number, body: Uint8Array): Uint8Array => concat(Uint8Array.of(type, 3, 3), u16(body.length), body);
const seeded = (seed: number) => {
  let x = seed;
  return (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
};

export function buildHandshake12(): { flights: Flight[]; keyLog: string } {
  const suite = TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
  const rnd = seeded(12);
  const clientRandom = rnd(32);
  const serverRandom = rnd(32);
  const extensions = concat(u16(0x000a), u16(4), u16(2), u16(GROUP_ID.x25519), u16(0x000d), u16(4), u16(2), u16(ECDSA_SECP256R1_SHA256), u16(0x000b), u16(2), Uint8Array.of(1, 0));
  const ch = handshake(1, concat(u16(0x0303), clientRandom, Uint8Array.of(0), u16(2), u16(suite.id), Uint8Array.of(1, 0), u16(extensions.length), extensions));
  const sh = handshake(2, concat(u16(0x0303), serverRandom, Uint8Array.of(0), u16(suite.id), Uint8Array.of(0)));
  const ca = deriveSigningKey(2, 'Journey Root CA');
  const leaf = deriveSigningKey(2, 'server');
  const cert = issueCertificate({ subjectCN: 'server', sans: ['server'], subjectPublicKey: leaf.publicKey, issuerCN: 'Journey Root CA', issuerKey: ca, serial: 3, notBefore: Date.UTC(2026, 0, 1), notAfter: Date.UTC(2027, 0, 1) });
  const certificate = handshake(11, concat(u24(cert.length + 3), u24(cert.length), cert));
  const serverShare = generateKeyShare('x25519', rnd);
  const params = ecdhParams(GROUP_ID.x25519, serverShare.publicKey);
  const sig = signEcdsaSha256(leaf.privateKey, serverKeyExchangeSignedData(clientRandom, serverRandom, params));
  const ske = handshake(12, concat(params, u16(ECDSA_SECP256R1_SHA256), u16(sig.length), sig));
  const shd = handshake(14, new Uint8Array(0));
  const clientShare = generateKeyShare('x25519', rnd);
  const cke = handshake(16, concat(Uint8Array.of(clientShare.publicKey.length), clientShare.publicKey));

  const master = masterSecret(suite.hash, sharedSecret(clientShare, serverShare.publicKey), clientRandom, serverRandom);
  const keys = keyBlock(suite, master, clientRandom, serverRandom);
  const client = new Tls12GcmRecordProtection(suite, keys.clientKey, keys.clientIv);
  const server = new Tls12GcmRecordProtection(suite, keys.serverKey, keys.serverIv);
  const t = new Transcript(suite.hash).add(ch, sh, certificate, ske, shd, cke);
  const clientFinished = handshake(20, finished12(suite.hash, master, 'client', t.digest()));
  t.add(clientFinished);
  const serverFinished = handshake(20, finished12(suite.hash, master, 'server', t.digest()));
  const ccs = plainRecord(20, Uint8Array.of(1));
  return {
    flights: [
      { from: 'client', bytes: plainRecord(22, ch) },
      { from: 'server', bytes: plainRecord(22, concat(sh, certificate, ske, shd)) },
      { from: 'client', bytes: concat(plainRecord(22, cke), ccs, client.seal(22, clientFinished)) },
      { from: 'server', bytes: concat(ccs, server.seal(22, serverFinished)) },
      { from: 'client', bytes: client.seal(23, utf8('GET /tls12-decrypted HTTP/1.1\r\nHost: server\r\n\r\n')) },
      { from: 'server', bytes: server.seal(23, utf8('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')) },
    ],
    keyLog: keyLogText([keyLogLine12(clientRandom, master)]),
  };
}
