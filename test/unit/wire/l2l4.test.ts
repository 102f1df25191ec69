import { strict as assert } from 'node:assert';
import {
  ArpPacket, ByteReader, EthernetHeader, IcmpMessage, Ipv4Header, TcpHeader, TcpOption, WireError, concatBytes, copyIpv4, copyTcp, copyUdp, decodeArp,
  decodeIcmp, decodeIpv4, decodeStack, decodeTcp, decodeVxlan, encodeArp, encodeIcmp, encodeIpv4, encodeStack, encodeTcp,
  encodeVxlan, fragmentIpv4, icmpQuote, internetChecksum, ipv4ChecksumOk, ipv4PseudoHeader, linuxSynOptions, tcpHeaderLength, toHex,
  withoutDerived,
} from '../../../src/core/wire';
import { assertTruncationsSafe, hex, roundTrip } from './helpers';

// A real Linux SYN frame (192.168.1.146:60950 -> 192.168.1.120:1234), as typed into a public Go
// test (TestPortStackTCPDecoding). Checksums are the ones on the wire: many captures taken on the
// sending host hold only the pseudo-header sum because of checksum offload, this one does not.
const LINUX_SYN_FRAME = hex('28cdc1054d3e d85ed34303eb 0800 4500003c76eb400040063f76c0a80192c0a80178 ee1604d2a0ceb98a00000000a002faf06e800000020405b40402080a14ccf8250000000001030307');
const LINUX_SYN = LINUX_SYN_FRAME.subarray(14);
// The same kind of SYN taken on a docker bridge with TX checksum offload: the TCP checksum field
// holds the folded pseudo-header sum (0x5854), not a checksum.
const OFFLOADED_SYN = hex('4500003ce092400040060204ac110001ac110002ea221f909e9c61ff00000000a002721058540000020405b40402080ad3eb39c40000000001030307');

// smoltcp's ARP test vector (src/wire/arp.rs)
const SMOLTCP_ARP = hex('0001 0800 06 04 0001 111213141516 21222324 313233343536 41424344');

describe('wire: ethernet + ARP', () => {
  it('round-trips the smoltcp ARP vector and reads every field', () => {
    const codec = { encode: (a: ArpPacket) => encodeArp(a).finish(), decode: (b: Uint8Array, s: number, e: number) => decodeArp(new ByteReader(b, s, e)) };
    const { decoded } = roundTrip(codec, decodeArp(new ByteReader(SMOLTCP_ARP)), SMOLTCP_ARP);
    assert.deepEqual(decoded, {
      proto: 'arp', hardwareType: 1, protocolType: 0x0800, operation: 1, senderMac: '11:12:13:14:15:16', senderIp: '33.34.35.36',
      targetMac: '31:32:33:34:35:36', targetIp: '65.66.67.68',
    });
  });

  it('frames an ARP request (broadcast, ethertype derived) and keeps 60-byte padding as a trailer', () => {
    const eth: EthernetHeader = { proto: 'ethernet', dst: 'ff:ff:ff:ff:ff:ff', src: '3c:22:fb:12:34:56' };
    const arp: ArpPacket = { proto: 'arp', operation: 1, senderMac: '3c:22:fb:12:34:56', senderIp: '192.168.1.23', targetMac: '00:00:00:00:00:00', targetIp: '192.168.1.1' };
    const { bytes, layers } = encodeStack([eth, arp]);
    assert.equal(toHex(bytes), 'ffffffffffff3c22fb1234560806' + '0001080006040001' + '3c22fb123456c0a80117' + '000000000000c0a80101');
    assert.deepEqual(layers.map((l) => [l.proto, l.offset, l.length]), [['ethernet', 0, 14], ['arp', 14, 28]]);
    assert.deepEqual(layers[1].fields.find((f) => f.name === 'target_ip'), { name: 'target_ip', offset: 38, length: 4, value: '192.168.1.1' });
    const padded = concatBytes([bytes, new Uint8Array(18)]);
    const decoded = decodeStack(padded);
    assert.equal((decoded[0] as EthernetHeader).trailer?.length, 18);
    assert.equal(toHex(encodeStack(decoded).bytes), toHex(padded));
  });

  it('rejects bad MACs with a WireError', () => {
    assert.throws(() => encodeStack([{ proto: 'ethernet', dst: 'zz', src: '00:00:00:00:00:00', ethertype: 0x0800 }]), WireError);
  });
});

