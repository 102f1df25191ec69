// The browser and the client OS: URL parsing, HSTS, the HTTP cache, the browser's and the OS's
// DNS caches, the stub resolver, the connection pool, TCP, TLS with certificate checks,
// HTTP/2 or HTTP/1.1, and rendering. Each request records its phases.
import { H2_FLAG, type Header } from '../../wire';
import { ip } from '../../model/topology';
import type { Node } from '../engine';
import { tcpConnect, type TcpConn } from '../tcp';
import { TlsEndpoint, checkCertificate } from '../tls';
import type { Journey } from '../journey';
import { failure } from '../failures';
import { zoneRecord } from '../../model/checks';
import { DnsCache, resolveStub } from './dns';
import { BROWSER_H2, CURL_H2, H2Conn, h2RequestWrites, http1Request, responseOf, type HttpRequest } from './http';
import { CURL } from '../constants';

interface Pooled { conn: TcpConn; tls?: TlsEndpoint; h2?: H2Conn; http: '2' | '1.1' }

export class Browser {
  private readonly browserDns: DnsCache;
  private readonly osDns: DnsCache;
  private pool?: Pooled;
  private hstsHosts = new Set<string>();
  private httpCache = new Map<string, { status: number; size: number; fresh: boolean }>();

  constructor(readonly j: Journey, readonly n: Node) {
    const sim = j.sim;
    this.browserDns = new DnsCache(sim, n.name, 'browser');
    this.osDns = new DnsCache(sim, n.name, 'os');
    const sc = sim.scenario;
    if (sc.caches.hsts === 'warm') this.hstsHosts.add(sc.url.host);
    const addr = zoneRecord(sim.net, sc.url.host);
    if (addr?.type === 'A') {
      const rec = { name: sc.url.host, type: 'A', class: 'IN', ttl: addr.ttl, data: addr.value };
      if (sc.caches['browser-dns'] === 'warm') this.browserDns.put(sc.url.host, [rec]);
      if (sc.caches['os-dns'] === 'warm') this.osDns.put(sc.url.host, [rec]);
    }
    if (sc.caches.http === 'warm') {
      const cc = sc.response.headers.find(([k]) => k.toLowerCase() === 'cache-control')?.[1] ?? '';
      const maxAge = /max-age=(\d+)/.exec(cc);
      this.httpCache.set(this.cacheKey(), { status: sc.response.status, size: sc.response.bodySize, fresh: !!maxAge && Number(maxAge[1]) > 0 && !/no-cache|no-store/.test(cc) });
    }
  }

  /** curl is a command, not a browser: it sends its own User-Agent and Accept when the scenario
   * gives none, and closes the connection once the last response is in. */
  private get curl(): boolean { return this.n.d.software === 'curl'; }

  private requestHeaders(given: [string, string][]): [string, string][] {
    if (!this.curl) return given;
    const has = (k: string): boolean => given.some(([h]) => h.toLowerCase() === k);
    return [
      ...(has('user-agent') ? [] : [['user-agent', `curl/${CURL.version}`] as [string, string]]),
      ...(has('accept') ? [] : [['accept', '*/*'] as [string, string]]),
      ...given,
    ];
  }

  private cacheKey(): string { const u = this.j.sim.scenario.url; return `${u.scheme}://${u.host}:${u.port}${u.path}`; }

  private event(kind: 'app' | 'cache' | 'dns' | 'http' | 'render', summary: string, details: string[] = []): void {
    this.j.sim.trace.event(this.j.sim.now, { device: this.n.name, direction: 'local', kind, layers: ['L7'], summary, details, source: this.n.d.source });
  }

  /** Request number `k`, from the moment the user presses Enter. */
  start(done: () => void): void {
    const sim = this.j.sim;
    const sc = sim.scenario;
    const t0 = sim.now;
    const url = { ...sc.url };
    this.event('app', `user requests ${url.scheme}://${url.host}${url.explicitPort ? `:${url.port}` : ''}${url.path}`);
    sim.after(this.n.d.processingMs, () => {
      this.event('app', `URL parsed: scheme ${url.scheme}, host ${url.host}, port ${url.port}${url.explicitPort ? '' : ' (implicit)'}, path ${url.path}`);
      if (url.scheme === 'http' && this.hstsHosts.has(url.host)) {
        url.scheme = 'https';
        if (!url.explicitPort) url.port = 443;
        this.event('cache', `HSTS: ${url.host} is HSTS: internal redirect to https (no request goes out over http)`);
      } else this.event('cache', `HSTS: ${this.hstsHosts.has(url.host) ? `${url.host} is HSTS; the URL is already https` : `${url.host} not in the HSTS list`}`);
      const cached = this.httpCache.get(this.cacheKey());
      if (cached?.fresh) {
        this.event('cache', `HTTP cache: fresh copy (${cached.status}, ${cached.size} bytes): no network at all`);
        sim.trace.phase('url', t0, sim.now);
        this.render(t0, sim.now, cached.status, cached.size, done);
        return;
      }
      this.event('cache', `HTTP cache: ${cached ? 'stored copy must be revalidated (no-cache): fetch' : 'miss'}`);
      if (cached) sim.trace.simplify('A stored response marked no-cache is fetched again in full; conditional requests (If-None-Match, 304) are not simulated.');
      sim.trace.phase('url', t0, sim.now);
      this.resolve(url.host, (address) => {
        if (!address) return;
        this.connect(url, address, t0, done);
      });
    });
  }

