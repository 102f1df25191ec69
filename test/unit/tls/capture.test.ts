// The exported captures decrypt in tshark with no key file (issue #13): every TLS record of
// the seed (TLS 1.3, HTTP/2), of tls12.journey (TLS 1.2, HTTP/2) and of http11.journey (TLS 1.3,
// HTTP/1.1) opens with the secrets of the embedded Decryption Secrets Block, and what tshark
// reads inside is, frame for frame and field for field, what the simulation encrypted.
import { strict as assert } from 'node:assert';
import { traceToPcapng } from '../../../src/core/export/trace-pcap';
import type { Trace } from '../../../src/core/trace/types';
import { expertErrors, findAll, tsharkAvailable, tsharkJson, type TsharkLayers } from '../wire/tshark';
import { expectedMessages, recordSummary, traceRecordingTls, tsharkMessages, type Written } from './trace-tls';

/** The seed with an Ed25519 certificate, fetched by curl (OpenSSL offers ed25519; a browser does not). */
const ED25519_CURL = (text: string): string => text
  .replace('certificate api-cert {\n', 'certificate api-cert {\n  key ed25519\n')
  .replace('host laptop {\n', 'host laptop {\n  software curl\n');

/** No key file of the machine may help: only the capture's own Decryption Secrets Block. */
const NO_KEYFILE = ['-o', 'tls.keylog_file:'];

function clientIp(t: Trace, link: string): string {
  const p = t.packets.find((x) => x.link === link && x.layers.some((l) => l.proto === 'tls'));
  const ip = p?.layers.find((l) => l.proto === 'ipv4')?.fields.find((f) => f.name === 'src');
  assert.ok(ip, `a TLS packet on ${link}`);
  return ip.value;
}

