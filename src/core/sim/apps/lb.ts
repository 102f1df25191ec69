// The layer-7 load balancer: terminates TLS, reads the HTTP/2 request, routes by host and
// path to a target group and answers the client on its original connection. By default it
// behaves as AWS's ALB (a kept-alive HTTP/1.1 connection to the target, X-Forwarded-*
// headers); with `software nginx` as nginx's proxy_pass with its defaults (a new HTTP/1.0
// connection per request with "Connection: close", which the upstream closes after answering).
import type { Device, Listener, TargetGroup } from '../../model/types';
import { ip } from '../../model/topology';
import type { Node } from '../engine';
import { tcpConnect, type TcpConn } from '../tcp';
import type { Journey } from '../journey';
import { http1Request, nginxUpstreamRequest, responseOf, errorPage, type HttpRequest, type HttpResponse } from './http';
import { serveHttp } from './front';
import { failure } from '../failures';
import { NGINX } from '../constants';
import { TlsEndpoint } from '../tls';
import { BoundedMap } from '../../fifo';

/** A connection to one target: TCP, and TLS over it for a `protocol https` group. `ready` once a
 * request can be written (after the TLS handshake, when there is one). */
interface Backend { conn?: TcpConn; tls?: TlsEndpoint; ready: boolean; inflight?: (r: HttpResponse) => void }

// Rules are matched on every request: each pattern is compiled once. Keyed by the pattern's
// text (a value), bounded, and a RegExp without /g or /y keeps no state between tests.
const globs = new BoundedMap<string, RegExp>(256);
function glob(pattern: string, s: string): boolean {
  let re = globs.get(pattern);
  if (re === undefined) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    globs.set(pattern, re);
  }
  return re.test(s);
}

export function startLoadBalancer(j: Journey, n: Node): void {
  const d = n.d;
  for (const l of d.lb?.listeners ?? []) listen(j, n, d, l);
}

function listen(j: Journey, n: Node, d: Device, l: Listener): void {
  const sim = j.sim;
  const backends = new Map<string, Backend>();
  const event = (summary: string, details: string[] = [], source = l.source): void => {
    sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'lb', layers: ['L7'], summary, details, source });
  };
  const cert = l.certificate ? sim.net.certificates.get(l.certificate) : undefined;
  const tls = l.protocol === 'https' && cert ? { cert, versions: l.tlsVersions, alpn: l.alpn } : undefined;
  const nginx = d.software === 'nginx';
  // The name at the foot of the error pages it makes itself (nginx: its version, server_tokens on).
  const pageSigner = nginx ? `nginx/${NGINX.version}` : n.name;
  serveHttp(j, n, { port: l.port, tls, processingMs: d.processingMs, label: `${n.name}:${l.port}`, source: l.source, software: d.software }, (req, clientIp, replyRaw) => {
    j.mark('lbIn');
    j.sawRequest(n.name, req.method, req.path, req.bodySize);
    const reply = (r: HttpResponse): void => { j.mark('lbOut'); replyRaw(r); };
    const rule = l.rules.find((r) => (!r.host || glob(r.host, req.authority.split(':')[0])) && (!r.path || glob(r.path, req.path)));
    const groupName = rule?.forward ?? l.defaultGroup;
    const group = d.lb?.targetGroups.find((g) => g.name === groupName);
    if (!group) {
      event(`no rule matches ${req.authority}${req.path}: fixed response 404`);
      reply(errorPage(404, pageSigner));
      return;
    }
    event(`${req.method} ${req.authority}${req.path}: rule ${rule ? `host ${rule.host ?? '*'} path ${rule.path ?? '*'}` : 'default'} -> target group ${group.name}`, [tls ? 'LB: TLS terminated here; the request is read in clear and a NEW connection carries it to the target' : 'LB: a NEW connection carries the request to the target'], rule?.source ?? group.source);
    const health = failure(sim, 'lb-unhealthy') ? 'unhealthy' : failure(sim, 'lb-draining') ? 'draining' : group.health;
    const healthy = health === 'healthy' ? group.targets : [];
    if (!healthy.length) {
      event(`target group ${group.name} has no healthy target (${health}): 503 Service Unavailable`, [], group.source);
      // The load balancer answers itself: the cause is its view of the targets, not the network.
      sim.rootCause ??= {
        what: health === 'draining'
          ? `every target of ${group.name} is draining (being deregistered): it finishes the requests it has and gets no new ones, so ${n.name} answers 503 itself`
          : `every target of ${group.name} fails its health checks, so ${n.name} has nowhere to send the request and answers 503 itself`,
        device: n.name,
        detectWith: `aws elbv2 describe-target-health (State: ${health}) for ${group.name}; curl -v (the 503 page comes from the load balancer, no target sees the request)`,
      };
      reply(errorPage(503, pageSigner));
      return;
    }
    const target = healthy[sim.rng.int(0, healthy.length - 1)];
    forward(j, n, l, group, target, backends, req, clientIp, reply, event);
  });
}

