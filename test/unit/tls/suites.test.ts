// Every suite the server may pick runs for real: a client that prefers TLS_AES_256_GCM_SHA384
// (SHA-384 key schedule) or TLS_CHACHA20_POLY1305_SHA256, or the AES-256 TLS 1.2 suite, gets it,
// and tshark decrypts the result with the embedded secrets.
import { strict as assert } from 'node:assert';
import { traceToPcapng } from '../../../src/core/export/trace-pcap';
import { TlsEndpoint } from '../../../src/core/sim/tls';
import { TLS_CIPHER } from '../../../src/core/wire';
import { findAll, tsharkAvailable, tsharkJson } from '../wire/tshark';
import { traceRecordingTls } from './trace-tls';

function withPreferredSuites(suites: number[], file: string): ReturnType<typeof traceRecordingTls> {
  const original = TlsEndpoint.prototype.startClient;
  TlsEndpoint.prototype.startClient = function (this: TlsEndpoint, o: Parameters<TlsEndpoint['startClient']>[0]): void {
    original.call(this, { ...o, suites });
  };
  try {
    return traceRecordingTls(file);
  } finally {
    TlsEndpoint.prototype.startClient = original;
  }
}

describe('TLS: the other cipher suites, decrypted by tshark', function () {
  this.timeout(20000);
  before(function () {
    const have = tsharkAvailable();
    if (!have.ok) {
      console.log(`      (skipped: ${have.reason})`);
      this.skip();
    }
  });

  const cases: [string, number, string][] = [
    ['TLS_AES_256_GCM_SHA384', TLS_CIPHER.TLS_AES_256_GCM_SHA384, 'follow-a-packet.journey'],
    ['TLS_CHACHA20_POLY1305_SHA256', TLS_CIPHER.TLS_CHACHA20_POLY1305_SHA256, 'follow-a-packet.journey'],
    ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 'tls12.journey'],
  ];
  for (const [name, id, file] of cases) {
    it(`${name}: the handshake completes and every record decrypts`, () => {
      const { trace } = withPreferredSuites([id, TLS_CIPHER.TLS_AES_128_GCM_SHA256, TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256], file);
      assert.ok(trace.outcome.ok, trace.outcome.ok ? '' : trace.outcome.symptom);
      const packets = tsharkJson(traceToPcapng(trace, { link: 'wifi' }), ['-o', 'tls.keylog_file:']);
      // the ClientHello's list (the preferred suite first), then the ServerHello's choice
      const suites = packets.flatMap((p) => findAll(p, 'tls.handshake.ciphersuite').map((x) => Number(x)));
      assert.equal(suites[0], id, 'offered first');
      assert.equal(suites[suites.length - 1], id, 'the suite the server chose');
      const appData = packets.flatMap((p) => findAll(p.tls, 'tls.record.content_type').map(String)).filter((x) => x === '23').length;
      const opened = packets.flatMap((p) => findAll(p.tls, 'tls.app_data_proto')).length;
      assert.ok(appData > 0);
      assert.equal(opened, appData, 'records decrypted');
      assert.deepEqual(packets.flatMap((p) => findAll(p, 'http2.headers.path').map(String)), ['/users/42', '/users/42']);
    });
  }
});