describe('wire: IPv4', () => {
  it('computes the classic header checksum example (0xb861)', () => {
    const h: Ipv4Header = { proto: 'ipv4', identification: 0, dontFragment: true, ttl: 64, protocol: 17, src: '192.168.0.1', dst: '192.168.0.199' };
    const bytes = encodeIpv4(h, 0x73 - 20, 17).finish();
    assert.equal(toHex(bytes), '450000730000400040 11b861c0a80001c0a800c7'.replace(/ /g, ''));
    assert.ok(ipv4ChecksumOk(bytes));
  });

  it('decodes the real Linux SYN and re-derives identical length/checksums', () => {
    const hs = decodeStack(LINUX_SYN_FRAME);
    const [eth, ip, tcp] = hs as [EthernetHeader, Ipv4Header, TcpHeader];
    assert.equal(eth.src, 'd8:5e:d3:43:03:eb');
    assert.equal(ip.ttl, 64);
    assert.equal(ip.totalLength, 60);
    assert.equal(ip.identification, 0x76eb);
    assert.equal(ip.dontFragment, true);
    assert.equal(ip.checksum, 0x3f76);
    assert.equal(ip.src, '192.168.1.146');
    assert.equal(tcp.srcPort, 60950);
    assert.equal(tcp.dstPort, 1234);
    assert.equal(tcp.seq, 0xa0ceb98a);
    assert.deepEqual(tcp.flags, { fin: false, syn: true, rst: false, psh: false, ack: false, urg: false, ece: false, cwr: false, ns: false });
    assert.equal(tcp.window, 64240);
    assert.equal(tcp.dataOffset, 10);
    assert.equal(tcp.checksum, 0x6e80);
    assert.deepEqual(tcp.options, linuxSynOptions({ mss: 1460, tsval: 0x14ccf825, wscale: 7 }));
    assert.equal(toHex(encodeStack(hs).bytes), toHex(LINUX_SYN_FRAME));
    // all derived fields cleared: our lengths, data offset and both checksums match Linux's
    assert.equal(toHex(encodeStack(withoutDerived(hs)).bytes), toHex(LINUX_SYN_FRAME));
    assert.equal(tcpHeaderLength({ ...tcp, dataOffset: undefined }), 40);
    // the same repr built from scratch by the simulation gives the same bytes
    const built = encodeStack([
      { proto: 'ethernet', dst: '28:cd:c1:05:4d:3e', src: 'd8:5e:d3:43:03:eb' },
      { proto: 'ipv4', identification: 0x76eb, dontFragment: true, ttl: 64, src: '192.168.1.146', dst: '192.168.1.120' },
      { proto: 'tcp', srcPort: 60950, dstPort: 1234, seq: 0xa0ceb98a, ack: 0, flags: { syn: true }, window: 64240, options: linuxSynOptions({ mss: 1460, tsval: 0x14ccf825, wscale: 7 }) },
    ]);
    assert.equal(toHex(built.bytes), toHex(LINUX_SYN_FRAME));
    assert.deepEqual(built.layers.map((l) => [l.proto, l.offset, l.length]), [['ethernet', 0, 14], ['ipv4', 14, 20], ['tcp', 34, 40]]);
  });

  it('keeps an offloaded (wrong) checksum as captured, and fixes it once derived fields are cleared', () => {
    const hs = decodeStack(OFFLOADED_SYN, 'ipv4');
    assert.equal((hs[1] as TcpHeader).checksum, 0x5854);
    assert.equal(toHex(encodeStack(hs).bytes), toHex(OFFLOADED_SYN));
    const fixed = encodeStack(withoutDerived(hs)).bytes;
    assert.equal(internetChecksum(ipv4PseudoHeader('172.17.0.1', '172.17.0.2', 6, 40), fixed.subarray(20)), 0);
  });

  it('round-trips options, DSCP/ECN, flags and fragment offset at an offset in a bigger buffer', () => {
    const h: Ipv4Header = {
      proto: 'ipv4', dscp: 46, ecn: 1, identification: 0xabcd, reservedFlag: true, moreFragments: true, fragmentOffset: 1480, ttl: 3,
      protocol: 253, src: '10.0.0.1', dst: '10.0.0.2', options: Uint8Array.of(0x94, 0x04, 0, 0),
    };
    const codec = {
      encode: (x: Ipv4Header) => encodeIpv4(x, 0, x.protocol ?? 0).finish(),
      decode: (b: Uint8Array, s: number, e: number) => decodeIpv4(new ByteReader(b, s, e)).header,
    };
    const withLen = { ...h, totalLength: 24 };
    const { decoded } = roundTrip(codec, withLen);
    assert.equal(decoded.ihl, 6);
    assert.equal(decoded.fragmentOffset, 1480);
    assert.equal(decoded.dscp, 46);
  });

  it('copies a header field for field: the copy encodes the same and edits stay in it', () => {
    const full: Ipv4Header = {
      proto: 'ipv4', version: 4, dscp: 46, ecn: 1, identification: 0xabcd, reservedFlag: true, dontFragment: false, moreFragments: true, fragmentOffset: 1480,
      ttl: 3, protocol: 253, checksum: 0x1234, src: '10.0.0.1', dst: '10.0.0.2', options: Uint8Array.of(0x94, 0x04, 0, 0),
    };
    const sparse: Ipv4Header = { proto: 'ipv4', ttl: 64, src: '192.0.2.1', dst: '198.51.100.2' };
    for (const h of [full, sparse]) {
      const c = copyIpv4(h);
      assert.notEqual(c, h);
      for (const [k, v] of Object.entries(h)) assert.equal(c[k as keyof Ipv4Header], v, k);
      assert.equal(toHex(encodeIpv4(c, 20, 6).finish()), toHex(encodeIpv4(h, 20, 6).finish()));
      c.ttl -= 1;
      assert.equal(h.ttl, h === full ? 3 : 64);
    }
    // every copy has one set of keys in one order, whatever the original had
    assert.deepEqual(Object.keys(copyIpv4(sparse)), Object.keys(copyIpv4(full)));
    // the same for the transport headers NAT edits
    const ip: Ipv4Header = { proto: 'ipv4', ttl: 64, src: '192.0.2.1', dst: '198.51.100.2' };
    const tcp: TcpHeader = { proto: 'tcp', srcPort: 40000, dstPort: 443, seq: 1, ack: 2, flags: { ack: true, psh: true }, window: 502, options: linuxSynOptions({ mss: 1460, tsval: 9, wscale: 7 }) };
    const t = copyTcp(tcp);
    t.srcPort = 1;
    assert.equal(tcp.srcPort, 40000);
    assert.equal(toHex(encodeTcp(copyTcp(tcp), new Uint8Array(3), ip).finish()), toHex(encodeTcp(tcp, new Uint8Array(3), ip).finish()));
    const u = copyUdp({ proto: 'udp', srcPort: 5353, dstPort: 53 });
    assert.deepEqual([u.srcPort, u.dstPort, u.length, u.checksum], [5353, 53, undefined, undefined]);
  });

  it('fragments at the MTU on 8-byte boundaries, and refuses with DF set', () => {
    const payload = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
    const h: Ipv4Header = { proto: 'ipv4', identification: 7, ttl: 64, protocol: 17, src: '10.0.0.1', dst: '10.0.0.2' };
    const frags = fragmentIpv4(h, payload, 1500);
    assert.deepEqual(frags.map((f) => [f.header.fragmentOffset, f.payload.length, f.header.moreFragments]), [[0, 1480, true], [1480, 1480, true], [2960, 40, false]]);
    assert.equal(toHex(concatBytes(frags.map((f) => f.payload))), toHex(payload));
    for (const f of frags) {
      const b = encodeStack([f.header, { proto: 'raw', data: f.payload }]).bytes;
      assert.ok(b.length <= 1500);
      assert.ok(ipv4ChecksumOk(b.subarray(0, 20)));
      // fragments decode without trying to parse a partial UDP header
      assert.equal(decodeStack(b, 'ipv4')[1].proto, 'raw');
    }
    assert.equal(fragmentIpv4(h, payload.subarray(0, 100), 1500).length, 1);
    assert.throws(() => fragmentIpv4({ ...h, dontFragment: true }, payload, 1500), (e: unknown) => e instanceof WireError && e.code === 'fragmentation-needed');
  });

  it('throws WireError on every truncation of a real packet', () => {
    assertTruncationsSafe((b) => decodeStack(b, 'ipv4'), LINUX_SYN);
    assert.throws(() => decodeStack(LINUX_SYN.subarray(0, 59), 'ipv4'), WireError);
  });
});