  private resolve(host: string, then: (address: string | undefined) => void): void {
    const sim = this.j.sim;
    if (/^\d+(\.\d+){3}$/.test(host)) { then(host); return; }
    const b = this.browserDns.get(host);
    if (b) { this.event('cache', `browser DNS cache: hit ${host} -> ${String(b.records[0].data)} (TTL ${this.browserDns.remaining(b)}s left): no DNS`); then(String(b.records[0].data)); return; }
    this.event('cache', 'browser DNS cache: miss');
    const o = this.osDns.get(host);
    if (o) { this.event('cache', `OS DNS cache: hit ${host} -> ${String(o.records[0].data)}: no DNS query`); this.browserDns.put(host, o.records); then(String(o.records[0].data)); return; }
    const resolvers = this.n.d.host?.resolvers ?? [];
    const server = resolvers[0] !== undefined ? ip(resolvers[0]) : undefined;
    if (!server) { this.j.fail({ symptom: `no resolver configured for ${host}`, stoppedAt: this.n.name, detectWith: 'cat /etc/resolv.conf', source: this.n.d.source }); then(undefined); return; }
    this.event('dns', `OS DNS cache: miss; stub resolver asks ${server} (from resolv.conf) for A and AAAA`);
    sim.trace.simplify('The stub resolver asks A and AAAA as glibc does, but the simulation is IPv4 only: an AAAA answer is never used, and browsers\' extra HTTPS-record queries are not simulated.');
    if (resolvers.length > 1) sim.trace.simplify('Only the first nameserver of resolv.conf is asked; glibc moves on to the next one after a timeout.');
    const start = sim.now;
    resolveStub(sim, this.n, server, host, { conf: { search: [], ndots: 1 }, label: 'stub resolver' }, (a) => {
      sim.trace.phase('dns', start, sim.now);
      if ('error' in a) { this.j.fail({ symptom: `DNS timeout: ${a.error} (ERR_NAME_NOT_RESOLVED)`, stoppedAt: this.n.name, detectWith: `dig @${server} ${host}`, source: this.n.d.source }); then(undefined); return; }
      const addrs = a.answers.filter((r) => r.type === 'A');
      const rec = addrs[0];
      if (a.rcode === 3 || !rec) { this.j.fail({ symptom: `${host} does not exist: ${a.rcode === 3 ? 'NXDOMAIN' : 'no A record (NODATA)'} (DNS_PROBE_FINISHED_NXDOMAIN)`, stoppedAt: this.n.name, detectWith: `dig ${host}`, source: this.n.d.source }); then(undefined); return; }
      this.osDns.put(host, addrs);
      this.browserDns.put(host, addrs);
      this.event('dns', `${host} -> ${String(rec.data)}, cached for its TTL of ${rec.ttl}s (OS and browser caches)`);
      // A real client with both families tries IPv6 first (Happy Eyeballs); this network is IPv4.
      if (a.ipv6.length) this.event('dns', `${host} also has AAAA ${a.ipv6.join(', ')}: not used, the simulation connects over IPv4`);
      then(String(rec.data));
    });
  }

