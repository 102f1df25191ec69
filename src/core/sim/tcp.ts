// TCP endpoints as Linux runs them: three-way handshake with MSS, SACK-permitted, timestamps
// and window scale; initial window and scale derived from the buffer sizes; segmentation by
// the effective MSS; slow start from IW10; receive-window flow control; quick ACKs at the
// start, then delayed ACKs; SYN retransmission with exponential backoff; FIN close.
// The receiver follows tcp_input.c: data is ACKed at once in quick-ACK mode (before the
// application reads it), an interactive (ping-pong) connection waits for the answer to carry
// the ACK, and the advertised window comes from tcp_select_window.
import { concatBytes, encodeStackBytes, headerLength, knownLength, linuxSynOptions, linuxTimestampOptions, type Header, type IcmpMessage, type TcpHeader, type TlsRecords } from '../wire';
import { payloadLength, type Node, type Packet, type Sim } from './engine';
import { IPV4_MAX_DATAGRAM, LINUX } from './constants';
import { quotedTuple } from './netfilter';
import type { EventInput } from '../trace/builder';

export interface TcpCallbacks {
  onEstablished?(c: TcpConn): void;
  onMessage?(c: TcpConn, header: Header, bytes: Uint8Array): void;
  onClosed?(c: TcpConn): void;
  onFail?(c: TcpConn, reason: string): void;
}

interface OutMessage { start: number; end: number; header: Header; bytes: Uint8Array }

export type TcpState = 'CLOSED' | 'SYN_SENT' | 'SYN_RECEIVED' | 'ESTABLISHED' | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'CLOSING' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT';

const seqAdd = (a: number, b: number): number => (a + b) >>> 0;
const seqDiff = (a: number, b: number): number => ((a - b) | 0);

/** SYN window: the receive space capped at 65535 and rounded down to whole segments. */
export function initialWindow(mss: number, rmemDefault: number = LINUX.tcpRmemDefault): number {
  const space = Math.min(rmemDefault, 65535);
  return Math.floor(space / mss) * mss;
}

/** Window scale: the smallest shift that lets the largest receive buffer be advertised. */
export function windowScale(rmemMax: number = LINUX.tcpRmemMax): number {
  let space = rmemMax;
  let ws = 0;
  while (space > 65535 && ws < 14) { space >>= 1; ws++; }
  return ws;
}

export class TcpConn {
  state: TcpState = 'CLOSED';
  readonly iss: number;
  irs = 0;
  sndUna: number;
  sndNxt: number;
  rcvNxt = 0;
  readonly mss: number;
  private readonly mssWhy: string;
  peerMss = 536;
  readonly ws: number;
  private readonly rmem: [number, number, number];
  peerWs = 0;
  peerWindow = 65535;
  rcvWindow: number;
  cwnd: number = LINUX.initialCwnd;
  private readonly tsOffset: number;
  private peerTsval = 0;
  private readonly out: OutMessage[] = [];
  /** Index of the first message not yet acknowledged in full. */
  private outHead = 0;
  private streamEnd: number;
  /** Receiver state of tcp_input.c: quick ACKs left (icsk_ack.quick), the ACK timeout (ato, 0
   * until data first arrives), when data last arrived, ping-pong count, whether an ACK is owed,
   * the PUSHED flags of small segments, and the peer's segment size as measured. */
  private quick = 0;
  private ato = 0;
  private lrcvTime = 0;
  private pingpong = 0;
  private ackPending = false;
  private ackTimerGen = 0;
  private pushed = 0;
  private rcvMss: number = LINUX.mssDefault;
  /** The window last advertised (bytes) and the sequence it starts at (rcv_wnd, rcv_wup), the
   * window's ceiling (rcv_ssthresh), and the receive buffer charged by data not yet read. */
  private rcvWnd = 0;
  private rcvWup = 0;
  private rcvSsthresh = 0;
  /** Receive-buffer accounting of Linux 6.x: the share of the buffer the window may offer
   * (tp->scaling_ratio, out of 256) and the largest window this end will offer (window_clamp,
   * from tcp_init_buffer_space). */
  private scalingRatio: number = LINUX.defaultScalingRatio;
  private windowClamp = Infinity;
  private unread = 0;
  private synTries = 0;
  /** The SYN's retransmission timeout and schedule (tcp_retransmit_timer, tcp_write_timeout). */
  private synRto: number;
  private readonly synTimers: { retries: number; linear: number; initialRto: number };
  private finSent = false;
  private finSeq = 0;
  private readonly delivered = new Set<number>();
  /** Retransmission timeout (RFC 6298 with Linux's 200 ms floor), from the handshake's RTT. */
  private rto: number = LINUX.initialRtoMs;
  private handshakeSentAt = 0;
  private rtoTimer = 0;
  private rtoDeadline = 0;
  private rtoPending = false;
  private rtoBackoffs = 0;
  readonly key: string;

