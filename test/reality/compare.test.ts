// The comparison of real and simulated packets, on small hand-made records (no root needed).
import { strict as assert } from 'node:assert';
import { align, compare, compareLink, formatTable, mismatchSummary, normalize, PACKET_DEFAULTS, packetStream, withServicePorts, type PacketRecord } from '../../src/core/compare';

const syn = (port: string, extra: Record<string, string> = {}): PacketRecord => ({ proto: 'tcp', 'ip.src': '10.0.0.1', 'ip.dst': '10.0.0.2', 'tcp.srcport': port, 'tcp.dstport': '80', 'tcp.flags': '0x0002', 'ip.ttl': '64', ...extra });
const synack = (port: string, extra: Record<string, string> = {}): PacketRecord => ({ proto: 'tcp', 'ip.src': '10.0.0.2', 'ip.dst': '10.0.0.1', 'tcp.srcport': '80', 'tcp.dstport': port, 'tcp.flags': '0x0012', 'ip.ttl': '64', ...extra });
const query = (id: string, port: string): PacketRecord => ({ proto: 'udp', 'udp.srcport': port, 'udp.dstport': '53', 'dns.id': id, 'dns.qry.name': 'example.com' });

describe('compare: real packets against simulated ones', function () {
  it('identical links score 1 with no mismatches', function () {
    const r = compareLink({ link: 'lan', real: [syn('40000'), synack('40000')], sim: [syn('40000'), synack('40000')] }, PACKET_DEFAULTS);
    assert.equal(r.score, 1);
    assert.equal(r.matched, 2);
    assert.deepEqual(r.steps.map((s) => s.kind), ['pair', 'pair']);
  });

  it('random ports match when their relationship holds (the same port on the way back)', function () {
    const r = compareLink({ link: 'lan', real: [syn('40000'), synack('40000')], sim: [syn('51234'), synack('51234')] }, PACKET_DEFAULTS);
    assert.equal(r.score, 1);
  });

  it('a reply to a different random port than the query came from is a mismatch', function () {
    const link = { link: 'lan', real: [syn('40000'), synack('40000')], sim: [syn('51234'), synack('51235')] };
    // per stream: the reply belongs to no stream the real capture has
    const r = compareLink(link, PACKET_DEFAULTS);
    assert.equal(r.matched, 1);
    assert.deepEqual(r.steps.map((s) => s.kind), ['pair', 'extra', 'missing']);
    // the link as one stream: paired, with the port as the difference
    const whole = compareLink(link, { ...PACKET_DEFAULTS, stream: undefined });
    assert.equal(whole.matched, 1);
    const pair = whole.steps[1];
    assert.ok(pair.kind === 'pair');
    assert.deepEqual(pair.mismatches, [{ field: 'tcp.dstport', real: '#1', sim: '#2' }]);
  });

  it('DNS ids are compared by relationship, well-known and listed service ports by value', function () {
    const n = normalize([query('0x1234', '33333'), query('0x1234', '33333'), query('0x9999', '53')], PACKET_DEFAULTS);
    assert.deepEqual(n.map((p) => [p['dns.id'], p['udp.srcport']]), [['example.com #1', '#1'], ['example.com #1', '#1'], ['example.com #2', '53']]);
    const kept = normalize([syn('30080')], withServicePorts([30080]));
    assert.equal(kept[0]['tcp.srcport'], '30080');
    assert.equal(normalize([syn('30080')], PACKET_DEFAULTS)[0]['tcp.srcport'], '#1');
  });

  it('DNS ids are numbered per question: two questions reaching the link in either order still match', function () {
    const q = (id: string, type: string, response = false): PacketRecord => ({ proto: 'udp', 'udp.srcport': response ? '53' : '40000', 'udp.dstport': response ? '40000' : '53', 'dns.id': id, 'dns.qry.name': 'api.example.com', 'dns.qry.type': type, 'dns.flags': response ? '0x8180' : '0x0100' });
    // The stub's AAAA is late in the real capture; the simulation has both before any answer.
    const real = [q('0x0a0a', '1'), q('0x0a0a', '1', true), q('0x0b0b', '28'), q('0x0b0b', '28', true)];
    const sim = [q('0x1111', '1'), q('0x2222', '28'), q('0x1111', '1', true), q('0x2222', '28', true)];
    const ids = (l: PacketRecord[]) => normalize(l, PACKET_DEFAULTS).map((p) => p['dns.id']);
    assert.deepEqual(ids(real), ['api.example.com 1#1', 'api.example.com 1#1', 'api.example.com 28#1', 'api.example.com 28#1']);
    assert.deepEqual(ids(sim), ['api.example.com 1#1', 'api.example.com 28#1', 'api.example.com 1#1', 'api.example.com 28#1']);
    // An answer with another id than its query's is still a mismatch, and so is a reused id.
    assert.deepEqual(ids([q('0x0a0a', '1'), q('0x0c0c', '1', true)]), ['api.example.com 1#1', 'api.example.com 1#2']);
    assert.deepEqual(ids([q('0x0a0a', '1'), q('0x0a0a', '28')]), ['api.example.com 1#1', 'api.example.com 1#1']);
  });

  it('reports each differing field with the real and the simulated value', function () {
    const r = compareLink({ link: 'wan', real: [syn('1', { 'ip.ttl': '63' })], sim: [syn('1', { 'ip.ttl': '64', 'tcp.len': '0' })] });
    assert.equal(r.score, 0);
    const pair = r.steps[0];
    assert.ok(pair.kind === 'pair');
    assert.deepEqual(pair.mismatches, [{ field: 'ip.ttl', real: '63', sim: '64' }, { field: 'tcp.len', real: undefined, sim: '0' }]);
  });

  it('tolerates missing and extra packets without shifting the rest', function () {
    const ack = (port: string): PacketRecord => ({ ...syn(port), 'tcp.flags': '0x0010' });
    const arp: PacketRecord = { proto: 'arp', 'arp.opcode': '1' };
    const real = [arp, syn('5000'), synack('5000'), ack('5000')];
    const sim = [syn('6000'), synack('6000'), { proto: 'tcp', 'tcp.flags': '0x0018', 'tcp.len': '100' }, ack('6000')];
    const r = compareLink({ link: 'lan', real, sim }, PACKET_DEFAULTS);
    assert.deepEqual(r.steps.map((s) => s.kind), ['missing', 'pair', 'pair', 'extra', 'pair']);
    assert.equal(r.matched, 3);
    assert.equal(r.score, 3 / 4);
  });

  it('never pairs packets whose key fields differ', function () {
    const steps = align([{ proto: 'udp', a: '1' }], [{ proto: 'tcp', a: '1' }], { key: ['proto'] });
    assert.deepEqual(steps.map((s) => s.kind), ['missing', 'extra']);
  });

  it('scores overall as the share of all real packets that match, and prints a table', function () {
    const report = compare([
      { link: 'lan', real: [syn('40001'), synack('40001')], sim: [syn('40002'), synack('40002')] },
      { link: 'wan', real: [syn('1'), synack('1')], sim: [] },
      { link: 'empty', real: [], sim: [] },
    ], PACKET_DEFAULTS);
    assert.deepEqual(report.links.map((l) => l.score), [1, 0, 1]);
    assert.equal(report.score, 0.5);
    const table = formatTable(report);
    assert.match(table, /^lan\s+2\s+2\s+2\s+0\s+0\s+100%\s+100%$/m);
    assert.match(table, /^wan\s+2\s+0\s+0\s+2\s+0\s+0%$/m);
    assert.match(table, /^overall\s+4\s+2\s+50%$/m);
  });

  it('summarises the most frequent mismatches of a link', function () {
    const r = compareLink({ link: 'lan', real: [syn('1', { 'ip.ttl': '63' }), synack('1', { 'ip.ttl': '63' })], sim: [syn('1'), synack('1')] }, PACKET_DEFAULTS);
    assert.deepEqual(mismatchSummary(r).map((m) => [m.field, m.count, m.example.real, m.example.sim]), [['ip.ttl', 2, '63', '64']]);
  });
});