function forward(j: Journey, n: Node, l: Listener, group: TargetGroup, target: string, backends: Map<string, Backend>, req: HttpRequest, clientIp: string, reply: (r: HttpResponse) => void, event: (s: string, d?: string[]) => void): void {
  const sim = j.sim;
  const dev = sim.net.devices.get(target);
  const addr = dev?.interfaces.find((i) => i.address !== undefined && !i.bridge && i.name !== 'cni0')?.address;
  if (addr === undefined) return;
  const nginx = n.d.software === 'nginx';
  const fwd: [string, string][] = nginx ? [] : [['X-Forwarded-For', clientIp], ['X-Forwarded-Proto', l.protocol], ['X-Forwarded-Port', String(l.port)]];
  const msg = nginx ? nginxUpstreamRequest(req, { address: ip(addr), port: group.port }) : http1Request(req, 'HTTP/1.1', fwd);
  // nginx keeps no upstream connection between requests (proxy_http_version 1.0, no keepalive).
  if (nginx) backends.delete(target);
  let b = backends.get(target);
  const send = (bk: Backend): void => {
    // through a local, not a function literal on the property: see test/unit/sim/closures.test.ts
    const settle = (r: HttpResponse): void => { bk.inflight = undefined; reply(r); };
    bk.inflight = settle;
    sim.after(n.d.processingMs, () => (bk.tls ? bk.tls.write(msg) : bk.conn?.write(msg)));
  };
  const https = group.protocol === 'https';
  const over = https ? ' and TLS' : '';
  if (nginx) {
    event(`proxy_pass to ${https ? 'https://' : ''}${target} ${ip(addr)}:${group.port}: a new TCP connection${over}, HTTP/1.0 with "Connection: close" (nginx's default proxy_http_version 1.0); Host becomes the upstream's address; no X-Forwarded-* headers`);
    sim.trace.transform(n.name, 'LB', `terminates TLS, opens a new TCP connection${over} per request to the target, rewrites the request as HTTP/1.0 with Host and Connection: close`);
  } else {
    event(`adds ${fwd.map(([k, v]) => `${k}: ${v}`).join(', ')}; ${b?.ready ? 'reuses the kept-alive backend connection' : `opens a new TCP connection${over} to ${target} ${ip(addr)}:${group.port}`}`);
    sim.trace.transform(n.name, 'LB', `terminates TLS, opens a new TCP connection${over} to the target, adds X-Forwarded-* headers`);
  }
  if (b?.ready) { send(b); return; }
  b = { ready: false };
  backends.set(target, b);
  const bk = b;
  sim.after(group.connectTimeoutMs, () => {
    if (bk.ready || backends.get(target) !== bk) return;
    backends.delete(target);
    bk.conn?.abort();
    event(`target ${target}:${group.port} did not accept the connection within ${group.connectTimeoutMs} ms: 504 Gateway Timeout`);
    reply(errorPage(504, nginx ? `nginx/${NGINX.version}` : n.name));
  });
  const failed = (why: string): void => {
    if (backends.get(target) !== bk) return;
    backends.delete(target);
    event(`backend ${target}:${group.port} failed (${why}): 502 Bad Gateway`);
    reply(errorPage(502, nginx ? `nginx/${NGINX.version}` : n.name));
  };
  bk.conn = tcpConnect(sim, n, ip(addr), group.port, {
    onEstablished: (c) => {
      if (!https) { bk.ready = true; send(bk); return; }
      bk.tls = backendTls(j, n, l, c, target, (r) => bk.inflight?.(r), () => { bk.ready = true; send(bk); }, failed);
    },
    onMessage: (_c, h) => {
      if (!bk.tls) { const r = responseOf(h); if (r) bk.inflight?.(r); return; }
      // A target that speaks plain HTTP on the port answers the ClientHello with an HTTP error.
      if (h.proto !== 'tls') {
        sim.rootCause ??= {
          what: `target group ${group.name} is https, but ${target}:${group.port} speaks plain HTTP (it serves no certificate): it answers the load balancer's ClientHello with an HTTP error, so ${n.name} answers 502`,
          device: n.name,
          detectWith: `openssl s_client -connect ${ip(addr)}:${group.port} (no TLS handshake); the target's access log (a 400 for a binary request line); aws elbv2 describe-target-groups (Protocol HTTPS)`,
        };
        failed('the target answered the ClientHello in clear: it does not speak TLS on this port');
        return;
      }
      bk.tls.receive(h);
    },
    onFail: (_c, why) => failed(why),
  }, `${n.name} -> ${target}`);
}

