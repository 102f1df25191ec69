// TLS over a simulated TCP connection, with the real cryptography: X25519 key shares drawn from
// the scenario's seeded generator, the TLS 1.3 key schedule (RFC 8446 7) or the TLS 1.2 PRF
// (RFC 5246 5), certificates issued by the scenario's PKI (crypto/pki.ts), CertificateVerify
// and ServerKeyExchange signed with the server's P-256 or Ed25519 key, Finished MACs over the real
// transcript, and AEAD records. What goes on the wire is ciphertext a capture tool decrypts with
// the session secrets each handshake writes to the trace's key log.
//
// The peer decrypts and checks every handshake record it receives (Finished, signatures, the
// certificate). Application data records are handed over with their plaintext headers beside
// them (TlsRecords.plaintext) rather than decrypted a second time: the bytes are the real
// ciphertext of those headers, which the tshark tests verify.
import {
  certificate13, certificateVerify13, clientHelloExtensions, openSslClientHelloExtensions, openSslPadding, encodeStackBytes, encryptedExtensions13, handshakeMessageBytes, parseCertificate13,
  parseCertificateVerify13, alpnOfEncryptedExtensions, splitHandshakeMessages, newSessionTicket13, parseNewSessionTicket13, TLS_MAX_PLAINTEXT, TLS_RECORD_HEADER_LEN, TLS_CIPHER, TLS_GROUP,
  TLS_HANDSHAKE, TLS_SIG, TLS_VERSION, WireError,
  type Header, type TlsRecord, type TlsRecords, type HandshakeMessage,
} from '../wire';
import {
  Transcript, applicationStage, certificateVerifyInput, cipherSuite, earlyStage, ecdhParams, finished12, finishedVerifyData, generateKeyShare,
  handshakeStage, keyBlock, keyLogLine12, keyLogLines13, masterSecret, parseCertificate, serverKeyExchangeSignedData, sharedSecret,
  sign, verifyCertificateSignature, verifyScheme, keyTypeOf, Tls12GcmRecordProtection, Tls13RecordProtection, SCHEMES_OF,
  authorityKey, authorityKeyType, serverCredentials,
  type CertificateFields, type CipherSuite, type HandshakeStage, type KeyShare, type KeyType, type ParsedCertificate, type ServerCredentials,
} from '../crypto';
import { equalBytes } from '../crypto/bytes';
import type { Certificate, Scenario, Source } from '../model/types';
import type { Sim } from './engine';
import type { TcpConn } from './tcp';
import { BoundedMap } from '../fifo';

/** Cipher suites in the order a current browser offers them. */
const CLIENT_SUITES_13: number[] = [TLS_CIPHER.TLS_AES_128_GCM_SHA256, TLS_CIPHER.TLS_AES_256_GCM_SHA384, TLS_CIPHER.TLS_CHACHA20_POLY1305_SHA256];
const CLIENT_SUITES_12: number[] = [TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_CIPHER.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_CIPHER.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384];
/** The server's certificate has an ECDSA or Ed25519 key, so of the TLS 1.2 suites only ECDHE_ECDSA
 * ones fit (RFC 8422 5.1.1: they also cover EdDSA certificates). */
const SERVER_SUITES_12: number[] = [TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384];
const SUITE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(TLS_CIPHER).map(([k, v]) => [v, k]));
const DAY_MS = 86400000;
/** After the handshake a TLS 1.3 server sends session tickets: OpenSSL (nginx, the usual
 * terminators) sends two by default (SSL_CTX_set_num_tickets), valid 7200 s. */
const TICKETS_13 = 2;
const TICKET_LIFETIME_S = 7200;
/** The default server's ticket: key name 16 + IV 16 + encrypted session state (~128 bytes
 * without a client certificate) + HMAC-SHA256 32. An OpenSSL server's is computed instead
 * (openSslTicketLength). */
const TICKET_LEN = 192;

/** Which implementation's ClientHello a client sends: `browser` (the default: a trimmed modern
 * hello) or `openssl` (OpenSSL 3.0's defaults, as curl 7.88.1 on Debian 12 sends them, and
 * nginx's proxy_pass to an https upstream). */
export type TlsClientProfile = 'browser' | 'openssl';
/** Which implementation answers: `default` (the load balancer's own TLS: AWS's
 * ELBSecurityPolicy-TLS13-1-2-2021-06, TLS 1.3 suites 0x1301, 0x1302, 0x1303, chosen in the
 * client's order as before; its tickets as the defaults above, not checked against a real ALB)
 * or `openssl` (nginx 1.22 on OpenSSL 3.0 with nginx's defaults). */
export type TlsServerProfile = 'default' | 'openssl';

/** OpenSSL 3.0's default cipher list as a client sends it: its TLS 1.3 ciphersuites
 * ("TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256") then
 * "DEFAULT"'s TLS 1.2 and older suites, then the renegotiation SCSV (RFC 5746). */
const OPENSSL_SUITES_13: number[] = [0x1302, 0x1303, 0x1301];
const OPENSSL_SUITES_12: number[] = [
  0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028, 0x006b, 0xc023, 0xc027, 0x0067, 0xc00a,
  0xc014, 0x0039, 0xc009, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff,
];
/** OpenSSL 3.0's default groups: x25519, P-256, x448, P-521, P-384, then the RFC 7919 FFDHE groups. */
const OPENSSL_GROUPS: number[] = [0x001d, 0x0017, 0x001e, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
/** OpenSSL 3.0's default signature_algorithms (tls12_sigalgs in ssl/t1_lib.c). */
const OPENSSL_SIGALGS: number[] = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
  0x0302, 0x0402, 0x0502, 0x0602,
];
/** nginx's `ssl_session_timeout` default (5m), which it sets as the SSL_CTX timeout; OpenSSL
 * sends the session timeout as the ticket lifetime. */
const NGINX_SESSION_TIMEOUT_S = 300;
/** nginx's SSL session id context: a SHA-1 (ngx_ssl_session_id_context). */
const NGINX_SID_CTX_LEN = 20;

/** A DER INTEGER (tag, length, minimal two's-complement content) of a non-negative number. */
function derIntegerLen(n: number): number {
  let bytes = 1;
  while (n >= 2 ** (8 * bytes - 1)) bytes++;
  return 2 + bytes;
}
/** A DER element around `content` bytes (short or long length form). */
const derLen = (content: number): number => content + (content < 0x80 ? 2 : content < 0x100 ? 3 : 4);

/** The length of an OpenSSL 3.0 stateless TLS 1.3 ticket (construct_stateless_ticket): key name
 * 16 + IV 16 + the AES-256-CBC encryption (PKCS#7 padded) of the DER SSL_SESSION + HMAC-SHA256 32.
 * The SSL_SESSION fields present for a TLS 1.3 server session without a client certificate
 * (ssl/ssl_asn1.c), as the reality lab read them from nginx's tickets decrypted with a known
 * `ssl_session_ticket_key` (`openssl asn1parse`): version 1, protocol 0x0304, the suite, a fresh
 * 32-byte session id, the resumption secret (the suite's hash length), time [1] and timeout [2],
 * nginx's session id context [4] (20 bytes: a SHA-1 of the server block's certificates), the
 * SNI host name [6], the ticket_age_add [14], the ALPN protocol chosen [16] and the key exchange
 * group [19]. With curl's hello to the lab's nginx (SHA-384, 15-byte name, x25519) the session
 * is 174-175 bytes with h2 (a 240-byte ticket) and 180-181 with http/1.1 (256 bytes). */