describe('compare: streams', function () {
  const data = (from: 'c' | 's', len: string): PacketRecord => ({ ...(from === 'c' ? syn('40000') : synack('40000')), 'tcp.flags': '0x0018', 'tcp.len': len });
  it('aligns each direction of a connection on its own: the two ends crossing in another order is no mismatch', function () {
    // the real server's answer crossed the client's second segment; the simulated one came after
    const real = [data('c', '80'), data('s', '287'), data('c', '86'), data('s', '71')];
    const sim = [data('c', '80'), data('c', '86'), data('s', '287'), data('s', '71')];
    const r = compareLink({ link: 'lan', real, sim }, PACKET_DEFAULTS);
    assert.equal(r.score, 1);
    assert.deepEqual(r.steps.map((s) => (s.kind === 'pair' ? [s.real, s.sim] : s.kind)), [[0, 0], [1, 2], [2, 1], [3, 3]]);
    // three of the four keep their place in the link's order
    assert.equal(r.inOrder, 3);
    // as one stream the crossing costs a pair
    assert.equal(compareLink({ link: 'lan', real, sim }, { ...PACKET_DEFAULTS, stream: undefined }).matched, 3);
  });

  it('within a stream the order still counts', function () {
    const real = [data('c', '80'), data('c', '86')];
    const sim = [data('c', '86'), data('c', '80')];
    // paired in order, each pair differs in its length
    const r = compareLink({ link: 'lan', real, sim }, PACKET_DEFAULTS);
    assert.equal(r.matched, 0);
    assert.deepEqual(mismatchSummary(r).map((m) => [m.field, m.count]), [['tcp.len', 2]]);
  });

  it('names a stream by protocol and both ends, inside the tunnel for encapsulated packets', function () {
    assert.equal(packetStream(syn('40000')), 'tcp 10.0.0.1:40000 > 10.0.0.2:80');
    assert.equal(packetStream({ proto: 'inner.tcp', 'ip.src': '1.1.1.1', 'inner.ip.src': '10.244.1.0', 'inner.ip.dst': '10.244.2.15', 'inner.tcp.srcport': '#1', 'inner.tcp.dstport': '8080' }), 'inner.tcp 10.244.1.0:#1 > 10.244.2.15:8080');
    assert.equal(packetStream({ proto: 'arp', 'arp.opcode': '1', 'arp.src.proto_ipv4': '10.0.0.1' }), 'arp 10.0.0.1 1');
  });
});

describe('compare: choosing which packets to pair', function () {
  it('weights keep a reply from being paired with a request that shares more minor fields', function () {
    const req: PacketRecord = { proto: 'tcp', 'ip.src': 'A', 'ip.dst': 'B', x: '1', y: '1', z: '1' };
    const rep: PacketRecord = { ...req, 'ip.src': 'B', 'ip.dst': 'A' };
    const simRep: PacketRecord = { ...rep, x: '2', y: '2', z: '2' };
    assert.deepEqual(align([rep], [req, simRep]).map((s) => s.kind), ['pair', 'extra']);
    assert.deepEqual(align([rep], [req, simRep], { weights: { 'ip.src': 4, 'ip.dst': 4 } }).map((s) => s.kind), ['extra', 'pair']);
  });
});
