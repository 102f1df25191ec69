// TLS over a simulated TCP connection: the 1.3 (one round trip) and 1.2 (two round trips)
// handshakes with real record and handshake bytes, the client's certificate checks, and then
// application data as opaque records of the right size. The plaintext travels beside the
// ciphertext inside the simulation only, so the trace can say what was encrypted.
import {
  buildCertificateDer, clientHelloExtensions, headerLength, tls13CiphertextLength, TLS_MAX_PLAINTEXT, TLS_RECORD_HEADER_LEN, TLS_CIPHER, TLS_GROUP, TLS_SIG, TLS_VERSION,
  type Header, type TlsRecord, type TlsRecords, type HandshakeMessage,
} from '../wire';
import type { Certificate, Source } from '../model/types';
import type { Sim } from './engine';
import type { TcpConn } from './tcp';

/** Cipher suites in the order a current browser offers them. */
const CLIENT_SUITES_13: number[] = [TLS_CIPHER.TLS_AES_128_GCM_SHA256, TLS_CIPHER.TLS_AES_256_GCM_SHA384, TLS_CIPHER.TLS_CHACHA20_POLY1305_SHA256];
const CLIENT_SUITES_12: number[] = [TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_CIPHER.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_CIPHER.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384];
const SUITE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(TLS_CIPHER).map(([k, v]) => [v, k]));
const HASH_LEN = (suite: number): number => (suite === TLS_CIPHER.TLS_AES_256_GCM_SHA384 || suite === TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 || suite === TLS_CIPHER.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 ? 48 : 32);
/** An ECDSA P-256 signature in DER is 70-72 bytes; 71 is its usual size. */
const ECDSA_SIG_LEN = 71;
/** TLS 1.2 AES-GCM record overhead: 8-byte explicit nonce + 16-byte tag. */
const TLS12_GCM_OVERHEAD = 24;
const HS_HEADER = 4;

export type TlsVersion = '1.2' | '1.3';

const plaintextOf = new WeakMap<Header, Header[]>();
/** What the client learns by decrypting the server's flight (TLS 1.3 encrypts the certificate
 * and the ALPN choice), handed over beside the ciphertext. */
const serverFlightInfo = new WeakMap<Header, { alpn?: string; cert: CertView }>();

export interface TlsEvents {
  onReady(version: TlsVersion, alpn: string | undefined): void;
  onData(plain: Header): void;
  onFail(reason: string, alert: string, source?: Source): void;
}

function sizeOf(h: Header): number { return headerLength(h); }

export class TlsEndpoint {
  version?: TlsVersion;
  suite?: number;
  alpn?: string;
  private ready = false;

  constructor(readonly sim: Sim, readonly conn: TcpConn, readonly role: 'client' | 'server', readonly events: TlsEvents, readonly label: string) {}

  private event(summary: string, details: string[] = [], source?: Source): void {
    this.sim.trace.event(this.sim.now, { device: this.conn.node.name, direction: 'local', kind: 'tls', layers: ['TLS'], summary: `${this.label}: ${summary}`, details, source });
  }

  private records(...rs: TlsRecord[]): TlsRecords { return { proto: 'tls', records: rs }; }
  private handshake(version: number, ...messages: HandshakeMessage[]): TlsRecord { return { version, body: { kind: 'handshake', messages } }; }
  private opaque(length: number, contentType = 23): TlsRecord { return { contentType, version: TLS_VERSION.TLS12, body: { kind: 'opaque', data: this.sim.rng.bytes(length) } }; }

  // ---------------------------------------------------------------- client

