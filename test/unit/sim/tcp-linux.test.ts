// Issue #15: TCP's ACKs, windows and close as Linux sends them. Quick ACKs at the start go out
// as the data arrives (before the answer), an interactive connection lets the answer carry the
// ACK or waits the delayed-ACK timeout, no pure ACK repeats one already sent, the window after
// data comes from tcp_select_window, and a connection the peer closes ends FIN, FIN+ACK, ACK.
import { strict as assert } from 'node:assert';
import { decodeStack, fromHex, type Header } from '../../../src/core/wire';
import type { PacketSnapshot, Trace } from '../../../src/core/trace/types';
import { SEED, traceOf } from './helpers';
import { labJourney } from '../../reality/lab/journey';

type Tcp = Extract<Header, { proto: 'tcp' }>;
type Ip = Extract<Header, { proto: 'ipv4' }>;
interface Seg { p: PacketSnapshot; ip: Ip; tcp: Tcp; len: number; flow: string }

function segments(t: Trace, link: string): Seg[] {
  const out: Seg[] = [];
  for (const p of t.packets.filter((x) => x.link === link)) {
    const hs = decodeStack(fromHex(p.bytes));
    const ipAt = hs.findIndex((h) => h.proto === 'ipv4');
    const ip = hs[ipAt] as Ip | undefined;
    const tcp = hs[ipAt + 1];
    if (!ip || tcp?.proto !== 'tcp') continue;
    out.push({ p, ip, tcp, len: (ip.totalLength ?? 0) - 20 - (tcp.dataOffset ?? 8) * 4, flow: `${ip.src}:${tcp.srcPort}>${ip.dst}:${tcp.dstPort}` });
  }
  return out;
}
const pureAck = (s: Seg): boolean => s.len === 0 && !!s.tcp.flags.ack && !s.tcp.flags.syn && !s.tcp.flags.fin && !s.tcp.flags.rst;