export function openSslTicketLength(o: { hashLen: number; host: string; alpn?: string; group: number; timeS: number; timeoutS: number; ageAdd: number }): number {
  // an explicit [n] tag and an OCTET STRING each wrap their content in tag + length
  const explicit = derLen;
  const octets = derLen;
  const fields = derIntegerLen(1) + derIntegerLen(0x0304) + octets(2) + octets(32) + octets(o.hashLen)
    + explicit(derIntegerLen(o.timeS)) + explicit(derIntegerLen(o.timeoutS)) + explicit(octets(NGINX_SID_CTX_LEN))
    + (o.host ? explicit(octets(o.host.length)) : 0) + explicit(derIntegerLen(o.ageAdd)) + (o.alpn ? explicit(octets(o.alpn.length)) : 0)
    + explicit(derIntegerLen(o.group));
  const der = derLen(fields);
  return 16 + 16 + (Math.floor(der / 16) + 1) * 16 + 32;
}
const EMPTY: Uint8Array = new Uint8Array(0);
/** AlertDescription code points (RFC 8446 6). */
const ALERT: Record<string, number> = {
  close_notify: 0, unexpected_message: 10, bad_record_mac: 20, handshake_failure: 40, bad_certificate: 42, certificate_revoked: 44,
  certificate_expired: 45, illegal_parameter: 47, unknown_ca: 48, decrypt_error: 51, protocol_version: 70, certificate_required: 116,
};
const alertName = (code: number): string => Object.keys(ALERT).find((k) => ALERT[k] === code) ?? `alert ${code}`;

export type TlsVersion = '1.2' | '1.3';

/** What the wire does not carry but the simulation knows about the server's certificate: where
 * the file declares it (for diagnostics) and what an OCSP responder would answer. */
const certificateModel = new WeakMap<Header, { source: Source; revoked: boolean }>();
/** Why a server refused a ClientHello with an alert: the wire says only the alert's number, the
 * trace's outcome says why in words (what the server's log would say). */
const refusals = new WeakMap<Header, { reason: string; source: Source; detectWith: string }>();

/** How the trace names a key type. */
const KEY_LABEL: Readonly<Record<KeyType, string>> = { 'ecdsa-p256': 'ECDSA P-256', ed25519: 'Ed25519' };
const schemeName = (scheme: number): string => (scheme === TLS_SIG.ED25519 ? 'ed25519 (0x0807)' : 'ecdsa_secp256r1_sha256 (0x0403)');
/** The scheme a signature verified with names its key type (only a key's own schemes verify). */
const signatureLabel = (scheme: number): string => KEY_LABEL[scheme === TLS_SIG.ED25519 ? 'ed25519' : 'ecdsa-p256'];

/** The scheme a server signs with, as OpenSSL chooses it (tls_choose_sigalg, client preference
 * since nginx leaves ssl_prefer_server_ciphers off): the first of the client's
 * signature_algorithms its key supports. Undefined: none, the handshake fails. Without the
 * extension TLS 1.2 falls back to SHA-1 pairs (RFC 5246 7.4.1.4.1), which an Ed25519 key lacks. */
function chooseScheme(hello: Extract<HandshakeMessage, { type: 'client_hello' }>, type: KeyType): number | undefined {
  const mine = SCHEMES_OF[type];
  const ext = hello.extensions?.find((e) => e.kind === 'signature_algorithms');
  if (!ext || ext.kind !== 'signature_algorithms') return type === 'ed25519' ? undefined : mine[0];
  return ext.schemes.find((s) => mine.includes(s));
}

export interface TlsEvents {
  onReady(version: TlsVersion, alpn: string | undefined): void;
  onData(plain: Header): void;
  /** `detectWith`: the command that shows this failure, when it has a more telling one than a plain s_client */
  onFail(reason: string, alert: string, source?: Source, detectWith?: string): void;
  /** The peer's close_notify: it will send no more (SSL_read returns 0, as at end of file). */
  onPeerClosed?(): void;
}

/** The write keys an alert is sealed with: TLS 1.3 record protection or TLS 1.2 GCM. */
type AlertKeys = { v13: Tls13RecordProtection } | { v12: Tls12GcmRecordProtection };

/** A handshake failure found while reading the peer's records (bad MAC, bad signature). */
class HandshakeError extends Error {
  constructor(message: string, readonly alert: string) { super(message); }
}

interface Keys13 {
  suite: CipherSuite;
  hs: HandshakeStage;
  sendHs: Tls13RecordProtection;
  recvHs: Tls13RecordProtection;
  sendApp: Tls13RecordProtection;
  recvApp: Tls13RecordProtection;
}

interface Keys12 {
  suite: CipherSuite;
  master: Uint8Array;
  send: Tls12GcmRecordProtection;
  recv: Tls12GcmRecordProtection;
}

export class TlsEndpoint {
  version?: TlsVersion;
  suite?: number;
  alpn?: string;
  private ready = false;
  private clientRandom: Uint8Array = EMPTY;
  private serverRandom: Uint8Array = EMPTY;
  private share?: KeyShare;
  private helloBytes: Uint8Array = EMPTY;
  private transcript?: Transcript;
  /** client: the signature_algorithms it offered; a server may sign only with one of them */
  private offeredSchemes: readonly number[] = [];
  private k13?: Keys13;
  private k12?: Keys12;
  /** TLS 1.2 server: what it needs once the ClientKeyExchange arrives */
  private pending12?: { suite: CipherSuite };
  /** How this side protects an alert now (its current write keys); in clear before it has any.
   * Data, not a closure in the field: see test/unit/sim/closures.test.ts. */
  private alertKeys?: AlertKeys;

  constructor(readonly sim: Sim, readonly conn: TcpConn, readonly role: 'client' | 'server', readonly events: TlsEvents, readonly label: string) {}

  private event(summary: string, details: string[] = [], source?: Source): void {
    this.sim.trace.event(this.sim.now, { device: this.conn.node.name, direction: 'local', kind: 'tls', layers: ['TLS'], summary: `${this.label}: ${summary}`, details, source });
  }

  private records(...rs: TlsRecord[]): TlsRecords { return { proto: 'tls', records: rs }; }
  private handshake(version: number, ...messages: HandshakeMessage[]): TlsRecord { return { version, body: { kind: 'handshake', messages } }; }
  private ccs(): TlsRecord { return { version: TLS_VERSION.TLS12, body: { kind: 'change_cipher_spec' } }; }
  private random = (n: number): Uint8Array => this.sim.rng.bytes(n);

  /** A TLS 1.3 protected record: outer type application_data, the real type inside. */
  private sealed13(p: Tls13RecordProtection, contentType: number, content: Uint8Array): TlsRecord {
    return { contentType: 23, version: TLS_VERSION.TLS12, body: { kind: 'opaque', data: p.seal(contentType, content).subarray(TLS_RECORD_HEADER_LEN) } };
  }

  /** A TLS 1.2 GCM record: the real type outside, explicit nonce + ciphertext + tag inside. */
  private sealed12(p: Tls12GcmRecordProtection, contentType: number, content: Uint8Array): TlsRecord {
    return { contentType, version: TLS_VERSION.TLS12, body: { kind: 'opaque', data: p.seal(contentType, content).subarray(TLS_RECORD_HEADER_LEN) } };
  }

  /** An alert record under `k` (content type 21). */
  private sealedAlert(k: AlertKeys, body: Uint8Array): TlsRecord {
    return 'v13' in k ? this.sealed13(k.v13, 21, body) : this.sealed12(k.v12, 21, body);
  }