  constructor(
    readonly sim: Sim, readonly node: Node,
    readonly local: { ip: string; port: number }, readonly remote: { ip: string; port: number },
    public cb: TcpCallbacks, readonly label: string,
  ) {
    this.iss = sim.rng.u32();
    this.sndUna = this.iss;
    this.sndNxt = this.iss;
    this.streamEnd = seqAdd(this.iss, 1);
    this.tsOffset = sim.rng.u32();
    const mtu = local.ip.startsWith('127.') ? LINUX.loopbackMtu : routeMtu(sim, node, remote.ip);
    // An IPv4 datagram holds at most 65,535 bytes, so Linux caps the MSS at 65535 - 40 = 65495
    // (what "lo", MTU 65536, advertises), however large the MTU.
    // ipv4_default_advmss: never below net.ipv4.route.min_adv_mss, however small the MTU.
    this.mss = Math.max(Math.min(mtu, IPV4_MAX_DATAGRAM) - 40, LINUX.minAdvMss);
    this.mssWhy = mtu > IPV4_MAX_DATAGRAM ? `largest IPv4 datagram ${IPV4_MAX_DATAGRAM} - 40; the MTU is ${mtu}` : mtu - 40 < LINUX.minAdvMss ? `route.min_adv_mss; MTU ${mtu} - 40 is less` : 'MTU - 40';
    // A pod's network namespace starts from its node's settings.
    const owner = node.d.pod ? sim.net.devices.get(node.d.pod.node) : node.d;
    this.rmem = owner?.tcpRmem ?? [4096, LINUX.tcpRmemDefault, LINUX.tcpRmemMax];
    const t = owner?.timers;
    this.synTimers = { retries: t?.synRetries ?? LINUX.synRetries, linear: t?.synLinearTimeouts ?? LINUX.synLinearTimeouts, initialRto: t?.initialRtoMs ?? LINUX.initialRtoMs };
    this.synRto = this.synTimers.initialRto;
    this.rto = this.synTimers.initialRto;
    this.ws = windowScale(this.rmem[2]);
    this.rcvWindow = initialWindow(this.mss, this.rmem[1]);
    this.rcvSsthresh = this.rcvWindow;
    this.rcvWnd = this.rcvWindow;
    this.key = `${local.ip}:${local.port}|${remote.ip}:${remote.port}`;
    node.tcp.set(this.key, (p, tcp) => this.input(p, tcp));
    node.icmpListeners.push(this.onIcmp);
  }

  /** Linux (tcp_v4_err) aborts a connection still in SYN_SENT on an ICMP error about it:
   * connect() fails with EHOSTUNREACH (time exceeded, host unreachable) or ECONNREFUSED. */
  private readonly onIcmp = (pkt: Packet, icmp: IcmpMessage): void => {
    if (icmp.kind !== 'time_exceeded' && icmp.kind !== 'dest_unreachable') return;
    const quoted = quotedTuple(icmp.original);
    if (quoted?.proto !== 6 || quoted.src !== this.local.ip || quoted.sport !== this.local.port) return;
    const from = (pkt.headers[0] as { src?: string }).src ?? '?';
    if (icmp.kind === 'dest_unreachable' && icmp.code === 4) { this.pathMtuReduced(icmp.nextHopMtu ?? 0, from, pkt); return; }
    if (this.state !== 'SYN_SENT') return;
    // icmp_err_convert: net unreachable is ENETUNREACH, port unreachable ECONNREFUSED, the
    // others (host unreachable, prohibited, time exceeded) EHOSTUNREACH.
    const code = icmp.kind === 'dest_unreachable' ? icmp.code : -1;
    const refused = code === 3;
    const err = refused ? 'ECONNREFUSED' : code === 0 ? 'ENETUNREACH' : 'EHOSTUNREACH';
    const text = code === 0 ? 'Network is unreachable' : refused ? 'Connection refused' : 'No route to host';
    const what = code === 0 ? 'network unreachable' : code === 1 ? 'host unreachable' : icmp.kind.replace('_', ' ');
    this.event(`ICMP ${what} from ${from} about our SYN: connect() fails with ${err} (${text})`, [], pkt);
    this.teardown();
    this.cb.onFail?.(this, refused ? 'reset' : `unreachable: ICMP ${what} from ${from}, connect() failed with ${err} "${text}"`);
  };

  /** Path MTU discovery (RFC 1191, tcp_v4_mtu_reduced): a router said our DF segment was too
   * big for its next hop; send smaller segments from now on and resend what is unacknowledged
   * at once (tcp_simple_retransmit: no backoff, no congestion window cut). */
  private pathMtu = Infinity;
  private pathMtuReduced(mtu: number, from: string, pkt: Packet): void {
    // net.ipv4.route.min_pmtu: Linux never believes a smaller figure.
    const pmtu = Math.max(mtu, LINUX.minPmtu);
    if (this.state === 'CLOSED' || pmtu >= this.pathMtu || pmtu - 40 >= Math.min(this.mss, this.peerMss)) return;
    const before = this.sendMss;
    this.pathMtu = pmtu;
    this.event(`ICMP fragmentation needed from ${from}: next-hop MTU ${mtu}; path MTU to ${this.remote.ip} is now ${pmtu}, segments shrink from ${before} to ${this.sendMss} bytes; resend the unacknowledged data at once`, [`PMTUD: the route cache keeps MTU ${pmtu} for ${this.remote.ip} (ip route get ${this.remote.ip} shows "cache expires 600sec mtu ${pmtu}")`], pkt);
    if (!this.sim.slowdowns.some((x) => x.device === from)) {
      this.sim.slowdowns.push({ what: `path MTU discovery: ${from} cannot forward packets over ${mtu} bytes (its next hop's MTU) and said so with ICMP "fragmentation needed"; ${this.node.name} resent in segments of ${this.sendMss} bytes instead of ${before}`, device: from, detectWith: `ip route get ${this.remote.ip} on ${this.node.name} (cached "mtu ${pmtu}"); tracepath ${this.remote.ip} (shows the pmtu step); tcpdump 'icmp[icmptype] == 3 and icmp[icmpcode] == 4'` });
    }
    if (seqDiff(this.sndNxt, this.sndUna) <= 0) return;
    this.sim.trace.simplify('After an ICMP "fragmentation needed" TCP resends everything unacknowledged in smaller segments; Linux (tcp_simple_retransmit) resends only the segments larger than the new MSS.');
    this.sndNxt = this.sndUna;
    if (this.finSent && seqDiff(this.finSeq, this.sndUna) >= 0) this.finSent = false;
    this.trySend();
  }