  private connect(url: { scheme: string; host: string; port: number; path: string }, address: string, t0: number, done: () => void): void {
    const sim = this.j.sim;
    const sc = sim.scenario;
    const req: HttpRequest = { method: sc.method, authority: url.host, path: url.path, scheme: url.scheme, headers: this.requestHeaders(sc.headers), bodySize: sc.bodySize };
    if (this.pool && this.pool.conn.state === 'ESTABLISHED') {
      this.event('cache', `connection pool: an open ${url.scheme === 'https' ? 'TLS ' : ''}connection to ${url.host}:${url.port}: reuse it (no TCP, no TLS handshake)`);
      this.send(this.pool, req, t0, done);
      return;
    }
    this.event('cache', 'connection pool: no open connection: connect');
    const tcpStart = sim.now;
    let tls: TlsEndpoint | undefined;
    let tlsStart = 0;
    let pooled: Pooled | undefined;
    tcpConnect(sim, this.n, address, url.port, {
      onEstablished: (c) => {
        sim.trace.phase('tcp', tcpStart, sim.now);
        if (url.scheme !== 'https') {
          pooled = { conn: c, http: '1.1' };
          this.setPool(pooled, url);
          this.send(pooled, req, t0, done);
          return;
        }
        tlsStart = sim.now;
        tls = new TlsEndpoint(sim, c, 'client', {
          onReady: (version, alpn) => {
            sim.trace.phase('tls', tlsStart, sim.now);
            const http = alpn === 'h2' && sc.http === '2' ? '2' : '1.1';
            this.event('http', `TLS ${version} ready; ALPN chose ${alpn ?? 'nothing'}: speak HTTP/${http}`);
            pooled = { conn: c, tls, http, ...(http === '2' ? { h2: new H2Conn(this.curl ? CURL_H2 : BROWSER_H2) } : {}) };
            this.setPool(pooled, url);
            this.send(pooled, req, t0, done);
          },
          onData: (plain) => this.onResponse(plain),
          onFail: (reason, alert, source, detectWith) => this.j.fail({ symptom: `TLS failed: ${reason} (alert ${alert})`, stoppedAt: this.n.name, detectWith: detectWith ?? `openssl s_client -connect ${url.host}:${url.port} -servername ${url.host}`, source }),
        }, `${this.n.name} TLS`);
        const trust = this.n.d.host?.trust ?? [];
        tls.startClient({ sni: url.host, maxVersion: sc.tls, alpn: sc.http === '2' ? ['h2', 'http/1.1'] : ['http/1.1'], profile: this.curl ? 'openssl' : 'browser', check: (cert) => checkCertificate({
          ...cert,
          ...(failure(sim, 'cert-expired') ? { validUntil: sc.date - 86400000, source: failure(sim, 'cert-expired')?.source ?? cert.source } : {}),
          ...(failure(sim, 'cert-name-mismatch') ? { sans: [`other.${url.host.split('.').slice(1).join('.') || url.host}`], subject: `other.${url.host}`, source: failure(sim, 'cert-name-mismatch')?.source ?? cert.source } : {}),
        }, url.host, trust, sc.date) });
      },
      onMessage: (_c, h) => {
        if (tls) tls.receive(h);
        else this.onResponse(h);
      },
      onFail: (_c, why) => {
        if (why.startsWith('unreachable')) {
          // Only an expired TTL points at a loop; a router without a route says so itself.
          const detectWith = /time exceeded/.test(why)
            ? `traceroute -T -p ${url.port} ${address} (a routing loop shows the same routers repeating), mtr ${address}`
            : `ip route get ${address}; traceroute -n ${address}`;
          this.j.fail({ symptom: `${address} is unreachable: ${why.replace('unreachable: ', '')} (ERR_ADDRESS_UNREACHABLE)`, stoppedAt: this.n.name, detectWith, source: this.n.d.source });
          return;
        }
        this.j.fail(why === 'timeout'
          ? { symptom: `TCP connect to ${address}:${url.port} timed out: SYNs retransmitted with backoff, no SYN-ACK (ERR_CONNECTION_TIMED_OUT)`, stoppedAt: this.n.name, detectWith: `tcpdump -n 'tcp[tcpflags] & tcp-syn != 0 and host ${address}' (SYNs without SYN-ACK), traceroute -T -p ${url.port} ${address}`, source: this.n.d.source }
          : { symptom: this.pool?.conn.state === 'CLOSED' && this.pool.conn === _c ? `the open connection to ${address}:${url.port} was reset (ERR_CONNECTION_RESET)` : `connection to ${address}:${url.port} refused or reset (ERR_CONNECTION_REFUSED)`, stoppedAt: this.n.name, detectWith: `curl -v ${url.scheme}://${url.host}${url.path}`, source: this.n.d.source });
      },
    }, `${this.n.name} browser`);
    this.pendingDone = done;
    this.pendingT0 = t0;
  }

  private setPool(p: Pooled, url: { scheme: string; host: string; port: number }): void {
    this.pool = p;
    this.j.sim.trace.table(this.j.sim.now, this.n.name, 'connection-pool', [{ origin: `${url.scheme}://${url.host}:${url.port}`, connection: `${p.conn.local.ip}:${p.conn.local.port} -> ${p.conn.remote.ip}:${p.conn.remote.port}`, protocol: `HTTP/${p.http}`, tls: p.tls?.version ?? 'none' }]);
  }

