/**
 * A complete, self-consistent TLS 1.3 handshake built only from the crypto module's API, as
 * the simulation will drive it: RFC 8448's ClientHello/ServerHello (so the handshake secrets are
 * the RFC's), then our own EncryptedExtensions, ECDSA Certificate, CertificateVerify and
 * Finished, then HTTP/1.1 application data. Every record is the bytes on the wire.
 */
import { concat, utf8 } from '../../../src/core/crypto/bytes';
import { applicationStage, earlyStage, finishedVerifyData, handshakeStage } from '../../../src/core/crypto/keySchedule13';
import { keyLogLines13, keyLogText } from '../../../src/core/crypto/keylog';
import { CONTENT_APPLICATION_DATA, CONTENT_HANDSHAKE, Tls13RecordProtection } from '../../../src/core/crypto/record13';
import { ECDSA_SECP256R1_SHA256, certificateVerifyInput, deriveSigningKey, signEcdsaSha256 } from '../../../src/core/crypto/signing';
import { TLS_AES_128_GCM_SHA256 } from '../../../src/core/crypto/suites';
import { Transcript } from '../../../src/core/crypto/transcript';
import { issueCertificate } from '../../../src/core/crypto/x509Build';
import { rfc8448 as v } from './rfc8448';

const u24 = (n: number): Uint8Array => Uint8Array.of(n >>> 16, (n >>> 8) & 0xff, n & 0xff);
const u16 = (n: number): Uint8Array => Uint8Array.of(n >>> 8, n & 0xff);
const handshake = (type: number, body: Uint8Array): Uint8Array => concat(Uint8Array.of(type), u24(body.length), body);
const plainRecord = (type: number, body: Uint8Array): Uint8Array => concat(Uint8Array.of(type, 3, 3), u16(body.length), body);

export interface Flight {
  from: 'client' | 'server';
  /** TLS records, concatenated as one TCP segment */
  bytes: Uint8Array;
}

export interface Handshake13 {
  flights: Flight[];
  keyLog: string;
  request: string;
  response: string;
}

export function buildHandshake13(): Handshake13 {
  const suite = TLS_AES_128_GCM_SHA256;
  const t = new Transcript(suite.hash).add(v.clientHello, v.serverHello);
  const hs = handshakeStage(earlyStage(suite.hash), v.ecdhe, t.digest());
  const serverHs = new Tls13RecordProtection(suite, hs.serverHandshakeTrafficSecret);
  const clientHs = new Tls13RecordProtection(suite, hs.clientHandshakeTrafficSecret);

  const ca = deriveSigningKey(1, 'Journey Root CA');
  const leaf = deriveSigningKey(1, 'server');
  const cert = issueCertificate({ subjectCN: 'server', sans: ['server'], subjectPublicKey: leaf.publicKey, issuerCN: 'Journey Root CA', issuerKey: ca, serial: 2, notBefore: Date.UTC(2026, 0, 1), notAfter: Date.UTC(2027, 0, 1) });
  const ee = handshake(8, u16(0));
  const certificate = handshake(11, concat(Uint8Array.of(0), u24(cert.length + 5), u24(cert.length), cert, u16(0)));
  t.add(ee, certificate);
  const sig = signEcdsaSha256(leaf.privateKey, certificateVerifyInput('server', t.digest()));
  const certVerify = handshake(15, concat(u16(ECDSA_SECP256R1_SHA256), u16(sig.length), sig));
  t.add(certVerify);
  const serverFinished = handshake(20, finishedVerifyData(suite.hash, hs.serverHandshakeTrafficSecret, t.digest()));
  t.add(serverFinished);
  const app = applicationStage(hs, t.digest());
  const clientFinished = handshake(20, finishedVerifyData(suite.hash, hs.clientHandshakeTrafficSecret, t.digest()));

  const clientApp = new Tls13RecordProtection(suite, app.clientApplicationTrafficSecret);
  const serverApp = new Tls13RecordProtection(suite, app.serverApplicationTrafficSecret);
  const request = 'GET /decrypted-by-tshark HTTP/1.1\r\nHost: server\r\n\r\n';
  const response = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
  return {
    flights: [
      { from: 'client', bytes: plainRecord(CONTENT_HANDSHAKE, v.clientHello) },
      { from: 'server', bytes: concat(plainRecord(CONTENT_HANDSHAKE, v.serverHello), serverHs.seal(CONTENT_HANDSHAKE, concat(ee, certificate, certVerify, serverFinished))) },
      { from: 'client', bytes: concat(clientHs.seal(CONTENT_HANDSHAKE, clientFinished), clientApp.seal(CONTENT_APPLICATION_DATA, utf8(request))) },
      { from: 'server', bytes: serverApp.seal(CONTENT_APPLICATION_DATA, utf8(response), 7) },
    ],
    keyLog: keyLogText(keyLogLines13({ clientRandom: v.clientHello.subarray(6, 38), ...hs, ...app })),
    request,
    response,
  };
}
