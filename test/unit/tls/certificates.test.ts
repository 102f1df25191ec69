// Certificates for real (issue #13): the file's `certificate` statements become X.509
// certificates (ECDSA P-256) issued by a root named after their issuer, derived from the seed;
// the browser checks the certificate it decrypted and parsed; the exported PEM files parse in
// OpenSSL and verify against the exported CA.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scenarioCertificates } from '../../../src/core/export/certificates';
import { traceToPcapng } from '../../../src/core/export/trace-pcap';
import { findAll, tsharkAvailable, tsharkJson } from '../wire/tshark';
import { parseCertificate } from '../../../src/core/crypto';
import { checkCertificate, type CertView } from '../../../src/core/sim/tls';
import type { Trace } from '../../../src/core/trace/types';
import { build } from '../helpers';
import { SEED, traceOf } from '../sim/helpers';

const SCENARIO_DATE = Date.UTC(2026, 10, 24);

function certsOf(text: string): { name: string; pem: string }[] {
  const b = build(text);
  return scenarioCertificates(b.network, b.network.scenarios[0]);
}

function derOf(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

function certificateEvent(t: Trace): string {
  const e = t.events.find((x) => x.kind === 'tls' && /certificate for /.test(x.summary));
  assert.ok(e, 'the browser checked a certificate');
  return `${e.summary}\n${e.details.join('\n')}`;
}

describe('TLS certificates: real X.509 from the file, checked by the browser after decrypting them', () => {
  it('the seed\'s certificate: ECDSA P-256, the file\'s subject, SAN, issuer and dates, signed by its root; the same seed gives the same bytes', () => {
    const files = certsOf(SEED);
    assert.deepEqual(files.map((f) => f.name), ['api-cert.pem', 'ca-Amazon-Root-CA-1.pem', 'ca.pem']);
    const leaf = parseCertificate(derOf(files[0].pem));
    const ca = parseCertificate(derOf(files[1].pem));
    assert.equal(leaf.subjectCN, 'api.example.com');
    assert.deepEqual(leaf.sans, ['api.example.com']);
    assert.equal(leaf.issuerCN, 'Amazon Root CA 1');
    assert.equal(leaf.notBefore.toISOString(), '2026-06-01T00:00:00.000Z');
    assert.equal(leaf.notAfter.toISOString(), '2027-06-30T00:00:00.000Z');
    assert.equal(leaf.publicKeyAlgorithm, '1.2.840.10045.2.1');
    assert.equal(ca.subjectCN, 'Amazon Root CA 1');
    assert.ok(ca.isCa && !leaf.isCa);
    assert.deepEqual(certsOf(SEED), files, 'deterministic');
    const otherSeed = certsOf(SEED.replace('seed 42', 'seed 43'));
    assert.notEqual(otherSeed[0].pem, files[0].pem, 'another seed, another key');
  });

  it('the browser verifies the signature with the trusted root\'s key', () => {
    const t = traceOf(SEED);
    assert.match(certificateEvent(t), /in the trust store; signature verified with its P-256 key/);
  });

  it('failures come from the certificate\'s fields: expired, name mismatch, untrusted issuer', () => {
    const expired = traceOf(SEED, ['valid-until 2027-06-30', 'valid-until 2026-11-01']);
    assert.match(expired.outcome.symptom ?? '', /ERR_CERT_DATE_INVALID/);
    assert.match(certificateEvent(expired), /2026-06-01 \.\. 2026-11-01 on 2026-11-24: EXPIRED/);
    const mismatch = traceOf(SEED, ['  san api.example.com\n', '  san www.example.com\n']);
    assert.match(mismatch.outcome.symptom ?? '', /ERR_CERT_COMMON_NAME_INVALID/);
    assert.match(certificateEvent(mismatch), /name: api\.example\.com vs SAN www\.example\.com: NO match/);
    const untrusted = traceOf(SEED, ['trust "Amazon Root CA 1"', 'trust "Some Other Root"']);
    assert.match(untrusted.outcome.symptom ?? '', /ERR_CERT_AUTHORITY_INVALID/);
  });

  it('the refusal is on the wire: the browser\'s alert, encrypted under its handshake key (1.3) or in clear (1.2), reaches the server', function () {
    const have = tsharkAvailable();
    if (!have.ok) {
      console.log(`      (skipped: ${have.reason})`);
      this.skip();
    }
    for (const version of ['1.3', '1.2']) {
      const expired: [string, string] = ['valid-until 2027-06-30', 'valid-until 2026-11-01'];
      const t = version === '1.3' ? traceOf(SEED, expired) : traceOf(SEED, expired, ['    tls 1.3\n', '    tls 1.2\n']);
      assert.ok(t.events.some((e) => e.device === 'alb' && /the peer aborted the connection: alert certificate_expired/.test(e.summary)), `TLS ${version}: the server reads the alert`);
      const packets = tsharkJson(traceToPcapng(t, { link: 'wifi' }), ['-o', 'tls.keylog_file:']);
      // 45 = certificate_expired (RFC 8446 6.2)
      assert.deepEqual(packets.flatMap((p) => findAll(p, 'tls.alert_message.desc').map(String)), ['45'], `TLS ${version}`);
    }
  });

  it('a root of the right name whose key did not sign the certificate is refused (unknown_ca)', () => {
    const view: CertView = { subject: 'api.example.com', sans: ['api.example.com'], issuer: 'Amazon Root CA 1', validFrom: 0, validUntil: 2e12, revoked: false, source: { file: 'inline.journey', span: { start: 0, end: 0 } }, signedBy: () => false };
    const v = checkCertificate(view, 'api.example.com', ['Amazon Root CA 1'], SCENARIO_DATE);
    assert.equal(v.ok, false);
    assert.equal(v.alert, 'unknown_ca');
    assert.match(v.checks[0], /did NOT sign/);
  });

  it('fail cert-expired serves an expired certificate (the capture and the exported PEM show it)', () => {
    const text = SEED.replace('  interval 1s\n', '  interval 1s\n  fail cert-expired\n');
    const leaf = parseCertificate(derOf(certsOf(text)[0].pem));
    assert.equal(leaf.notAfter.getTime(), SCENARIO_DATE - 86400000);
  });

  describe('OpenSSL reads the exported files', function () {
    let dir = '';
    before(function () {
      const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
      if (r.error || r.status !== 0) {
        console.log(`      (skipped: openssl not runnable: ${r.error?.message ?? `exit ${r.status}`})`);
        this.skip();
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-certs-'));
      for (const f of certsOf(SEED)) fs.writeFileSync(path.join(dir, f.name), f.pem);
      const expired = certsOf(SEED.replace('  interval 1s\n', '  interval 1s\n  fail cert-expired\n'));
      fs.writeFileSync(path.join(dir, 'expired.pem'), expired[0].pem);
    });
    after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

    const openssl = (...args: string[]): { out: string; status: number | null } => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      return { out: `${r.stdout}${r.stderr}`, status: r.status };
    };
    // OpenSSL checks dates against the clock unless told otherwise: check at the scenario's date
    const attime = String(SCENARIO_DATE / 1000);

    it('openssl x509 parses each certificate with its fields', () => {
      const leaf = openssl('x509', '-in', 'api-cert.pem', '-noout', '-subject', '-issuer', '-dates', '-ext', 'subjectAltName');
      assert.equal(leaf.status, 0, leaf.out);
      assert.match(leaf.out, /subject=CN ?= ?api\.example\.com/);
      assert.match(leaf.out, /issuer=CN ?= ?Amazon Root CA 1/);
      assert.match(leaf.out, /notBefore=Jun {2}1 00:00:00 2026 GMT/);
      assert.match(leaf.out, /notAfter=Jun 30 00:00:00 2027 GMT/);
      assert.match(leaf.out, /DNS:api\.example\.com/);
      const ca = openssl('x509', '-in', 'ca.pem', '-noout', '-subject', '-ext', 'basicConstraints');
      assert.equal(ca.status, 0, ca.out);
      assert.match(ca.out, /CA:TRUE/);
    });

    it('openssl verify accepts the chain against the exported CA, and refuses the expired one', () => {
      const ok = openssl('verify', '-attime', attime, '-CAfile', 'ca.pem', 'api-cert.pem');
      assert.equal(ok.status, 0, ok.out);
      assert.match(ok.out, /api-cert\.pem: OK/);
      const bad = openssl('verify', '-attime', attime, '-CAfile', 'ca.pem', 'expired.pem');
      assert.notEqual(bad.status, 0);
      assert.match(bad.out, /certificate has expired/);
    });
  });
});