  clientHello(o: { sni: string; maxVersion: TlsVersion; alpn: string[] }): void {
    const tls12 = o.maxVersion === '1.2';
    const hello: HandshakeMessage = {
      type: 'client_hello', version: TLS_VERSION.TLS12, random: this.sim.rng.bytes(32), sessionId: tls12 ? new Uint8Array(0) : this.sim.rng.bytes(32),
      cipherSuites: tls12 ? CLIENT_SUITES_12 : [...CLIENT_SUITES_13, ...CLIENT_SUITES_12], compressionMethods: [0],
      extensions: clientHelloExtensions({ serverName: o.sni, x25519PublicKey: this.sim.rng.bytes(32), alpn: o.alpn, tls12 }),
    };
    this.event(`ClientHello: SNI ${o.sni}, versions ${tls12 ? '1.2' : '1.3, 1.2'}, ALPN ${o.alpn.join(', ')}, key share x25519`, ['TLS: the server name travels in clear in the SNI extension; an on-path observer sees it']);
    this.conn.write(this.records(this.handshake(TLS_VERSION.TLS10, hello)));
  }

  /** Client: the server's first flight arrived. Checks the certificate, then finishes. */
  private clientGotServerFlight(r: TlsRecords, check: (c: CertView) => CertVerdict): void {
    const msgs = r.records.flatMap((x) => (x.body.kind === 'handshake' ? x.body.messages : []));
    const sh = msgs.find((m) => m.type === 'server_hello');
    if (!sh || sh.type !== 'server_hello') {
      const alert = r.records.find((x) => x.body.kind === 'alert');
      if (alert) { this.events.onFail('the server refused the handshake', 'protocol_version'); return; }
      return;
    }
    const selected = sh.extensions?.find((e) => e.kind === 'supported_versions_selected');
    this.version = selected && selected.kind === 'supported_versions_selected' && selected.version === TLS_VERSION.TLS13 ? '1.3' : '1.2';
    this.suite = sh.cipherSuite;
    const info = serverFlightInfo.get(r);
    this.alpn = info?.alpn;
    const cert = info?.cert;
    if (cert) {
      const v = check(cert);
      this.event(`certificate for ${cert.subject}: ${v.ok ? 'valid' : v.problem}`, v.checks, cert.source);
      if (!v.ok) { this.events.onFail(v.problem, v.alert, cert.source); return; }
    }
    const hashLen = HASH_LEN(this.suite);
    if (this.version === '1.3') {
      this.event(`handshake keys derived (ECDHE x25519, HKDF); suite ${SUITE_NAMES[this.suite]}; sending Finished`, ['TLS 1.3: one round trip; the client may send application data right after its Finished']);
      this.conn.write(this.records({ version: TLS_VERSION.TLS12, body: { kind: 'change_cipher_spec' } }, this.opaque(tls13CiphertextLength(HS_HEADER + hashLen))));
      this.becomeReady();
    } else {
      this.event(`ClientKeyExchange (x25519), ChangeCipherSpec, Finished; suite ${SUITE_NAMES[this.suite]}`, ['TLS 1.2: the client waits for the server\'s Finished: a second round trip']);
      this.conn.write(this.records(this.handshake(TLS_VERSION.TLS12, { type: 'client_key_exchange', publicKey: this.sim.rng.bytes(32) }), { version: TLS_VERSION.TLS12, body: { kind: 'change_cipher_spec' } }, this.opaque(HS_HEADER + 12 + TLS12_GCM_OVERHEAD, 22)));
    }
  }

  private checker: (c: CertView) => CertVerdict = () => ({ ok: true, checks: [], problem: '', alert: '' });

  startClient(o: { sni: string; maxVersion: TlsVersion; alpn: string[]; check: (c: CertView) => CertVerdict }): void {
    this.checker = o.check;
    this.clientHello(o);
  }

  // ---------------------------------------------------------------- server

