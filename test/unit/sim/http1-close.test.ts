// curl over HTTP/1.1 against nginx, as the reality lab runs it (test/reality/path.test.ts, HTTP/1.1):
// nginx says "Connection: keep-alive", curl ends with close_notify then FIN, nginx closes on the
// close_notify without one of its own, so the two FINs cross, and both ends pass through
// CLOSING to TIME_WAIT with no RST.
import { strict as assert } from 'node:assert';
import { labJourney } from '../../reality/lab/journey';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import { traceOf } from './helpers';

type Tcp = Extract<Header, { proto: 'tcp' }>;
const LAB_H1 = labJourney({ issuer: 'Packet Journey Lab' }, undefined, '1.1');

function tcpOn(t: ReturnType<typeof traceOf>, link: string): Tcp[] {
  return t.packets.filter((p) => p.link === link).map((p) => decodeStack(fromHex(p.bytes)).find((h): h is Tcp => h.proto === 'tcp')).filter((h): h is Tcp => !!h);
}

describe('simulation: curl and nginx over HTTP/1.1 (issue #15)', () => {
  const t = traceOf(LAB_H1);

  it('nginx answers a keep-alive request with "Connection: keep-alive"', () => {
    const response = t.packets.find((p) => p.link === 'home-lan' && p.plaintext?.some((l) => /HTTP\/1\.1 200/.test(l.summary)));
    assert.ok(response, 'the response on the client\'s link');
    const fields = (response.plaintext ?? []).flatMap((l) => l.fields.map((f) => `${f.name}: ${f.value}`)).join('\n');
    assert.match(fields, /Connection: keep-alive/i);
  });

  it('nginx closes on curl\'s close_notify, sending no close_notify of its own', () => {
    const closed = t.events.find((e) => e.device === 'alb' && /closed TLS \(close_notify\): closing the connection/.test(e.summary));
    assert.ok(closed);
    assert.ok(!t.events.some((e) => e.device === 'alb' && /close_notify: this side will send no more data/.test(e.summary)));
  });

  it('the FINs cross: each side goes FIN_WAIT_1 -> CLOSING -> TIME_WAIT, and nothing is reset', () => {
    for (const device of ['laptop', 'alb']) {
      const states = t.events.filter((e) => e.device === device && e.kind === 'tcp' && /:443|browser/.test(e.summary)).map((e) => e.summary.replace(/^.*: /, ''));
      assert.ok(states.includes('FIN_WAIT_1 -> CLOSING'), `${device}: ${states.join(', ')}`);
      assert.ok(states.includes('CLOSING -> TIME_WAIT'), `${device}: ${states.join(', ')}`);
    }
    const segs = tcpOn(t, 'home-lan').filter((h) => h.srcPort === 443 || h.dstPort === 443);
    assert.ok(!segs.some((h) => h.flags.rst), 'no RST on the client\'s link');
    const fins = segs.filter((h) => h.flags.fin);
    assert.equal(fins.length, 2);
    // neither FIN acknowledges the other: they crossed on the wire
    for (const f of fins) assert.ok(!fins.some((g) => g !== f && f.ack === (g.seq + 1) >>> 0));
  });

  it('the same over HTTP/2: curl sends no close_notify, nginx closes after curl\'s FIN, no CLOSING', () => {
    const h2 = traceOf(labJourney({ issuer: 'Packet Journey Lab' }));
    assert.ok(!h2.events.some((e) => /CLOSING/.test(e.summary)));
    assert.ok(!h2.events.some((e) => e.device === 'alb' && /closed TLS \(close_notify\)/.test(e.summary)));
  });
});