  private fail(e: unknown): void {
    if (!(e instanceof HandshakeError)) throw e;
    this.event(`handshake aborted: ${e.message} (alert ${e.alert})`);
    this.sendAlert(e.alert);
    this.events.onFail(e.message, e.alert);
  }

  /** A fatal alert, under this side's current write keys (so a capture shows it once decrypted). */
  private sendAlert(name: string): void {
    const body = Uint8Array.of(2, ALERT[name] ?? ALERT.handshake_failure);
    this.conn.write(this.records(this.alertKeys ? this.sealedAlert(this.alertKeys, body) : { version: TLS_VERSION.TLS12, body: { kind: 'alert', level: body[0], description: body[1] } }));
  }

  /** The end of a connection as OpenSSL's SSL_shutdown writes it: a close_notify alert (level
   * warning) under the current write keys. The TCP FIN follows when the application closes. */
  closeNotify(): void {
    if (!this.ready || !this.alertKeys) return;
    this.event('close_notify: this side will send no more data (SSL_shutdown)');
    this.conn.write(this.records(this.sealedAlert(this.alertKeys, Uint8Array.of(1, ALERT.close_notify))));
  }

  /** After the handshake: a close_notify says the peer is done (the application reads it as end
   * of file); any other alert is the peer aborting. */
  private alertsAfterHandshake(codes: readonly number[]): void {
    if (codes.length === 1 && codes[0] === ALERT.close_notify) {
      this.event('close_notify received: the peer will send no more data');
      this.events.onPeerClosed?.();
      return;
    }
    this.peerAlerted(codes);
  }

  /** The peer's fatal alerts end the handshake: report them. True when there was one. */
  private peerAlerted(codes: readonly number[]): boolean {
    if (!codes.length) return false;
    const names = codes.map(alertName).join(', ');
    this.event(`the peer aborted the connection: alert ${names}`);
    this.events.onFail(`the peer sent alert ${names}`, names);
    return true;
  }

  // ---------------------------------------------------------------- client

  /** `suites`: the cipher suites offered, in preference order (default: the profile's).
   * `sni` undefined: no server_name extension (a proxy that does not send it). */
  clientHello(o: { sni: string | undefined; maxVersion: TlsVersion; alpn: string[]; suites?: number[]; profile?: TlsClientProfile }): void {
    const tls12 = o.maxVersion === '1.2';
    const openssl = o.profile === 'openssl';
    this.clientRandom = this.random(32);
    // TLS 1.3's middlebox compatibility mode (RFC 8446 D.4): a 32-byte legacy session id
    const sessionId = tls12 ? EMPTY : this.random(32);
    this.share = generateKeyShare('x25519', this.random);
    const hello: Extract<HandshakeMessage, { type: 'client_hello' }> = {
      type: 'client_hello', version: TLS_VERSION.TLS12, random: this.clientRandom, sessionId,
      cipherSuites: o.suites ?? (openssl ? (tls12 ? OPENSSL_SUITES_12 : [...OPENSSL_SUITES_13, ...OPENSSL_SUITES_12]) : tls12 ? CLIENT_SUITES_12 : [...CLIENT_SUITES_13, ...CLIENT_SUITES_12]),
      compressionMethods: [0],
      extensions: openssl
        ? openSslClientHelloExtensions({
          serverName: o.sni, x25519PublicKey: this.share.publicKey, alpn: o.alpn, groups: OPENSSL_GROUPS, signatureSchemes: OPENSSL_SIGALGS,
          versions: tls12 ? undefined : [TLS_VERSION.TLS13, TLS_VERSION.TLS12, TLS_VERSION.TLS11, TLS_VERSION.TLS10],
        })
        : clientHelloExtensions({ serverName: o.sni, x25519PublicKey: this.share.publicKey, alpn: o.alpn, tls12 }),
    };
    const details = [o.sni === undefined ? 'TLS: no SNI extension: the server cannot tell which name the client wants' : 'TLS: the server name travels in clear in the SNI extension; an on-path observer sees it', 'TLS: the X25519 private key comes from the scenario\'s seeded generator, so the same seed gives the same keys'];
    if (openssl) {
      const pad = openSslPadding(handshakeMessageBytes(hello).length);
      if (pad && pad.kind === 'unknown') {
        hello.extensions = [...(hello.extensions ?? []), pad];
        details.push(`OpenSSL pads a ClientHello of 256-511 bytes to 512 (RFC 7685 padding extension, ${pad.data.length} bytes) because some F5 load balancers hang on those sizes`);
      }
    }
    this.helloBytes = handshakeMessageBytes(hello);
    const sigalgs = hello.extensions?.find((e) => e.kind === 'signature_algorithms');
    this.offeredSchemes = sigalgs && sigalgs.kind === 'signature_algorithms' ? sigalgs.schemes : [];
    this.event(`ClientHello${openssl ? ' (OpenSSL 3)' : ''}: SNI ${o.sni ?? 'none'}, versions ${tls12 ? '1.2' : openssl ? '1.3 to 1.0' : '1.3, 1.2'}, ALPN ${o.alpn.length ? o.alpn.join(', ') : 'none'}, key share x25519`, details);
    this.conn.write(this.records(this.handshake(TLS_VERSION.TLS10, hello)));
  }

  /** The browser's view of a certificate it received and parsed, with a way to check its signature against a root of the trust store. */
  private certView(leaf: ParsedCertificate, model: { source: Source; revoked: boolean } | undefined): CertView {
    const seed = this.sim.scenario.seed;
    // the trust store's root of a name is the one the file's PKI makes, with its key type
    const rootKey = authorityKeyType(leaf.issuerCN ?? '', this.sim.net.certificates.values());
    return {
      subject: leaf.subjectCN ?? '', sans: leaf.sans, issuer: leaf.issuerCN ?? '', validFrom: leaf.notBefore.getTime(), validUntil: leaf.notAfter.getTime(),
      revoked: model?.revoked ?? false, source: model?.source ?? this.sim.scenario.source,
      signedBy: (name) => verifyCertificateSignature(leaf, authorityKey(seed, name, authorityKeyType(name, this.sim.net.certificates.values())).publicKey),
      ...(rootKey === 'ed25519' ? { rootKey: 'Ed25519' } : {}),
    };
  }

  /** Checks the certificate; false (after reporting) when the browser refuses it. */
  private acceptCertificate(leaf: ParsedCertificate, r: TlsRecords, check: (c: CertView) => CertVerdict): boolean {
    const cert = this.certView(leaf, certificateModel.get(r));
    const v = check(cert);
    this.event(`certificate for ${cert.subject}: ${v.ok ? (v.verified === false ? 'accepted, not verified' : 'valid') : v.problem}`, v.checks, cert.source);
    if (!v.ok) {
      this.sendAlert(v.alert);
      this.events.onFail(v.problem, v.alert, cert.source);
    }
    return v.ok;
  }

  /** Client: the server's first flight arrived. */
  private clientGotServerFlight(r: TlsRecords, check: (c: CertView) => CertVerdict): void {
    const msgs: HandshakeMessage[] = [];
    for (const x of r.records) if (x.body.kind === 'handshake') for (const m of x.body.messages) msgs.push(m);
    const sh = msgs.find((m) => m.type === 'server_hello');
    if (!sh || sh.type !== 'server_hello') {
      const alert = r.records.find((x) => x.body.kind === 'alert');
      if (alert && alert.body.kind === 'alert') this.refused(r, alert.body.description);
      return;
    }
    const selected = sh.extensions?.find((e) => e.kind === 'supported_versions_selected');
    this.version = selected && selected.kind === 'supported_versions_selected' && selected.version === TLS_VERSION.TLS13 ? '1.3' : '1.2';
    this.suite = sh.cipherSuite;
    this.serverRandom = sh.random;
    const suite = cipherSuite(sh.cipherSuite);
    if (!suite) { this.events.onFail(`the server chose suite ${sh.cipherSuite}, which was not offered`, 'illegal_parameter'); return; }
    try {
      if (this.version === '1.3') this.client13(r, sh, suite, check);
      else this.client12(r, msgs, sh, suite, check);
    } catch (e) {
      this.fail(e);
    }
  }