  /** Payload bytes per segment: the smaller MSS, less the 12 bytes timestamps take. */
  get sendMss(): number { return Math.max(Math.min(this.mss, this.peerMss, this.pathMtu - 40), LINUX.minSndMss) - 12; }
  private tsval(): number { return (this.tsOffset + Math.floor(this.sim.now * LINUX.tsHz / 1000)) >>> 0; }

  private event(summary: string, details: string[] = [], pkt?: Packet): void {
    const e: EventInput = { device: this.node.name, direction: 'local', kind: 'tcp', layers: ['L4'], summary: `${this.label}: ${summary}`, details };
    if (pkt) e.packetId = pkt.id;
    this.sim.trace.event(this.sim.now, e);
  }

  private tableState(): void {
    const rows: Record<string, string>[] = [];
    for (const k of this.node.tcp.keys()) rows.push({ connection: k.replace('|', ' <-> '), state: k === this.key ? this.state : 'ESTABLISHED' });
    this.sim.trace.table(this.sim.now, this.node.name, 'tcp', rows);
  }

  private setState(s: TcpState): void {
    if (this.state === s) return;
    this.event(`${this.state} -> ${s}`);
    this.state = s;
    this.tableState();
  }

  connect(): void {
    this.firstSynAt = this.sim.now;
    this.setState('SYN_SENT');
    this.sendSyn();
  }

  private sendSyn(): void {
    this.synTries++;
    this.handshakeSentAt = this.sim.now;
    const h: TcpHeader = { proto: 'tcp', srcPort: this.local.port, dstPort: this.remote.port, seq: this.iss, ack: 0, flags: { syn: true }, window: this.rcvWindow, options: linuxSynOptions({ mss: this.mss, tsval: this.tsval(), wscale: this.ws }) };
    this.sndNxt = seqAdd(this.iss, 1);
    this.emit(h, undefined, [`TCP: SYN with ISN ${this.iss} (random), MSS ${this.mss} (${this.mssWhy}), window ${this.rcvWindow} (receive space rounded to whole segments), scale ${this.ws}, SACK permitted, timestamps${this.synTries > 1 ? `; retransmission ${this.synTries - 1}` : ''}`]);
    const rto = this.synRto;
    this.sim.after(rto, () => {
      if (this.state !== 'SYN_SENT') return;
      // tcp_write_timeout: a SYN_SENT socket may retransmit tcp_syn_retries plus
      // tcp_syn_linear_timeouts times; the next expiry after the last one gives up.
      const { retries, linear } = this.synTimers;
      const sent = this.synTries - 1;
      if (sent >= retries + linear) {
        this.event(`no SYN-ACK after ${this.synTries} SYNs (tcp_syn_retries ${retries} + tcp_syn_linear_timeouts ${linear} retransmissions): connection timed out (ETIMEDOUT) ${fmtS(this.sim.now - this.firstSynAt)} after connect()`);
        this.teardown();
        this.cb.onFail?.(this, 'timeout');
        return;
      }
      // tcp_retransmit_timer: the backoff counts this retransmission; while it is within the
      // linear budget the timeout stays, after it doubles up to TCP_RTO_MAX.
      const backoff = sent + 1;
      const linearStep = backoff <= linear;
      if (!linearStep) this.synRto = Math.min(this.synRto * 2, LINUX.rtoMaxMs);
      this.event(`no SYN-ACK within the retransmission timeout of ${rto} ms: retransmit SYN (${linearStep ? `linear timeout ${backoff} of ${linear}: the wait stays ${rto} ms` : `backoff: the next wait is ${this.synRto} ms`})`);
      this.sendSyn();
    });
  }
  private firstSynAt = 0;

  /** Server side: answer a SYN. */
  accept(syn: TcpHeader, pkt: Packet): void {
    this.irs = syn.seq;
    this.rcvNxt = seqAdd(syn.seq, 1);
    this.readSynOptions(syn);
    // The listener already knows timestamps are on, so it rounds its window to segments of
    // MSS - 12 (Linux tcp_openreq_init_rwin): 65160 for MSS 1460, where the SYN had 64240.
    if (syn.options?.some((o) => o.kind === 'timestamps')) this.rcvWindow = initialWindow(this.mss - 12, this.rmem[1]);
    this.rcvSsthresh = this.rcvWindow;
    this.rcvWnd = this.rcvWindow;
    this.rcvWup = this.rcvNxt;
    this.setState('SYN_RECEIVED');
    this.handshakeSentAt = this.sim.now;
    const h: TcpHeader = { proto: 'tcp', srcPort: this.local.port, dstPort: this.remote.port, seq: this.iss, ack: this.rcvNxt, flags: { syn: true, ack: true }, window: this.rcvWindow, options: linuxSynOptions({ mss: this.mss, tsval: this.tsval(), tsecr: this.peerTsval, wscale: this.ws }) };
    this.sndNxt = seqAdd(this.iss, 1);
    this.emit(h, undefined, [`TCP: SYN-ACK, ISN ${this.iss}, ack ${this.rcvNxt} (client ISN + 1), MSS ${this.mss}, window ${this.rcvWindow}, scale ${this.ws}`], pkt.id);
  }

