/** One frame of each kind the journey produces, built only from reprs (no hand-written bytes). */
import {
  H2_FLAG, Header, Hpack, TLS_CIPHER, TLS_GROUP, TLS_SIG, TLS_VERSION, buildCertificateDer, clientHelloExtensions, dnsFlags,
  encodeStack, fragmentIpv4, headersFrame, icmpQuote, linuxSynOptions, utf8, withContentLength,
} from '../../../src/core/wire';

/** Deterministic bytes: the sim's PRNG stands behind these in real runs. */
export function seeded(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const LAPTOP_MAC = '3c:22:fb:12:34:56';
export const ROUTER_MAC = 'a4:91:b1:00:00:01';
export const LAPTOP_IP = '192.168.1.23';
export const ROUTER_IP = '192.168.1.1';
export const RESOLVER_IP = '192.168.1.1';
export const SERVER_IP = '54.230.10.42';

const eth = (src = LAPTOP_MAC, dst = ROUTER_MAC): Header => ({ proto: 'ethernet', src, dst });
const ip = (src: string, dst: string, extra: Partial<Extract<Header, { proto: 'ipv4' }>> = {}): Header => ({
  proto: 'ipv4', src, dst, ttl: 64, identification: 0x1c46, dontFragment: true, ...extra,
});

export const CERT_NOT_BEFORE = Date.UTC(2025, 0, 15, 0, 0, 0);
export const CERT_NOT_AFTER = Date.UTC(2026, 1, 14, 23, 59, 59);

export interface Frame {
  name: string;
  headers: Header[];
  /** interface index in the capture */
  iface?: number;
}

export function buildFrames(): Frame[] {
  const frames: Frame[] = [];
  frames.push({
    name: 'arp-request',
    headers: [
      { proto: 'ethernet', src: LAPTOP_MAC, dst: 'ff:ff:ff:ff:ff:ff' },
      { proto: 'arp', operation: 1, senderMac: LAPTOP_MAC, senderIp: LAPTOP_IP, targetMac: '00:00:00:00:00:00', targetIp: ROUTER_IP },
    ],
  });
  frames.push({
    name: 'dns-query',
    headers: [eth(), ip(LAPTOP_IP, RESOLVER_IP, { dontFragment: false, identification: 0x3a11 }), { proto: 'udp', srcPort: 53211, dstPort: 53 },
      { proto: 'dns', id: 0xbeef, flags: dnsFlags({ rd: true }), questions: [{ name: 'api.example.com', type: 'A' }], answers: [], authorities: [], additionals: [] }],
  });
  frames.push({
    name: 'dns-response',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(RESOLVER_IP, LAPTOP_IP, { dontFragment: false, identification: 0x0f0f }), { proto: 'udp', srcPort: 53, dstPort: 53211 },
      {
        proto: 'dns', id: 0xbeef, flags: dnsFlags({ qr: true, rd: true, ra: true }),
        questions: [{ name: 'api.example.com', type: 'A' }],
        answers: [
          { name: 'api.example.com', type: 'CNAME', ttl: 300, data: 'api-alb.us-east-1.elb.example.net' },
          { name: 'api-alb.us-east-1.elb.example.net', type: 'A', ttl: 60, data: SERVER_IP },
        ],
        authorities: [{ name: 'example.net', type: 'NS', ttl: 172800, data: 'ns-1.awsdns.example.org' }],
        additionals: [],
      }],
  });
  frames.push({
    name: 'dns-nxdomain',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(RESOLVER_IP, LAPTOP_IP, { dontFragment: false }), { proto: 'udp', srcPort: 53, dstPort: 53212 },
      {
        proto: 'dns', id: 0x1234, flags: dnsFlags({ qr: true, rd: true, ra: true, rcode: 3 }), questions: [{ name: 'nope.example.com', type: 'A' }], answers: [],
        authorities: [{ name: 'example.com', type: 'SOA', ttl: 900, data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2025011501, refresh: 7200, retry: 900, expire: 1209600, minimum: 86400 } }],
        additionals: [],
      }],
  });
  frames.push({
    name: 'tcp-syn',
    headers: [eth(), ip(LAPTOP_IP, SERVER_IP), {
      proto: 'tcp', srcPort: 51514, dstPort: 443, seq: 2_864_434_397, ack: 0, flags: { syn: true }, window: 64240,
      options: linuxSynOptions({ mss: 1460, tsval: 3_805_322_112, wscale: 7 }),
    }],
  });
  const x25519 = seeded(32, 7);
  frames.push({
    name: 'tls-client-hello',
    headers: [eth(), ip(LAPTOP_IP, SERVER_IP), { proto: 'tcp', srcPort: 51514, dstPort: 443, seq: 2_864_434_398, ack: 1_000_001, flags: { ack: true, psh: true }, window: 502 },
      {
        proto: 'tls', records: [{
          version: TLS_VERSION.TLS10, body: {
            kind: 'handshake', messages: [{
              type: 'client_hello', version: TLS_VERSION.TLS12, random: seeded(32, 1), sessionId: seeded(32, 2),
              cipherSuites: [TLS_CIPHER.TLS_AES_128_GCM_SHA256, TLS_CIPHER.TLS_AES_256_GCM_SHA384, TLS_CIPHER.TLS_CHACHA20_POLY1305_SHA256, TLS_CIPHER.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
              compressionMethods: [0],
              extensions: clientHelloExtensions({ serverName: 'api.example.com', x25519PublicKey: x25519, alpn: ['h2', 'http/1.1'] }),
            }],
          },
        }],
      }],
  });
  const leaf = buildCertificateDer({ subjectCN: 'api.example.com', sans: ['api.example.com', 'www.example.com'], issuerCN: 'Example Issuing CA', notBefore: CERT_NOT_BEFORE, notAfter: CERT_NOT_AFTER, serial: 0x0a1b2c3d4e });
  const inter = buildCertificateDer({ subjectCN: 'Example Issuing CA', sans: [], issuerCN: 'Example Root CA', notBefore: Date.UTC(2020, 0, 1), notAfter: Date.UTC(2030, 0, 1), serial: 2, isCa: true });
  frames.push({
    name: 'tls12-server-flight',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(SERVER_IP, LAPTOP_IP, { ttl: 52 }), { proto: 'tcp', srcPort: 443, dstPort: 51515, seq: 1_000_001, ack: 2_864_434_600, flags: { ack: true, psh: true }, window: 501 },
      {
        proto: 'tls', records: [{
          version: TLS_VERSION.TLS12, body: {
            kind: 'handshake', messages: [
              { type: 'server_hello', version: TLS_VERSION.TLS12, random: seeded(32, 3), sessionId: seeded(32, 4), cipherSuite: TLS_CIPHER.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, compressionMethod: 0, extensions: [{ kind: 'renegotiation_info', data: new Uint8Array(0) }, { kind: 'ec_point_formats', formats: [0] }, { kind: 'alpn', protocols: ['h2'] }] },
              { type: 'certificate', certificates: [leaf, inter] },
              { type: 'server_key_exchange', namedGroup: TLS_GROUP.X25519, publicKey: seeded(32, 5), signatureScheme: TLS_SIG.RSA_PSS_RSAE_SHA256, signature: seeded(256, 6) },
              { type: 'server_hello_done' },
            ],
          },
        }],
      }],
  });
  frames.push({
    name: 'tls13-server-flight',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(SERVER_IP, LAPTOP_IP, { ttl: 52 }), { proto: 'tcp', srcPort: 443, dstPort: 51514, seq: 1_000_001, ack: 2_864_434_600, flags: { ack: true, psh: true }, window: 501 },
      {
        proto: 'tls', records: [
          { version: TLS_VERSION.TLS12, body: { kind: 'handshake', messages: [{ type: 'server_hello', version: TLS_VERSION.TLS12, random: seeded(32, 8), sessionId: seeded(32, 2), cipherSuite: TLS_CIPHER.TLS_AES_128_GCM_SHA256, compressionMethod: 0, extensions: [{ kind: 'supported_versions_selected', version: TLS_VERSION.TLS13 }, { kind: 'key_share_selected', group: TLS_GROUP.X25519, keyExchange: seeded(32, 9) }] }] } },
          { version: TLS_VERSION.TLS12, body: { kind: 'change_cipher_spec' } },
          { version: TLS_VERSION.TLS12, body: { kind: 'opaque', data: seeded(2400, 10) } },
        ],
      }],
  });
  const hpack = new Hpack();
  frames.push({
    name: 'http1-request',
    headers: [eth(), ip(LAPTOP_IP, SERVER_IP), { proto: 'tcp', srcPort: 51600, dstPort: 80, seq: 1, ack: 1, flags: { ack: true, psh: true }, window: 502 },
      withContentLength({ proto: 'http1', kind: 'request', method: 'GET', target: '/users/42', headers: [['Host', 'api.example.com'], ['User-Agent', 'curl/8.5.0'], ['Accept', '*/*']] })],
  });
  frames.push({
    name: 'http1-response',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(SERVER_IP, LAPTOP_IP), { proto: 'tcp', srcPort: 80, dstPort: 51600, seq: 1, ack: 80, flags: { ack: true, psh: true }, window: 509 },
      withContentLength({ proto: 'http1', kind: 'response', status: 200, reason: 'OK', headers: [['Content-Type', 'application/json']], body: utf8('{"id":42,"name":"Ada"}') })],
  });
  frames.push({
    name: 'h2c-request',
    headers: [eth(), ip(LAPTOP_IP, SERVER_IP), { proto: 'tcp', srcPort: 51700, dstPort: 80, seq: 1, ack: 1, flags: { ack: true, psh: true }, window: 502 },
      {
        proto: 'http2', preface: true, frames: [
          { kind: 'settings', streamId: 0, settings: [{ id: 3, value: 100 }, { id: 4, value: 10485760 }, { id: 2, value: 0 }] },
          { kind: 'window_update', streamId: 0, increment: 1048510465 },
          headersFrame(hpack, 1, [[':method', 'GET'], [':scheme', 'http'], [':authority', 'api.example.com'], [':path', '/users/42'], ['user-agent', 'curl/8.5.0'], ['accept', '*/*']], { endStream: true }),
        ],
      }],
  });
  frames.push({
    name: 'h2c-response',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(SERVER_IP, LAPTOP_IP), { proto: 'tcp', srcPort: 80, dstPort: 51700, seq: 1, ack: 100, flags: { ack: true, psh: true }, window: 509 },
      {
        proto: 'http2', frames: [
          { kind: 'settings', streamId: 0, settings: [{ id: 3, value: 128 }] },
          { kind: 'settings', streamId: 0, flags: H2_FLAG.ACK, settings: [] },
          headersFrame(new Hpack(), 1, [[':status', '200'], ['content-type', 'application/json']]),
          { kind: 'data', streamId: 1, flags: H2_FLAG.END_STREAM, data: utf8('{"id":42}') },
          { kind: 'goaway', streamId: 0, lastStreamId: 1, errorCode: 0 },
        ],
      }],
  });
  const nodeA = '10.0.1.10';
  const nodeB = '10.0.2.20';
  frames.push({
    name: 'vxlan-tcp',
    headers: [
      { proto: 'ethernet', src: '0a:00:00:00:01:0a', dst: '0a:00:00:00:02:14' },
      { proto: 'ipv4', src: nodeA, dst: nodeB, ttl: 64, identification: 0x2222 },
      { proto: 'udp', srcPort: 48211, dstPort: 4789 },
      { proto: 'vxlan', vni: 4096 },
      { proto: 'ethernet', src: '8a:6c:11:22:33:44', dst: '46:0e:55:66:77:88' },
      { proto: 'ipv4', src: '10.244.1.5', dst: '10.244.2.7', ttl: 63, identification: 0x3333, dontFragment: true },
      { proto: 'tcp', srcPort: 40000, dstPort: 8080, seq: 42, ack: 0, flags: { syn: true }, window: 64860, options: linuxSynOptions({ mss: 1410, tsval: 1, wscale: 7 }) },
    ],
  });
  const pgc = '10.244.2.7';
  const pgs = '10.244.3.9';
  frames.push({
    name: 'pg-extended-query',
    headers: [eth(), ip(pgc, pgs), { proto: 'tcp', srcPort: 41000, dstPort: 5432, seq: 500, ack: 900, flags: { ack: true, psh: true }, window: 502 },
      {
        proto: 'pgsql', direction: 'frontend', messages: [
          { type: 'parse', name: '', query: 'SELECT id, name FROM users WHERE id = $1', paramTypes: [23] },
          { type: 'bind', portal: '', statement: '', paramFormats: [0], values: [utf8('42')], resultFormats: [0] },
          { type: 'describe', target: 'P', name: '' },
          { type: 'execute', portal: '', maxRows: 0 },
          { type: 'sync' },
        ],
      }],
  });
  frames.push({
    name: 'pg-rows',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(pgs, pgc), { proto: 'tcp', srcPort: 5432, dstPort: 41000, seq: 900, ack: 600, flags: { ack: true, psh: true }, window: 509 },
      {
        proto: 'pgsql', direction: 'backend', messages: [
          { type: 'parse_complete' },
          { type: 'bind_complete' },
          { type: 'row_description', fields: [
            { name: 'id', tableOid: 16384, columnAttr: 1, typeOid: 23, typeSize: 4, typeModifier: -1, format: 0 },
            { name: 'name', tableOid: 16384, columnAttr: 2, typeOid: 25, typeSize: -1, typeModifier: -1, format: 0 },
          ] },
          { type: 'data_row', values: [utf8('42'), utf8('Ada')] },
          { type: 'command_complete', tag: 'SELECT 1' },
          { type: 'ready_for_query', status: 'I' },
        ],
      }],
  });
  frames.push({
    name: 'pg-startup',
    headers: [eth(), ip(pgc, pgs), { proto: 'tcp', srcPort: 41001, dstPort: 5432, seq: 1, ack: 1, flags: { ack: true, psh: true }, window: 502 },
      { proto: 'pgsql', direction: 'frontend', messages: [{ type: 'startup', params: [['user', 'app'], ['database', 'users'], ['application_name', 'api']] }] }],
  });
  frames.push({
    name: 'pg-auth',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip(pgs, pgc), { proto: 'tcp', srcPort: 5432, dstPort: 41001, seq: 1, ack: 60, flags: { ack: true, psh: true }, window: 509 },
      {
        proto: 'pgsql', direction: 'backend', messages: [
          { type: 'authentication_ok' },
          { type: 'parameter_status', name: 'server_version', value: '16.4' },
          { type: 'backend_key_data', processId: 4242, secretKey: 0x5eed },
          { type: 'ready_for_query', status: 'I' },
        ],
      }],
  });
  // ICMP time exceeded quoting the SYN that died in a routing loop
  const dying = encodeStack([ip(LAPTOP_IP, SERVER_IP, { ttl: 1 }), {
    proto: 'tcp', srcPort: 51514, dstPort: 443, seq: 2_864_434_397, ack: 0, flags: { syn: true }, window: 64240, options: linuxSynOptions({ mss: 1460, tsval: 1, wscale: 7 }),
  }]).bytes;
  frames.push({
    name: 'icmp-time-exceeded',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip('203.0.113.1', LAPTOP_IP, { dontFragment: false, ttl: 254 }), { proto: 'icmp', kind: 'time_exceeded', code: 0, original: icmpQuote(dying) }],
  });
  const bigSyn = encodeStack([ip(LAPTOP_IP, SERVER_IP, { ttl: 64 }), { proto: 'tcp', srcPort: 51514, dstPort: 443, seq: 5, ack: 6, flags: { ack: true }, window: 501 }, { proto: 'raw', data: seeded(1448, 11) }]).bytes;
  frames.push({
    name: 'icmp-frag-needed',
    headers: [eth(ROUTER_MAC, LAPTOP_MAC), ip('203.0.113.1', LAPTOP_IP, { dontFragment: false, ttl: 254 }), { proto: 'icmp', kind: 'dest_unreachable', code: 4, nextHopMtu: 1400, original: icmpQuote(bigSyn) }],
  });
  frames.push({
    name: 'icmp-echo',
    headers: [eth(), ip(LAPTOP_IP, '8.8.8.8', { dontFragment: true }), { proto: 'icmp', kind: 'echo_request', identifier: 0x1d2e, sequence: 1, data: seeded(56, 12) }],
  });
  // a UDP datagram bigger than the MTU, fragmented; both fragments go in so tshark reassembles
  const udpDgram = encodeStack([ip(LAPTOP_IP, RESOLVER_IP, { dontFragment: false, identification: 0x7777 }), { proto: 'udp', srcPort: 40001, dstPort: 9999 }, { proto: 'raw', data: seeded(2000, 13) }]).bytes;
  const fragHeader = { proto: 'ipv4' as const, src: LAPTOP_IP, dst: RESOLVER_IP, ttl: 64, identification: 0x7777, protocol: 17 };
  fragmentIpv4(fragHeader, udpDgram.subarray(20), 1500).forEach((f, i) => {
    frames.push({ name: `ipv4-fragment-${i}`, headers: [eth(), f.header, { proto: 'raw', data: f.payload }] });
  });
  return frames;
}
