import { strict as assert } from 'node:assert';
import { DnsMessage, WireError, decodeDns, dnsFields, dnsFlags, encodeDnsBytes, parseDnsFlags, toHex } from '../../../src/core/wire';
import { assertTruncationsSafe, hex, roundTrip } from './helpers';

const codec = { encode: encodeDnsBytes, decode: (b: Uint8Array, s: number, e: number) => decodeDns(b, s, e) };

// Real query for www.example.com A (RD), id 0x8298, as sent by a resolver test script.
const QUERY = hex('8298 0100 0001 0000 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001');
// Real response from 8.8.8.8 for example.com A: two answers, names compressed with pointers to 0x0c.
const RESPONSE = hex(`ae9c 8180 0001 0002 0000 0000 076578616d706c6503636f6d00 0001 0001
  c00c 0001 0001 0000012c 0004 ac4293f3
  c00c 0001 0001 0000012c 0004 6814179a`);

describe('wire: DNS (dns-packet)', () => {
  it('round-trips a real query byte for byte and reads the header', () => {
    const { decoded } = roundTrip(codec, decodeDns(QUERY), QUERY);
    assert.equal(decoded.id, 0x8298);
    assert.deepEqual(parseDnsFlags(decoded.flags), { qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false, rcode: 0 });
    assert.deepEqual(decoded.questions, [{ name: 'www.example.com', type: 'A', class: 'IN' }]);
  });

  it('decodes a real compressed response (A records, TTL 300)', () => {
    const m = decodeDns(RESPONSE);
    assert.equal(m.flags, 0x8180);
    assert.deepEqual(m.answers, [
      { name: 'example.com', type: 'A', class: 'IN', ttl: 300, data: '172.66.147.243' },
      { name: 'example.com', type: 'A', class: 'IN', ttl: 300, data: '104.20.23.154' },
    ]);
    // the encoder compresses as the server did, so nothing has to be kept verbatim
    assert.equal(m.wire, undefined);
    assert.equal(toHex(encodeDnsBytes(m)), toHex(RESPONSE));
  });

  it('compresses like nsd: a NODATA answer with the SOA in authority and an OPT, byte for byte', () => {
    // nsd 4.6.1's answer to "api.example.com AAAA" (reality lab capture): the SOA owner points at
    // the question's "example.com", its mname and rname end in pointers too
    const NODATA = hex(`438f 8400 0001 0000 0001 0001 03617069076578616d706c6503636f6d00 001c 0001
      c010 0006 0001 00015180 0027 036e7331c010 0a686f73746d6173746572c010 00000001 00000708 00000384 00093a80 00015180
      00 0029 04d0 00008000 0000`);
    const m = decodeDns(NODATA);
    assert.equal(m.wire, undefined, 'our encoding reproduces the capture');
    assert.deepEqual(m.authorities, [{ name: 'example.com', type: 'SOA', class: 'IN', ttl: 86400, data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 } }]);
    const edited: DnsMessage = { ...m, id: 1 };
    assert.equal(encodeDnsBytes(edited).length, NODATA.length);
  });

  it('keeps an uncompressed capture verbatim (the encoder would write it shorter)', () => {
    const plain: DnsMessage = { proto: 'dns', id: 7, flags: 0x8180, questions: [{ name: 'example.com', type: 'A', class: 'IN' }], answers: [{ name: 'example.com', type: 'A', class: 'IN', ttl: 300, data: '172.66.147.243' }], authorities: [], additionals: [] };
    const compressed = encodeDnsBytes(plain);
    // the same message with the answer owner written out (as dns-packet writes it)
    const longer = hex(`0007 8180 0001 0001 0000 0000 076578616d706c6503636f6d00 0001 0001 076578616d706c6503636f6d00 0001 0001 0000012c 0004 ac4293f3`);
    assert.equal(longer.length, compressed.length + 11);
    const d = decodeDns(longer);
    assert.deepEqual(d.wire, longer);
    assert.equal(toHex(encodeDnsBytes(d)), toHex(longer));
  });

  it('round-trips NS/CNAME/SOA/MX/TXT, EDNS OPT, raw unknown types and NXDOMAIN', () => {
    const m: DnsMessage = {
      proto: 'dns', id: 1, flags: dnsFlags({ qr: true, aa: true, rd: true, ra: true, rcode: 3 }),
      questions: [{ name: 'nope.example.com', type: 'A' }],
      answers: [
        { name: 'a.example.com', type: 'CNAME', class: 'IN', ttl: 60, data: 'b.example.com' },
        { name: 'b.example.com', type: 'MX', class: 'IN', ttl: 60, data: { preference: 10, exchange: 'mx.example.com' } },
        { name: 'b.example.com', type: 'TXT', class: 'IN', ttl: 60, data: ['v=spf1 -all'] },
        { name: 'b.example.com', type: 'SRV', class: 'IN', ttl: 60, data: hex('0000 0000 01bb 00') },
      ],
      authorities: [
        { name: 'example.com', type: 'NS', class: 'IN', ttl: 172800, data: 'a.iana-servers.net' },
        { name: 'example.com', type: 'SOA', class: 'IN', ttl: 900, data: { mname: 'ns.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } },
      ],
      additionals: [{ name: '.', edns: { udpPayloadSize: 1232, extendedRcode: 0, version: 0, flags: 0x8000, options: [{ code: 10, data: hex('0102030405060708') }] } }],
    };
    const { bytes, decoded } = roundTrip(codec, m);
    assert.equal(parseDnsFlags(decoded.flags).rcode, 3);
    assert.deepEqual(decoded.answers[3], m.answers[3]);
    assert.equal(bytes[3] & 0x0f, 3);
  });

  it('gives field spans for the header and each section', () => {
    const m = decodeDns(QUERY);
    const f = dnsFields(QUERY, m);
    const get = (n: string) => f.find((x) => x.name === n);
    assert.deepEqual(get('id'), { name: 'id', offset: 0, length: 2, value: '0x8298' });
    assert.equal(get('flags')?.offset, 2);
    assert.deepEqual(get('qdcount'), { name: 'qdcount', offset: 4, length: 2, value: '1' });
    assert.deepEqual(get('question[0].name'), { name: 'question[0].name', offset: 12, length: 17, value: 'www.example.com' });
    assert.deepEqual(get('question[0].type'), { name: 'question[0].type', offset: 29, length: 2, value: 'A' });
    const rf = dnsFields(RESPONSE, decodeDns(RESPONSE));
    assert.deepEqual(rf.find((x) => x.name === 'answer[1].ttl'), { name: 'answer[1].ttl', offset: 51, length: 4, value: '300' });
  });

  it('rejects hostile messages with WireError: pointer loops, forward pointers, bad labels, truncation', () => {
    // question name is a pointer to itself
    assert.throws(() => decodeDns(hex('0001 0100 0001 0000 0000 0000 c00c 0001 0001')), WireError);
    // forward pointer
    assert.throws(() => decodeDns(hex('0001 0100 0001 0000 0000 0000 c020 0001 0001')), WireError);
    // 0x80 label type
    assert.throws(() => decodeDns(hex('0001 0100 0001 0000 0000 0000 8001 0001 0001')), WireError);
    // counts claim more than is there
    assert.throws(() => decodeDns(hex('0001 0100 ffff 0000 0000 0000')), WireError);
    // over-long name: 200 labels
    const long = new Uint8Array(12 + 200 * 2 + 5);
    long.set(hex('0001 0100 0001 0000 0000 0000'));
    for (let i = 0; i < 200; i++) long.set([1, 0x61], 12 + i * 2);
    assert.throws(() => decodeDns(long), WireError);
    assertTruncationsSafe((b) => decodeDns(b), RESPONSE);
  });

  it('refuses to encode what dns-packet would silently get wrong', () => {
    const bad: DnsMessage = { proto: 'dns', id: 1, flags: 0, questions: [{ name: 'x', type: 'NOTATYPE' }], answers: [], authorities: [], additionals: [] };
    assert.throws(() => encodeDnsBytes(bad), WireError);
    assert.throws(() => encodeDnsBytes({ ...bad, questions: [{ name: 'x', type: 'A', class: 'CLASS9' }] }), WireError);
    assert.equal(toHex(encodeDnsBytes({ ...bad, questions: [] })), '000100000000000000000000');
  });
});
