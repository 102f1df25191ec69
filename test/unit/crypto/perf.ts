/**
 * Micro-measurement of the crypto costs the simulation will pay (not a test: run it by hand with
 * `npx tsx test/unit/crypto/perf.ts`). Reports the median of several rounds, in microseconds.
 */
import { performance } from 'node:perf_hooks';
import { applicationStage, earlyStage, handshakeStage } from '../../../src/core/crypto/keySchedule13';
import { CONTENT_APPLICATION_DATA, Tls13RecordProtection } from '../../../src/core/crypto/record13';
import { Tls12GcmRecordProtection } from '../../../src/core/crypto/record12';
import { CipherSuite, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 } from '../../../src/core/crypto/suites';
import { generateKeyShare, sharedSecret } from '../../../src/core/crypto/ecdhe';
import { deriveSigningKey, signEcdsaSha256 } from '../../../src/core/crypto/signing';
import { issueCertificate } from '../../../src/core/crypto/x509Build';
import { keyBlock, masterSecret } from '../../../src/core/crypto/tls12';
import { Transcript } from '../../../src/core/crypto/transcript';
import { buildHandshake13 } from './handshake13';
import { buildHandshake12 } from './handshake12';

function median(fn: () => void, iterations: number, rounds = 7): number {
  for (let i = 0; i < iterations; i++) fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    times.push(((performance.now() - t0) * 1000) / iterations);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(rounds / 2)];
}

const report = (name: string, us: number): void => console.log(`${name.padEnd(58)} ${us.toFixed(1).padStart(9)} us`);
const rnd = (n: number): Uint8Array => new Uint8Array(n).fill(3);

for (const suite of [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256] as CipherSuite[]) {
  const p = new Tls13RecordProtection(suite, new Uint8Array(suite.hash === 'sha384' ? 48 : 32));
  for (const size of [16384, 1024]) {
    const data = new Uint8Array(size);
    report(`TLS 1.3 seal ${size} B record, ${suite.name}`, median(() => p.seal(CONTENT_APPLICATION_DATA, data), size > 2000 ? 20 : 200));
  }
}
{
  const s = TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
  const p = new Tls12GcmRecordProtection(s, new Uint8Array(16), new Uint8Array(4));
  report('TLS 1.2 seal 16384 B record, AES-128-GCM', median(() => p.seal(23, new Uint8Array(16384)), 20));
  report('TLS 1.2 seal 1024 B record, AES-128-GCM', median(() => p.seal(23, new Uint8Array(1024)), 200));
}
const helloHash = new Transcript('sha256').add(new Uint8Array(300)).digest();
report('TLS 1.3 key schedule: early+handshake+application stages', median(() => applicationStage(handshakeStage(earlyStage('sha256'), new Uint8Array(32), helloHash), helloHash), 200));
report('TLS 1.3 traffic keys for one direction (record protector setup)', median(() => new Tls13RecordProtection(TLS_AES_128_GCM_SHA256, helloHash), 500));
report('TLS 1.2 master secret + key block', median(() => keyBlock(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, masterSecret('sha256', helloHash, helloHash, helloHash), helloHash, helloHash), 200));
report('X25519 key share + shared secret', median(() => sharedSecret(generateKeyShare('x25519', rnd), generateKeyShare('x25519', rnd).publicKey), 20));
report('P-256 key share + shared secret', median(() => sharedSecret(generateKeyShare('secp256r1', rnd), generateKeyShare('secp256r1', rnd).publicKey), 20));
const key = deriveSigningKey(1, 'server');
report('ECDSA P-256 sign (CertificateVerify / ServerKeyExchange)', median(() => signEcdsaSha256(key.privateKey, helloHash), 20));
report('deriveSigningKey + issueCertificate (leaf)', median(() => issueCertificate({ subjectCN: 's', sans: ['s'], subjectPublicKey: deriveSigningKey(1, 's').publicKey, issuerCN: 'CA', issuerKey: key, serial: 1, notBefore: 0, notAfter: 1e12 }), 20));
report('whole TLS 1.3 handshake + 2 records (handshake13.ts, warm, certificates cached)', median(() => buildHandshake13(), 10));
report('whole TLS 1.2 handshake + 2 records (handshake12.ts: 2 x X25519 shares, 1 shared, 1 sign)', median(() => buildHandshake12(), 10));
