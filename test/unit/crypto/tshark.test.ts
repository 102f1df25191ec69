import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tsharkAvailable } from '../wire/tshark';
import { capture } from './capture13';

describe('crypto: tshark decrypts TLS 1.3 and 1.2 captures using only the embedded Decryption Secrets Block', function () {
  // three tshark runs per test; the machine may be shared
  this.timeout(20000);
  function tshark(pcap: Uint8Array, fields: string[], extra: string[] = []): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-dsb-'));
    try {
      const file = path.join(dir, 'tls13.pcapng');
      fs.writeFileSync(file, pcap);
      // tls.keylog_file is set empty so no key file of the machine can help: only the DSB can
      return execFileSync('tshark', ['-r', file, '-o', 'tls.keylog_file:', ...extra, '-T', 'fields', ...fields.flatMap((x) => ['-e', x])],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n').filter((l) => l.trim() !== '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  before(function () {
    const have = tsharkAvailable();
    if (!have.ok) {
      console.log(`      (skipped: ${have.reason})`);
      this.skip();
    }
  });

  it('shows the decrypted HTTP request and response, every handshake message, and no expert warnings', () => {
    const { pcap } = capture();
    assert.deepEqual(tshark(pcap, ['http.request.uri']), ['/decrypted-by-tshark']);
    assert.deepEqual(tshark(pcap, ['http.response.code', 'http.file_data']), ['200\thello']);
    // 1 ClientHello, 2 ServerHello, then decrypted: 8 EE, 11 Certificate, 15 CertificateVerify, 20 server Finished, 20 client Finished
    assert.deepEqual(tshark(pcap, ['tls.handshake.type']).join(',').split(',').map(Number), [1, 2, 8, 11, 15, 20, 20]);
    assert.ok(tshark(pcap, ['x509sat.uTF8String']).join(',').includes('Journey Root CA'), 'certificate visible once decrypted');
    assert.deepEqual(tshark(pcap, ['_ws.expert.severity'], ['-Y', '_ws.expert.severity >= 4194304']), [], 'no warnings or errors');
  });

  it('TLS 1.2 (ECDHE-ECDSA-AES128-GCM-SHA256, CLIENT_RANDOM line): decrypts both Finished and the HTTP exchange', () => {
    const { pcap } = capture(true, '1.2');
    assert.deepEqual(tshark(pcap, ['http.request.uri']), ['/tls12-decrypted']);
    assert.deepEqual(tshark(pcap, ['http.response.code', 'http.file_data']), ['200\tok']);
    // 1 CH, 2 SH, 11 Certificate, 12 ServerKeyExchange, 14 ServerHelloDone, 16 ClientKeyExchange, 20 Finished (decrypted) x2
    assert.deepEqual(tshark(pcap, ['tls.handshake.type']).join(',').split(',').map(Number), [1, 2, 11, 12, 14, 16, 20, 20]);
    assert.deepEqual(tshark(pcap, ['_ws.expert.severity'], ['-Y', '_ws.expert.severity >= 4194304']), [], 'no warnings or errors');
  });

  it('control: without the Decryption Secrets Block nothing is decrypted', () => {
    const { pcap } = capture(false);
    assert.deepEqual(tshark(pcap, ['http.request.uri']), []);
    assert.deepEqual(tshark(pcap, ['tls.handshake.type']).join(',').split(',').map(Number), [1, 2]);
  });
});