describe('wire: TCP', () => {
  const codec = {
    encode: (h: TcpHeader) => encodeTcp(h, new Uint8Array(0), undefined).finish(),
    decode: (b: Uint8Array, s: number, e: number) => decodeTcp(new ByteReader(b, s, e)),
  };

  it('round-trips every option kind and all flags', () => {
    const options: TcpOption[] = [
      { kind: 'nop' }, { kind: 'mss', value: 1400 }, { kind: 'wscale', shift: 14 }, { kind: 'sack_perm' },
      { kind: 'timestamps', tsval: 0xffffffff, tsecr: 1 }, { kind: 'sack', blocks: [[0xfffffff0, 5]] }, { kind: 'unknown', type: 30, data: Uint8Array.of(1, 2) }, { kind: 'eol' },
    ];
    const h: TcpHeader = {
      proto: 'tcp', srcPort: 1, dstPort: 65535, seq: 0xffffffff, ack: 0x80000000, reserved: 5,
      flags: { fin: true, syn: true, rst: true, psh: true, ack: true, urg: true, ece: true, cwr: true, ns: true }, window: 65535, urgentPointer: 9, options,
    };
    const { bytes, decoded } = roundTrip(codec, h);
    assert.equal(bytes.length, 56);
    assert.equal(decoded.dataOffset, 14);
    assert.deepEqual(decoded.options, options);
    assert.deepEqual(decoded.flags, h.flags);
  });

  it('pads options with EOL to a 32-bit boundary and refuses too many options', () => {
    const b = codec.encode({ proto: 'tcp', srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: { syn: true }, window: 1, options: [{ kind: 'mss', value: 536 }, { kind: 'nop' }] });
    assert.equal(b.length, 28);
    assert.equal(toHex(b.subarray(20)), '0204021801000000');
    const many: TcpOption[] = Array.from({ length: 5 }, () => ({ kind: 'timestamps', tsval: 1, tsecr: 2 }));
    assert.throws(() => codec.encode({ proto: 'tcp', srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: {}, window: 1, options: many }), WireError);
  });

  it('checksums over the pseudo-header: the sum over pseudo-header + segment folds to 0xffff', () => {
    const ip: Ipv4Header = { proto: 'ipv4', ttl: 64, src: '192.0.2.1', dst: '198.51.100.2' };
    const payload = Uint8Array.of(1, 2, 3); // odd length exercises the padding byte
    const seg = concatBytes([encodeTcp({ proto: 'tcp', srcPort: 5, dstPort: 6, seq: 7, ack: 8, flags: { ack: true }, window: 9 }, payload, ip).finish(), payload]);
    assert.equal(internetChecksum(ipv4PseudoHeader(ip.src, ip.dst, 6, seg.length), seg), 0);
  });
});

