// A certificate's key type (`key ecdsa-p256 | ed25519`): it changes the Certificate and the
// server's signatures on the wire, the server picks the first of the client's
// signature_algorithms its key supports, and a client that offers none of them (a browser
// meeting Ed25519) is refused with a handshake_failure alert, as OpenSSL refuses it.
import { strict as assert } from 'node:assert';
import { decodeStack, fromHex, type TlsRecord } from '../../../src/core/wire';
import type { Trace } from '../../../src/core/trace/types';
import { build } from '../helpers';
import { SEED, traceOf } from '../sim/helpers';

const ED25519: [RegExp, string] = [/certificate api-cert \{\n/, 'certificate api-cert {\n  key ed25519\n'];
const CURL: [RegExp, string] = [/host laptop \{\n/, 'host laptop {\n  software curl\n'];
const CHROME: [RegExp, string] = [/host laptop \{\n/, 'host laptop {\n  software chrome\n'];
const TLS12: [RegExp, string] = [/\n {4}tls 1\.3\n/, '\n    tls 1.2\n'];

/** The TLS records of each packet on the laptop's link, in order, with who sent them. */
function wifiRecords(t: Trace): { from: string; records: TlsRecord[] }[] {
  return t.packets.filter((p) => p.link === 'wifi').flatMap((p) => {
    const tls = decodeStack(fromHex(p.bytes)).find((h) => h.proto === 'tls');
    return tls && tls.proto === 'tls' ? [{ from: p.from, records: tls.records }] : [];
  });
}

/** The server's first TLS 1.3 flight: ServerHello, CCS, then EncryptedExtensions, Certificate,
 * CertificateVerify and Finished, each in its own protected record. */
function serverFlight13(t: Trace): TlsRecord[] {
  const flight = wifiRecords(t).find((x) => x.from !== 'laptop');
  assert.ok(flight, 'a server flight on the wifi link');
  assert.equal(flight.records.length, 6);
  return flight.records;
}

const len = (r: TlsRecord): number => (r.body.kind === 'opaque' ? r.body.data.length : -1);

describe('TLS: the certificate\'s key type (key ecdsa-p256 | ed25519)', () => {
  const curlP256 = traceOf(SEED, CURL);
  const curlEd = traceOf(SEED, CURL, ED25519);

  it('the default is ecdsa-p256: saying so changes no byte of the trace', () => {
    const explicit = traceOf(SEED, [/certificate api-cert \{\n/, 'certificate api-cert {\n  key ecdsa-p256\n']);
    const plain = traceOf(SEED);
    assert.deepEqual(explicit.packets.map((p) => p.bytes), plain.packets.map((p) => p.bytes));
    assert.deepEqual(explicit.tlsKeyLog, plain.tlsKeyLog);
  });

  it('curl + Ed25519 (TLS 1.3): the Certificate is about 64 bytes shorter, the CertificateVerify carries a 64-byte signature', () => {
    assert.ok(curlEd.outcome.ok, curlEd.outcome.ok ? '' : curlEd.outcome.symptom);
    const p256 = serverFlight13(curlP256);
    const ed = serverFlight13(curlEd);
    // SPKI 91 -> 44 bytes, signatureAlgorithm 12 -> 7 twice, signature BIT STRING 73-75 -> 67
    const certShorter = len(p256[3]) - len(ed[3]);
    assert.ok(certShorter >= 63 && certShorter <= 66, `Certificate record ${len(p256[3])} -> ${len(ed[3])}`);
    // CertificateVerify: handshake header 4 + scheme 2 + length 2 + 64, inner content type 1, AEAD tag 16
    assert.equal(len(ed[4]), 4 + 2 + 2 + 64 + 1 + 16);
    assert.ok(len(p256[4]) >= 4 + 2 + 2 + 70 + 17 && len(p256[4]) <= 4 + 2 + 2 + 72 + 17, `ECDSA CertificateVerify record ${len(p256[4])}`);
    const server = curlEd.events.find((e) => e.kind === 'tls' && /Certificate \(\d+-byte DER, Ed25519/.test(e.summary));
    assert.ok(server, 'the server says it sends an Ed25519 certificate');
    assert.ok(server.details.some((d) => /signature scheme ed25519 \(0x0807\)/.test(d)), server.details.join('\n'));
    const client = curlEd.events.filter((e) => e.device === 'laptop' && e.kind === 'tls').flatMap((e) => e.details);
    assert.ok(client.includes('chain: issued by "Amazon Root CA 1": in the trust store; signature verified with its Ed25519 key'), client.join('\n'));
    assert.ok(client.includes('CertificateVerify: Ed25519 signature over the transcript verified with the certificate\'s public key'));
  });

  it('curl + Ed25519 (TLS 1.2): the ServerKeyExchange is signed with ed25519 (0x0807), 64 bytes, in clear', () => {
    const t = traceOf(SEED, CURL, ED25519, TLS12);
    assert.ok(t.outcome.ok, t.outcome.ok ? '' : t.outcome.symptom);
    const messages = wifiRecords(t).flatMap((x) => x.records).flatMap((r) => (r.body.kind === 'handshake' ? r.body.messages : []));
    const ske = messages.find((m) => m.type === 'server_key_exchange');
    assert.ok(ske && ske.type === 'server_key_exchange');
    assert.equal(ske.signatureScheme, 0x0807);
    assert.equal(ske.signature.length, 64);
    const cert = messages.find((m) => m.type === 'certificate');
    assert.ok(cert && cert.type === 'certificate');
    assert.equal(cert.certificates[0].length, 394);
  });

  for (const [who, edits] of [['chrome', [CHROME]], ['the default browser', []]] as const) {
    it(`${who} + Ed25519: the server answers the ClientHello with a handshake_failure alert and the outcome says why`, () => {
      const t = traceOf(SEED, ...edits, ED25519);
      assert.equal(t.outcome.ok, false);
      if (t.outcome.ok) return;
      assert.equal(t.outcome.symptom, 'TLS failed: the server refused the handshake: no signature algorithm in common: the certificate\'s Ed25519 key signs only with ed25519 (0x0807), which the client\'s signature_algorithms do not offer (alert handshake_failure)');
      assert.equal(t.outcome.stoppedAt, 'laptop');
      assert.match(t.outcome.detectWith ?? '', /^openssl s_client -connect api\.example\.com:443 -servername api\.example\.com -sigalgs ecdsa_secp256r1_sha256:/);
      assert.match(t.outcome.detectWith ?? '', /Public Key Algorithm: ED25519/);
      const wire = wifiRecords(t);
      assert.equal(wire.length, 2, 'ClientHello, then the alert');
      assert.deepEqual(wire[1].records.map((r) => r.body), [{ kind: 'alert', level: 2, description: 40 }]);
      // the browser never offered ed25519
      const hello = wire[0].records[0].body;
      assert.ok(hello.kind === 'handshake' && hello.messages[0].type === 'client_hello');
      const sigalgs = hello.messages[0].extensions?.find((e) => e.kind === 'signature_algorithms');
      assert.ok(sigalgs && sigalgs.kind === 'signature_algorithms' && !sigalgs.schemes.includes(0x0807));
    });
  }

  it('the same with TLS 1.2: Chrome is refused the same way', () => {
    const t = traceOf(SEED, CHROME, ED25519, TLS12);
    assert.ok(!t.outcome.ok && /no signature algorithm in common.*\(alert handshake_failure\)$/.test(t.outcome.symptom ?? ''));
  });

  it('a root signs with one key type: two certificates of one issuer with different keys are an error', () => {
    const text = SEED.replace('certificate api-cert {\n', 'certificate other-cert {\n  subject other.example.com\n  san other.example.com\n  issuer "Amazon Root CA 1"\n  valid-from 2026-01-01\n  valid-until 2027-01-01\n  key ed25519\n}\n\ncertificate api-cert {\n');
    const d = build(text).diagnostics.filter((x) => x.code === 'issuer-key-mismatch');
    assert.equal(d.length, 1);
    assert.equal(d[0].severity, 'error');
    assert.match(d[0].message, /Certificate "api-cert" has key ecdsa-p256 but "other-cert", also issued by "Amazon Root CA 1", has key ed25519/);
    assert.equal(d[0].related?.[0].message, '"other-cert" (key ed25519)');
    assert.deepEqual(build(text.replace('  key ed25519\n', '')).diagnostics.filter((x) => x.code === 'issuer-key-mismatch'), []);
  });

  it('a key type the language does not know is a diagnostic at the word', () => {
    const d = build(SEED.replace('certificate api-cert {\n', 'certificate api-cert {\n  key rsa-2048\n')).diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.length, 1);
    assert.match(d[0].message, /ecdsa-p256.*ed25519|ed25519.*ecdsa-p256/);
  });
});
