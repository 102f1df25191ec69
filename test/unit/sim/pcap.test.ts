import { strict as assert } from 'node:assert';
import { traceToPcapng } from '../../../src/core/export/trace-pcap';
import type { TraceLayer } from '../../../src/core/trace/types';
import { tsharkAvailable, tsharkJson, findAll, first, expertErrors } from '../wire/tshark';
import { SEED, traceOf } from './helpers';

const field = (l: TraceLayer | undefined, name: string): string | undefined => l?.fields.find((f) => f.name === name)?.value;

describe('simulation: the exported pcapng, read by tshark', function () {
  this.timeout(120000);
  const t = traceOf(SEED);

  it('decodes every packet with no malformed packet or checksum error, and the same field values as the trace', function () {
    const have = tsharkAvailable();
    if (!have.ok) { console.log(`      skipped: ${have.reason}`); this.skip(); }
    const packets = tsharkJson(traceToPcapng(t), ['-o', 'tcp.analyze_sequence_numbers:FALSE', '-d', 'tcp.port==30080,http', '-d', 'tcp.port==8080,http', '-d', 'tcp.port==3000,http']);
    assert.equal(packets.length, t.packets.length);
    const seen = new Set<string>();
    packets.forEach((p, i) => {
      const snap = t.packets[i];
      const where = `frame ${i + 1} (${snap.link}: ${snap.from} -> ${snap.to})`;
      assert.deepEqual(expertErrors(p), [], where);
      assert.equal(findAll(p, '_ws.malformed').length, 0, where);
      if (findAll(p, 'ip.checksum.status').length) assert.equal(findAll(p, 'ip.checksum.status')[0], '1', `${where}: IP checksum verified good`);
      for (const k of ['ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status']) for (const v of findAll(p, k)) assert.notEqual(v, '0', `${where}: ${k} is bad`); // 0 bad, 1 good, 2 unverified
      assert.equal(first(p, 'frame.interface_name'), snap.link, where);
      // The outermost IP and transport headers, field by field.
      const ip = snap.layers.find((l) => l.proto === 'ipv4');
      if (ip) {
        assert.equal(first(p, 'ip.src'), field(ip, 'src'), where);
        assert.equal(first(p, 'ip.dst'), field(ip, 'dst'), where);
        assert.equal(first(p, 'ip.ttl'), field(ip, 'ttl'), where);
        seen.add('ip');
      }
      const tcp = snap.layers.find((l) => l.proto === 'tcp');
      if (tcp && !snap.layers.some((l) => l.proto === 'vxlan')) {
        assert.equal(first(p, 'tcp.srcport'), field(tcp, 'src_port'), where);
        assert.equal(first(p, 'tcp.dstport'), field(tcp, 'dst_port'), where);
        assert.equal(first(p, 'tcp.seq_raw'), field(tcp, 'seq'), where);
        assert.equal(first(p, 'tcp.ack_raw'), field(tcp, 'ack'), where);
        assert.equal(first(p, 'tcp.window_size_value'), field(tcp, 'window'), where);
        seen.add('tcp');
      }
      const dns = snap.layers.find((l) => l.proto === 'dns');
      // tshark names the root <Root>; the trace writes it "." (the priming query)
      if (dns) { const q = String(first(p, 'dns.qry.name')); assert.match(dns.summary, q === '<Root>' ? / \. / : new RegExp(q.replace(/\./g, '\\.'))); seen.add('dns'); }
      const vx = snap.layers.find((l) => l.proto === 'vxlan');
      if (vx) { assert.equal(first(p, 'vxlan.vni'), field(vx, 'vni'), where); seen.add('vxlan'); }
      const tls = snap.layers.find((l) => l.proto === 'tls');
      if (tls && /client_hello/.test(tls.summary)) { assert.equal(first(p, 'tls.handshake.extensions_server_name'), 'api.example.com', where); seen.add('sni'); }
      const http = snap.layers.find((l) => l.proto === 'http1');
      if (http && /^GET/.test(http.summary)) { assert.equal(first(p, 'http.request.method'), 'GET', where); assert.equal(first(p, 'http.request.uri'), '/users/42', where); seen.add('http'); }
      const pg = snap.layers.find((l) => l.proto === 'pgsql');
      if (pg) { assert.ok(findAll(p, 'pgsql.type').length > 0, where); seen.add('pgsql'); }
    });
    for (const k of ['ip', 'tcp', 'dns', 'vxlan', 'sni', 'http', 'pgsql']) assert.ok(seen.has(k), `no ${k} packet compared`);
  });
});