describe('wire: ICMP', () => {
  const codec = { encode: (m: IcmpMessage) => encodeIcmp(m).finish(), decode: (b: Uint8Array, s: number, e: number) => decodeIcmp(new ByteReader(b, s, e)) };

  it('encodes an echo request with the checksum ping would send', () => {
    // Windows ping (id 1, seq 24, "abcd...") as captured: checksum 0x4d43
    const expected = hex('08004d4300010018 6162636465666768696a6b6c6d6e6f7071727374757677616263646566676869');
    const m: IcmpMessage = { proto: 'icmp', kind: 'echo_request', identifier: 1, sequence: 0x18, data: expected.subarray(8) };
    roundTrip(codec, m, expected);
  });

  it('quotes the original IP header + 8 bytes in time-exceeded and carries the next-hop MTU in frag-needed', () => {
    const orig = encodeStack([{ proto: 'ipv4', ttl: 1, src: '10.0.0.1', dst: '10.9.9.9' }, { proto: 'udp', srcPort: 33434, dstPort: 33435 }, { proto: 'raw', data: new Uint8Array(32) }]).bytes;
    const quote = icmpQuote(orig);
    assert.equal(quote.length, 28);
    const te = roundTrip(codec, { proto: 'icmp', kind: 'time_exceeded', code: 0, original: quote });
    assert.equal(te.bytes.length, 36);
    const fn = roundTrip(codec, { proto: 'icmp', kind: 'dest_unreachable', code: 4, nextHopMtu: 1400, original: quote });
    assert.equal(toHex(fn.bytes.subarray(4, 8)), '00000578');
    assert.equal(internetChecksum(fn.bytes), 0);
    // unknown types round-trip untouched
    roundTrip(codec, { proto: 'icmp', kind: 'other', type: 42, code: 7, restOfHeader: 0xdeadbeef, data: Uint8Array.of(9) });
  });
});

