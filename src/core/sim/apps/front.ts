// The server side of a client connection, shared by the load balancer and plain web servers:
// accept TCP, terminate TLS when there is a certificate, speak HTTP/2 (ALPN h2) or HTTP/1.1,
// and hand each request to a handler that replies.
import type { Certificate, Source } from '../../model/types';
import type { Node } from '../engine';
import { tcpListen } from '../tcp';
import { TlsEndpoint, type TlsVersion } from '../tls';
import type { Journey } from '../journey';
import { failure, injected } from '../failures';
import { H2Conn, h2Response, http1Response, requestOf, type HttpRequest, type HttpResponse } from './http';

export interface FrontOptions {
  port: number;
  tls?: { cert: Certificate; versions: TlsVersion[]; alpn: string[] };
  processingMs: number;
  label: string;
  source: Source;
}

export type RequestHandler = (req: HttpRequest, clientIp: string, reply: (r: HttpResponse) => void) => void;

export function serveHttp(j: Journey, n: Node, o: FrontOptions, onRequest: RequestHandler): void {
  const sim = j.sim;
  const event = (summary: string): void => {
    sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'http', layers: ['L7'], summary: `${o.label}: ${summary}`, source: o.source });
  };
  const url = sim.scenario.url;
  const front = o.port === url.port;
  if (front && failure(sim, 'rst')) {
    injected(sim, 'rst', n.name, `nothing listens on port ${o.port}: the kernel answers SYNs with RST`);
    return;
  }
  if (front && failure(sim, 'syn-drop')) n.dropSyn.add(o.port);
  // A legacy server that speaks none of the versions the browser offers.
  const versions = front && o.tls && failure(sim, 'tls-version-mismatch') ? [] : o.tls?.versions ?? [];
  tcpListen(sim, n, o.port, (conn) => {
    if (!o.tls) {
      return {
        onMessage: (_c, h) => {
          const req = requestOf(h);
          if (req) onRequest(req, conn.remote.ip, (r) => conn.write(http1Response(r)));
        },
      };
    }
    const h2 = new H2Conn();
    let settingsSent = false;
    const tls: TlsEndpoint = new TlsEndpoint(sim, conn, 'server', {
      onReady: (version, chosen) => event(`TLS ${version} established with ${conn.remote.ip}; ALPN ${chosen ?? 'none'}`),
      onData: (plain) => {
        const req = requestOf(plain, h2.hpack);
        if (!req) return;
        if (plain.proto === 'http2') {
          const hf = plain.frames.find((f) => f.kind === 'headers');
          const stream = hf?.streamId ?? 1;
          onRequest(req, conn.remote.ip, (r) => {
            for (const frames of h2Response(h2, stream, r, !settingsSent)) tls.write(frames);
            settingsSent = true;
          });
        } else {
          onRequest(req, conn.remote.ip, (r) => tls.write(http1Response(r)));
        }
      },
      onFail: (reason, alert) => event(`TLS handshake failed: ${reason} (alert ${alert})`),
    }, `${n.name} TLS`);
    tls.startServer({ cert: o.tls.cert, versions, alpn: o.tls.alpn, processingMs: o.processingMs });
    return { onMessage: (_c, h) => tls.receive(h) };
  }, o.label);
}
