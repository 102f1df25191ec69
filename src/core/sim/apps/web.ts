// A plain web server on a host (`listen` in a host block): it answers every request with the
// scenario's response, over TLS when the host has a certificate.
import type { Node } from '../engine';
import type { Journey } from '../journey';
import { body, reason } from './http';
import { serveHttp } from './front';
import { extraDelay, forcedStatus } from '../failures';

export function startWebServer(j: Journey, n: Node): void {
  const web = n.d.host?.web;
  if (!web) return;
  const sim = j.sim;
  const cert = web.certificate ? sim.net.certificates.get(web.certificate) : undefined;
  const tls = cert ? { cert, versions: ['1.2', '1.3'] as ('1.2' | '1.3')[], alpn: ['h2', 'http/1.1'] } : undefined;
  serveHttp(j, n, { port: web.port, tls, processingMs: n.d.processingMs, label: `${n.name}:${web.port}`, source: n.d.source, software: n.d.software }, (req, _ip, reply) => {
    j.mark('lbIn');
    j.sawRequest(n.name, req.method, req.path, req.bodySize);
    const forced = forcedStatus(sim);
    const r = forced ? { ...sim.scenario.response, status: forced } : sim.scenario.response;
    if (forced) sim.rootCause ??= { what: `the web server on ${n.name} answered ${forced} ${reason(forced)} to ${req.method} ${req.path} (fail http-status): every layer below HTTP worked`, device: n.name, detectWith: `the access log of ${n.name} (status ${forced} for ${req.path})${forced >= 500 ? ' and its error log' : ''}` };
    sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'http', layers: ['L7'], summary: `web server: ${req.method} ${req.path} -> ${r.status} ${reason(r.status)}, ${r.bodySize} bytes (${n.d.processingMs} ms)`, source: n.d.source });
    sim.after(n.d.processingMs + extraDelay(sim, 'slow-server'), () => {
      j.mark('lbOut');
      reply({ status: r.status, headers: r.headers, body: body(r.bodySize, 'data') });
    });
  });
}
