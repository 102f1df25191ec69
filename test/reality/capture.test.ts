// Turning tshark's JSON into comparison records (no tshark needed: hand-made layers).
import { strict as assert } from 'node:assert';
import { toRecord } from '../../src/node/capture';

describe('capture: tshark JSON to comparison records', function () {
  it('prefixes the layers inside VXLAN with "inner." and names the kind by the innermost transport', function () {
    const r = toRecord({
      frame: { 'frame.protocols': 'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp', 'frame.interface_name': 'x' },
      eth: [{ 'eth.src': 'o:s', 'eth.dst': 'o:d' }, { 'eth.src': 'i:s', 'eth.dst': 'i:d' }],
      ip: [{ 'ip.src': '10.0.1.30', 'ip.ttl': '64', 'ip.flags_tree': { 'ip.flags.df': '0' } }, { 'ip.src': '10.244.1.0', 'ip.ttl': '63' }],
      udp: { 'udp.srcport': '51000', 'udp.dstport': '4789' },
      vxlan: { 'vxlan.vni': '1' },
      tcp: { 'tcp.flags': '0x0002', 'tcp.options_tree': { a: { 'tcp.option_kind': '2' }, b: { 'tcp.option_kind': '4' } } },
    });
    assert.equal(r.proto, 'inner.tcp');
    assert.equal(r['eth.src'], 'o:s');
    assert.equal(r['inner.eth.src'], 'i:s');
    assert.equal(r['ip.flags.df'], '0');
    assert.equal(r['inner.ip.src'], '10.244.1.0');
    assert.equal(r['inner.ip.ttl'], '63');
    assert.equal(r['vxlan.vni'], '1');
    assert.equal(r['inner.tcp.option_kind'], '2,4');
    assert.equal(r['tcp.flags'], undefined);
  });

  it('writes DNS sections as "name type data" lists', function () {
    const r = toRecord({
      frame: { 'frame.protocols': 'eth:ethertype:ip:udp:dns' },
      dns: {
        'dns.flags': '0x8400',
        Queries: { q: { 'dns.qry.name': 'api.example.com', 'dns.qry.type': '1' } },
        Answers: { a: { 'dns.resp.name': 'api.example.com', 'dns.resp.type': '1', 'dns.a': '52.20.30.40' } },
        'Authoritative nameservers': { n: { 'dns.resp.name': 'example.com', 'dns.resp.type': '2', 'dns.ns': 'ns1.example.com' } },
      },
    });
    assert.equal(r.proto, 'udp');
    assert.equal(r['dns.qry.name'], 'api.example.com');
    assert.equal(r['dns.an'], 'api.example.com 1 52.20.30.40');
    assert.equal(r['dns.ns'], 'example.com 2 ns1.example.com');
    assert.equal(r['dns.ar'], undefined);
  });
});