  /** The server answered the ClientHello with an alert. */
  private refused(r: TlsRecords, description: number): void {
    const why = refusals.get(r);
    if (why) this.events.onFail(`the server refused the handshake: ${why.reason}`, alertName(description), why.source, why.detectWith);
    else this.events.onFail('the server refused the handshake', alertName(description));
  }

  /** A server signature (CertificateVerify, ServerKeyExchange) must use a scheme this client
   * offered that fits the certificate's key (RFC 8446 4.4.3), and verify with that key. */
  private serverSignatureVerifies(leaf: ParsedCertificate, scheme: number, data: Uint8Array, signature: Uint8Array): boolean {
    const type = keyTypeOf(leaf.publicKeyAlgorithm);
    return !!type && this.offeredSchemes.includes(scheme) && verifyScheme(scheme, type, leaf.publicKey, data, signature);
  }

  private client13(r: TlsRecords, sh: Extract<HandshakeMessage, { type: 'server_hello' }>, suite: CipherSuite, check: (c: CertView) => CertVerdict): void {
    const ks = sh.extensions?.find((e) => e.kind === 'key_share_selected');
    if (!ks || ks.kind !== 'key_share_selected' || !this.share) throw new HandshakeError('ServerHello without an X25519 key share', 'illegal_parameter');
    const t = new Transcript(suite.hash).add(this.helloBytes, handshakeMessageBytes(sh));
    const hs = handshakeStage(earlyStage(suite.hash), sharedSecret(this.share, ks.keyExchange), t.digest());
    const recvHs = new Tls13RecordProtection(suite, hs.serverHandshakeTrafficSecret);
    const sendHs = new Tls13RecordProtection(suite, hs.clientHandshakeTrafficSecret);
    this.alertKeys = { v13: sendHs };
    const opened = openHandshake13(recvHs, r.records);
    if (this.peerAlerted(opened.alerts)) return;
    let leaf: ParsedCertificate | undefined;
    let finished = false;
    const checks: string[] = [];
    for (const m of splitHandshakeMessages(opened.handshake)) {
      if (m.type === TLS_HANDSHAKE.ENCRYPTED_EXTENSIONS) this.alpn = alpnOfEncryptedExtensions(m.body);
      else if (m.type === TLS_HANDSHAKE.CERTIFICATE) {
        const chain = parseCertificate13(m.body);
        if (!chain.length) throw new HandshakeError('the server sent no certificate', 'certificate_required');
        leaf = parseCertificate(chain[0]);
        if (!this.acceptCertificate(leaf, r, check)) return;
      } else if (m.type === TLS_HANDSHAKE.CERTIFICATE_VERIFY) {
        const cv = parseCertificateVerify13(m.body);
        if (!leaf || !this.serverSignatureVerifies(leaf, cv.scheme, certificateVerifyInput('server', t.digest()), cv.signature)) {
          throw new HandshakeError('CertificateVerify signature does not verify with the certificate\'s key', 'decrypt_error');
        }
        checks.push(`CertificateVerify: ${signatureLabel(cv.scheme)} signature over the transcript verified with the certificate's public key`);
      } else if (m.type === TLS_HANDSHAKE.FINISHED) {
        if (!equalBytes(m.body, finishedVerifyData(suite.hash, hs.serverHandshakeTrafficSecret, t.digest()))) throw new HandshakeError('server Finished MAC does not match the transcript', 'decrypt_error');
        finished = true;
        checks.push('server Finished: HMAC over the transcript matches');
      }
      t.add(m.raw);
    }
    if (!leaf || !finished) throw new HandshakeError('incomplete server flight', 'unexpected_message');
    const app = applicationStage(hs, t.digest());
    const fin = handshakeMessageBytes({ type: 'finished', verifyData: finishedVerifyData(suite.hash, hs.clientHandshakeTrafficSecret, t.digest()) });
    t.add(fin);
    this.transcript = t;
    const k: Keys13 = { suite, hs, sendHs, recvHs, sendApp: new Tls13RecordProtection(suite, app.clientApplicationTrafficSecret), recvApp: new Tls13RecordProtection(suite, app.serverApplicationTrafficSecret) };
    this.k13 = k;
    this.event(`handshake keys derived (ECDHE x25519, HKDF); suite ${SUITE_NAMES[suite.id]}; server flight decrypted and verified; sending Finished`, [...checks, 'TLS 1.3: one round trip; the client may send application data right after its Finished']);
    this.conn.write(this.records(this.ccs(), this.sealed13(sendHs, 22, fin)));
    this.alertKeys = { v13: k.sendApp };
    this.becomeReady();
  }

  private client12(r: TlsRecords, msgs: HandshakeMessage[], sh: Extract<HandshakeMessage, { type: 'server_hello' }>, suite: CipherSuite, check: (c: CertView) => CertVerdict): void {
    const cert = msgs.find((m) => m.type === 'certificate');
    const ske = msgs.find((m) => m.type === 'server_key_exchange');
    if (!cert || cert.type !== 'certificate' || !cert.certificates.length || !ske || ske.type !== 'server_key_exchange' || !this.share) throw new HandshakeError('incomplete server flight', 'unexpected_message');
    const alpnExt = sh.extensions?.find((e) => e.kind === 'alpn');
    this.alpn = alpnExt && alpnExt.kind === 'alpn' ? alpnExt.protocols[0] : undefined;
    const leaf = parseCertificate(cert.certificates[0]);
    if (!this.acceptCertificate(leaf, r, check)) return;
    const params = ecdhParams(ske.namedGroup, ske.publicKey);
    if (ske.namedGroup !== TLS_GROUP.X25519 || !this.serverSignatureVerifies(leaf, ske.signatureScheme, serverKeyExchangeSignedData(this.clientRandom, this.serverRandom, params), ske.signature)) {
      throw new HandshakeError('ServerKeyExchange signature does not verify with the certificate\'s key', 'decrypt_error');
    }
    const t = new Transcript(suite.hash).add(this.helloBytes, ...msgs.map(handshakeMessageBytes));
    const master = masterSecret(suite.hash, sharedSecret(this.share, ske.publicKey), this.clientRandom, this.serverRandom);
    const kb = keyBlock(suite, master, this.clientRandom, this.serverRandom);
    this.k12 = { suite, master, send: new Tls12GcmRecordProtection(suite, kb.clientKey, kb.clientIv), recv: new Tls12GcmRecordProtection(suite, kb.serverKey, kb.serverIv) };
    const cke: HandshakeMessage = { type: 'client_key_exchange', publicKey: this.share.publicKey };
    t.add(handshakeMessageBytes(cke));
    const fin = handshakeMessageBytes({ type: 'finished', verifyData: finished12(suite.hash, master, 'client', t.digest()) });
    t.add(fin);
    this.transcript = t;
    this.sim.trace.keyLog(keyLogLine12(this.clientRandom, master));
    this.event(`ClientKeyExchange (x25519), ChangeCipherSpec, Finished; suite ${SUITE_NAMES[suite.id]}`, [`ServerKeyExchange: ${signatureLabel(ske.signatureScheme)} signature over both randoms and the X25519 key verified with the certificate's public key`, 'TLS 1.2: master secret = PRF(ECDHE shared secret, "master secret", randoms); the client waits for the server\'s Finished: a second round trip', 'TLS 1.2: the ClientHello\'s X25519 key serves as the ClientKeyExchange key']);
    this.conn.write(this.records(this.handshake(TLS_VERSION.TLS12, cke), this.ccs(), this.sealed12(this.k12.send, 22, fin)));
    const send = this.k12.send;
    this.alertKeys = { v12: send };
  }

