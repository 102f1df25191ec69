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

interface Backend { conn?: TcpConn; ready: boolean; inflight?: (r: HttpResponse) => void }

function glob(pattern: string, s: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
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
    bk.inflight = (r) => { bk.inflight = undefined; reply(r); };
    sim.after(n.d.processingMs, () => bk.conn?.write(msg));
  };
  if (nginx) {
    event(`proxy_pass to ${target} ${ip(addr)}:${group.port}: a new TCP connection, HTTP/1.0 with "Connection: close" (nginx's default proxy_http_version 1.0); Host becomes the upstream's address; no X-Forwarded-* headers`);
    sim.trace.transform(n.name, 'LB', 'terminates TLS, opens a new TCP connection per request to the target, rewrites the request as HTTP/1.0 with Host and Connection: close');
  } else {
    event(`adds ${fwd.map(([k, v]) => `${k}: ${v}`).join(', ')}; ${b?.ready ? 'reuses the kept-alive backend connection' : `opens a new TCP connection to ${target} ${ip(addr)}:${group.port}`}`);
    sim.trace.transform(n.name, 'LB', 'terminates TLS, opens a new TCP connection to the target, adds X-Forwarded-* headers');
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
  bk.conn = tcpConnect(sim, n, ip(addr), group.port, {
    onEstablished: () => { bk.ready = true; send(bk); },
    onMessage: (_c, h) => { const r = responseOf(h); if (r) bk.inflight?.(r); },
    onFail: (_c, why) => {
      if (backends.get(target) !== bk) return;
      backends.delete(target);
      event(`backend ${target}:${group.port} failed (${why}): 502 Bad Gateway`);
      reply(errorPage(502, nginx ? `nginx/${NGINX.version}` : n.name));
    },
  }, `${n.name} -> ${target}`);
}