describe('TLS: exported captures decrypt in tshark with the embedded secrets, and show what the trace encrypted', function () {
  this.timeout(30000);
  before(function () {
    const have = tsharkAvailable();
    if (!have.ok) {
      console.log(`      (skipped: ${have.reason})`);
      this.skip();
    }
  });

  /** `edit`/`what`: a variant of the file; `scheme`: the signature scheme the server must sign with */
  const cases: { file: string; version: '1.3' | '1.2'; handshake: number[]; http: '2' | '1.1'; edit?: (text: string) => string; what?: string; scheme?: string }[] = [
    // 1 ClientHello, 2 ServerHello, then decrypted: 8 EncryptedExtensions, 11 Certificate, 15 CertificateVerify, 20 Finished x2,
    // 4 NewSessionTicket x2 (after the handshake, under the application keys)
    { file: 'follow-a-packet.journey', version: '1.3', handshake: [1, 2, 8, 11, 15, 20, 20, 4, 4], http: '2' },
    // 1, 2, 11 Certificate, 12 ServerKeyExchange, 14 ServerHelloDone, 16 ClientKeyExchange, 20 Finished x2 (decrypted)
    { file: 'tls12.journey', version: '1.2', handshake: [1, 2, 11, 12, 14, 16, 20, 20], http: '2' },
    { file: 'http11.journey', version: '1.3', handshake: [1, 2, 8, 11, 15, 20, 20, 4, 4], http: '1.1' },
    { file: 'follow-a-packet.journey', what: 'key ed25519, curl', version: '1.3', handshake: [1, 2, 8, 11, 15, 20, 20, 4, 4], http: '2', edit: ED25519_CURL, scheme: '0x0807' },
    {
      file: 'follow-a-packet.journey', what: 'key ed25519, curl', version: '1.2', handshake: [1, 2, 11, 12, 14, 16, 20, 20], http: '2', scheme: '0x0807',
      edit: (text) => ED25519_CURL(text).replace('\n    tls 1.3\n', '\n    tls 1.2\n'),
    },
  ];

  for (const c of cases) {
    describe(`${c.file}${c.what ? ` with ${c.what}` : ''} (TLS ${c.version}, HTTP/${c.http})`, () => {
      let trace: Trace;
      let writes: Written[];
      let wifi: TsharkLayers[];
      before(() => {
        ({ trace, writes } = traceRecordingTls(c.file, c.edit));
        assert.ok(trace.outcome.ok, `the journey succeeds: ${trace.outcome.ok ? '' : trace.outcome.symptom}`);
        wifi = tsharkJson(traceToPcapng(trace, { link: 'wifi' }), NO_KEYFILE);
      });

      it('the key log holds the session secrets (4 TLS 1.3 traffic secrets, or the TLS 1.2 master secret)', () => {
        const labels = (trace.tlsKeyLog ?? []).map((l) => l.split(' ')[0]);
        assert.deepEqual(labels, c.version === '1.3'
          ? ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0']
          : ['CLIENT_RANDOM']);
      });

      it('every handshake message is visible, the encrypted ones decrypted', () => {
        const types = wifi.flatMap((p) => findAll(p.tls, 'tls.handshake.type').map(Number));
        assert.deepEqual(types, c.handshake);
      });

      it('no record fails to decrypt, and no malformed, bad-MAC or other error expert info', () => {
        const s = recordSummary(wifi);
        if (c.version === '1.3') assert.ok(s.protected13 > 5, `protected records on the link: ${s.protected13}`);
        assert.equal(s.undecrypted, 0, 'records tshark could not decrypt');
        assert.deepEqual(wifi.flatMap(expertErrors), []);
        // warnings too (PI_WARN = 0x00600000): a dissector that chokes on decrypted content warns
        const warnings = wifi.flatMap((p) => findAll(p, '_ws.expert').filter((e) => Number((e as Record<string, unknown>)['_ws.expert.severity']) >= 0x00600000).map((e) => String((e as Record<string, unknown>)['_ws.expert.message'])));
        assert.deepEqual(warnings, []);
      });

      it(`the HTTP/${c.http} ${c.http === '2' ? 'frames' : 'messages'} tshark decrypts are the ones the simulation encrypted, field for field`, () => {
        const browser = trace.packets.find((p) => p.link === 'wifi')?.from ?? '';
        const ip = clientIp(trace, 'wifi');
        const sent = expectedMessages(writes.filter((w) => w.role === 'client' && w.device === browser));
        const received = expectedMessages(writes.filter((w) => w.role === 'server' && w.device !== browser));
        assert.ok(sent.length > 0 && received.length > 0, 'the browser and the server both sent application data');
        assert.deepEqual(tsharkMessages(wifi, ip), sent, 'browser -> server');
        const server = wifi.find((p) => (p.ip as Record<string, unknown> | undefined)?.['ip.src'] !== ip && p.tls !== undefined);
        const serverIp = String((server?.ip as Record<string, unknown>)['ip.src']);
        assert.deepEqual(tsharkMessages(wifi, serverIp), received, 'server -> browser');
      });

      if (c.scheme) {
        it(`the server signs with scheme ${c.scheme}: a 64-byte Ed25519 signature, and tshark reads an Ed25519 key and signature in the certificate`, () => {
          // the ServerKeyExchange (TLS 1.2) or CertificateVerify (TLS 1.3), not the ClientHello's list
          const signed = wifi.flatMap((p) => findAll(p.tls, 'tls.handshake')).filter((h) => ['12', '15'].includes(String((h as Record<string, unknown>)['tls.handshake.type'])));
          assert.deepEqual(signed.flatMap((h) => findAll(h, 'tls.handshake.sig_hash_alg').map(String)), [c.scheme]);
          // tshark 4.0 files a CertificateVerify's length under the client's name whichever side sent it
          const lengths = signed.flatMap((h) => [...findAll(h, 'tls.handshake.sig_len'), ...findAll(h, 'tls.handshake.client_cert_vrfy.sig_len')].map(Number));
          assert.deepEqual(lengths, [64]);
          // id-Ed25519 names both the key (subjectPublicKeyInfo) and the signature algorithm
          const algorithms = wifi.flatMap((p) => findAll(p.tls, 'x509af.algorithm.id').map(String));
          assert.deepEqual(algorithms, ['1.3.101.112', '1.3.101.112', '1.3.101.112']);
        });
      }

      it('tshark shows the certificate with the subject, SAN, issuer and validity of the file\'s certificate statement', () => {
        const strings = wifi.flatMap((p) => findAll(p, 'x509sat.uTF8String').map(String));
        assert.ok(strings.includes('api.example.com') && strings.includes('Amazon Root CA 1'), `subject and issuer CN: ${strings.join(', ')}`);
        assert.deepEqual(wifi.flatMap((p) => findAll(p, 'x509ce.dNSName').map(String)), ['api.example.com']);
        const times = wifi.flatMap((p) => findAll(p, 'x509af.utcTime').map(String));
        assert.deepEqual(times, ['2026-06-01 00:00:00 (UTC)', '2027-06-30 00:00:00 (UTC)']);
      });
    });
  }

  it('the all-links capture of the seed decrypts too: no malformed packet, no bad MAC, no undecrypted record (first copies)', () => {
    const { trace } = traceRecordingTls('follow-a-packet.journey');
    const all = tsharkJson(traceToPcapng(trace), NO_KEYFILE);
    assert.deepEqual(all.flatMap(expertErrors), []);
    // the copies tshark flags as retransmissions are the all-links artefact the per-link files avoid
    const firstCopies = all.filter((p) => !['tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission'].some((k) => findAll(p.tcp, k).length > 0));
    const s = recordSummary(firstCopies);
    // NAT and the IGW's DNAT make three TCP streams of the one connection (LAN, Internet, VPC);
    // tshark dissects each stream once and reads the copies on further links as retransmissions
    assert.ok(s.protected13 > 30, `protected records: ${s.protected13}`);
    assert.equal(s.undecrypted, 0);
    // the request's HEADERS frame is read on every link the TLS stream crossed
    const paths = all.flatMap((p) => findAll(p, 'http2.headers.path').map(String));
    assert.ok(paths.length >= 2 && paths.every((x) => x === '/users/42'), `paths: ${paths.join(', ')}`);
  });

  it('control: with the Decryption Secrets Block left out, tshark sees only ciphertext', () => {
    const { trace } = traceRecordingTls('follow-a-packet.journey');
    const bare = tsharkJson(traceToPcapng({ ...trace, tlsKeyLog: undefined }, { link: 'wifi' }), NO_KEYFILE);
    assert.deepEqual(bare.flatMap((p) => findAll(p, 'http2.type')), []);
    const s = recordSummary(bare);
    assert.ok(s.protected13 > 5 && s.undecrypted === s.protected13, `the measure of undecrypted records sees them: ${JSON.stringify(s)}`);
    assert.deepEqual(bare.flatMap((p) => findAll(p.tls, 'tls.handshake.type').map(Number)), [1, 2]);
  });
});