  private checker: (c: CertView) => CertVerdict = () => ({ ok: true, checks: [], problem: '', alert: '' });

  startClient(o: { sni: string | undefined; maxVersion: TlsVersion; alpn: string[]; suites?: number[]; profile?: TlsClientProfile; check: (c: CertView) => CertVerdict }): void {
    this.checker = o.check;
    this.clientHello(o);
  }

  // ---------------------------------------------------------------- server

  private serverConfig?: { cert: Certificate; versions: TlsVersion[]; alpn: string[]; processingMs: number; profile: TlsServerProfile };
  private sni?: string;
  /** `profile`: absent, the device's own software decides (`software nginx`: OpenSSL's behaviour). */
  startServer(o: { cert: Certificate; versions: TlsVersion[]; alpn: string[]; processingMs: number; profile?: TlsServerProfile }): void {
    this.serverConfig = { ...o, profile: o.profile ?? (this.conn.node.d.software === 'nginx' ? 'openssl' : 'default') };
  }

  private credentials(cert: Certificate): ServerCredentials {
    return serverCredentials(this.sim.scenario.seed, servedCertificate(cert, this.sim.scenario));
  }

  private serverGotHello(hello: Extract<HandshakeMessage, { type: 'client_hello' }>): void {
    const cfg = this.serverConfig;
    if (!cfg) return;
    const sv = hello.extensions?.find((e) => e.kind === 'supported_versions');
    const offers13 = !!(sv && sv.kind === 'supported_versions' && sv.versions.includes(TLS_VERSION.TLS13));
    const version: TlsVersion | undefined = offers13 && cfg.versions.includes('1.3') ? '1.3' : cfg.versions.includes('1.2') ? '1.2' : undefined;
    const alpnExt = hello.extensions?.find((e) => e.kind === 'alpn');
    const offered = alpnExt && alpnExt.kind === 'alpn' ? alpnExt.protocols : [];
    this.alpn = cfg.alpn.find((p) => offered.includes(p));
    if (!version) {
      this.event(`no common TLS version (client offers ${offers13 ? '1.3, 1.2' : '1.2'}; listener accepts ${cfg.versions.join(', ')}): alert protocol_version`, [], cfg.cert.source);
      this.conn.write(this.records({ version: TLS_VERSION.TLS12, body: { kind: 'alert', level: 2, description: 70 } }));
      this.events.onFail('no common TLS version', 'protocol_version', cfg.cert.source);
      return;
    }
    this.version = version;
    const openssl = cfg.profile === 'openssl';
    const sniExt = hello.extensions?.find((e) => e.kind === 'server_name');
    this.sni = sniExt && sniExt.kind === 'server_name' ? sniExt.hostName : undefined;
    // Both follow the client's order: OpenSSL unless told otherwise (nginx's
    // ssl_prefer_server_ciphers is off by default), the default server as it always has.
    const suites: number[] = version === '1.3' ? (openssl ? OPENSSL_SUITES_13 : CLIENT_SUITES_13) : SERVER_SUITES_12;
    this.suite = hello.cipherSuites.find((s) => suites.includes(s)) ?? suites[0];
    const suite = cipherSuite(this.suite);
    if (!suite) return;
    this.clientRandom = hello.random;
    this.helloBytes = handshakeMessageBytes(hello);
    const creds = this.credentials(cfg.cert);
    const scheme = chooseScheme(hello, creds.key.type);
    if (scheme === undefined) { this.refuseNoScheme(cfg.cert, creds.key.type); return; }
    this.serverRandom = this.random(32);
    const why = [`TLS: version ${version} (highest both support), suite ${SUITE_NAMES[suite.id]} (first of the client's list the server accepts), ALPN ${this.alpn ?? 'none'}`];
    // P-256 traces say what they always said; only the new key type explains its choice
    if (creds.key.type !== 'ecdsa-p256') why.push(`TLS: signature scheme ${schemeName(scheme)}: the first of the client's signature_algorithms the certificate's ${KEY_LABEL[creds.key.type]} key supports`);
    const model = { source: cfg.cert.source, revoked: cfg.cert.revoked };
    this.sim.after(cfg.processingMs, () => {
      const flight = version === '1.3' ? this.server13(hello, suite, creds, scheme, why) : this.server12(suite, creds, scheme, why);
      if (!flight) return;
      certificateModel.set(flight, model);
      this.conn.write(flight);
    });
  }

  /** No scheme of the client's list fits the key: OpenSSL fails the handshake ("no suitable
   * signature algorithm" in TLS 1.3; in TLS 1.2 the certificate cannot serve any ECDHE_ECDSA
   * suite, "no shared cipher") with a handshake_failure alert, in clear, before any ServerHello. */
  private refuseNoScheme(cert: Certificate, type: KeyType): void {
    const schemes = SCHEMES_OF[type].map(schemeName).join(', ');
    const reason = `no signature algorithm in common: the certificate's ${KEY_LABEL[type]} key signs only with ${schemes}, which the client's signature_algorithms do not offer`;
    this.event(`${reason}: alert handshake_failure`, [
      'TLS: the server signs the handshake with the first scheme of the client\'s signature_algorithms its key supports; with none, OpenSSL reports "no suitable signature algorithm" (TLS 1.3) or "no shared cipher" (TLS 1.2)',
      ...(type === 'ed25519' ? ['TLS: OpenSSL-based clients (curl, wget, Python) offer ed25519; Chrome, Firefox and Safari do not, so a site for browsers needs an ECDSA or RSA certificate'] : []),
    ], cert.source);
    const records = this.records({ version: TLS_VERSION.TLS12, body: { kind: 'alert', level: 2, description: ALERT.handshake_failure } });
    const host = this.sni ?? 'HOST';
    refusals.set(records, {
      reason, source: cert.source,
      detectWith: `openssl s_client -connect ${host}:${this.conn.local.port} -servername ${host} -sigalgs ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256:rsa_pkcs1_sha256 (a browser's schemes: the same alert; without -sigalgs OpenSSL offers ed25519 too), and openssl x509 -noout -text on the server's certificate ("Public Key Algorithm: ${type === 'ed25519' ? 'ED25519' : 'id-ecPublicKey'}")`,
    });
    this.conn.write(records);
    this.events.onFail(reason, 'handshake_failure', cert.source);
  }