  private readSynOptions(h: TcpHeader): void {
    for (const o of h.options ?? []) {
      if (o.kind === 'mss') this.peerMss = o.value;
      if (o.kind === 'wscale') this.peerWs = o.shift;
      if (o.kind === 'timestamps') this.peerTsval = o.tsval;
    }
    this.peerWindow = h.window;
  }

  /** First RTT sample: SRTT = R, RTTVAR = R/2, so RTO = 3R, at least 200 ms (TCP_RTO_MIN). */
  private measureRtt(): void {
    if (this.synTries > 1) return; // Karn: no sample from a retransmitted SYN
    this.rto = Math.max(LINUX.rtoMinMs, 3 * (this.sim.now - this.handshakeSentAt));
  }

  /** Arms the retransmission timer when data is outstanding: (re)starts it to expire one RTO
   * from now. Like the kernel's single per-socket timer, one pending agenda entry serves every
   * re-arming; it re-queues itself when it fires before the latest deadline. */
  private armRto(): void {
    this.rtoDeadline = this.sim.now + this.rto;
    if (this.rtoPending) return;
    this.rtoPending = true;
    const gen = ++this.rtoTimer;
    const fire = (): void => {
      if (gen !== this.rtoTimer) return; // stopped since (a newer entry may be pending)
      if (this.sim.now < this.rtoDeadline) { this.sim.at(this.rtoDeadline, fire); return; }
      this.rtoPending = false;
      this.onRto();
    };
    this.sim.at(this.rtoDeadline, fire);
  }

  /** Stops the retransmission timer (everything sent is acknowledged). */
  private stopRto(): void { this.rtoTimer++; this.rtoPending = false; }

  private onRto(): void {
    if (this.state === 'CLOSED' || seqDiff(this.sndNxt, this.sndUna) <= 0) return;
    if (++this.rtoBackoffs > LINUX.tcpRetries2) {
      this.event(`no ACK after ${this.rtoBackoffs - 1} retransmissions: connection timed out`);
      this.teardown();
      this.cb.onFail?.(this, 'timeout');
      return;
    }
    this.event(`retransmission timeout (${Math.round(this.rto)} ms) with ${seqDiff(this.sndNxt, this.sndUna)} bytes unacknowledged: resend from seq ${this.sndUna}, congestion window back to 1, timeout doubles`);
    this.sim.trace.simplify('After a retransmission timeout TCP resends everything unacknowledged (go-back-N); fast retransmit and SACK recovery are not simulated.');
    this.sndNxt = this.sndUna;
    if (this.finSent && seqDiff(this.finSeq, this.sndUna) >= 0) this.finSent = false;
    this.cwnd = 1;
    this.rto *= 2;
    this.trySend();
  }

  write(header: Header): void {
    // the bytes alone: no one reads this encoding's field spans
    const bytes = encodeStackBytes([header]);
    this.sim.keep(bytes.length);
    const start = this.streamEnd;
    this.streamEnd = seqAdd(start, bytes.length);
    this.out.push({ start, end: this.streamEnd, header, bytes });
    this.trySend();
  }

  /** Gives up on the connection without a word on the wire (an application timeout). */
  abort(): void {
    this.event('aborted by the application');
    this.teardown();
  }

  close(): void {
    if (this.state === 'ESTABLISHED') this.setState('FIN_WAIT_1');
    else if (this.state === 'CLOSE_WAIT') this.setState('LAST_ACK');
    else return;
    this.trySend();
  }

  private inFlight(): number { return seqDiff(this.sndNxt, this.sndUna); }