describe('wire: UDP + VXLAN', () => {
  it('round-trips a VXLAN header (flags I, VNI) typed in from RFC 7348 layout', () => {
    const vec = hex('08 000000 001000 00');
    const codec = { encode: (v: Parameters<typeof encodeVxlan>[0]) => encodeVxlan(v).finish(), decode: (b: Uint8Array, s: number, e: number) => decodeVxlan(new ByteReader(b, s, e)) };
    const { decoded } = roundTrip(codec, { proto: 'vxlan', vni: 4096 }, vec);
    assert.equal(decoded.vni, 4096);
    assert.equal(decoded.flags, 8);
  });

  it('decodes a full VXLAN frame (outer eth/ip/udp 4789, inner eth/ip/icmp) and re-encodes it', () => {
    const frame = hex(`
      020000000002 020000000001 0800
      4500 0062 0001 0000 4011 0000 0a000101 0a000202
      c350 12b5 004e 0000
      08000000 00000a00
      460e55667788 8a6c11223344 0800
      4500 0030 0002 4000 4001 0000 0af40105 0af40207
      0800 0000 1234 0001 000102030405060708090a0b0c0d0e0f1011121314151617`);
    // fill in checksums with our encoder, then prove decode -> encode is exact
    const built = encodeStack(withoutDerived(decodeStack(frame))).bytes;
    const hs = decodeStack(built);
    assert.deepEqual(hs.map((h) => h.proto), ['ethernet', 'ipv4', 'udp', 'vxlan', 'ethernet', 'ipv4', 'icmp']);
    assert.equal((hs[3] as { vni: number }).vni, 10);
    assert.equal(toHex(encodeStack(hs).bytes), toHex(built));
    assert.equal(toHex(built.subarray(0, 24)), toHex(frame.subarray(0, 24)));
  });
});
