// TLS software profiles (issue #15): curl's ClientHello as OpenSSL 3.0 builds it, and nginx's
// TLS 1.3 server as OpenSSL answers it, against what the reality lab captured from the real
// programs (docs/reality.md): byte counts, suite and extension order, the padding rule, and the
// tickets each in a segment of its own before any application data.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { simulate } from '../../../src/core/sim/run';
import { Rng } from '../../../src/core/sim/rng';
import { TlsEndpoint, openSslTicketLength, type TlsClientProfile } from '../../../src/core/sim/tls';
import type { Sim } from '../../../src/core/sim/engine';
import type { TcpConn } from '../../../src/core/sim/tcp';
import type { PacketSnapshot } from '../../../src/core/trace/types';
import { decodeTlsRecords, encodeStackBytes, openSslPadding, type Header, type TlsRecords } from '../../../src/core/wire';
import { labJourney } from '../../reality/lab/journey';
import { ROOT, build } from '../helpers';

/** The ClientHello a client endpoint writes first, as TCP payload bytes. */
function helloBytes(sni: string | undefined, profile: TlsClientProfile, alpn = ['h2', 'http/1.1'], maxVersion: '1.2' | '1.3' = '1.3'): Uint8Array {
  const out: Header[] = [];
  const sim = { rng: new Rng(7), now: 0, trace: { event: () => undefined, keyLog: () => undefined } } as unknown as Sim;
  const conn = { node: { name: 'c', d: { name: 'c' } }, write: (h: Header) => out.push(h) } as unknown as TcpConn;
  new TlsEndpoint(sim, conn, 'client', { onReady: () => undefined, onData: () => undefined, onFail: () => undefined }, 'c').clientHello({ sni, maxVersion, alpn, profile });
  return encodeStackBytes(out);
}

interface Hello { suites: number[]; extensions: number[]; sessionId: number; groups: number; padding?: number; versions: number[] }

/** The fields this test checks, read from the bytes by RFC 8446 4.1.2's layout. */
function readHello(b: Uint8Array): Hello {
  const u16 = (o: number): number => (b[o] << 8) | b[o + 1];
  let o = 5 + 4 + 2 + 32;
  const sessionId = b[o];
  o += 1 + sessionId;
  const suites: number[] = [];
  const sl = u16(o);
  for (let i = 0; i < sl; i += 2) suites.push(u16(o + 2 + i));
  o += 2 + sl;
  o += 1 + b[o];
  const end = o + 2 + u16(o);
  o += 2;
  const extensions: number[] = [];
  let groups = 0;
  let padding: number | undefined;
  let versions: number[] = [];
  while (o < end) {
    const type = u16(o);
    const len = u16(o + 2);
    extensions.push(type);
    if (type === 10) groups = u16(o + 4) / 2;
    if (type === 21) padding = len;
    if (type === 43) versions = Array.from({ length: b[o + 4] / 2 }, (_, i) => u16(o + 5 + 2 * i));
    o += 4 + len;
  }
  return { suites, extensions, sessionId, groups, padding, versions };
}

/** The TLS packets of one link of the lab's journey, in order, with their TCP payloads. */
interface TlsPacket { from: string; payload: Uint8Array; records: TlsRecords; app: boolean }
function tlsOnLink(packets: PacketSnapshot[], link: string): TlsPacket[] {
  const out: TlsPacket[] = [];
  for (const p of packets.filter((x) => x.link === link)) {
    const frame = Uint8Array.from(p.bytes.match(/../g) ?? [], (h) => parseInt(h, 16));
    if (frame[12] !== 0x08 || frame[13] !== 0x00 || frame[23] !== 6) continue;
    const ip = 14 + (frame[14] & 0x0f) * 4;
    const tcp = ip + (frame[ip + 12] >> 4) * 4;
    const srcPort = (frame[ip] << 8) | frame[ip + 1];
    const dstPort = (frame[ip + 2] << 8) | frame[ip + 3];
    const payload = frame.subarray(tcp, 14 + ((frame[16] << 8) | frame[17]));
    if (!payload.length || (srcPort !== 443 && dstPort !== 443)) continue;
    out.push({ from: srcPort === 443 ? 'server' : 'client', payload, records: decodeTlsRecords(payload), app: !!p.plaintext });
  }
  return out;
}

