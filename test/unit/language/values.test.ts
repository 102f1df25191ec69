import { strict as assert } from 'node:assert';
import * as V from '../../../src/core/language/values';

const value = <T>(p: V.Parsed<T>): T => { assert.ok(p.ok, p.ok ? '' : p.message); return (p as { value: T }).value; };
const message = <T>(p: V.Parsed<T>): string => { assert.ok(!p.ok); return (p as { message: string }).message; };

describe('values', () => {
  it('reads IPv4 addresses strictly', () => {
    assert.equal(value(V.parseIpv4('192.168.1.100')), 0xc0a80164);
    assert.equal(V.formatIpv4(0xc0a80164), '192.168.1.100');
    assert.match(message(V.parseIpv4('192.168.1.300')), /0 to 255/);
    assert.equal(V.parseIpv4('10.1').ok, false);
    assert.equal(V.parseIpv4('010.0.0.1').ok, false);
  });
  it('reads prefixes, MACs, ports and endpoints', () => {
    assert.deepEqual(value(V.parseCidr('10.0.0.0/8')), { address: 0x0a000000, prefix: 8 });
    assert.match(message(V.parseCidr('10.0.0.0/33')), /0 to 32/);
    assert.match(message(V.parseCidr('10.0.0.0')), /prefix length/);
    assert.equal(value(V.parseMac('AA:bb:cc:dd:ee:01')), 'aa:bb:cc:dd:ee:01');
    assert.equal(V.parseMac('aa:bb:cc:dd:ee').ok, false);
    assert.equal(V.parsePort('0').ok, false);
    assert.equal(V.parsePort('65536').ok, false);
    assert.deepEqual(value(V.parseEndpoint('127.0.0.1:3000')), { address: 0x7f000001, port: 3000 });
  });
  it('reads durations, sizes and rates with units', () => {
    assert.equal(value(V.parseDuration('500us')), 0.5);
    assert.equal(value(V.parseDuration('12ms')), 12);
    assert.equal(value(V.parseDuration('2s')), 2000);
    assert.match(message(V.parseDuration('2')), /needs a unit/);
    assert.equal(value(V.parseSize('2KiB')), 2048);
    assert.equal(value(V.parseBandwidth('300Mbps')), 3e8);
    assert.equal(value(V.parseSeconds('300')), 300);
    assert.equal(value(V.parseSeconds('5m')), 300);
  });
  it('reads URLs with default and explicit ports', () => {
    assert.deepEqual(value(V.parseUrl('https://api.example.com/users/42')), { scheme: 'https', host: 'api.example.com', port: 443, path: '/users/42', explicitPort: false });
    assert.equal(value(V.parseUrl('http://example.com:8080')).port, 8080);
    assert.equal(value(V.parseUrl('http://example.com:8080')).path, '/');
    assert.match(message(V.parseUrl('ftp://x/')), /not supported/);
    assert.match(message(V.parseUrl('not a url')), /scheme:\/\/host/);
  });
  it('reads dates and rejects impossible ones', () => {
    assert.equal(value(V.parseDate('2027-01-31')), Date.UTC(2027, 0, 31));
    assert.equal(V.parseDate('2027-02-30').ok, false);
    // a moment in UTC
    assert.equal(value(V.parseDate('2027-01-31T09:30:05Z')), Date.UTC(2027, 0, 31, 9, 30, 5));
    assert.match(message(V.parseDate('2027-01-31T24:00:00Z')), /not a time of day/);
    for (const t of ['2027-01-31T09:30Z', '2027-01-31T09:30:00', '2027-01-31 09:30:00Z', '2027-01-31T09:30:00+01:00']) assert.equal(V.parseDate(t).ok, false, t);
  });
});
