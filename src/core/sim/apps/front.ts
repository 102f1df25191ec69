// The server side of a client connection, shared by the load balancer and plain web servers:
// accept TCP, terminate TLS when there is a certificate, speak HTTP/2 (ALPN h2) or HTTP/1.1,
// and hand each request to a handler that replies. With `software nginx` the server frames
// HTTP/2 as nginx does (its SETTINGS and WINDOW_UPDATE queued at the handshake and sent with the
// ACK of the client's SETTINGS once it has read them, HEADERS and DATA in one write), signs responses with its
// Server and Date headers, and closes an HTTP/1 connection the request asked to close.
import type { Certificate, Device, Source } from '../../model/types';
import { H2_FLAG, type Header, type Http2Frame } from '../../wire';
import type { Node } from '../engine';
import { tcpListen } from '../tcp';
import { TlsEndpoint, type TlsVersion } from '../tls';
import type { Journey } from '../journey';
import { failure, injected } from '../failures';
import { H2Conn, h2Response, http1Response, nginxH2Response, nginxResponseHeaders, nginxServerPreface, requestOf, type HttpRequest, type HttpResponse } from './http';

export interface FrontOptions {
  port: number;
  tls?: { cert: Certificate; versions: TlsVersion[]; alpn: string[] };
  processingMs: number;
  label: string;
  source: Source;
  /** The server's implementation, where it changes the wire (`nginx`). */
  software?: Device['software'];
  /** A server behind the site's front (a load balancer's target): the scenario's failures of
   * the front server (rst, syn-drop, tls-version-mismatch) are not its own. */
  backend?: boolean;
}

/** Whether an HTTP/1 request ends its connection after the response (HTTP/1.0 without
 * keep-alive, or "Connection: close"). */
function closesAfter(h: Header): boolean {
  if (h.proto !== 'http1' || h.kind !== 'request') return false;
  const conn = h.headers.find(([k]) => k.toLowerCase() === 'connection')?.[1].toLowerCase();
  return conn === 'close' || (h.version === 'HTTP/1.0' && conn !== 'keep-alive');
}

export type RequestHandler = (req: HttpRequest, clientIp: string, reply: (r: HttpResponse) => void) => void;

const settingsAck = () => ({ kind: 'settings' as const, streamId: 0, flags: H2_FLAG.ACK, settings: [] });

export function serveHttp(j: Journey, n: Node, o: FrontOptions, onRequest: RequestHandler): void {
  const sim = j.sim;
  const event = (summary: string): void => {
    sim.trace.event(sim.now, { device: n.name, direction: 'local', kind: 'http', layers: ['L7'], summary: `${o.label}: ${summary}`, source: o.source });
  };
  const url = sim.scenario.url;
  const front = !o.backend && o.port === url.port;
  if (front && failure(sim, 'rst')) {
    injected(sim, 'rst', n.name, `nothing listens on port ${o.port}: the kernel answers SYNs with RST`);
    return;
  }
  if (front && failure(sim, 'syn-drop')) n.dropSyn.add(o.port);
  // A legacy server that speaks none of the versions the browser offers.
  const versions = front && o.tls && failure(sim, 'tls-version-mismatch') ? [] : o.tls?.versions ?? [];
  const nginx = o.software === 'nginx';
  // nginx puts its own Server and Date on every response, its own or proxied.
  const signed = (r: HttpResponse): HttpResponse => (nginx ? { ...r, headers: nginxResponseHeaders(r.headers, sim.scenario.date + sim.now) } : r);
  // nginx says which way an HTTP/1 connection goes, keep-alive too (ngx_http_header_filter)
  const http1 = (r: HttpResponse, close: boolean) => http1Response(signed(r), close ? [['Connection', 'close']] : nginx ? [['Connection', 'keep-alive']] : []);
  tcpListen(sim, n, o.port, (conn) => {
    if (!o.tls) {
      return {
        onMessage: (_c, h) => {
          const req = requestOf(h);
          const close = closesAfter(h);
          if (req) onRequest(req, conn.remote.ip, (r) => { conn.write(http1(r, close)); if (close) conn.close(); });
        },
      };
    }
    const h2 = new H2Conn();
    let settingsSent = false;
    let settingsAckOwed = false;
    // nginx queues its connection preface in ngx_http_v2_init, reads what the client has sent
    // already (curl's preface follows its Finished at once), and flushes the queue after that
    // read: SETTINGS, WINDOW_UPDATE and the ACK of the client's SETTINGS in one record.
    let queued: Http2Frame[] | undefined;
    const flush = (): void => {
      if (!queued) return;
      const frames = settingsAckOwed ? [...queued, settingsAck()] : queued;
      queued = undefined;
      settingsAckOwed = false;
      tls.write({ proto: 'http2', frames });
    };
    const tls: TlsEndpoint = new TlsEndpoint(sim, conn, 'server', {
      onReady: (version, chosen) => {
        event(`TLS ${version} established with ${conn.remote.ip}; ALPN ${chosen ?? 'none'}`);
        if (nginx && chosen === 'h2') {
          queued = nginxServerPreface();
          settingsSent = true;
          // Nothing more to read in this moment: the preface goes out alone.
          sim.after(0, flush);
        }
      },
      onData: (plain) => {
        if (nginx && plain.proto === 'http2' && plain.frames.some((f) => f.kind === 'settings' && !((f.flags ?? 0) & H2_FLAG.ACK))) settingsAckOwed = true;
        flush();
        const req = requestOf(plain, h2.hpack);
        if (!req) {
          if (settingsAckOwed) { settingsAckOwed = false; tls.write({ proto: 'http2', frames: [settingsAck()] }); }
          return;
        }
        if (plain.proto === 'http2') {
          const hf = plain.frames.find((f) => f.kind === 'headers');
          const stream = hf?.streamId ?? 1;
          if (nginx && settingsAckOwed) { settingsAckOwed = false; tls.write({ proto: 'http2', frames: [settingsAck()] }); }
          onRequest(req, conn.remote.ip, (r) => {
            if (nginx) { tls.write(nginxH2Response(h2, stream, signed(r))); return; }
            for (const frames of h2Response(h2, stream, r, !settingsSent)) tls.write(frames);
            settingsSent = true;
          });
        } else {
          const close = closesAfter(plain);
          // A server's own close_notify is not simulated: a connection the request asked to
          // close stays open until the client closes it.
          onRequest(req, conn.remote.ip, (r) => tls.write(http1(r, close)));
        }
      },
      onFail: (reason, alert) => event(`TLS handshake failed: ${reason} (alert ${alert})`),
      // The client's close_notify reads as end of file: the server closes at once, without a
      // close_notify of its own (nginx's keep-alive handler sets no_send_shutdown), so its FIN
      // may cross the client's.
      onPeerClosed: () => { event(`${conn.remote.ip} closed TLS (close_notify): closing the connection`); conn.close(); },
    }, `${n.name} TLS`);
    tls.startServer({ cert: o.tls.cert, versions, alpn: o.tls.alpn, processingMs: o.processingMs });
    return { onMessage: (_c, h) => tls.receive(h) };
  }, o.label);
}