  private serverConfig?: { cert: Certificate; versions: TlsVersion[]; alpn: string[]; processingMs: number };
  startServer(o: { cert: Certificate; versions: TlsVersion[]; alpn: string[]; processingMs: number }): void { this.serverConfig = o; }

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
    const suites: number[] = version === '1.3' ? CLIENT_SUITES_13 : CLIENT_SUITES_12.filter((s) => s === TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 || s === TLS_CIPHER.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384);
    this.suite = hello.cipherSuites.find((s) => suites.includes(s)) ?? suites[0];
    const der = buildCertificateDer({ subjectCN: cfg.cert.subject, sans: cfg.cert.sans, issuerCN: cfg.cert.issuer, notBefore: cfg.cert.validFrom, notAfter: cfg.cert.validUntil, serial: this.sim.rng.int(1, 0x7fffffff) });
    const random = this.sim.rng.bytes(32);
    const alpnExt2 = this.alpn ? [{ kind: 'alpn' as const, protocols: [this.alpn] }] : [];
    const hashLen = HASH_LEN(this.suite);
    const why = [`TLS: version ${version} (highest both support), suite ${SUITE_NAMES[this.suite]} (first of the client's list the server accepts), ALPN ${this.alpn ?? 'none'}`];
    this.sim.after(cfg.processingMs, () => {
      if (version === '1.3') {
        const sh: HandshakeMessage = { type: 'server_hello', version: TLS_VERSION.TLS12, random, sessionId: hello.sessionId, cipherSuite: this.suite ?? 0, compressionMethod: 0, extensions: [{ kind: 'supported_versions_selected', version: TLS_VERSION.TLS13 }, { kind: 'key_share_selected', group: TLS_GROUP.X25519, keyExchange: this.sim.rng.bytes(32) }] };
        const ee = HS_HEADER + 2 + (this.alpn ? 4 + 2 + 1 + this.alpn.length : 0);
        const certMsg = HS_HEADER + 1 + 3 + 3 + der.length + 2;
        const verify = HS_HEADER + 2 + 2 + ECDSA_SIG_LEN;
        const fin = HS_HEADER + hashLen;
        this.event(`ServerHello + encrypted EncryptedExtensions, Certificate (${der.length}-byte DER), CertificateVerify, Finished`, [...why, 'TLS 1.3: everything after ServerHello is encrypted with the handshake keys']);
        const flight = this.records(this.handshake(TLS_VERSION.TLS12, sh), { version: TLS_VERSION.TLS12, body: { kind: 'change_cipher_spec' } },
          this.opaque(tls13CiphertextLength(ee)), this.opaque(tls13CiphertextLength(certMsg)), this.opaque(tls13CiphertextLength(verify)), this.opaque(tls13CiphertextLength(fin)));
        serverFlightInfo.set(flight, { alpn: this.alpn, cert: certView(cfg.cert) });
        this.conn.write(flight);
      } else {
        const sh: HandshakeMessage = { type: 'server_hello', version: TLS_VERSION.TLS12, random, sessionId: this.sim.rng.bytes(32), cipherSuite: this.suite ?? 0, compressionMethod: 0, extensions: [{ kind: 'renegotiation_info', data: new Uint8Array(0) }, ...alpnExt2] };
        this.event(`ServerHello, Certificate (${der.length}-byte DER, in clear), ServerKeyExchange (x25519), ServerHelloDone`, [...why, 'TLS 1.2: the certificate is readable by anyone on the path']);
        const flight = this.records(this.handshake(TLS_VERSION.TLS12, sh, { type: 'certificate', certificates: [der] }, { type: 'server_key_exchange', namedGroup: TLS_GROUP.X25519, publicKey: this.sim.rng.bytes(32), signatureScheme: TLS_SIG.ECDSA_SECP256R1_SHA256, signature: this.sim.rng.bytes(ECDSA_SIG_LEN) }, { type: 'server_hello_done' }));
        serverFlightInfo.set(flight, { alpn: this.alpn, cert: certView(cfg.cert) });
        this.conn.write(flight);
      }
    });
  }

  // ---------------------------------------------------------------- both

  /** Feed every message the TCP connection delivers here. */
  receive(h: Header): void {
    if (h.proto !== 'tls') return;
    const plain = plaintextOf.get(h);
    if (plain) { for (const p of plain) this.events.onData(p); return; }
    const msgs = h.records.flatMap((x) => (x.body.kind === 'handshake' ? x.body.messages : []));
    if (this.role === 'server') {
      const hello = msgs.find((m) => m.type === 'client_hello');
      if (hello && hello.type === 'client_hello') { this.serverGotHello(hello); return; }
      if (this.version === '1.2' && msgs.some((m) => m.type === 'client_key_exchange')) {
        this.event('ClientKeyExchange, ChangeCipherSpec, Finished received: keys derived; sending ChangeCipherSpec, Finished');
        this.conn.write(this.records({ version: TLS_VERSION.TLS12, body: { kind: 'change_cipher_spec' } }, this.opaque(HS_HEADER + 12 + TLS12_GCM_OVERHEAD, 22)));
        this.becomeReady();
        return;
      }
      if (this.version === '1.3' && !this.ready && h.records.some((r) => r.body.kind === 'opaque')) {
        this.event('client Finished verified: handshake complete');
        this.becomeReady();
      }
      return;
    }
    // client
    if (!this.version) {
      this.clientGotServerFlight(h, this.checker);
      return;
    }
    if (this.version === '1.2' && !this.ready && h.records.some((r) => r.body.kind === 'change_cipher_spec')) {
      this.event('server Finished verified: handshake complete (2 round trips)');
      this.becomeReady();
    }
  }

  private becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.events.onReady(this.version ?? '1.3', this.alpn);
  }

  /** Encrypts application messages as one stream cut into records of at most 2^14 bytes of
   * plaintext (RFC 8446 5.1), the way OpenSSL's SSL_write fills records. */
  write(...plain: Header[]): void {
    const len = plain.reduce((n, p) => n + sizeOf(p), 0);
    const sizes: number[] = [];
    for (let left = len; left > 0 || sizes.length === 0; left -= TLS_MAX_PLAINTEXT) sizes.push(Math.min(left, TLS_MAX_PLAINTEXT));
    const cipherOf = (n: number): number => (this.version === '1.3' ? tls13CiphertextLength(n) : n + TLS12_GCM_OVERHEAD);
    const rec = this.records(...sizes.map((n) => this.opaque(cipherOf(n))));
    plaintextOf.set(rec, plain);
    const wire = sizes.reduce((n, k) => n + cipherOf(k) + TLS_RECORD_HEADER_LEN, 0);
    const what = plain.map((p) => p.proto).filter((p, i, a) => a.indexOf(p) === i).join('+');
    const into = sizes.length === 1 ? `a ${wire}-byte record` : `${sizes.length} records (${wire} bytes; at most ${TLS_MAX_PLAINTEXT} bytes of plaintext each)`;
    this.sim.trace.event(this.sim.now, { device: this.conn.node.name, direction: 'out', kind: 'tls', layers: ['TLS', 'L7'], summary: `${this.label}: encrypt ${len} bytes of ${what} into ${into}`, details: [`TLS: ${this.version === '1.3' ? '+1 inner content type +16 AEAD tag' : '+8 explicit nonce +16 GCM tag'} +5 record header${sizes.length > 1 ? ' per record' : ''}; routers see only ciphertext`] });
    this.conn.write(rec);
  }
}

export interface CertView { subject: string; sans: string[]; issuer: string; validFrom: number; validUntil: number; revoked: boolean; source: Source }
export interface CertVerdict { ok: boolean; checks: string[]; problem: string; alert: string }

function certView(c: Certificate): CertView {
  return { subject: c.subject, sans: c.sans, issuer: c.issuer, validFrom: c.validFrom, validUntil: c.validUntil, revoked: c.revoked, source: c.source };
}

function nameMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) {
    const rest = pattern.slice(2);
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === rest;
  }
  return host === pattern;
}

/** The browser's certificate checks: chain to a trusted CA, name vs SAN, dates, revocation. */
export function checkCertificate(c: CertView, host: string, trust: string[], date: number): CertVerdict {
  const checks: string[] = [];
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  const trusted = trust.includes(c.issuer);
  checks.push(`chain: issued by "${c.issuer}": ${trusted ? 'in the trust store' : 'NOT in the trust store'}`);
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