describe('simulation: TCP as Linux sends it (issue #15)', () => {
  const seed = traceOf(SEED);

  it('sends no pure ACK that acknowledges nothing new (no Dup ACK after its own data)', () => {
    for (const link of new Set(seed.packets.map((p) => p.link))) {
      const last = new Map<string, number>();
      for (const s of segments(seed, link)) {
        if (pureAck(s)) assert.notEqual(last.get(s.flow), s.tcp.ack, `${link}: ${s.flow} repeats ACK ${s.tcp.ack}`);
        if (s.tcp.flags.ack) last.set(s.flow, s.tcp.ack);
      }
    }
  });

  it('quick-ACK mode: the server ACKs the first request data at once, before its answer', () => {
    const segs = segments(seed, 'vpc-alb').filter((s) => s.tcp.srcPort === 443 || s.tcp.dstPort === 443);
    const hello = segs.findIndex((s) => s.tcp.dstPort === 443 && s.len > 0);
    const next = segs.slice(hello + 1).filter((s) => s.tcp.srcPort === 443);
    assert.ok(pureAck(next[0]), 'the first segment back is a pure ACK');
    assert.equal(next[0].tcp.ack, (segs[hello].tcp.seq + segs[hello].len) >>> 0);
    assert.ok(next[1].len > 0, 'then the server\'s flight');
  });

  it('an interactive connection whose answer takes longer than 40 ms sends a delayed ACK 40 ms after the data', () => {
    // The load balancer has sent data (its TLS flight) right after receiving some: ping-pong
    // mode. The request it now waits on the backend for is ACKed by the delayed-ACK timer.
    const segs = segments(seed, 'vpc-alb').filter((s) => s.tcp.srcPort === 443 || s.tcp.dstPort === 443);
    const delayed = segs.find((s) => s.tcp.srcPort === 443 && pureAck(s) && segs.some((d) => d.tcp.dstPort === 443 && d.len > 0 && Math.abs(s.p.time - d.p.time - 40) < 1));
    assert.ok(delayed, 'a pure ACK from the load balancer 40 ms after a request segment');
    const ev = seed.events.find((e) => e.device === 'alb' && /delayed ACK after 40 ms/.test(e.summary + (e.details ?? []).join(' ')));
    assert.ok(ev, 'the trace says why');
  });

  it('the window after data is what is left of the offered window, rounded up to the scale (tcp_select_window)', () => {
    const lo = segments(seed, 'lo@web-7d9f');
    const synAck = lo.find((s) => s.tcp.flags.syn && s.tcp.flags.ack);
    assert.ok(synAck);
    const req = lo.find((s) => s.len > 0 && s.tcp.dstPort === synAck.tcp.srcPort);
    assert.ok(req);
    const ack = lo.find((s) => pureAck(s) && s.tcp.srcPort === synAck.tcp.srcPort && s.tcp.ack === ((req.tcp.seq + req.len) >>> 0));
    assert.ok(ack, 'the server ACKs the request');
    // The loopback listener offered 65483 (MSS 65495 - 12); the unread request takes its length.
    assert.equal(ack.tcp.window, Math.ceil((synAck.tcp.window - req.len) / 128));
    // Once read, the window is back to the buffer's half capped by the initial window: 65536.
    const resp = lo.find((s) => s.len > 0 && s.tcp.srcPort === synAck.tcp.srcPort);
    assert.equal(resp?.tcp.window, Math.ceil(synAck.tcp.window / 128));
  });

  it('windows as the reality lab measured them on Linux 6.18: clamped when established, grown by a full-sized segment', () => {
    // The lab's topology as the lab writes it; its curl saw these windows (docs/reality.md), with
    // the ECDSA certificate the lab had before (its flight: 843-845 bytes).
    const t = traceOf(labJourney({ issuer: 'Packet Journey Lab' }).replace('  key ed25519\n', ''));
    const segs = segments(t, 'home-lan').filter((s) => s.tcp.srcPort === 443 || s.tcp.dstPort === 443);
    const client = segs.filter((s) => s.tcp.dstPort === 443 && !s.tcp.flags.syn);
    const server = segs.filter((s) => s.tcp.srcPort === 443 && !s.tcp.flags.syn);
    // handshake ACK and ClientHello: what is left of the SYN's 64240, rounded up (502 x 128),
    // above the clamp tcp_init_buffer_space set (65536 - 1448 = 64088, `ss -ti` rcv_ssthresh)
    assert.deepEqual(client.slice(0, 2).map((s) => s.tcp.window), [502, 502]);
    // the server's flight (843 bytes in a 1600-byte buffer: scaling ratio 134/256) raises the
    // clamp and rcv_ssthresh grows by two segments (tcp_grow_window): 64256 + 2896, 525 x 128
    const flight = segs.findIndex((s) => s.tcp.srcPort === 443 && s.len > 800);
    const ackOfFlight = segs.slice(flight + 1).find((s) => s.tcp.dstPort === 443);
    assert.equal(ackOfFlight?.tcp.window, 525);
    // the server only ever gets small segments (under TCP_MSS_DEFAULT): its ratio stays 128/256
    // and it offers what is left after the ClientHello (65160 - 517, rounded up: 506 x 128)
    assert.deepEqual([...new Set(server.map((s) => s.tcp.window))], [506]);
    // With the lab's Ed25519 certificate the flight is 773 bytes in a 1536-byte buffer: ratio
    // 128/256, the default, so the clamp stays at 64088 and curl offers 501 x 128 from then on,
    // as the real one does.
    const ed = segments(traceOf(labJourney({ issuer: 'Packet Journey Lab' })), 'home-lan').filter((s) => s.tcp.srcPort === 443 || s.tcp.dstPort === 443);
    const edFlight = ed.findIndex((s) => s.tcp.srcPort === 443 && s.len > 0);
    assert.equal(ed[edFlight].len, 773);
    assert.deepEqual([...new Set(ed.slice(edFlight + 1).filter((s) => s.tcp.dstPort === 443).map((s) => s.tcp.window))], [501]);
  });

  it('the read that empties two small pushed segments ACKs them before the application answers (tcp_cleanup_rbuf)', () => {
    // As the lab's curl does: the server's SETTINGS ACK is still unacknowledged when the response
    // arrives; curl's read ACKs both at once, and its FIN (the answer to the response) follows.
    const t = traceOf(labJourney({ issuer: 'Packet Journey Lab' }));
    const segs = segments(t, 'home-lan').filter((s) => s.tcp.srcPort === 443 || s.tcp.dstPort === 443);
    const response = segs.reduce((last, s, i) => (s.tcp.srcPort === 443 && s.len > 300 && s.len < 800 ? i : last), -1);
    const [ack, fin] = segs.slice(response + 1).filter((s) => s.tcp.dstPort === 443);
    assert.ok(pureAck(ack), 'a pure ACK first');
    assert.equal(ack.tcp.ack, (segs[response].tcp.seq + segs[response].len) >>> 0);
    assert.ok(fin.tcp.flags.fin, 'then the FIN');
    assert.equal(fin.tcp.ack, ack.tcp.ack);
    assert.ok(ack.p.time <= fin.p.time);
    const why = t.events.find((e) => e.device === 'laptop' && e.kind === 'send' && (e.details ?? []).some((d) => /ACK as the application reads small pushed segments/.test(d)));
    assert.ok(why, 'the trace says why');
  });

  it('a larger receive buffer moves the clamp with it', () => {
    const windows = (t: Trace) => segments(t, 'vpc-alb').filter((s) => s.tcp.dstPort === 443 && !s.tcp.flags.syn).map((s) => s.tcp.window);
    // 262144: the clamp (131072 - 1448) is above the SYN's window, which then caps the handshake
    // ACK's (502), as it does with the default buffer; after data the window grows further
    const base = windows(seed);
    const bigger = windows(traceOf(SEED.replace(/(host laptop \{)/, '$1\n  tcp-rmem 4096 262144 6291456')));
    assert.equal(base[0], 502);
    assert.equal(bigger[0], 502);
    assert.ok(Math.max(...bigger) > Math.max(...base), `${Math.max(...bigger)} > ${Math.max(...base)}`);
  });

  it('a connection the server closes ends FIN (server), FIN+ACK (client), ACK, with no ACK between the FINs', () => {
    // The first request's upstream connection (the sidecar opens one per request).
    const all = segments(seed, 'lo@web-7d9f');
    const port = all[0].tcp.srcPort;
    const lo = all.filter((s) => s.tcp.srcPort === port || s.tcp.dstPort === port);
    const fins = lo.filter((s) => s.tcp.flags.fin);
    assert.equal(fins.length, 2);
    const server = fins[0];
    const client = fins[1];
    assert.equal(server.tcp.srcPort, 3000, 'the app (asked to close) sends the first FIN');
    assert.ok(client.tcp.flags.ack);
    assert.equal(client.tcp.ack, (server.tcp.seq + 1) >>> 0, 'the client\'s FIN carries the ACK of the server\'s');
    const between = lo.slice(lo.indexOf(server) + 1, lo.indexOf(client)).filter((s) => s.tcp.srcPort !== 3000 && pureAck(s) && s.tcp.ack === client.tcp.ack);
    assert.deepEqual(between, [], 'no separate ACK of the FIN');
    const last = lo[lo.length - 1];
    assert.ok(pureAck(last) && last.tcp.ack === ((client.tcp.seq + 1) >>> 0), 'the last ACK');
  });
});