  private trySend(): void {
    if (this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT' && this.state !== 'FIN_WAIT_1' && this.state !== 'LAST_ACK') return;
    const limit = Math.min(this.cwnd * this.sendMss, this.peerWindow);
    while (seqDiff(this.streamEnd, this.sndNxt) > 0) {
      const room = limit - this.inFlight();
      if (room <= 0) {
        this.event(`send window full (${this.inFlight()} bytes in flight; congestion window ${this.cwnd} segments, peer window ${this.peerWindow}): wait for ACKs`);
        return;
      }
      const len = Math.min(this.sendMss, seqDiff(this.streamEnd, this.sndNxt), room);
      const start = this.sndNxt;
      const end = seqAdd(start, len);
      const last = end === this.streamEnd;
      const h: TcpHeader = { proto: 'tcp', srcPort: this.local.port, dstPort: this.remote.port, seq: start, ack: this.rcvNxt, flags: { ack: true, psh: last }, window: this.windowField(), options: linuxTimestampOptions(this.tsval(), this.peerTsval) };
      this.sndNxt = end;
      this.dataSent();
      const over = this.overlapping(start, end);
      this.emit(h, this.payloadFor(over, start, end), [`TCP: ${len} bytes, seq ${start}..${end} (MSS ${this.sendMss} = ${Math.min(this.mss, this.peerMss, this.pathMtu - 40)} - 12 for timestamps${this.pathMtu < Infinity ? `; path MTU ${this.pathMtu}` : ''})${last ? ', PSH: last segment of the write' : ''}`], undefined, endingIn(over, end));
      this.armRto();
    }
    if ((this.state === 'FIN_WAIT_1' || this.state === 'LAST_ACK') && !this.finSent) {
      this.finSent = true;
      this.finSeq = this.sndNxt;
      const h: TcpHeader = { proto: 'tcp', srcPort: this.local.port, dstPort: this.remote.port, seq: this.sndNxt, ack: this.rcvNxt, flags: { fin: true, ack: true }, window: this.windowField(), options: linuxTimestampOptions(this.tsval(), this.peerTsval) };
      this.sndNxt = seqAdd(this.sndNxt, 1);
      this.emit(h, undefined, ['TCP: FIN: this side has no more data']);
      this.armRto();
    }
  }

  /** tcp_init_buffer_space, when the connection is established: the window is clamped to the
   * full receive space (half the buffer) less one segment ("force reservation of one
   * segment", net.ipv4.tcp_app_win 31), and rcv_ssthresh with it. The segment is advmss, the
   * MSS less the 12 bytes of timestamps (always on here): 65536 - 1448 = 64088 for MSS 1460,
   * which `ss -ti` shows as rcv_ssthresh:64088 on a fresh connection. Until a full-sized
   * segment raises it (rescale, growWindow) the window is this rounded up to the scale (64128,
   * 501 x 128), or what is left of the one already offered when that is more: 502 at the
   * handshake; 506 for a server whose SYN-ACK offered 65160, after a 517-byte ClientHello. */
  private initBufferSpace(): void {
    const maxwin = this.winFromSpace(this.rmem[1]);
    const advmss = this.advmss;
    let clamp = maxwin;
    if (clamp > 2 * advmss && clamp + advmss > maxwin) clamp = Math.max(2 * advmss, maxwin - advmss);
    this.windowClamp = clamp;
    this.rcvSsthresh = Math.min(this.rcvSsthresh, clamp);
  }

  /** The segment size this end advertises, less the timestamps (always on here). */
  private get advmss(): number { return this.mss - 12; }

  /** tcp_win_from_space: the part of `space` bytes of buffer the window may offer. */
  private winFromSpace(space: number): number { return Math.floor((space * this.scalingRatio) / 256); }

  /** tcp_space: what the window may offer of the buffer not held by unread data. */
  private tcpSpace(): number { return this.winFromSpace(this.rmem[1] - this.unread); }

  /** tcp_measure_rcv_mss, when a segment is at least the size the peer is thought to send: a
   * new size measures the scaling ratio again (payload / truesize), and the window clamp follows
   * the buffer at that ratio (tcp_set_window_clamp: raising it lets rcv_ssthresh rise to the
   * window already offered). */
  private rescale(len: number, truesize: number): void {
    const ratio = Math.min(255, Math.max(1, Math.floor((len * 256) / truesize)));
    if (ratio === this.scalingRatio) return;
    this.scalingRatio = ratio;
    const clamp = this.winFromSpace(this.rmem[1]);
    if (clamp < this.windowClamp) this.rcvSsthresh = Math.min(this.rcvSsthresh, clamp);
    else if (clamp > this.windowClamp) this.rcvSsthresh = Math.max(Math.min(this.rcvWnd, clamp), this.rcvSsthresh);
    this.windowClamp = clamp;
  }

  /** tcp_grow_window, for a segment of at least 128 bytes: while the window is below its clamp
   * and the free buffer, rcv_ssthresh grows by two segments when the payload is worth its
   * buffer (check #2), else by twice the peer's segment size when a smaller share of the buffer
   * would still hold it (__tcp_grow_window); one ACK may then go out at once (quick |= 1). */
  private growWindow(len: number, truesize: number): void {
    const room = Math.min(this.windowClamp, this.tcpSpace()) - this.rcvSsthresh;
    if (room <= 0) return;
    const cost = this.winFromSpace(truesize);
    let incr = 0;
    if (cost <= len) incr = 2 * this.advmss;
    else {
      let t = cost >> 1;
      let w = this.winFromSpace(this.rmem[2]) >> 1;
      for (; this.rcvSsthresh <= w; t >>= 1, w >>= 1) if (t <= len) { incr = 2 * this.rcvMss; break; }
    }
    if (!incr) return;
    this.rcvSsthresh += Math.min(room, Math.max(incr, 2 * len));
    this.quick |= 1;
  }

  /** The window field of an outgoing segment, as tcp_select_window computes it: the free space
   * of the receive buffer (tcp_space: the scaling ratio's share of it, less what unread data
   * holds) capped by rcv_ssthresh and rounded up to a unit of the scale; never less than what is
   * left of the window already offered (its right edge does not move back:
   * net.ipv4.tcp_shrink_window 0). */
  private windowField(): number {
    const unit = 2 ** this.ws;
    const free = Math.max(0, this.tcpSpace());
    let win = Math.ceil(Math.min(free, this.rcvSsthresh) / unit) * unit;
    const left = seqDiff(seqAdd(this.rcvWup, this.rcvWnd), this.rcvNxt);
    if (win < left) win = Math.ceil(left / unit) * unit;
    win = Math.min(win, 65535 * unit);
    this.rcvWnd = win;
    this.rcvWup = this.rcvNxt;
    return win / unit;
  }

  /** tcp_event_data_sent: data sent within the ACK timeout of data received is an answer; one
   * answer (tcp_pingpong_thresh) makes the connection interactive. */
  private dataSent(): void {
    if (this.ato > 0 && this.sim.now - this.lrcvTime < this.ato) this.pingpong++;
  }

  private get interactive(): boolean { return this.pingpong >= LINUX.pingpongThresh; }

  /** tcp_event_ack_sent: any segment that carries the ACK settles the one owed, and counts
   * against the quick-ACK budget. */
  private ackSent(): void {
    if (this.ackPending && this.quick > 0) this.quick--;
    this.ackPending = false;
    this.pushed = 0;
    this.ackTimerGen++;
  }

  /** The messages written so far that overlap [start, end), in stream order. Messages wholly
   * acknowledged are skipped: nothing before `sndUna` is ever sent again. The list is this
   * connection's scratch, valid until the next call: a segment reads it while it is made. */
  private overlapping(start: number, end: number): readonly OutMessage[] {
    const found = this.overlap;
    found.length = 0;
    for (let i = this.outHead; i < this.out.length; i++) {
      const m = this.out[i];
      if (seqDiff(m.start, end) >= 0) break;
      if (seqDiff(m.end, start) > 0) found.push(m);
    }
    return found;
  }
  private readonly overlap: OutMessage[] = [];

  /** Forgets the messages the peer has acknowledged in full. */
  private releaseAcked(): void {
    while (this.outHead < this.out.length && seqDiff(this.sndUna, this.out[this.outHead].end) >= 0) this.outHead++;
    if (this.outHead > 64 && this.outHead * 2 > this.out.length) {
      this.out.splice(0, this.outHead);
      this.outHead = 0;
    }
  }

  /** The typed application messages a segment over `over` carries, or raw bytes when it cuts
   * one (a view into the message's bytes when it cuts only one: the payload is never copied per
   * segment). */
  private payloadFor(over: readonly OutMessage[], start: number, end: number): Header {
    // the messages wholly inside the segment: a run of `over`, since messages follow each other
    let first = -1;
    let count = 0;
    let covered = 0;
    for (let i = 0; i < over.length; i++) {
      const m = over[i];
      if (seqDiff(m.start, start) < 0 || seqDiff(end, m.end) < 0) continue;
      if (first < 0) first = i;
      count++;
      covered += m.bytes.length;
    }
    if (count > 0 && covered === seqDiff(end, start)) {
      if (count === 1) return over[first].header;
      const inside = over.slice(first, first + count);
      if (inside.every((m) => m.header.proto === 'tls')) {
        const hs = inside.map((m) => m.header as TlsRecords);
        const plaintext = hs.flatMap((x) => x.plaintext ?? []);
        const joined: TlsRecords = { proto: 'tls', records: hs.flatMap((x) => x.records), ...(plaintext.length ? { plaintext } : {}) };
        // a TLS header encodes as its records one after the other: the writes' bytes, joined
        knownLength(joined, covered);
        return joined;
      }
    }
    const proto = (first >= 0 ? over[first] : over[0])?.header.proto ?? 'data';
    return { proto: 'raw', data: bytesOf(over, start, end), note: `part of a ${proto} message split across segments` };
  }

  private emit(h: TcpHeader, payload: Header | undefined, why: string[], packetId?: number, messages: OutMessage[] = NO_MESSAGES): void {
    if (h.flags.ack && !h.flags.syn) this.ackSent();
    const ip = this.sim.newIpHeader(this.node, this.local.ip, this.remote.ip);
    const pkt: Packet = { id: packetId ?? this.sim.newPacketId(), headers: payload ? [ip, h, payload] : [ip, h], meta: { messages } };
    this.sim.output(this.node, pkt, why);
  }

  private input(pkt: Packet, tcp: TcpHeader): void {
    for (const o of tcp.options ?? []) if (o.kind === 'timestamps') this.peerTsval = o.tsval;
    if (this.state === 'TIME_WAIT') {
      // tcp_timewait_state_process: a RST ends TIME_WAIT (tcp_rfc1337 0), a FIN sent again is
      // ACKed again, anything else (the peer's last ACK after crossing FINs) is dropped
      if (tcp.flags.rst) this.teardown();
      else if (tcp.flags.fin) this.sendAck('TCP: TIME_WAIT: the peer\'s FIN again, ACKed again');
      return;
    }
    if (tcp.flags.rst) {
      this.event('RST received: connection refused or reset (ECONNREFUSED/ECONNRESET)', [], pkt);
      this.teardown();
      this.cb.onFail?.(this, 'reset');
      return;
    }
    if (this.state === 'SYN_SENT') {
      if (!tcp.flags.syn || !tcp.flags.ack || tcp.ack !== seqAdd(this.iss, 1)) return;
      this.irs = tcp.seq;
      this.rcvNxt = seqAdd(tcp.seq, 1);
      this.rcvWup = this.rcvNxt;
      this.readSynOptions(tcp);
      this.sndUna = tcp.ack;
      this.measureRtt();
      this.setState('ESTABLISHED');
      this.peerWindow = tcp.window; // unscaled in a SYN-ACK
      this.initBufferSpace();
      this.sendAck('TCP: ACK completes the handshake');
      this.cb.onEstablished?.(this);
      return;
    }
    if (this.state === 'SYN_RECEIVED' && tcp.flags.ack && tcp.ack === seqAdd(this.iss, 1)) {
      this.sndUna = tcp.ack;
      this.measureRtt();
      this.peerWindow = tcp.window * 2 ** this.peerWs;
      this.setState('ESTABLISHED');
      this.initBufferSpace();
      this.cb.onEstablished?.(this);
    }
    if (tcp.flags.ack) this.onAck(tcp);
    const len = payloadLength(pkt);
    if (len > 0 || tcp.flags.fin) this.onData(pkt, tcp, len);
  }

  private onAck(tcp: TcpHeader): void {
    this.peerWindow = tcp.window * 2 ** this.peerWs;
    const acked = seqDiff(tcp.ack, this.sndUna);
    if (acked <= 0) return;
    this.sndUna = tcp.ack;
    this.releaseAcked();
    this.rtoBackoffs = 0;
    if (seqDiff(this.sndNxt, this.sndUna) > 0) this.armRto(); else this.stopRto();
    // Slow start: the window grows by one segment per segment acknowledged.
    const segments = Math.max(1, Math.round(acked / this.sendMss));
    this.cwnd += segments;
    if (this.finSent && tcp.ack === seqAdd(this.finSeq, 1)) {
      if (this.state === 'FIN_WAIT_1') this.setState('FIN_WAIT_2');
      else if (this.state === 'CLOSING') { this.setState('TIME_WAIT'); this.timeWait(); return; }
      else if (this.state === 'LAST_ACK') { this.setState('CLOSED'); this.teardown(); this.cb.onClosed?.(this); return; }
    }
    this.trySend();
  }

  private onData(pkt: Packet, tcp: TcpHeader, len: number): void {
    if (tcp.seq !== this.rcvNxt) {
      this.event(`out-of-order segment (seq ${tcp.seq}, expected ${this.rcvNxt}): duplicate ACK with SACK`, [], pkt);
      this.sendAck('TCP: duplicate ACK');
      return;
    }
    this.rcvNxt = seqAdd(this.rcvNxt, len);
    if (len > 0) this.dataReceived(len, !!tcp.flags.psh, this.truesize(pkt, len));
    const fin = !!tcp.flags.fin;
    // Quick-ACK mode and "more than one full segment unacknowledged" answer at once, before the
    // application has read the data (__tcp_ack_snd_check); otherwise the ACK waits.
    if (len > 0 && !fin) {
      if (this.quick > 0 && !this.interactive) this.sendAck(`TCP: ACK right away, before the application reads (quick-ACK mode: ${this.quick} left)`);
      else if (seqDiff(this.rcvNxt, this.rcvWup) > this.rcvMss) this.sendAck(`TCP: ACK at once: more than one full segment (${this.rcvMss} bytes) unacknowledged`);
    }
    // The application reads what was queued: its buffer space is free again, and the read ends
    // in tcp_cleanup_rbuf, which ACKs two small pushed segments at once (one, when the connection
    // is not interactive), before the application has looked at the data: its answer comes after.
    this.unread = 0;
    if (!fin && this.ackPending && (this.pushed >= 2 || (this.pushed === 1 && !this.interactive))) this.sendAck('TCP: ACK as the application reads small pushed segments');
    for (const m of pkt.meta.messages ?? []) {
      if (seqDiff(this.rcvNxt, m.end) >= 0 && !this.delivered.has(m.end)) {
        this.delivered.add(m.end);
        this.cb.onMessage?.(this, m.header, m.bytes);
      }
    }
    if (fin) {
      this.rcvNxt = seqAdd(this.rcvNxt, 1);
      this.ackPending = true;
      if (this.state === 'ESTABLISHED') {
        // tcp_fin: the peer is done; the ACK waits (ping-pong) so the FIN of an application that
        // closes at once on end-of-file carries it.
        this.setState('CLOSE_WAIT');
        this.pingpong = Math.max(this.pingpong, LINUX.pingpongThresh);
        this.close();
        if (this.ackPending) this.sendAck('TCP: ACK of the peer\'s FIN');
        return;
      }
      if (this.state === 'FIN_WAIT_1') {
        // Our FIN is not acknowledged yet: the FINs crossed (a simultaneous close).
        this.setState('CLOSING');
        this.sendAck('TCP: ACK of the peer\'s FIN, which crossed ours');
        return;
      }
      if (this.state === 'FIN_WAIT_2') this.setState('TIME_WAIT');
      this.sendAck('TCP: ACK of the peer\'s FIN');
      if (this.state === 'TIME_WAIT') this.timeWait();
      return;
    }
    if (!this.ackPending) return;
    const gen = ++this.ackTimerGen;
    const delay = Math.max(this.ato, LINUX.delayedAckMs);
    this.sim.after(delay, () => {
      if (gen !== this.ackTimerGen || !this.ackPending || this.state === 'CLOSED') return;
      // tcp_delack_timer_handler: no answer came to carry the ACK; leave ping-pong mode.
      this.pingpong = 0;
      this.sendAck(`TCP: delayed ACK after ${delay} ms (no answer to carry it)`);
    });
  }

  /** What the segment costs the receive buffer (LINUX.skbTruesizeBase): the frame copied by the
   * driver from a link, the sender's buffer on loopback. */
  private truesize(pkt: Packet, len: number): number {
    if (this.local.ip.startsWith('127.')) return len + LINUX.loopbackSkbOverhead;
    // Ethernet, IPv4 and TCP headers around the payload
    const frame = 14 + headerLength(pkt.headers[0]) + headerLength(pkt.headers[1]) + len;
    return LINUX.skbTruesizeBase + Math.ceil((LINUX.netSkbPad + frame) / 64) * 64;
  }

  /** tcp_event_data_recv: the peer's segment size measured (tcp_measure_rcv_mss: full segments
   * teach it, small pushed ones are flagged for the ACK on read), the first data (or data after
   * a pause longer than the RTO) starts quick-ACK mode, and the window grows (tcp_grow_window). */
  private dataReceived(len: number, psh: boolean, truesize: number): void {
    this.ackPending = true;
    this.unread += truesize;
    this.measureRcvMss(len, psh, truesize);
    const gap = this.sim.now - this.lrcvTime;
    if (this.ato === 0 || gap > this.rto) {
      const quickacks = Math.max(2, Math.floor(this.rcvWnd / (2 * this.rcvMss)));
      this.quick = Math.max(this.quick, Math.min(quickacks, LINUX.quickAcks));
      this.ato = LINUX.delayedAckMs;
    }
    this.lrcvTime = this.sim.now;
    if (len >= 128) this.growWindow(len, truesize);
  }

  private measureRcvMss(len: number, psh: boolean, truesize: number): void {
    if (len >= this.rcvMss) {
      if (len !== this.rcvMss) this.rescale(len, truesize);
      this.rcvMss = Math.min(len, this.advmss);
      return;
    }
    // A segment sized like a full one (not pushed, or at least TCP_MSS_DEFAULT) that repeats the
    // last such size is the peer's MSS; any other short segment is a "pushed" one.
    const full = len + 20 >= LINUX.mssDefault || (len >= LINUX.minMss && !psh);
    if (full && len === this.lastSegSize) { this.rcvMss = len; return; }
    if (full) this.lastSegSize = len;
    this.pushed = Math.min(2, this.pushed + 1);
  }
  private lastSegSize = 0;

  private sendAck(why: string): void {
    const h: TcpHeader = { proto: 'tcp', srcPort: this.local.port, dstPort: this.remote.port, seq: this.sndNxt, ack: this.rcvNxt, flags: { ack: true }, window: this.windowField(), options: linuxTimestampOptions(this.tsval(), this.peerTsval) };
    this.emit(h, undefined, [why]);
  }

  /** TIME_WAIT: the connection is over for the application; its socket stays for 2 MSL (60 s on
   * Linux) to absorb the peer's late segments. The run ends before that: the socket stays to the
   * end of the trace, as `ss -tan` would show it. */
  private timeWait(): void {
    this.stopRto();
    this.ackTimerGen++;
    this.cb.onClosed?.(this);
  }

  private teardown(): void {
    this.node.tcp.delete(this.key);
    const i = this.node.icmpListeners.indexOf(this.onIcmp);
    if (i >= 0) this.node.icmpListeners.splice(i, 1);
    this.node.usedPorts.delete(this.local.port);
    if (this.state !== 'CLOSED') { this.state = 'CLOSED'; this.tableState(); }
  }
}

function fmtS(ms: number): string { return `${Math.round(ms) / 1000} s`; }

/** A segment without data hands no message over: every such segment shares this list (no one
 * adds to a packet's messages). */
const NO_MESSAGES: OutMessage[] = [];

/** The messages of `over` that end inside a segment ending at `end` (the receiver hands each
 * over once, in order). */
function endingIn(over: readonly OutMessage[], end: number): OutMessage[] {
  let messages = NO_MESSAGES;
  for (const m of over) {
    if (seqDiff(end, m.end) < 0) continue;
    if (messages === NO_MESSAGES) messages = [];
    messages.push(m);
  }
  return messages;
}

/** The stream's bytes [start, end) out of the messages that hold them: a view when one does. */
function bytesOf(over: readonly OutMessage[], start: number, end: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const m of over) {
    const a = Math.max(0, seqDiff(start, m.start));
    const b = Math.min(m.bytes.length, seqDiff(end, m.start));
    if (b > a) parts.push(m.bytes.subarray(a, b));
  }
  return parts.length === 1 ? parts[0] : concatBytes(parts);
}