const OPENSSL_SUITES = [0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028, 0x006b,
  0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff];

describe('TLS profiles: curl (OpenSSL 3.0) and nginx on the wire', () => {
  it('curl\'s ClientHello: OpenSSL\'s 31 suites, 10 groups, extensions in its order, a 32-byte session id, versions 1.3 to 1.0; 517 bytes for the lab\'s name', () => {
    const b = helloBytes('api.example.com', 'openssl');
    assert.equal(b.length, 517, 'TCP payload: a 512-byte record');
    assert.equal((b[3] << 8) | b[4], 512);
    const h = readHello(b);
    assert.deepEqual(h.suites, OPENSSL_SUITES);
    assert.deepEqual(h.extensions, [0, 11, 10, 16, 22, 23, 49, 13, 43, 45, 51, 21]);
    assert.equal(h.groups, 10);
    assert.equal(h.padding, 174, 'the padding the real hello carries');
    assert.equal(h.sessionId, 32);
    assert.deepEqual(h.versions, [0x0304, 0x0303, 0x0302, 0x0301]);
  });

  it('the padding rule (RFC 7685, as OpenSSL applies it): a hello of 256-511 bytes grows to 512, with at least one byte of padding; others are left alone', () => {
    // each extra byte of name adds one byte before the padding
    assert.equal(helloBytes('a'.repeat(100), 'openssl').length, 517);
    assert.equal(readHello(helloBytes('a'.repeat(100), 'openssl')).padding, 174 - 85);
    // 334 + 176 = 510 bytes before padding: 2 short of 512, less than the extension's header, so 1 byte
    assert.equal(readHello(helloBytes('a'.repeat(191), 'openssl')).padding, 1);
    assert.equal(helloBytes('a'.repeat(191), 'openssl').length, 5 + 510 + 5);
    // 512 and more: no padding at all
    const long = helloBytes('a'.repeat(193), 'openssl');
    assert.equal(readHello(long).padding, undefined);
    assert.equal(long.length, 5 + 512);
    assert.equal(openSslPadding(255), undefined);
    const pad = openSslPadding(256);
    assert.ok(pad && pad.kind === 'unknown');
    assert.equal(pad.data.length, 512 - 256 - 4);
  });

  it('an OpenSSL client without SNI (nginx\'s proxy_ssl_server_name off) and without ALPN: no server_name, no ALPN, still padded to 512', () => {
    const b = helloBytes(undefined, 'openssl', []);
    const h = readHello(b);
    assert.deepEqual(h.extensions, [11, 10, 22, 23, 49, 13, 43, 45, 51, 21]);
    assert.equal(b.length, 517);
  });

  it('curl with TLS 1.2 at most: no TLS 1.3 suites or extensions, an empty session id', () => {
    const h = readHello(helloBytes('api.example.com', 'openssl', ['http/1.1'], '1.2'));
    assert.deepEqual(h.suites, OPENSSL_SUITES.slice(3));
    assert.deepEqual(h.extensions.filter((e) => e !== 21), [0, 11, 10, 16, 22, 23, 13]);
    assert.equal(h.sessionId, 0);
  });

  it('the default client keeps its own hello (no padding, TLS_AES_128_GCM_SHA256 first)', () => {
    const h = readHello(helloBytes('api.example.com', 'browser'));
    assert.equal(h.suites[0], 0x1301);
    assert.deepEqual(h.extensions, [0, 11, 10, 16, 13, 43, 45, 51]);
  });

  it('OpenSSL\'s ticket length follows the session it encodes: 240 bytes for SHA-384, the lab\'s name and h2; 16 fewer for a SHA-256 suite', () => {
    const base = { host: 'api.example.com', alpn: 'h2', group: 0x001d, timeS: 1795000000, timeoutS: 300, ageAdd: 0x12345678 };
    assert.equal(openSslTicketLength({ ...base, hashLen: 48 }), 240);
    assert.equal(openSslTicketLength({ ...base, hashLen: 32 }), 224);
    // the longer ALPN name crosses a cipher block, as the lab's nginx showed for curl --http1.1
    assert.equal(openSslTicketLength({ ...base, hashLen: 48, alpn: 'http/1.1' }), 256);
  });

  describe('the lab\'s journey (curl to nginx on the ALB)', () => {
    let link: ReturnType<typeof tlsOnLink> = [];
    before(() => {
      const r = simulate(build(labJourney({ issuer: 'Packet Journey Lab' }), path.join(ROOT, 'examples', 'lab.journey')));
      if (!r.ok) throw new Error(r.error);
      link = tlsOnLink(r.trace.packets, 'home-lan');
    });

    it('nginx follows the client\'s order (ssl_prefer_server_ciphers off): curl lists TLS_AES_256_GCM_SHA384 first, so it gets it', () => {
      const flight = link.find((p) => p.from === 'server');
      assert.ok(flight);
      const sh = flight.records.records[0].body;
      assert.ok(sh.kind === 'handshake' && sh.messages[0].type === 'server_hello');
      assert.equal(sh.messages[0].type === 'server_hello' && sh.messages[0].cipherSuite, 0x1302);
    });

    it('the same nginx gives the default client, which lists TLS_AES_128_GCM_SHA256 first, that suite', () => {
      const text = labJourney({ issuer: 'Packet Journey Lab' });
      assert.ok(text.includes('  software curl\n') && text.includes('  key ed25519\n'));
      // the default client (a browser) offers no Ed25519 scheme: the lab's certificate goes back to ECDSA
      const r = simulate(build(text.replace('  software curl\n', '').replace('  key ed25519\n', ''), path.join(ROOT, 'examples', 'lab.journey')));
      if (!r.ok) throw new Error(r.error);
      const sh = tlsOnLink(r.trace.packets, 'home-lan').find((p) => p.from === 'server')?.records.records[0].body;
      assert.ok(sh && sh.kind === 'handshake' && sh.messages[0].type === 'server_hello');
      assert.equal(sh.messages[0].type === 'server_hello' && sh.messages[0].cipherSuite, 0x1301);
    });

    it('one server flight: ServerHello 118, CCS, then EncryptedExtensions (empty server_name + ALPN: 15), Certificate, CertificateVerify, Finished of 48 bytes', () => {
      const flight = link.find((p) => p.from === 'server');
      assert.ok(flight);
      const lens = flight.records.records.map((r) => (r.body.kind === 'opaque' ? r.body.data.length : encodeStackBytes([{ proto: 'tls', records: [r] }]).length - 5));
      assert.equal(lens[0], 122);
      assert.equal(lens[1], 1);
      // inner type + AEAD tag: 17 bytes on top of each message
      assert.equal(lens[2], 4 + 15 + 17);
      assert.equal(lens[5], 4 + 48 + 17);
      // the Certificate follows from the certificate's DER; CertificateVerify from the lab's Ed25519
      // key: scheme, length and a 64-byte signature
      assert.equal(lens[4], 4 + 4 + 64 + 17);
    });

    it('the client answers with CCS + Finished (80 bytes: SHA-384\'s 48-byte verify_data)', () => {
      const fin = link.filter((p) => p.from === 'client')[1];
      assert.equal(fin.payload.length, 80);
    });

    it('two NewSessionTickets, each its own 287-byte segment, before nginx\'s first HTTP/2 bytes', () => {
      const server = link.filter((p) => p.from === 'server');
      assert.deepEqual(server.slice(1, 3).map((p) => p.payload.length), [287, 287]);
      assert.ok(server.slice(1, 3).every((p) => p.records.records.length === 1));
      assert.ok(server.slice(1, 3).every((p) => !p.app), 'handshake records, not application data');
      assert.ok(server[3].app, 'application data comes after them');
    });
  });
});
