import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as V from '../../../src/core/language/values';

/** What a parser accepts, as its value; undefined when it refuses. */
const accepted = <T>(p: V.Parsed<T>): T | undefined => (p.ok ? p.value : undefined);

describe('values: fast readers', () => {
  const samples = ['10.0.0.1', '010.0.0.1', '1.2.3.256', '1.2.3', '1.2.3.4.5', '0.0.0.0', '255.255.255.255', '10.0.0.1/24', '10.0.0.1/33', '10.0.0.1/', 'default',
    '20us', '1.5ms', '1.ms', '.5ms', '2', '5toString', '3constructor', '1Gbps', '0bps', '0.5bps', '2000Gbps', `${'9'.repeat(400)}ms`, 'AA:bb:cc:dd:ee:01', 'aa:bb:cc:dd:ee', 'aa-bb-cc-dd-ee-ff', ''];

  it('agree with the parsers on the values they accept and refuse', () => {
    for (const t of samples) {
      assert.deepEqual(V.readIpv4(t), accepted(V.parseIpv4(t)), t);
      assert.deepEqual(V.readCidr(t), accepted(V.parseCidr(t)), t);
      assert.deepEqual(V.readMac(t), accepted(V.parseMac(t)), t);
      assert.deepEqual(V.readDuration(t), accepted(V.parseDuration(t)), t);
      assert.deepEqual(V.readDuration(t, { min: 1000 }), accepted(V.parseDuration(t, { min: 1000 })), t);
      assert.deepEqual(V.readBandwidth(t), accepted(V.parseBandwidth(t)), t);
    }
  });

  it('agree with the parsers on generated text (property)', () => {
    const part = fc.constantFrom('0', '1', '25', '255', '256', '00', '.', '/', ':', 'ms', 'us', 's', 'Gbps', 'a', 'F', '%', 'x');
    fc.assert(fc.property(fc.array(part, { maxLength: 8 }).map((a) => a.join('')), (t) => {
      assert.deepEqual(V.readIpv4(t), accepted(V.parseIpv4(t)));
      assert.deepEqual(V.readCidr(t), accepted(V.parseCidr(t)));
      assert.deepEqual(V.readDuration(t), accepted(V.parseDuration(t)));
      assert.deepEqual(V.readBandwidth(t), accepted(V.parseBandwidth(t)));
    }), { numRuns: 2000 });
  });

  it('read the same through an address memo, repeats and collisions included', () => {
    const memo = new V.AddressMemo();
    const part = fc.constantFrom('0', '1', '10', '255', '256', '.', '/', '8', '24', 'x');
    fc.assert(fc.property(fc.array(fc.array(part, { maxLength: 9 }).map((a) => a.join('')), { maxLength: 30 }), (texts) => {
      for (const t of [...texts, ...texts, ...samples]) {
        assert.deepEqual(V.readIpv4(t, memo), V.readIpv4(t), t);
        assert.deepEqual(V.readCidr(t, memo), V.readCidr(t), t);
      }
    }), { numRuns: 300 });
    // A gateway read after the range that holds the same address.
    const m = new V.AddressMemo();
    assert.deepEqual(V.readCidr('10.0.7.1/24', m), { address: 0x0a000701, prefix: 24 });
    assert.equal(V.readIpv4('10.0.7.1', m), 0x0a000701);
    assert.equal(V.readIpv4('10.0.7.10', m), 0x0a00070a);
  });

  it('parse IPv4 through ipaddr.js, dotted quads only, with the same messages', () => {
    assert.equal(accepted(V.parseIpv4('192.168.1.100')), 0xc0a80164);
    assert.equal(accepted(V.parseIpv4('255.255.255.255')), 0xffffffff);
    assert.match((V.parseIpv4('192.168.1.300') as { message: string }).message, /four numbers from 0 to 255/);
    assert.match((V.parseCidr('300.0.0.0/8') as { message: string }).message, /"300.0.0.0" is not an IPv4 address/);
  });

  it('refuse the octal and shorthand forms inet_aton accepts, and test prefixes', () => {
    for (const t of ['010.0.0.1', '10.1', '1.2.3.256', '1.2.3', '1.2.3.4.', `1.2.3.${'0'.repeat(30)}7`, '0x0a.0.0.1']) assert.equal(V.readIpv4(t), undefined, t);
    assert.equal(V.readIpv4('10.0.0.1'), 0x0a000001);
    assert.ok(V.inPrefix(0x0a000105, 0x0a000000, 16));
    assert.ok(!V.inPrefix(0x0b000105, 0x0a000000, 16));
    assert.ok(V.inPrefix(0x0b000105, 0, 0));
  });
});