function routeMtu(sim: Sim, node: Node, dst: string): number {
  const r = sim.route(node, dst);
  if (!r) return 1500;
  const mtu = sim.mtuOf(r.iface);
  return r.overlay ? mtu - 50 : mtu;
}

/** Opens a connection from `node` to `dst:port`. */
export function tcpConnect(sim: Sim, node: Node, dst: string, port: number, cb: TcpCallbacks, label: string): TcpConn | undefined {
  const src = sim.sourceFor(node, dst);
  if (!src) {
    sim.trace.event(sim.now, { device: node.name, direction: 'local', kind: 'error', layers: ['L3'], summary: `${label}: no route to ${dst} (connect: Network is unreachable)` });
    cb.onFail?.({} as TcpConn, 'unreachable');
    return undefined;
  }
  const c = new TcpConn(sim, node, { ip: src, port: node.ephemeralPort(sim.rng) }, { ip: dst, port }, cb, label);
  c.connect();
  return c;
}

/** Accepts connections on `port`; `onAccept` gives each new connection its callbacks. */
export function tcpListen(sim: Sim, node: Node, port: number, onAccept: (c: TcpConn) => TcpCallbacks, label: string): void {
  node.tcpListeners.set(port, (pkt, tcp, src, dst) => {
    const c = new TcpConn(sim, node, { ip: dst, port }, { ip: src, port: tcp.srcPort }, {}, `${label} ${src}:${tcp.srcPort}`);
    c.cb = onAccept(c);
    c.accept(tcp, pkt);
  });
}
