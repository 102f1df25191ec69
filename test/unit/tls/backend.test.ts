// TLS on the load balancer's backend connection (issue #13): with `protocol https` on the target
// group the load balancer opens TLS to the target (ALPN http/1.1, no certificate check) and the
// sidecar nginx terminates it with the certificate it names. The backend link's capture decrypts
// in tshark with only the embedded secrets and shows the HTTP/1.1 messages the trace encrypted.
import { strict as assert } from 'node:assert';
import { traceToPcapng } from '../../../src/core/export/trace-pcap';
import type { Trace } from '../../../src/core/trace/types';
import { build } from '../helpers';
import { SEED, traceOf } from '../sim/helpers';
import { expertErrors, findAll, tsharkAvailable, tsharkJson, type TsharkLayers } from '../wire/tshark';
import { expectedMessages, recordSummary, traceRecordingTls, tsharkMessages, type Written } from './trace-tls';

const NO_KEYFILE = ['-o', 'tls.keylog_file:'];
const ALB = '10.0.1.10';
const NODE = '10.0.1.30';
const NODE_PORT = '30080';

/** The seed with an https target group and a sidecar that serves a certificate of the cluster's own CA. */
function httpsSeed(text: string, opts: { certificate?: boolean; lb?: string } = {}): string {
  const edits: [string, string][] = [['    protocol http\n    port 30080', '    protocol https\n    port 30080']];
  if (opts.certificate !== false) {
    edits.push(['      upstream 127.0.0.1:3000\n', '      upstream 127.0.0.1:3000\n      certificate web-internal\n']);
    edits.push(['load-balancer alb {\n', 'certificate web-internal {\n  subject web.default.svc.cluster.local\n  san web.default.svc.cluster.local\n  issuer "prod cluster CA"\n  valid-from 2026-01-01\n  valid-until 2026-06-30\n}\n\nload-balancer alb {\n']);
  }
  if (opts.lb) edits.push(['load-balancer alb {\n', `load-balancer alb {\n  ${opts.lb}\n`]);
  let t = text;
  for (const [from, to] of edits) {
    const next = t.replace(from, to);
    assert.notEqual(next, t, `edit did not apply: ${from}`);
    t = next;
  }
  return t;
}

/** Packets of the backend connection (either direction of the NodePort). */
const backendPackets = (packets: readonly TsharkLayers[]): TsharkLayers[] =>
  packets.filter((p) => {
    const tcp = p.tcp as Record<string, unknown> | undefined;
    return tcp !== undefined && (tcp['tcp.srcport'] === NODE_PORT || tcp['tcp.dstport'] === NODE_PORT);
  });

const backendTrace = (t: Trace) => t.packets.filter((p) => p.link === 'vpc-alb' && p.layers.some((l) => l.proto === 'tcp' && l.fields.some((f) => (f.name === 'src_port' || f.name === 'dst_port') && f.value === NODE_PORT)));