  private server13(hello: Extract<HandshakeMessage, { type: 'client_hello' }>, suite: CipherSuite, creds: ServerCredentials, scheme: number, why: string[]): TlsRecords | undefined {
    const ks = hello.extensions?.find((e) => e.kind === 'key_share');
    const clientShare = ks && ks.kind === 'key_share' ? ks.entries.find((e) => e.group === TLS_GROUP.X25519) : undefined;
    if (!clientShare) {
      // a HelloRetryRequest would ask for another group; the simulated browser always sends X25519
      this.event('ClientHello without an X25519 key share: alert handshake_failure');
      this.conn.write(this.records({ version: TLS_VERSION.TLS12, body: { kind: 'alert', level: 2, description: 40 } }));
      return undefined;
    }
    const share = generateKeyShare('x25519', this.random);
    const sh: HandshakeMessage = {
      type: 'server_hello', version: TLS_VERSION.TLS12, random: this.serverRandom, sessionId: hello.sessionId, cipherSuite: suite.id, compressionMethod: 0,
      extensions: [{ kind: 'supported_versions_selected', version: TLS_VERSION.TLS13 }, { kind: 'key_share_selected', group: TLS_GROUP.X25519, keyExchange: share.publicKey }],
    };
    const t = new Transcript(suite.hash).add(this.helloBytes, handshakeMessageBytes(sh));
    const hs = handshakeStage(earlyStage(suite.hash), sharedSecret(share, clientShare.keyExchange), t.digest());
    const sendHs = new Tls13RecordProtection(suite, hs.serverHandshakeTrafficSecret);
    // OpenSSL acknowledges a server name it used with an empty server_name (nginx always
    // installs its servername callback)
    const ee = handshakeMessageBytes(encryptedExtensions13(this.alpn, this.serverConfig?.profile === 'openssl' && !!this.sni));
    const certMsg = handshakeMessageBytes(certificate13(creds.chain));
    t.add(ee, certMsg);
    const signature = sign(creds.key, certificateVerifyInput('server', t.digest()));
    const cv = handshakeMessageBytes(certificateVerify13(scheme, signature));
    t.add(cv);
    const fin = handshakeMessageBytes({ type: 'finished', verifyData: finishedVerifyData(suite.hash, hs.serverHandshakeTrafficSecret, t.digest()) });
    t.add(fin);
    const app = applicationStage(hs, t.digest());
    this.transcript = t;
    this.k13 = {
      suite, hs, sendHs, recvHs: new Tls13RecordProtection(suite, hs.clientHandshakeTrafficSecret),
      sendApp: new Tls13RecordProtection(suite, app.serverApplicationTrafficSecret), recvApp: new Tls13RecordProtection(suite, app.clientApplicationTrafficSecret),
    };
    const sendApp = this.k13.sendApp;
    this.alertKeys = { v13: sendApp };
    // the server knows every secret of the session once its Finished is made
    for (const line of keyLogLines13({ clientRandom: this.clientRandom, ...hs, clientApplicationTrafficSecret: app.clientApplicationTrafficSecret, serverApplicationTrafficSecret: app.serverApplicationTrafficSecret })) this.sim.trace.keyLog(line);
    const der = creds.chain[0];
    this.event(`ServerHello + encrypted EncryptedExtensions, Certificate (${der.length}-byte DER, ${KEY_LABEL[creds.key.type]}, issued by "${creds.issuer}"), CertificateVerify, Finished`,
      [...why, 'TLS 1.3: everything after ServerHello is encrypted with the handshake keys (HKDF from the X25519 shared secret and the transcript)', creds.key.type === 'ed25519'
        ? `CertificateVerify: the server signs the transcript's signed content with its certificate's Ed25519 key (${signature.length} bytes, the same every time for the same transcript)`
        : 'CertificateVerify: the server signs the transcript hash with its certificate\'s P-256 key']);
    return this.records(this.handshake(TLS_VERSION.TLS12, sh), this.ccs(),
      this.sealed13(sendHs, 22, ee), this.sealed13(sendHs, 22, certMsg), this.sealed13(sendHs, 22, cv), this.sealed13(sendHs, 22, fin));
  }

  private server12(suite: CipherSuite, creds: ServerCredentials, scheme: number, why: string[]): TlsRecords {
    this.share = generateKeyShare('x25519', this.random);
    const sh: HandshakeMessage = {
      type: 'server_hello', version: TLS_VERSION.TLS12, random: this.serverRandom, sessionId: this.random(32), cipherSuite: suite.id, compressionMethod: 0,
      extensions: [{ kind: 'renegotiation_info', data: EMPTY }, ...(this.alpn ? [{ kind: 'alpn' as const, protocols: [this.alpn] }] : [])],
    };
    const params = ecdhParams(TLS_GROUP.X25519, this.share.publicKey);
    const signature = sign(creds.key, serverKeyExchangeSignedData(this.clientRandom, this.serverRandom, params));
    const msgs: HandshakeMessage[] = [
      sh, { type: 'certificate', certificates: creds.chain },
      { type: 'server_key_exchange', namedGroup: TLS_GROUP.X25519, publicKey: this.share.publicKey, signatureScheme: scheme, signature },
      { type: 'server_hello_done' },
    ];
    this.transcript = new Transcript(suite.hash).add(this.helloBytes, ...msgs.map(handshakeMessageBytes));
    this.pending12 = { suite };
    this.event(`ServerHello, Certificate (${creds.chain[0].length}-byte DER, in clear, issued by "${creds.issuer}"), ServerKeyExchange (x25519, signed), ServerHelloDone`, [...why, 'TLS 1.2: the certificate is readable by anyone on the path', `ServerKeyExchange: ${signatureLabel(scheme)} signature over both randoms and the server's X25519 key`]);
    return this.records(this.handshake(TLS_VERSION.TLS12, ...msgs));
  }

  /** TLS 1.2 server: ClientKeyExchange, ChangeCipherSpec and the encrypted Finished arrived. */
  private server12Finish(h: TlsRecords, cke: Extract<HandshakeMessage, { type: 'client_key_exchange' }>): void {
    const p = this.pending12;
    const t = this.transcript;
    if (!p || !t || !this.share) return;
    const { suite } = p;
    const master = masterSecret(suite.hash, sharedSecret(this.share, cke.publicKey), this.clientRandom, this.serverRandom);
    const kb = keyBlock(suite, master, this.clientRandom, this.serverRandom);
    const k: Keys12 = { suite, master, send: new Tls12GcmRecordProtection(suite, kb.serverKey, kb.serverIv), recv: new Tls12GcmRecordProtection(suite, kb.clientKey, kb.clientIv) };
    this.k12 = k;
    t.add(handshakeMessageBytes(cke));
    const expected = finished12(suite.hash, master, 'client', t.digest());
    const fin = this.open12Finished(h, expected, 'client');
    t.add(fin);
    const mine = handshakeMessageBytes({ type: 'finished', verifyData: finished12(suite.hash, master, 'server', t.digest()) });
    t.add(mine);
    this.event('ClientKeyExchange, ChangeCipherSpec, Finished received: keys derived, client Finished decrypted and verified; sending ChangeCipherSpec, Finished');
    this.conn.write(this.records(this.ccs(), this.sealed12(k.send, 22, mine)));
    this.alertKeys = { v12: k.send };
    this.becomeReady();
  }

  /** Opens the encrypted Finished of a TLS 1.2 flight and checks its verify_data; returns the message bytes. */
  private open12Finished(h: TlsRecords, expected: Uint8Array, from: string): Uint8Array {
    const k = this.k12;
    const rec = h.records.find((r) => r.contentType === 22 && r.body.kind === 'opaque');
    if (!k || !rec || rec.body.kind !== 'opaque') throw new HandshakeError(`no ${from} Finished`, 'unexpected_message');
    let content: Uint8Array;
    try {
      content = k.recv.open(wholeRecord(22, rec.body.data)).content;
    } catch {
      throw new HandshakeError(`${from} Finished does not decrypt`, 'bad_record_mac');
    }
    const [m] = splitHandshakeMessages(content);
    if (!m || m.type !== TLS_HANDSHAKE.FINISHED || !equalBytes(m.body, expected)) throw new HandshakeError(`${from} Finished verify_data does not match the transcript`, 'decrypt_error');
    return m.raw;
  }

  // ---------------------------------------------------------------- both

