// The TLS 1.3 messages that only travel encrypted (RFC 8446 4.3-4.6) as wire/tls.ts builds and
// reads them: byte layouts from the RFC's structures, and each read back by its parser.
import { strict as assert } from 'node:assert';
import {
  alpnOfEncryptedExtensions, certificate13, certificateVerify13, encryptedExtensions13, handshakeMessageBytes, newSessionTicket13, parseCertificate13,
  parseCertificateVerify13, parseNewSessionTicket13, splitHandshakeMessages, toHex,
} from '../../../src/core/wire';

describe('TLS 1.3 encrypted handshake messages (wire)', () => {
  it('EncryptedExtensions: type 8, the ALPN extension (16: list length, then the one protocol chosen); empty list without ALPN', () => {
    assert.equal(toHex(handshakeMessageBytes(encryptedExtensions13('h2'))), '0800000b' + '0009' + '0010' + '0005' + '0003' + '02' + '6832');
    assert.equal(toHex(handshakeMessageBytes(encryptedExtensions13(undefined))), '080000020000');
    assert.equal(alpnOfEncryptedExtensions(splitHandshakeMessages(handshakeMessageBytes(encryptedExtensions13('http/1.1')))[0].body), 'http/1.1');
  });

  it('Certificate: empty request context, 24-bit list length, each entry a 24-bit DER length + DER + empty extensions', () => {
    const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x07);
    const bytes = handshakeMessageBytes(certificate13([der]));
    assert.equal(toHex(bytes), '0b00000e' + '00' + '00000a' + '000005' + '3003020107' + '0000');
    assert.deepEqual(parseCertificate13(splitHandshakeMessages(bytes)[0].body), [der]);
  });

  it('CertificateVerify: the scheme, then the signature as opaque<0..2^16-1>', () => {
    const bytes = handshakeMessageBytes(certificateVerify13(0x0403, Uint8Array.of(1, 2, 3)));
    assert.equal(toHex(bytes), '0f000007' + '0403' + '0003' + '010203');
    assert.deepEqual(parseCertificateVerify13(splitHandshakeMessages(bytes)[0].body), { scheme: 0x0403, signature: Uint8Array.of(1, 2, 3) });
  });

  it('NewSessionTicket: lifetime, age_add, nonce<0..255>, ticket<1..2^16-1>, extensions', () => {
    const bytes = handshakeMessageBytes(newSessionTicket13(7200, 0x01020304, Uint8Array.of(0), Uint8Array.of(0xaa, 0xbb)));
    assert.equal(toHex(bytes), '04000010' + '00001c20' + '01020304' + '0100' + '0002aabb' + '0000');
    assert.deepEqual(parseNewSessionTicket13(splitHandshakeMessages(bytes)[0].body), { lifetime: 7200, ageAdd: 0x01020304, nonce: Uint8Array.of(0), ticket: Uint8Array.of(0xaa, 0xbb) });
  });

  it('a decrypted flight splits into its messages, each with its raw bytes for the transcript', () => {
    const a = handshakeMessageBytes(encryptedExtensions13('h2'));
    const b = handshakeMessageBytes({ type: 'finished', verifyData: new Uint8Array(32).fill(9) });
    const flight = new Uint8Array([...a, ...b]);
    const msgs = splitHandshakeMessages(flight);
    assert.deepEqual(msgs.map((m) => m.type), [8, 20]);
    assert.deepEqual(msgs.map((m) => toHex(m.raw)), [toHex(a), toHex(b)]);
    assert.throws(() => splitHandshakeMessages(flight.subarray(0, flight.length - 1)), /truncated|short|bytes/i);
  });
});