describe('TLS on the load balancer\'s backend connection (target group protocol https)', function () {
  this.timeout(60000);
  let trace: Trace;
  let writes: Written[];
  before(() => {
    ({ trace, writes } = traceRecordingTls('follow-a-packet.journey', (t) => httpsSeed(t)));
  });

  it('the journey succeeds, both requests reaching the app through TLS to the sidecar', () => {
    assert.ok(trace.outcome.ok, trace.outcome.ok ? '' : trace.outcome.symptom);
    const albWrites = writes.filter((w) => w.device === 'alb' && w.role === 'client');
    assert.equal(albWrites.length, 2, 'two requests written into the backend TLS connection');
    assert.ok(albWrites.every((w) => w.plain.length === 1 && w.plain[0].proto === 'http1'), 'HTTP/1.1, not HTTP/2, to the target');
    const podWrites = writes.filter((w) => w.device === 'web-7d9f' && w.role === 'server');
    assert.deepEqual(podWrites.map((w) => w.plain.map((h) => (h.proto === 'http1' && h.kind === 'response' ? h.status : h.proto))), [[200], [200]]);
  });

  it('ALPN http/1.1 is negotiated and one handshake serves both requests (ALB keeps the backend connection)', () => {
    const ready = trace.events.filter((e) => e.device === 'alb' && /^TLS 1\.3 to target node-3 established; ALPN http\/1\.1/.test(e.summary));
    assert.equal(ready.length, 1, trace.events.filter((e) => e.device === 'alb').map((e) => e.summary).join('\n'));
  });

  it('the trace says the load balancer did not verify the target\'s certificate', () => {
    const e = trace.events.find((x) => x.device === 'alb' && /accepted WITHOUT verification/.test(x.summary));
    assert.ok(e, 'an event says the certificate was not verified');
    assert.match(e.summary, /web\.default\.svc\.cluster\.local, issued by "prod cluster CA"/);
    assert.ok((e.details ?? []).some((d) => /NOT verified: the ALB .*accepts any certificate/.test(d)), (e.details ?? []).join('\n'));
    // the certificate is one the browser would refuse (untrusted issuer, expired): the ALB goes on
    assert.ok((e.details ?? []).some((d) => /2026-01-01 \.\. 2026-06-30/.test(d)));
  });

  it('the key log holds the backend session\'s secrets beside the browser\'s', () => {
    const labels = (trace.tlsKeyLog ?? []).map((l) => l.split(' ')[0]);
    const per = ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0'];
    assert.deepEqual(labels, [...per, ...per]);
    assert.equal(new Set((trace.tlsKeyLog ?? []).map((l) => l.split(' ')[1])).size, 2, 'two client randoms: two sessions');
  });

  it('the backend packets in the trace carry TLS with the HTTP/1.1 plaintext beside it', () => {
    const pkts = backendTrace(trace);
    assert.ok(pkts.length > 0, 'packets to the NodePort on vpc-alb');
    assert.ok(pkts.some((p) => p.layers.some((l) => l.proto === 'tls')), 'TLS on the backend link');
    assert.ok(!pkts.some((p) => p.layers.some((l) => l.proto === 'http1')), 'no HTTP in clear on the backend link');
    const inner = pkts.flatMap((p) => (p.plaintext ?? []).filter((l) => l.proto === 'http1').map((l) => l.fields.find((f) => f.name === 'request_line' || f.name === 'status_line')?.value ?? l.summary));
    assert.equal(inner.length, 4, `the two requests and two responses, decoded inside the records: ${inner.join(' | ')}`);
  });

  describe('tshark on the backend link\'s capture (no key file)', function () {
    let packets: TsharkLayers[];
    before(function () {
      const have = tsharkAvailable();
      if (!have.ok) {
        console.log(`      (skipped: ${have.reason})`);
        this.skip();
      }
      packets = backendPackets(tsharkJson(traceToPcapng(trace, { link: 'vpc-alb' }), NO_KEYFILE));
    });

    it('shows the whole TLS 1.3 handshake (the encrypted part decrypted), ALPN http/1.1 and the target\'s certificate', () => {
      const types = packets.flatMap((p) => findAll(p.tls, 'tls.handshake.type').map(Number));
      assert.deepEqual(types, [1, 2, 8, 11, 15, 20, 20, 4, 4]);
      const alpn = packets.flatMap((p) => findAll(p.tls, 'tls.handshake.extensions_alpn_str').map(String));
      assert.ok(alpn.length > 0 && alpn.every((a) => a === 'http/1.1'), `ALPN: ${alpn.join(', ')}`);
      const cn = packets.flatMap((p) => findAll(p, 'x509sat.uTF8String').map(String));
      assert.ok(cn.includes('web.default.svc.cluster.local') && cn.includes('prod cluster CA'), cn.join(', '));
    });

    it('every protected record decrypts; no error expert info', () => {
      const { protected13: protectedRecords, undecrypted } = recordSummary(packets);
      assert.ok(protectedRecords >= 8, `protected records: ${protectedRecords}`);
      assert.equal(undecrypted, 0);
      assert.deepEqual(packets.flatMap(expertErrors), []);
    });

    it('the HTTP/1.1 requests and responses inside are the ones the trace encrypted, field for field', () => {
      const sent = expectedMessages(writes.filter((w) => w.device === 'alb' && w.role === 'client'));
      const received = expectedMessages(writes.filter((w) => w.device === 'web-7d9f' && w.role === 'server'));
      assert.equal(sent.length, 2);
      assert.equal(received.length, 2);
      assert.deepEqual(tsharkMessages(packets, ALB), sent, 'alb -> target');
      assert.deepEqual(tsharkMessages(packets, NODE), received, 'target -> alb');
      const first = sent[0];
      assert.ok('http1' in first && first.http1 === 'GET /users/42 HTTP/1.1' && first.lines.includes('X-Forwarded-Proto: https'));
    });
  });

  it('with `software nginx` on the load balancer: proxy_pass https://, no ALPN, HTTP/1.0 inside TLS', () => {
    const t = traceOf(httpsSeed(SEED, { lb: 'software nginx' }));
    assert.ok(t.outcome.ok, t.outcome.ok ? '' : t.outcome.symptom);
    const hello = t.events.find((e) => e.device === 'alb' && /alb -> node-3 TLS: ClientHello/.test(e.summary));
    assert.ok(hello && !/http\/1\.1|h2/.test(hello.summary), `nginx offers no ALPN to upstreams: ${hello?.summary}`);
    assert.ok(t.events.some((e) => e.device === 'alb' && /accepted WITHOUT verification/.test(e.summary) && (e.details ?? []).some((d) => /proxy_ssl_verify off/.test(d))));
    assert.ok(t.events.some((e) => e.device === 'alb' && /proxy_pass to https:\/\/node-3/.test(e.summary)));
    const sealed = t.packets.filter((p) => p.link === 'vpc-alb' && p.from === 'alb').flatMap((p) => (p.plaintext ?? []).filter((l) => l.proto === 'http1'));
    assert.ok(sealed.length >= 2 && sealed.every((l) => l.fields.some((f) => f.name === 'version' && f.value === 'HTTP/1.0')), 'HTTP/1.0 requests inside the records');
  });

  it('behind a listener without TLS 1.3 the ALB\'s backend policy (ELBSecurityPolicy-2016-08) stops at TLS 1.2: one CLIENT_RANDOM line, and tshark decrypts', () => {
    const { trace: t, writes: w } = traceRecordingTls('follow-a-packet.journey', (text) => httpsSeed(text).replace('    tls 1.2 1.3\n', '    tls 1.2\n'));
    assert.ok(t.outcome.ok, t.outcome.ok ? '' : t.outcome.symptom);
    assert.ok(t.events.some((e) => e.device === 'alb' && /^TLS 1\.2 to target node-3 established; ALPN http\/1\.1/.test(e.summary)));
    assert.deepEqual((t.tlsKeyLog ?? []).map((x) => x.split(' ')[0]), ['CLIENT_RANDOM', 'CLIENT_RANDOM']);
    const have = tsharkAvailable();
    if (!have.ok) { console.log(`      (tshark part skipped: ${have.reason})`); return; }
    const pkts = backendPackets(tsharkJson(traceToPcapng(t, { link: 'vpc-alb' }), NO_KEYFILE));
    // 1 ClientHello, 2 ServerHello, 11 Certificate, 12 ServerKeyExchange, 14 ServerHelloDone, 16 ClientKeyExchange, 20 Finished x2 (decrypted)
    assert.deepEqual(pkts.flatMap((p) => findAll(p.tls, 'tls.handshake.type').map(Number)), [1, 2, 11, 12, 14, 16, 20, 20]);
    assert.deepEqual(pkts.flatMap(expertErrors), []);
    assert.deepEqual(tsharkMessages(pkts, ALB), expectedMessages(w.filter((x) => x.device === 'alb' && x.role === 'client')));
    assert.deepEqual(tsharkMessages(pkts, NODE), expectedMessages(w.filter((x) => x.device === 'web-7d9f' && x.role === 'server')));
  });

  it('a target that serves no certificate answers the ClientHello in clear: 400 from nginx, 502 from the ALB', () => {
    const t = traceOf(httpsSeed(SEED, { certificate: false }));
    assert.equal(t.outcome.ok, false);
    assert.match(t.outcome.symptom ?? '', /502.*cause: target group k8s-nodes is https, but node-3:30080 speaks plain HTTP/);
    assert.ok(t.events.some((e) => e.device === 'web-7d9f' && /TLS ClientHello on a plain HTTP port: 400 Bad Request/.test(e.summary)));
    assert.ok(t.events.some((e) => e.device === 'alb' && /answered the ClientHello in clear.*502 Bad Gateway/.test(e.summary)));
  });

  it('web servers as targets (no-kubernetes.journey, `certificate` on each host): ALPN http/1.1 of their h2, http/1.1; the capture decrypts with Decode As TLS on 8080', function () {
    const { trace: t, writes: w } = traceRecordingTls('no-kubernetes.journey', (text) => {
      let out = text.replace('    protocol http\n    port 8080', '    protocol https\n    port 8080');
      out = out.split('  listen 8080\n').join('  listen 8080\n  certificate shop-cert\n');
      assert.equal(out.split('certificate shop-cert').length - 1, 4, 'the statement, the listener and both web servers');
      return out;
    });
    assert.ok(t.outcome.ok, t.outcome.ok ? '' : t.outcome.symptom);
    const target = t.events.find((e) => e.device === 'lb' && /^TLS 1\.3 to target (web-1|web-2) established; ALPN http\/1\.1/.test(e.summary));
    assert.ok(target, 'the load balancer\'s TLS to a web server');
    const have = tsharkAvailable();
    if (!have.ok) { console.log(`      (tshark part skipped: ${have.reason})`); return; }
    // 8080 is an HTTP port to Wireshark, which then does not try TLS there: tell it (Decode As)
    const pkts = tsharkJson(traceToPcapng(t, { link: 'lb-backend' }), [...NO_KEYFILE, '-d', 'tcp.port==8080,tls']);
    assert.deepEqual(pkts.flatMap(expertErrors), []);
    const sent = expectedMessages(w.filter((x) => x.device === 'lb' && x.role === 'client'));
    const received = expectedMessages(w.filter((x) => /^web-/.test(x.device) && x.role === 'server'));
    assert.ok(sent.length === 2 && received.length === 2);
    assert.deepEqual(tsharkMessages(pkts, '172.16.0.1'), sent);
    const server = String((t.packets.find((p) => p.link === 'lb-backend' && p.from !== 'lb' && p.layers.some((l) => l.proto === 'tls'))?.layers.find((l) => l.proto === 'ipv4')?.fields.find((f) => f.name === 'src'))?.value);
    assert.deepEqual(tsharkMessages(pkts, server), received);
  });

  it('control: a plain `http` group has no TLS on the backend link and only the browser\'s secrets', () => {
    const t = traceOf(SEED);
    const pkts = backendTrace(t);
    assert.ok(pkts.length > 0);
    assert.ok(!pkts.some((p) => p.layers.some((l) => l.proto === 'tls')), 'no TLS to the target');
    assert.ok(pkts.some((p) => p.layers.some((l) => l.proto === 'http1')), 'HTTP/1.1 in clear');
    assert.equal((t.tlsKeyLog ?? []).length, 4);
    assert.ok(!t.events.some((e) => /WITHOUT verification/.test(e.summary)));
  });

  describe('the container `certificate` setting', () => {
    it('is read into the proxy container of the model', () => {
      const b = build(httpsSeed(SEED));
      assert.deepEqual(b.diagnostics.filter((d) => d.severity !== 'hint').map((d) => d.code), []);
      const pod = b.network.devices.get('web-7d9f')?.pod;
      assert.equal(pod?.containers.find((c) => c.role === 'proxy')?.certificate, 'web-internal');
      assert.equal(pod?.containers.find((c) => c.role === 'app')?.certificate, undefined);
    });

    it('on a container that is not a proxy: a warning, and nothing changes', () => {
      const text = httpsSeed(SEED).replace('      listen 3000\n', '      listen 3000\n      certificate web-internal\n');
      const b = build(text);
      const d = b.diagnostics.filter((x) => x.code === 'certificate-no-effect');
      assert.equal(d.length, 1);
      assert.equal(d[0].severity, 'warning');
      assert.equal(b.network.devices.get('web-7d9f')?.pod?.containers.find((c) => c.role === 'app')?.certificate, undefined);
    });

    it('naming a certificate the file does not define is an error', () => {
      const b = build(httpsSeed(SEED).replace('      certificate web-internal\n', '      certificate nowhere\n'));
      assert.ok(b.diagnostics.some((x) => x.severity === 'error' && /nowhere/.test(x.message)), b.diagnostics.map((x) => `${x.code}: ${x.message}`).join('\n'));
    });
  });
});