  private pendingDone?: () => void;
  private pendingT0 = 0;
  private requestSent = 0;
  private response: { status?: number; bytes: number } = { bytes: 0 };

  private send(p: Pooled, req: HttpRequest, t0: number, done: () => void): void {
    const sim = this.j.sim;
    this.pendingDone = done;
    this.pendingT0 = t0;
    this.requestSent = sim.now;
    this.response = { bytes: 0 };
    this.j.sawRequest(`${this.n.name} (browser)`, req.method, req.path, req.bodySize);
    if (p.http === '2' && p.h2 && p.tls) {
      const { writes, stream } = h2RequestWrites(p.h2, req);
      const preface = writes[0].preface === true;
      this.event('http', `HTTP/2 ${req.method} ${req.path} on stream ${stream} (HEADERS, HPACK-compressed${preface ? `; connection preface and SETTINGS first${writes.length > 1 ? ', in a write of their own' : ''}` : ''})`);
      for (const w of writes) p.tls.write(w);
    } else {
      const m = http1Request(req, 'HTTP/1.1', []);
      this.event('http', `HTTP/1.1 ${req.method} ${req.path}`);
      if (p.tls) p.tls.write(m);
      else p.conn.write(m);
    }
  }

  private onResponse(h: Header): void {
    const sim = this.j.sim;
    const sc = sim.scenario;
    const p = this.pool;
    let complete = false;
    if (h.proto === 'http2' && p?.h2) {
      for (const f of h.frames) {
        if (f.kind === 'headers') {
          const list = p.h2.hpack.decode(f.headerBlock);
          this.response.status = Number(list.find(([k]) => k === ':status')?.[1] ?? 0);
          if ((f.flags ?? 0) & H2_FLAG.END_STREAM) complete = true;
        }
        if (f.kind === 'data') { this.response.bytes += f.data.length; if ((f.flags ?? 0) & H2_FLAG.END_STREAM) complete = true; }
        if (f.kind === 'settings' && !((f.flags ?? 0) & H2_FLAG.ACK)) p.tls?.write({ proto: 'http2', frames: [{ kind: 'settings', streamId: 0, flags: H2_FLAG.ACK, settings: [] }] });
      }
    } else {
      const r = responseOf(h);
      if (!r) return;
      this.response = { status: r.status, bytes: r.body.length };
      complete = true;
    }
    if (!complete) return;
    const m = this.j.marks.get(this.j.request);
    if (m?.lbIn !== undefined) sim.trace.phase('request', this.requestSent, m.lbIn);
    if (m?.lbIn !== undefined && m.lbOut !== undefined) sim.trace.phase('server', m.lbIn, m.lbOut);
    if (m?.dbStart !== undefined && m.dbEnd !== undefined) sim.trace.phase('database', m.dbStart, m.dbEnd);
    sim.trace.phase('response', m?.lbOut ?? this.requestSent, sim.now);
    this.event('http', `response ${this.response.status}: ${this.response.bytes} bytes of body`);
    if (this.curl && p && this.j.request >= sc.requests) {
      // curl exits after its last transfer. Over HTTP/1.1 it shuts TLS down first (SSL_shutdown:
      // a close_notify alert), over HTTP/2 it drops the connection: both seen in captures of
      // curl 7.88 with OpenSSL 3.0 against nginx, TLS 1.2 and 1.3 alike.
      const h1 = p.tls !== undefined && p.http === '1.1';
      this.event('app', `curl is done: it closes the connection (${h1 ? 'TLS close_notify, then FIN' : p.tls ? 'FIN, no TLS close_notify over HTTP/2' : 'FIN'})`);
      if (h1) p.tls?.closeNotify();
      p.conn.close();
      this.pool = undefined;
    }
    const done = this.pendingDone;
    this.pendingDone = undefined;
    this.render(this.pendingT0, sim.now, this.response.status ?? 0, this.response.bytes, done ?? (() => undefined));
  }

  private render(t0: number, start: number, status: number, size: number, done: () => void): void {
    const sim = this.j.sim;
    const ms = this.n.d.host?.renderMs ?? 0;
    this.event('render', `status ${status}; parse ${size} bytes and render (${ms} ms)`);
    sim.after(ms, () => {
      sim.trace.phase('render', start, sim.now);
      this.event('render', `result on screen ${Math.round((sim.now - t0) * 1000) / 1000} ms after Enter${this.pool ? '; the connection stays open for the next request' : ''}`);
      if (status >= 400) this.j.fail({ symptom: `the server answered ${status}`, stoppedAt: this.n.name, detectWith: 'curl -v (status line), the load balancer and application logs' });
      done();
    });
  }
}
