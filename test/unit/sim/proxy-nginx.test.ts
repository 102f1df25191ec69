// Issue #15: a load balancer that says `software nginx` behaves as nginx's proxy_pass with its
// defaults; without it, as AWS's ALB. The upstream request, the connection per request that
// the upstream closes, the Server and Date headers, and nginx's HTTP/2 framing.
import { strict as assert } from 'node:assert';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import type { PacketSnapshot, Trace, TraceLayer } from '../../../src/core/trace/types';
import { CURL_H2, H2Conn, h2RequestWrites, httpDate } from '../../../src/core/sim/apps/http';
import { SEED, traceOf } from './helpers';
import { example } from '../helpers';

const NGINX_LB: [RegExp, string] = [/load-balancer alb \{\n/, 'load-balancer alb {\n  software nginx\n'];

type Tcp = Extract<Header, { proto: 'tcp' }>;
const tcpOf = (p: PacketSnapshot): Tcp | undefined => decodeStack(fromHex(p.bytes)).find((h): h is Tcp => h.proto === 'tcp');
/** The HTTP/1 head a frame carries (through VXLAN too), as text. */
function httpHead(p: PacketSnapshot): string | undefined {
  const text = Buffer.from(p.bytes, 'hex').toString('latin1');
  const at = text.search(/(GET|POST|PUT|DELETE|HEAD) \/\S* HTTP\/1\.[01]\r\n|HTTP\/1\.[01] \d{3} /);
  return at < 0 ? undefined : text.slice(at, text.indexOf('\r\n\r\n', at));
}
const upstreamRequests = (t: Trace): string[] => t.packets.filter((p) => p.link === 'vpc-alb' && p.from === 'alb').map(httpHead).filter((h): h is string => !!h && !h.startsWith('HTTP/'));
const plain = (t: Trace, from: string): TraceLayer[][] => t.packets.filter((p) => p.from === from && p.link === 'vpc-alb' && p.plaintext).map((p) => p.plaintext ?? []);
const field = (l: TraceLayer, name: string): string | undefined => l.fields.find((f) => f.name === name)?.value;

describe('simulation: nginx as the load balancer (software nginx, issue #15)', () => {
  const alb = traceOf(SEED);
  const nginx = traceOf(SEED, NGINX_LB);

  it('sends HTTP/1.0 upstream with Host = the upstream address, Connection: close, the client\'s headers, no X-Forwarded-*', () => {
    const [req] = upstreamRequests(nginx);
    assert.ok(req, 'an upstream request');
    const lines = req.split('\r\n');
    assert.equal(lines[0], 'GET /users/42 HTTP/1.0');
    assert.equal(lines[1], 'Host: 10.0.1.30:30080');
    assert.equal(lines[2], 'Connection: close');
    assert.ok(!/X-Forwarded/i.test(req));
    // The default (an AWS ALB) keeps HTTP/1.1 and adds the forwarding headers.
    const [aws] = upstreamRequests(alb);
    assert.match(aws, /^GET \/users\/42 HTTP\/1\.1\r\nHost: api\.example\.com/);
    assert.match(aws, /X-Forwarded-For: 73\.45\.22\.100/);
  });

  it('opens a connection per request, and the upstream closes it first (FIN from the server side, the proxy\'s FIN, ACK)', () => {
    const syns = (t: Trace) => t.packets.filter((p) => p.link === 'vpc-alb' && p.from === 'alb' && tcpOf(p)?.dstPort === 30080 && tcpOf(p)?.flags.syn).length;
    assert.equal(syns(nginx), 2, 'two requests, two upstream connections');
    assert.equal(syns(alb), 1, 'the ALB keeps its backend connection alive');
    // Plain web servers behind it (no-kubernetes.journey): the HTTP/1.0 request asks them to close.
    const web = traceOf(example('no-kubernetes.journey'), [/load-balancer lb \{\n/, 'load-balancer lb {\n  software nginx\n']);
    const segs = web.packets.map((p) => ({ p, tcp: tcpOf(p) })).filter((s) => s.p.from !== s.p.to && s.tcp && (s.tcp.dstPort === 8080 || s.tcp.srcPort === 8080));
    const link = segs[0].p.link;
    assert.ok(segs.some((s) => s.p.link === link && s.tcp?.srcPort === 8080 && /Connection: close/.test(httpHead(s.p) ?? '')), 'the server answers "Connection: close"');
    const port = segs[0].tcp?.srcPort;
    const one = segs.filter((s) => s.p.link === link && (s.tcp?.srcPort === port || s.tcp?.dstPort === port));
    const fins = one.filter((s) => s.tcp?.flags.fin);
    assert.deepEqual(fins.map((s) => s.tcp?.srcPort === 8080 ? 'upstream' : 'proxy'), ['upstream', 'proxy']);
    const last = one[one.length - 1].tcp;
    assert.ok(last && !last.flags.fin && last.flags.ack && last.srcPort === 8080, 'the upstream\'s last ACK ends it');
  });

  it('opens HTTP/2 with nginx\'s SETTINGS and WINDOW_UPDATE as soon as the handshake is done', () => {
    const first = plain(nginx, 'alb')[0]?.[0];
    assert.ok(first, 'the load balancer\'s first application data');
    assert.equal(first.summary, 'SETTINGS WINDOW_UPDATE');
    assert.deepEqual(first.fields.filter((f) => /setting\[/.test(f.name)).map((f) => f.value), ['3 = 128', '4 = 65536', '5 = 16777215']);
    assert.equal(field(first, 'frame[1].window_increment'), String(2 ** 31 - 1 - 65535));
    assert.equal(first.length, 40, 'SETTINGS 9+18 and WINDOW_UPDATE 9+4');
  });

  it('answers with HEADERS and DATA in one write, signed with its Server and the Date of the simulated moment', () => {
    const resp = plain(nginx, 'alb').flat().find((l) => l.summary === 'HEADERS[1] DATA[1]');
    assert.ok(resp, 'HEADERS and DATA together');
    const block = field(resp, 'frame[0].header_block') ?? '';
    assert.match(block, /^:status: 200; server: nginx\/1\.22\.1; date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} 2026 \d\d:\d\d:\d\d GMT; content-type: application\/json; .*content-length: 256$/);
    assert.match(block, /date: Tue, 24 Nov 2026 00:00:00 GMT/, 'the scenario\'s date plus well under a second of journey');
    const later = traceOf(SEED, NGINX_LB, ['  date 2026-11-24', '  date 2027-03-15']);
    const block2 = field(plain(later, 'alb').flat().find((l) => l.summary === 'HEADERS[1] DATA[1]') as TraceLayer, 'frame[0].header_block') ?? '';
    assert.match(block2, /date: Mon, 15 Mar 2027/);
    assert.equal(httpDate(Date.UTC(2026, 10, 30, 5, 12, 24)), 'Mon, 30 Nov 2026 05:12:24 GMT');
  });

  it('the request keeps the client\'s own headers after Host and Connection', () => {
    const withHeaders = traceOf(SEED, NGINX_LB, [/request \{\n/, 'request {\n    header user-agent "curl/7.88.1"\n    header accept "*/*"\n']);
    const [req] = upstreamRequests(withHeaders);
    assert.deepEqual(req.split('\r\n').slice(3, 5), ['user-agent: curl/7.88.1', 'accept: */*']);
  });
});

describe('HTTP/2 as curl frames its first request (for a `software curl` client)', () => {
  it('writes the preface with SETTINGS 100 / 32 MiB / push off and WINDOW_UPDATE apart from the HEADERS, pseudo-headers in curl\'s order', () => {
    const c = new H2Conn(CURL_H2);
    const { writes } = h2RequestWrites(c, { method: 'GET', authority: 'api.example.com', path: '/users/42', scheme: 'https', headers: [['user-agent', 'curl/7.88.1'], ['accept', '*/*']], bodySize: 0 });
    assert.equal(writes.length, 2);
    const [pre, req] = writes;
    assert.equal(pre.preface, true);
    const settings = pre.frames[0];
    assert.ok(settings.kind === 'settings');
    assert.deepEqual(settings.settings.map((x) => [x.id, x.value]), [[3, 100], [4, 33554432], [2, 0]]);
    const wu = pre.frames[1];
    assert.ok(wu.kind === 'window_update' && wu.increment === 33554432 - 65535);
    const h = req.frames[0];
    assert.ok(h.kind === 'headers');
    assert.deepEqual(h.headers?.map(([k]) => k), [':method', ':path', ':scheme', ':authority', 'user-agent', 'accept']);
    // The next request on the connection is one write.
    assert.equal(h2RequestWrites(c, { method: 'GET', authority: 'api.example.com', path: '/', scheme: 'https', headers: [], bodySize: 0 }).writes.length, 1);
  });
});