  /** Feed every message the TCP connection delivers here. */
  receive(h: Header): void {
    if (h.proto !== 'tls') return;
    if (h.plaintext) {
      // application data: the records are the real ciphertext of these headers (see the top)
      const k = this.k13?.recvApp ?? this.k12?.recv;
      if (k) k.seq += h.records.length;
      for (const p of h.plaintext) this.events.onData(p);
      return;
    }
    const msgs: HandshakeMessage[] = [];
    const alerts: number[] = [];
    for (const x of h.records) {
      if (x.body.kind === 'handshake') for (const m of x.body.messages) msgs.push(m);
      else if (x.body.kind === 'alert') alerts.push(x.body.description);
    }
    // an alert in clear once the handshake is under way (the first flight's is read below)
    if (this.version && this.peerAlerted(alerts)) return;
    try {
      if (this.role === 'server') this.serverReceive(h, msgs);
      else this.clientReceive(h);
    } catch (e) {
      this.fail(e);
    }
  }

  private serverReceive(h: TlsRecords, msgs: HandshakeMessage[]): void {
    if (this.ready) { this.receiveAfterHandshake(h); return; }
    const hello = msgs.find((m) => m.type === 'client_hello');
    if (hello && hello.type === 'client_hello') { this.serverGotHello(hello); return; }
    const cke = msgs.find((m) => m.type === 'client_key_exchange');
    if (this.version === '1.2' && cke && cke.type === 'client_key_exchange') { this.server12Finish(h, cke); return; }
    const k = this.k13;
    if (this.version === '1.3' && !this.ready && k && this.transcript) {
      const opened = openHandshake13(k.recvHs, h.records);
      if (this.peerAlerted(opened.alerts)) return;
      const [m] = splitHandshakeMessages(opened.handshake);
      if (!m || m.type !== TLS_HANDSHAKE.FINISHED || !equalBytes(m.body, finishedVerifyData(k.suite.hash, k.hs.clientHandshakeTrafficSecret, this.transcript.digest()))) {
        throw new HandshakeError('client Finished MAC does not match the transcript', 'decrypt_error');
      }
      this.transcript.add(m.raw);
      this.event('client Finished decrypted and verified: handshake complete');
      if (this.serverConfig?.profile === 'openssl') {
        // OpenSSL writes its tickets on the first SSL_write after the handshake, so they go out
        // before any application data
        this.sendTicketsOpenSsl(k);
        this.becomeReady();
      } else {
        this.becomeReady();
        this.sendTickets(k);
      }
    }
  }

  /** TLS 1.3 NewSessionTickets, encrypted with the server's application keys. Each names a PSK
   * (HKDF of the resumption master secret and the ticket nonce) a later connection could resume
   * with; this journey never does. */
  private sendTickets(k: Keys13): void {
    const records: TlsRecord[] = [];
    for (let i = 0; i < TICKETS_13; i++) {
      const nst = newSessionTicket13(TICKET_LIFETIME_S, this.sim.rng.u32(), Uint8Array.of(i), this.random(TICKET_LEN));
      records.push(this.sealed13(k.sendApp, 22, handshakeMessageBytes(nst)));
    }
    this.event(`${TICKETS_13} NewSessionTickets (lifetime ${TICKET_LIFETIME_S} s), encrypted with the application keys`, ['TLS 1.3: tickets come after the handshake, so they cost no round trip; a later connection could resume with one (PSK) and skip the certificate']);
    this.conn.write(this.records(...records));
  }

  /** OpenSSL's two tickets: lifetime the session timeout, an 8-byte nonce counting from 0, a
   * stateless ticket of openSslTicketLength bytes, each written (and so sent) on its own. */
  private sendTicketsOpenSsl(k: Keys13): void {
    const hashLen = k.suite.hash === 'sha384' ? 48 : 32;
    const timeS = Math.floor((this.sim.scenario.date + this.sim.now) / 1000);
    for (let i = 0; i < TICKETS_13; i++) {
      const ageAdd = this.sim.rng.u32();
      const nonce = new Uint8Array(8);
      nonce[7] = i;
      const len = openSslTicketLength({ hashLen, host: this.sni ?? '', alpn: this.alpn, group: TLS_GROUP.X25519, timeS, timeoutS: NGINX_SESSION_TIMEOUT_S, ageAdd });
      const nst = newSessionTicket13(NGINX_SESSION_TIMEOUT_S, ageAdd, nonce, this.random(len));
      if (i === 0) {
        this.event(`${TICKETS_13} NewSessionTickets (lifetime ${NGINX_SESSION_TIMEOUT_S} s, nginx's ssl_session_timeout), each in its own record and write, before any application data`, [
          'TLS 1.3: tickets come after the handshake, so they cost no round trip; a later connection could resume with one (PSK) and skip the certificate',
          `OpenSSL: a stateless ticket is key name 16 + IV 16 + the session (DER, AES-256-CBC) + HMAC 32 bytes: ${len} bytes here`,
        ]);
      }
      this.conn.write(this.records(this.sealed13(k.sendApp, 22, handshakeMessageBytes(nst))));
    }
  }

  private clientReceive(h: TlsRecords): void {
    if (!this.version) {
      this.clientGotServerFlight(h, this.checker);
      return;
    }
    if (this.version === '1.3' && this.ready && this.k13) {
      // post-handshake messages (NewSessionTicket) under the server's application keys
      const opened = openHandshake13(this.k13.recvApp, h.records);
      if (opened.alerts.length) { this.alertsAfterHandshake(opened.alerts); return; }
      const tickets = splitHandshakeMessages(opened.handshake).filter((m) => m.type === TLS_HANDSHAKE.NEW_SESSION_TICKET).map((m) => parseNewSessionTicket13(m.body));
      if (tickets.length) this.event(`${tickets.length} NewSessionTicket${tickets.length > 1 ? 's' : ''} decrypted: ${tickets.map((x) => `${x.ticket.length}-byte ticket, lifetime ${x.lifetime} s`).join('; ')} (kept for resumption; this journey does not resume)`);
      return;
    }
    const k = this.k12;
    const t = this.transcript;
    if (this.version === '1.2' && !this.ready && k && t && h.records.some((r) => r.body.kind === 'change_cipher_spec')) {
      const fin = this.open12Finished(h, finished12(k.suite.hash, k.master, 'server', t.digest()), 'server');
      t.add(fin);
      this.event('server Finished decrypted and verified: handshake complete (2 round trips)');
      this.becomeReady();
    }
  }

  /** Server side, after the handshake: a record that carries no application data is an alert
   * (the client's close_notify). */
  private receiveAfterHandshake(h: TlsRecords): void {
    if (this.k13) { this.alertsAfterHandshake(openHandshake13(this.k13.recvApp, h.records).alerts); return; }
    const k = this.k12;
    if (!k) return;
    const codes: number[] = [];
    for (const r of h.records) {
      if (r.body.kind !== 'opaque' || r.contentType !== 21) continue;
      const opened = k.recv.open(wholeRecord(21, r.body.data));
      if (opened.content.length === 2) codes.push(opened.content[1]);
    }
    if (codes.length) this.alertsAfterHandshake(codes);
  }