/** The TLS client of the backend connection. ALB: the backend security policy follows the
 * listener's: ELBSecurityPolicy-TLS13-1-0-2021-06 (up to TLS 1.3) behind a listener that accepts
 * TLS 1.3, ELBSecurityPolicy-2016-08 (up to TLS 1.2) otherwise; ALPN http/1.1 (it speaks
 * HTTP/1.1 to targets); and it accepts whatever certificate the target presents (self-signed,
 * expired, any name), as AWS documents. nginx's proxy_pass https:// with its defaults does the
 * same: proxy_ssl_verify off, no ALPN, and its ClientHello is OpenSSL's. Neither sends SNI (ALB by
 * default; nginx with proxy_ssl_server_name off). */
function backendTls(j: Journey, n: Node, l: Listener, conn: TcpConn, target: string, onResponse: (r: HttpResponse) => void, onReady: () => void, onFail: (why: string) => void): TlsEndpoint {
  const sim = j.sim;
  const nginx = n.d.software === 'nginx';
  const who = nginx ? 'nginx (proxy_ssl_verify off, its default)' : 'the ALB (it does not validate target certificates)';
  const event = (summary: string, details: string[] = []): void => {
    sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'lb', layers: ['L7'], summary, details, source: n.d.source });
  };
  const tls = new TlsEndpoint(sim, conn, 'client', {
    onReady: (version, alpn) => { event(`TLS ${version} to target ${target} established; ALPN ${alpn ?? 'none'}: the request goes inside TLS records`); onReady(); },
    onData: (plain) => { const r = responseOf(plain); if (r) onResponse(r); },
    onFail: (reason, alert) => onFail(`TLS handshake with the target failed: ${reason}, alert ${alert}`),
  }, `${n.name} -> ${target} TLS`);
  // nginx 1.22's proxy_ssl_protocols default is TLSv1 .. TLSv1.3 (1.23.4 dropped 1.0 and 1.1):
  // either way it offers up to 1.3.
  const maxVersion = nginx || (l.protocol === 'https' && l.tlsVersions.includes('1.3')) ? '1.3' : '1.2';
  tls.startClient({
    sni: undefined, maxVersion, alpn: nginx ? [] : ['http/1.1'], profile: nginx ? 'openssl' : 'browser',
    check: (c) => {
      const checks = [`NOT verified: ${who} accepts any certificate, self-signed, expired or for another name`, `presented: subject ${c.subject}, issued by "${c.issuer}", valid ${day(c.validFrom)} .. ${day(c.validUntil)}`];
      event(`certificate of target ${target} (${c.subject}, issued by "${c.issuer}") accepted WITHOUT verification`, checks);
      return { ok: true, checks, problem: '', alert: '', verified: false };
    },
  });
  return tls;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
