import { strict as assert } from 'node:assert';
import { writePcapng } from '../../../src/core/export/pcapng';
import { encodeStack } from '../../../src/core/wire';
import { buildFrames } from './fixtures';
import { TsharkLayers, expertErrors, findAll, first, tsharkAvailable, tsharkJson } from './tshark';

describe('wire: tshark decodes our frames', function () {
  let packets: TsharkLayers[] = [];
  const frames = buildFrames();
  const byName = (n: string): TsharkLayers => {
    const i = frames.findIndex((f) => f.name === n);
    assert.ok(i >= 0, `no frame ${n}`);
    return packets[i];
  };

  before(function () {
    const t = tsharkAvailable();
    if (!t.ok) {
      console.log(`skipping tshark tests: ${t.reason}`);
      this.skip();
    }
    const pcap = writePcapng([{ name: 'journey0', description: 'Packet Journey' }], frames.map((f, i) => ({
      interface: 0, timeMicros: 1_700_000_000_000_000 + i * 1000, bytes: encodeStack(f.headers).bytes, comment: f.name,
    })));
    packets = tsharkJson(pcap);
    assert.equal(packets.length, frames.length);
  });

  it('finds no malformed packets or expert errors', function () {
    const problems = packets.flatMap((p, i) => expertErrors(p).map((e) => `${frames[i].name}: ${e}`));
    assert.deepEqual(problems, []);
  });

  it('verifies every IPv4/TCP/UDP/ICMP checksum as good', function () {
    const bad: string[] = [];
    packets.forEach((p, i) => {
      for (const k of ['ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status', 'icmp.checksum.status']) {
        // quoted headers inside ICMP errors are not verified (status 2) for TCP/UDP; everything else must be 1
        for (const v of findAll(p, k)) if (v !== '1' && !(frames[i].name.startsWith('icmp-') && v === '2')) bad.push(`${frames[i].name} ${k}=${String(v)}`);
      }
    });
    assert.deepEqual(bad, []);
    assert.equal(first(byName('tcp-syn'), 'tcp.checksum.status'), '1');
    assert.equal(first(byName('dns-query'), 'udp.checksum.status'), '1');
    assert.equal(first(byName('icmp-time-exceeded'), 'icmp.checksum.status'), '1');
  });

  it('reads ARP as we wrote it', function () {
    const p = byName('arp-request');
    assert.equal(first(p, 'arp.opcode'), '1');
    assert.equal(first(p, 'arp.src.proto_ipv4'), '192.168.1.23');
    assert.equal(first(p, 'arp.dst.proto_ipv4'), '192.168.1.1');
    assert.equal(first(p, 'arp.src.hw_mac'), '3c:22:fb:12:34:56');
  });

  it('reads DNS query, response and NXDOMAIN', function () {
    assert.equal(first(byName('dns-query'), 'dns.qry.name'), 'api.example.com');
    assert.equal(first(byName('dns-query'), 'udp.srcport'), '53211');
    assert.equal(first(byName('dns-query'), 'dns.id'), '0xbeef');
    const r = byName('dns-response');
    assert.deepEqual(findAll(r, 'dns.a'), ['54.230.10.42']);
    assert.deepEqual(findAll(r, 'dns.cname'), ['api-alb.us-east-1.elb.example.net']);
    assert.ok(findAll(r, 'dns.resp.ttl').includes('60'));
    assert.equal(first(byName('dns-nxdomain'), 'dns.flags.rcode'), '3');
  });

  it('reads the Linux-style SYN', function () {
    const p = byName('tcp-syn');
    assert.equal(first(p, 'ip.src'), '192.168.1.23');
    assert.equal(first(p, 'ip.dst'), '54.230.10.42');
    assert.equal(first(p, 'ip.ttl'), '64');
    assert.equal(first(p, 'ip.len'), '60');
    assert.equal(first(p, 'ip.flags.df'), '1');
    assert.equal(first(p, 'tcp.srcport'), '51514');
    assert.equal(first(p, 'tcp.dstport'), '443');
    assert.equal(first(p, 'tcp.seq_raw'), '2864434397');
    assert.equal(first(p, 'tcp.flags'), '0x0002');
    assert.equal(first(p, 'tcp.hdr_len'), '40');
    assert.equal(first(p, 'tcp.options.mss_val'), '1460');
    assert.equal(first(p, 'tcp.options.wscale.shift'), '7');
    assert.equal(first(p, 'tcp.options.timestamp.tsval'), '3805322112');
    assert.equal(findAll(p, 'tcp.options.sack_perm').length > 0, true);
  });

  it('reads TLS ClientHello SNI/ALPN and the TLS 1.2 certificate chain', function () {
    const ch = byName('tls-client-hello');
    assert.equal(first(ch, 'tls.handshake.extensions_server_name'), 'api.example.com');
    assert.deepEqual(findAll(ch, 'tls.handshake.extensions_alpn_str'), ['h2', 'http/1.1']);
    assert.ok(findAll(ch, 'tls.handshake.extensions.supported_version').includes('0x0304'));
    const s = byName('tls12-server-flight');
    assert.equal(first(s, 'tls.handshake.ciphersuite'), '0xc02f');
    assert.ok(findAll(s, 'x509sat.uTF8String').includes('api.example.com'));
    assert.deepEqual(findAll(s, 'x509ce.dNSName'), ['api.example.com', 'www.example.com']);
    assert.equal(findAll(s, 'x509af.utcTime')[0], '2025-01-15 00:00:00 (UTC)');
    assert.ok(findAll(s, 'tls.handshake.type').includes('14'));
    const t13 = byName('tls13-server-flight');
    // TLS 1.3 records after ServerHello show their outer type as "opaque type"
    assert.deepEqual(findAll(t13, 'tls.record.opaque_type'), ['23']);
    assert.ok(findAll(t13, 'tls.record.length').includes('2400'));
    assert.equal(first(t13, 'tls.handshake.extensions.supported_version'), '0x0304');
  });

  it('reads HTTP/1.1 and HTTP/2 (HPACK) over TCP 80', function () {
    assert.equal(first(byName('http1-request'), 'http.request.method'), 'GET');
    assert.equal(first(byName('http1-request'), 'http.request.uri'), '/users/42');
    assert.equal(first(byName('http1-response'), 'http.response.code'), '200');
    const h2 = byName('h2c-request');
    assert.ok(findAll(h2, 'http2.header.value').includes('/users/42'), JSON.stringify(findAll(h2, 'http2.header.value')));
    assert.ok(findAll(byName('h2c-response'), 'http2.header.value').includes('200'));
    assert.ok(findAll(byName('h2c-response'), 'http2.type').includes('7'));
  });

  it('reads VXLAN and the inner TCP', function () {
    const p = byName('vxlan-tcp');
    assert.equal(first(p, 'vxlan.vni'), '4096');
    assert.deepEqual(findAll(p, 'ip.src'), ['10.0.1.10', '10.244.1.5']);
    assert.equal(first(p, 'tcp.dstport'), '8080');
  });

  it('reads PostgreSQL frontend and backend messages', function () {
    const fe = findAll(byName('pg-extended-query'), 'pgsql.type');
    assert.deepEqual(fe, ['Parse', 'Bind', 'Describe', 'Execute', 'Sync']);
    const be = findAll(byName('pg-rows'), 'pgsql.type');
    assert.deepEqual(be, ['Parse completion', 'Bind completion', 'Row description', 'Data row', 'Command completion', 'Ready for query']);
    assert.equal(first(byName('pg-extended-query'), 'pgsql.query'), 'SELECT id, name FROM users WHERE id = $1');
    assert.deepEqual(findAll(byName('pg-auth'), 'pgsql.type'), ['Authentication request', 'Parameter status', 'Backend key data', 'Ready for query']);
    assert.equal(first(byName('pg-startup'), 'pgsql.type'), 'Startup message');
  });

  it('reads ICMP errors with the quoted datagram', function () {
    const te = byName('icmp-time-exceeded');
    assert.equal(first(te, 'icmp.type'), '11');
    // the router's own header, then the quoted one whose TTL ran out
    assert.deepEqual(findAll(te, 'ip.ttl'), ['254', '1']);
    assert.deepEqual(findAll(te, 'ip.dst'), ['192.168.1.23', '54.230.10.42']);
    const fn = byName('icmp-frag-needed');
    assert.equal(first(fn, 'icmp.code'), '4');
    assert.equal(first(fn, 'icmp.mtu'), '1400');
    assert.equal(first(byName('icmp-echo'), 'icmp.type'), '8');
  });

  it('reassembles our IPv4 fragments', function () {
    const f0 = byName('ipv4-fragment-0');
    assert.equal(first(f0, 'ip.flags.mf'), '1');
    const f1 = byName('ipv4-fragment-1');
    // tshark 4.0 reports the offset in 8-byte units (1480 bytes); newer versions in bytes
    assert.ok(['185', '1480'].includes(first(f1, 'ip.frag_offset') ?? ''));
    assert.equal(first(f1, 'ip.reassembled.length'), '2008');
    assert.equal(first(f1, 'udp.dstport'), '9999');
  });

  it('keeps the packet comments from the pcapng', function () {
    assert.equal(first(packets[0], 'frame.comment') ?? first(packets[0], 'pkt_comment'), 'arp-request');
  });
});