  private becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.events.onReady(this.version ?? '1.3', this.alpn);
  }

  /** Encrypts application messages as one stream cut into records of at most 2^14 bytes of
   * plaintext (RFC 8446 5.1), the way OpenSSL's SSL_write fills records. */
  write(...plain: Header[]): void {
    const parts = plain.map((p) => encodeStackBytes([p]));
    const len = parts.reduce((n, p) => n + p.length, 0);
    const stream = parts.length === 1 ? parts[0] : concatAll(parts, len);
    const seal = this.appSealer();
    const records: TlsRecord[] = [];
    for (let at = 0; at < len || records.length === 0; at += TLS_MAX_PLAINTEXT) records.push(seal(stream.subarray(at, Math.min(len, at + TLS_MAX_PLAINTEXT))));
    const rec: TlsRecords = { proto: 'tls', records, plaintext: plain };
    const wire = records.reduce((n, r) => n + (r.body.kind === 'opaque' ? r.body.data.length : 0) + TLS_RECORD_HEADER_LEN, 0);
    const what = plain.map((p) => p.proto).filter((p, i, a) => a.indexOf(p) === i).join('+');
    const into = records.length === 1 ? `a ${wire}-byte record` : `${records.length} records (${wire} bytes; at most ${TLS_MAX_PLAINTEXT} bytes of plaintext each)`;
    const suite = this.k13?.suite ?? this.k12?.suite;
    this.sim.trace.event(this.sim.now, {
      device: this.conn.node.name, direction: 'out', kind: 'tls', layers: ['TLS', 'L7'], summary: `${this.label}: encrypt ${len} bytes of ${what} into ${into}`,
      details: [`TLS: ${this.version === '1.3' ? '+1 inner content type +16 AEAD tag' : '+8 explicit nonce +16 GCM tag'} +5 record header${records.length > 1 ? ' per record' : ''}; ${suite?.name ?? ''} with the application traffic keys; routers see only ciphertext`],
    });
    this.conn.write(rec);
  }

  private appSealer(): (content: Uint8Array) => TlsRecord {
    if (this.k13) { const p = this.k13.sendApp; return (c) => this.sealed13(p, 23, c); }
    if (this.k12) { const p = this.k12.send; return (c) => this.sealed12(p, 23, c); }
    throw new Error(`${this.label}: application data before the TLS handshake completed`);
  }
}

function concatAll(parts: Uint8Array[], len: number): Uint8Array {
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function wholeRecord(contentType: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(TLS_RECORD_HEADER_LEN + body.length);
  out.set([contentType, 3, 3, body.length >>> 8, body.length & 0xff]);
  out.set(body, TLS_RECORD_HEADER_LEN);
  return out;
}

/** Decrypts the protected records of a TLS 1.3 flight (CCS and cleartext records skipped): the
 * handshake bytes, and the codes of any alerts among them. */
function openHandshake13(p: Tls13RecordProtection, records: readonly TlsRecord[]): { handshake: Uint8Array; alerts: number[] } {
  const parts: Uint8Array[] = [];
  const alerts: number[] = [];
  for (const r of records) {
    if (r.body.kind !== 'opaque') continue;
    let opened;
    try {
      opened = p.openBody(23, r.body.data);
    } catch (e) {
      if (e instanceof WireError) throw e;
      throw new HandshakeError('a handshake record does not decrypt (bad record MAC)', 'bad_record_mac');
    }
    if (opened.contentType === 21 && opened.content.length === 2) alerts.push(opened.content[1]);
    else if (opened.contentType === 22) parts.push(opened.content);
    else throw new HandshakeError(`unexpected content type ${opened.contentType} during the handshake`, 'unexpected_message');
  }
  return { handshake: concatAll(parts, parts.reduce((n, x) => n + x.length, 0)), alerts };
}

/** The fields of the certificate a server presents for a `certificate` statement. A `fail
 * cert-expired` / `fail cert-name-mismatch` of the scenario changes the certificate the requested
 * site serves, so the capture and the exported certificates show the fault too. */
export function servedCertificate(cert: Certificate, scenario: Scenario): CertificateFields {
  const host = scenario.url.host;
  const fields = { subject: cert.subject, sans: cert.sans, issuer: cert.issuer, validFrom: cert.validFrom, validUntil: cert.validUntil, key: cert.key };
  const forSite = cert.sans.some((p) => nameMatches(host, p)) || cert.subject === host;
  const has = (kind: string): boolean => scenario.failures.some((f) => f.kind === kind);
  if (forSite && has('cert-expired')) {
    fields.validUntil = scenario.date - DAY_MS;
    fields.validFrom = Math.min(fields.validFrom, fields.validUntil - 90 * DAY_MS);
  }
  if (forSite && has('cert-name-mismatch')) {
    fields.sans = [`other.${host.split('.').slice(1).join('.') || host}`];
    fields.subject = `other.${host}`;
  }
  return fields;
}

export interface CertView {
  subject: string; sans: string[]; issuer: string; validFrom: number; validUntil: number; revoked: boolean; source: Source;
  /** True when the root of that name (as the trust store holds it) signed this certificate:
   * an ECDSA or Ed25519 verification with the root's public key. Absent: not checked. */
  signedBy?: (issuerName: string) => boolean;
  /** the root's key as the check names it (default P-256) */
  rootKey?: string;
}
/** `verified: false`: accepted without checking (a load balancer's backend connection). */
export interface CertVerdict { ok: boolean; checks: string[]; problem: string; alert: string; verified?: boolean }

function nameMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) {
    const rest = pattern.slice(2);
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === rest;
  }
  return host === pattern;
}

// The dates of a check are the certificate's and the scenario's: the same few on every trace.
// Keyed by the number, bounded.
const days = new BoundedMap<number, string>(256);
function day(ms: number): string {
  let d = days.get(ms);
  if (d === undefined) {
    d = new Date(ms).toISOString().slice(0, 10);
    days.set(ms, d);
  }
  return d;
}

/** The browser's certificate checks: chain to a trusted CA, name vs SAN, dates, revocation. */
export function checkCertificate(c: CertView, host: string, trust: string[], date: number): CertVerdict {
  const checks: string[] = [];
  const inStore = trust.includes(c.issuer);
  const signed = inStore && c.signedBy ? c.signedBy(c.issuer) : inStore;
  checks.push(`chain: issued by "${c.issuer}": ${!inStore ? 'NOT in the trust store' : c.signedBy ? (signed ? `in the trust store; signature verified with its ${c.rootKey ?? 'P-256'} key` : 'in the trust store, but its key did NOT sign this certificate') : 'in the trust store'}`);
  const trusted = inStore && signed;
  const names = c.sans.length ? c.sans : [c.subject];
  const nameOk = names.some((n) => nameMatches(host, n));
  checks.push(`name: ${host} vs SAN ${names.join(', ')}: ${nameOk ? 'match' : 'NO match'}`);
  const inDate = date >= c.validFrom && date <= c.validUntil;
  checks.push(`dates: ${day(c.validFrom)} .. ${day(c.validUntil)} on ${day(date)}: ${inDate ? 'valid' : date > c.validUntil ? 'EXPIRED' : 'NOT YET VALID'}`);
  checks.push(`revocation (OCSP): ${c.revoked ? 'REVOKED' : 'good'}`);
  if (!trusted) return { ok: false, checks, problem: 'certificate not issued by a trusted CA (NET::ERR_CERT_AUTHORITY_INVALID)', alert: 'unknown_ca' };
  if (!nameOk) return { ok: false, checks, problem: `certificate is not valid for ${host} (NET::ERR_CERT_COMMON_NAME_INVALID)`, alert: 'bad_certificate' };
  if (!inDate) return { ok: false, checks, problem: 'certificate expired or not yet valid (NET::ERR_CERT_DATE_INVALID)', alert: 'certificate_expired' };
  if (c.revoked) return { ok: false, checks, problem: 'certificate revoked (NET::ERR_CERT_REVOKED)', alert: 'certificate_revoked' };
  return { ok: true, checks, problem: '', alert: '' };
}
