// Issue #15: a client host that says `software curl` sends curl's HTTP/2 first flight and
// headers and closes its connection after the last response; the nginx sidecar proxies as
// nginx's proxy_pass does. The same trace without the profile keeps a browser's behaviour.
import { strict as assert } from 'node:assert';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import type { PacketSnapshot, Trace, TraceLayer } from '../../../src/core/trace/types';
import { SEED, traceOf } from './helpers';

const CURL: [RegExp, string] = [/host laptop \{\n/, 'host laptop {\n  software curl\n'];

type Tcp = Extract<Header, { proto: 'tcp' }>;
const tcpOf = (p: PacketSnapshot): Tcp | undefined => decodeStack(fromHex(p.bytes)).find((h): h is Tcp => h.proto === 'tcp');
/** What the laptop wrote inside TLS on its first link, one entry per record. */
const clientRecords = (t: Trace): TraceLayer[][] => t.packets.filter((p) => p.from === 'laptop' && p.plaintext).map((p) => p.plaintext ?? []);
const field = (l: TraceLayer, name: string): string | undefined => l.fields.find((f) => f.name === name)?.value;
const firstHeaders = (t: Trace): string => {
  const h = clientRecords(t).flat().find((l) => /^HEADERS/.test(l.summary) || / HEADERS/.test(l.summary));
  assert.ok(h, 'a HEADERS frame from the laptop');
  const i = h.summary.split(' ').findIndex((s) => s.startsWith('HEADERS'));
  return field(h, `frame[${i}].header_block`) ?? '';
};
/** The laptop's TCP segments to the web, in order. */
const laptopSegments = (t: Trace): Tcp[] => t.packets.filter((p) => p.from === 'laptop' && p.link === t.packets.find((q) => q.from === 'laptop')?.link).map(tcpOf).filter((x): x is Tcp => !!x && x.dstPort === 443);
/** An HTTP/1 head carried by a frame (through VXLAN too), as text. */
function httpHead(p: PacketSnapshot): string | undefined {
  const text = Buffer.from(p.bytes, 'hex').toString('latin1');
  const at = text.search(/(GET|POST) \/\S* HTTP\/1\.[01]\r\n|HTTP\/1\.[01] \d{3} /);
  return at < 0 ? undefined : text.slice(at, text.indexOf('\r\n\r\n', at));
}

describe('simulation: curl as the client (software curl, issue #15)', () => {
  const browser = traceOf(SEED);
  const curl = traceOf(SEED, CURL);

  it('adds curl\'s user-agent and accept to a request that has none, after the pseudo-headers in curl\'s order', () => {
    const bare = traceOf(SEED, CURL, [/    header Accept "application\/json"\n    header Accept-Encoding "gzip, br"\n    header Authorization "[^"]*"\n/, '']);
    assert.match(firstHeaders(bare), /^:method: GET; :path: \/users\/42; :scheme: https; :authority: api\.example\.com; user-agent: curl\/7\.88\.1; accept: \*\/\*$/);
    // The seed's own Accept replaces curl's (as -H does); its other headers follow.
    assert.match(firstHeaders(curl), /; user-agent: curl\/7\.88\.1; accept: application\/json; accept-encoding: gzip, br; authorization: /);
    assert.doesNotMatch(firstHeaders(browser), /user-agent/);
    assert.match(firstHeaders(browser), /^:method: GET; :authority: api\.example\.com; :scheme: https; :path: \/users\/42/);
    // A header the scenario gives is kept and not doubled.
    const own = traceOf(SEED, CURL, [/request \{\n/, 'request {\n    header User-Agent "probe/1"\n']);
    const block = firstHeaders(own);
    assert.equal(block.match(/user-agent/g)?.length, 1);
    assert.match(block, /user-agent: probe\/1/);
    assert.equal(block.match(/accept: /g)?.length, 1);
  });

  it('writes the connection preface (SETTINGS 100 / 32 MiB / push off, WINDOW_UPDATE) in its own record, the HEADERS in the next', () => {
    const [pre, req] = clientRecords(curl).map((r) => r.map((l) => l.summary).join(' | '));
    assert.match(pre, /^SETTINGS WINDOW_UPDATE$/);
    assert.match(req, /^HEADERS/);
    const settings = clientRecords(curl)[0][0];
    assert.deepEqual(settings.fields.filter((f) => /setting\[/.test(f.name)).map((f) => f.value), ['3 = 100', '4 = 33554432', '2 = 0']);
    // A browser sends its preface and HEADERS in one record.
    assert.match(clientRecords(browser)[0].map((l) => l.summary).join(' '), /SETTINGS WINDOW_UPDATE HEADERS/);
  });

  it('closes the connection with a FIN after the last response (no close_notify); a browser keeps it open', () => {
    const fins = (t: Trace) => laptopSegments(t).filter((s) => s.flags.fin).length;
    assert.equal(fins(curl), 1, 'one FIN, after the second (last) request');
    assert.equal(fins(browser), 0);
    // Both requests of the scenario used the one connection: a single SYN.
    assert.equal(laptopSegments(curl).filter((s) => s.flags.syn).length, 1);
    const one = traceOf(SEED, CURL, ['  requests 2', '  requests 1']);
    const segs = laptopSegments(one);
    assert.equal(segs.filter((s) => s.flags.fin).length, 1);
    assert.ok(curl.events.some((e) => /curl is done: it closes the connection/.test(e.summary)));
  });

  it('over HTTP/1.1 shuts TLS down first: a close_notify alert, then the FIN; the server closes without one', () => {
    // Seen in captures of curl 7.88 (OpenSSL 3.0) against nginx: with --http1.1 a 24-byte record
    // (TLS 1.3) or a 31-byte one (TLS 1.2) before the FIN; over HTTP/2 none.
    for (const [version, size] of [['1.3', 24], ['1.2', 31]] as const) {
      const t = traceOf(SEED, CURL, ['    http 2\n    tls 1.3', `    http 1.1\n    tls ${version}`]);
      const web = t.packets.find((p) => p.from === 'laptop')?.link;
      const fromLaptop = t.packets.filter((p) => p.from === 'laptop' && p.link === web).map((p) => ({ p, tcp: tcpOf(p) })).filter((x) => x.tcp?.dstPort === 443);
      const fin = fromLaptop.findIndex((x) => x.tcp?.flags.fin);
      assert.ok(fin > 0, `TLS ${version}: a FIN`);
      const before = fromLaptop[fin - 1].p;
      // a TLS record of `size` bytes, its outer type alert (1.2) or application_data (1.3)
      const payload = Buffer.from(before.bytes, 'hex');
      const record = payload.subarray(payload.length - size);
      assert.equal(record[0], version === '1.2' ? 21 : 23, `TLS ${version}: content type`);
      assert.equal((record[3] << 8) | record[4], size - 5, `TLS ${version}: record length`);
      assert.ok(t.events.some((e) => /close_notify: this side will send no more data/.test(e.summary)), `TLS ${version}: the laptop's event`);
      assert.ok(t.events.some((e) => /close_notify received/.test(e.summary)), `TLS ${version}: the server read it`);
      assert.ok(t.packets.some((p) => p.to === 'laptop' && p.link === web && tcpOf(p)?.flags.fin), `TLS ${version}: the server closes too`);
      assert.equal(t.outcome.ok, true, t.outcome.symptom);
    }
    // over HTTP/2, no alert before the FIN
    assert.ok(!curl.events.some((e) => /close_notify: this side/.test(e.summary)));
  });
});

describe('simulation: the nginx sidecar as proxy_pass (issue #15)', () => {
  const t = traceOf(SEED);
  const heads = (link: RegExp) => t.packets.filter((p) => link.test(p.link)).map(httpHead).filter((h): h is string => !!h);

  it('sends HTTP/1.0 upstream with Host = the upstream, Connection: close, then the client\'s headers', () => {
    const up = heads(/^lo/).find((h) => h.startsWith('GET'));
    assert.ok(up, 'a request on the pod\'s loopback');
    assert.deepEqual(up.split('\r\n').slice(0, 3), ['GET /users/42 HTTP/1.0', 'Host: 127.0.0.1:3000', 'Connection: close']);
    const moved = traceOf(SEED, ['upstream 127.0.0.1:3000', 'upstream 127.0.0.1:80'], ['      listen 3000', '      listen 80']);
    const up80 = moved.packets.filter((p) => /^lo/.test(p.link)).map(httpHead).find((h) => h?.startsWith('GET'));
    assert.match(up80 ?? '', /\r\nHost: 127\.0\.0\.1\r\n/, 'port 80 is left out of Host');
  });

  it('answers the load balancer with nginx\'s Server and Date, and closes when the request asked to', () => {
    const nginxLb = traceOf(SEED, [/load-balancer alb \{\n/, 'load-balancer alb {\n  software nginx\n']);
    const resp = nginxLb.packets.filter((p) => /veth/.test(p.link)).map(httpHead).find((h) => h?.startsWith('HTTP/1.1'));
    assert.ok(resp, 'the sidecar\'s response on the pod link');
    const names = resp.split('\r\n').slice(1).map((l) => l.split(':')[0]);
    assert.deepEqual(names.slice(0, 2), ['Server', 'Date']);
    assert.match(resp, /\r\nServer: nginx\/1\.22\.1\r\n/);
    assert.match(resp, /\r\nConnection: close$/);
    const fin = nginxLb.packets.filter((p) => /veth/.test(p.link)).map(tcpOf).find((x) => x?.flags.fin);
    assert.equal(fin?.srcPort, 8080, 'the sidecar closes first, after its answer');
    // An ALB keeps HTTP/1.1 alive to the target: no close.
    const alb = t.packets.filter((p) => /veth/.test(p.link)).map(httpHead).find((h) => h?.startsWith('HTTP/1.1'));
    assert.ok(alb && !/Connection: close/.test(alb));
  });
});
