import { strict as assert } from 'node:assert';
import { Header, Ipv4Header, decodeStack, encodeStack, encodingLength, internetChecksum, toHex, withoutDerived } from '../../../src/core/wire';
import { buildFrames } from './fixtures';

describe('wire: encodeStack/decodeStack', () => {
  const frames = buildFrames();

  it('every fixture frame decodes and re-encodes to the same bytes (and again with derived fields cleared)', () => {
    for (const f of frames) {
      const { bytes } = encodeStack(f.headers);
      const decoded = decodeStack(bytes);
      assert.equal(toHex(encodeStack(decoded).bytes), toHex(bytes), f.name);
      assert.equal(toHex(encodeStack(withoutDerived(decoded)).bytes), toHex(bytes), `${f.name} (derived)`);
      assert.equal(encodingLength(f.headers), bytes.length);
    }
  });

  it('decodes each app protocol into its typed repr, not raw', () => {
    const protos = Object.fromEntries(frames.map((f) => [f.name, decodeStack(encodeStack(f.headers).bytes).map((h) => h.proto).join('/')]));
    assert.equal(protos['dns-response'], 'ethernet/ipv4/udp/dns');
    assert.equal(protos['tls12-server-flight'], 'ethernet/ipv4/tcp/tls');
    assert.equal(protos['http1-request'], 'ethernet/ipv4/tcp/http1');
    assert.equal(protos['h2c-request'], 'ethernet/ipv4/tcp/http2');
    assert.equal(protos['vxlan-tcp'], 'ethernet/ipv4/udp/vxlan/ethernet/ipv4/tcp');
    assert.equal(protos['pg-rows'], 'ethernet/ipv4/tcp/pgsql');
    assert.equal(protos['icmp-time-exceeded'], 'ethernet/ipv4/icmp');
    assert.equal(protos['ipv4-fragment-1'], 'ethernet/ipv4/raw');
  });

  it('lays out layers back to back with every field span inside its layer', () => {
    for (const f of frames) {
      const { bytes, layers } = encodeStack(f.headers);
      let at = 0;
      for (const l of layers) {
        assert.equal(l.offset, at, `${f.name} ${l.proto} offset`);
        at += l.length;
        for (const s of l.fields) {
          assert.ok(s.offset >= l.offset && s.offset + s.length <= bytes.length, `${f.name} ${l.proto}.${s.name}`);
        }
      }
      assert.ok(at <= bytes.length);
    }
    const syn = encodeStack(frames.find((f) => f.name === 'tcp-syn')?.headers ?? []);
    const ttl = syn.layers[1].fields.find((x) => x.name === 'ttl');
    assert.deepEqual(ttl, { name: 'ttl', offset: 22, length: 1, value: '64' });
    assert.equal(syn.bytes[22], 64);
    const opts = syn.layers[2].fields.filter((x) => x.name.startsWith('option['));
    assert.deepEqual(opts.map((o) => [o.name, o.offset, o.length]), [
      ['option[0].mss', 54, 4], ['option[1].sack_perm', 58, 2], ['option[2].timestamps', 60, 10], ['option[3].nop', 70, 1], ['option[4].wscale', 71, 3],
    ]);
  });

  it('a router hop: TTL-1 and new MACs, then withoutDerived gives a fresh valid checksum', () => {
    const hs = decodeStack(encodeStack(frames.find((f) => f.name === 'tcp-syn')?.headers ?? []).bytes);
    const hop: Header[] = hs.map((h) => (h.proto === 'ipv4' ? { ...h, ttl: h.ttl - 1 } : h.proto === 'ethernet' ? { ...h, src: '02:00:00:00:00:09', dst: '02:00:00:00:00:0a' } : h));
    const stale = encodeStack(hop).bytes;
    assert.notEqual(internetChecksum(stale.subarray(14, 34)), 0);
    const fresh = encodeStack(withoutDerived(hop)).bytes;
    assert.equal(internetChecksum(fresh.subarray(14, 34)), 0);
    assert.equal((decodeStack(fresh)[1] as Ipv4Header).ttl, 63);
  });
});
