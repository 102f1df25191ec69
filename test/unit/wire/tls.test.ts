import { strict as assert } from 'node:assert';
import {
  ClientHello, TLS_VERSION, TlsRecords, WireError, buildCertificateDer, clientHelloExtensions, decodeStack, decodeTlsRecords, derOid, derTime,
  encodeStack, encodeTlsRecords, tls13CiphertextLength, toHex,
} from '../../../src/core/wire';
import { seeded } from './fixtures';
import { assertTruncationsSafe, hex, roundTrip } from './helpers';

const codec = { encode: (t: TlsRecords) => encodeTlsRecords(t).finish(), decode: (b: Uint8Array, s: number, e: number) => decodeTlsRecords(b, s, e) };

const hello = (): ClientHello => ({
  type: 'client_hello', version: 0x0303, random: seeded(32, 1), sessionId: seeded(32, 2), cipherSuites: [0x1301, 0x1302, 0x1303, 0xc02f], compressionMethods: [0],
  extensions: clientHelloExtensions({ serverName: 'api.example.com', x25519PublicKey: seeded(32, 3), alpn: ['h2', 'http/1.1'] }),
});

describe('wire: TLS records', () => {
  it('round-trips a ClientHello and lays out the record/handshake headers', () => {
    const t: TlsRecords = { proto: 'tls', records: [{ version: TLS_VERSION.TLS10, body: { kind: 'handshake', messages: [hello()] } }] };
    const { bytes, decoded } = roundTrip(codec, t);
    assert.equal(toHex(bytes.subarray(0, 3)), '160301');
    assert.equal((bytes[3] << 8) | bytes[4], bytes.length - 5);
    assert.equal(bytes[5], 1);
    assert.equal((bytes[6] << 16) | (bytes[7] << 8) | bytes[8], bytes.length - 9);
    const b = decoded.records[0].body;
    assert.ok(b.kind === 'handshake' && b.messages[0].type === 'client_hello');
    if (b.kind === 'handshake' && b.messages[0].type === 'client_hello') {
      assert.deepEqual(b.messages[0].extensions, hello().extensions);
    }
    const f = encodeTlsRecords(t).fields;
    const sni = f.find((x) => x.name.endsWith('extension[0].server_name'));
    assert.equal(sni?.value, 'api.example.com');
    assert.equal(toHex(bytes.subarray((sni?.offset ?? 0) + 9, (sni?.offset ?? 0) + 9 + 15)), toHex(new TextEncoder().encode('api.example.com')));
  });

  it('keeps GREASE and unknown extensions, and non-canonical ones, as raw bytes', () => {
    const h = hello();
    h.extensions = [{ kind: 'unknown', type: 0x0a0a, data: new Uint8Array(0) }, ...(h.extensions ?? []), { kind: 'unknown', type: 0x0015, data: new Uint8Array(5) }];
    const t: TlsRecords = { proto: 'tls', records: [{ version: 0x0301, body: { kind: 'handshake', messages: [h] } }] };
    const { bytes } = roundTrip(codec, t);
    // an SNI extension whose inner list length lies decodes as unknown, not as a wrong hostname
    const sniAt = toHex(bytes).indexOf('0000001400120000'.slice(0, 8));
    assert.ok(sniAt > 0);
    const mutated = bytes.slice();
    mutated[sniAt / 2 + 5] ^= 1;
    const d = decodeTlsRecords(mutated);
    const body = d.records[0].body;
    assert.ok(body.kind === 'handshake' && body.messages[0].type === 'client_hello' && body.messages[0].extensions?.[1].kind === 'unknown');
    assert.equal(toHex(codec.encode(d)), toHex(mutated));
  });

  it('round-trips a TLS 1.2 server flight with a DER certificate chain, then CCS and an encrypted Finished', () => {
    const cert = buildCertificateDer({ subjectCN: 'api.example.com', sans: ['api.example.com'], issuerCN: 'CA', notBefore: Date.UTC(2025, 0, 1), notAfter: Date.UTC(2051, 0, 1), serial: 0x80 });
    const t: TlsRecords = {
      proto: 'tls', records: [
        { version: 0x0303, body: { kind: 'handshake', messages: [
          { type: 'server_hello', version: 0x0303, random: seeded(32, 4), sessionId: new Uint8Array(0), cipherSuite: 0xc02f, compressionMethod: 0 },
          { type: 'certificate', certificates: [cert] },
          { type: 'server_key_exchange', namedGroup: 0x1d, publicKey: seeded(32, 5), signatureScheme: 0x0804, signature: seeded(256, 6) },
          { type: 'server_hello_done' },
        ] } },
        { version: 0x0303, body: { kind: 'handshake', messages: [{ type: 'client_key_exchange', publicKey: seeded(32, 7) }] } },
        { version: 0x0303, body: { kind: 'change_cipher_spec' } },
        { version: 0x0303, contentType: 22, body: { kind: 'opaque', data: seeded(40, 8) } },
        { version: 0x0303, body: { kind: 'alert', level: 1, description: 0 } },
      ],
    };
    const { decoded } = roundTrip(codec, t);
    assert.deepEqual(decoded.records.map((r) => [r.contentType, r.body.kind]), [[22, 'handshake'], [22, 'handshake'], [20, 'change_cipher_spec'], [22, 'opaque'], [21, 'alert']]);
    // DER: SEQUENCE with a 2-byte length, v3 tag, positive serial 0x80 encoded with a leading zero
    assert.equal(toHex(cert.subarray(0, 2)), '3082');
    assert.ok(toHex(cert).includes('a003020102' + '02020080'));
    // 2051 is past UTCTime's range: GeneralizedTime
    assert.equal(toHex(derTime(Date.UTC(2051, 0, 1))), '180f' + toHex(new TextEncoder().encode('20510101000000Z')));
    assert.equal(toHex(derOid('1.2.840.113549.1.1.11')), '06092a864886f70d01010b');
  });

  it('sizes TLS 1.3 records and decodes application data as opaque', () => {
    assert.equal(tls13CiphertextLength(100), 117);
    const t: TlsRecords = { proto: 'tls', records: [{ version: 0x0303, body: { kind: 'opaque', data: seeded(117, 9) } }] };
    const { bytes } = roundTrip(codec, t);
    assert.equal(toHex(bytes.subarray(0, 5)), '1703030075');
  });

  it('throws WireError on truncated records; the stack shows them as raw TCP payload', () => {
    const bytes = codec.encode({ proto: 'tls', records: [{ version: 0x0301, body: { kind: 'handshake', messages: [hello()] } }] });
    assertTruncationsSafe((b) => decodeTlsRecords(b), bytes);
    assert.throws(() => decodeTlsRecords(bytes.subarray(0, 100)), WireError);
    assert.throws(() => decodeTlsRecords(hex('4745 5420 2f')), WireError);
    const frame = encodeStack([
      { proto: 'ipv4', ttl: 64, src: '10.0.0.1', dst: '10.0.0.2' },
      { proto: 'tcp', srcPort: 5555, dstPort: 443, seq: 1, ack: 1, flags: { ack: true }, window: 100 },
      { proto: 'raw', data: bytes.subarray(0, 100) },
    ]).bytes;
    const hs = decodeStack(frame, 'ipv4');
    assert.equal(hs[2].proto, 'raw');
  });
});
