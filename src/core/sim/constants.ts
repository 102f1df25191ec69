// Protocol and kernel defaults the simulation follows. These are the rules of the protocols
// and of Linux's stack (sysctl defaults), not figures of any scenario: every scenario-specific
// number comes from the .journey file.

export const LINUX = {
  /** net.ipv4.ip_default_ttl */
  defaultTtl: 64,
  /** net.ipv4.ip_local_port_range */
  ephemeralLow: 32768,
  ephemeralHigh: 60999,
  /** net.ipv4.tcp_rmem[1]: the initial receive buffer; the SYN window is half of it rounded
   * down to a multiple of the MSS (tcp_select_initial_window), e.g. 64240 for MSS 1460. */
  tcpRmemDefault: 131072,
  /** net.ipv4.tcp_rmem[2]: the window scale is the smallest shift that covers it. */
  tcpRmemMax: 6291456,
  /** net.ipv4.route.min_adv_mss: the smallest MSS Linux advertises, whatever the MTU. */
  minAdvMss: 256,
  /** net.ipv4.tcp_min_snd_mss: the smallest MSS Linux sends with, whatever the peer says. */
  minSndMss: 48,
  /** net.ipv4.route.min_pmtu: the smallest path MTU an ICMP "fragmentation needed" can set. */
  minPmtu: 552,
  /** The loopback device's MTU (ip link show lo). */
  loopbackMtu: 65536,
  /** Initial congestion window, segments (RFC 6928). */
  initialCwnd: 10,
  /** Initial retransmission timeout, ms (TCP_TIMEOUT_INIT, RFC 6298), and net.ipv4.tcp_syn_retries. */
  initialRtoMs: 1000,
  synRetries: 6,
  /** net.ipv4.tcp_syn_linear_timeouts (Linux 6.5+): SYN retransmissions that wait the initial
   * RTO without doubling, on top of tcp_syn_retries (a connect gives up after 131 s, not 127). */
  synLinearTimeouts: 4,
  /** TCP_RTO_MIN and TCP_RTO_MAX, and net.ipv4.tcp_retries2 (retransmissions before giving up). */
  rtoMinMs: 200,
  rtoMaxMs: 120000,
  tcpRetries2: 15,
  /** Delayed ACK timer (TCP_DELACK_MIN, also TCP_ATO_MIN) and the quick-ACK budget at
   * connection start (TCP_MAX_QUICKACKS). */
  delayedAckMs: 40,
  quickAcks: 16,
  /** TCP_MSS_DEFAULT: the receiver's first guess of the peer's segment size (icsk_ack.rcv_mss)
   * before it has seen a full one. */
  mssDefault: 536,
  /** TCP_MIN_MSS */
  minMss: 88,
  /** net.ipv4.tcp_pingpong_thresh: data sent this many times within the ACK timeout of data
   * received makes the connection interactive, and its ACKs wait for the answer (delayed). */
  pingpongThresh: 1,
  /** What a received segment costs the receive buffer (skb->truesize), read from `ss -tm`
   * (skmem r) on this project's lab kernel (6.18) for one unread segment of 31 to 1400 bytes:
   * - from a network link, the driver copies the frame into a buffer of its own (as tun/tap
   *   does, the reality lab's links): SKB_TRUESIZE of NET_SKB_PAD + the frame rounded up to 64,
   *   i.e. 576 (struct sk_buff 256 + skb_shared_info 320) + ceil64(64 + frame): 1600 bytes for
   *   an 845-byte segment;
   * - on loopback, the sender's own buffer arrives: its payload plus 832.
   * The receive window shrinks by it while the data waits to be read, and the payload's share
   * of it is the scaling ratio the window is computed with (tcp_measure_rcv_mss). */
  skbTruesizeBase: 576,
  netSkbPad: 64,
  loopbackSkbOverhead: 832,
  /** TCP_DEFAULT_SCALING_RATIO: the window may offer half the receive buffer (out of 256) until
   * a full-sized segment shows what a byte of payload really costs. */
  defaultScalingRatio: 128,
  /** TCP timestamps tick in milliseconds (since Linux 4.13). */
  tsHz: 1000,
  /** net.netfilter.nf_conntrack_udp_timeout and ..._tcp_timeout_established, seconds. */
  udpTimeoutS: 30,
  tcpEstablishedTimeoutS: 432000,
  /** ARP: mcast_solicit probes, retrans_time_ms apart. */
  arpSolicit: 3,
  arpRetransMs: 1000,
  /** resolv.conf defaults: timeout 5 s, attempts 2. */
  resolverTimeoutMs: 5000,
  resolverAttempts: 2,
} as const;

/** IPv4's 16-bit total length (RFC 791): no datagram exceeds it, whatever the link's MTU. */
export const IPV4_MAX_DATAGRAM = 65535;

/** HTTP/2 (RFC 9113 6.5.2): SETTINGS_MAX_FRAME_SIZE's initial value; no peer here raises it. */
export const H2_MAX_FRAME_SIZE = 16384;

/** HTTP/2 (RFC 9113 6.9.2): the flow-control window every stream and connection starts with. */
export const H2_INITIAL_WINDOW = 65535;

/** IEEE 802.11 (OFDM, 5 GHz) timing for one data frame: DIFS, the mean random backoff of an
 * idle channel (CWmin/2 slots), and the link-layer ACK after SIFS. */
const SLOT_US = 9;
const SIFS_US = 16;
const DIFS_US = SIFS_US + 2 * SLOT_US;
const CW_MIN = 15;
const ACK_US = 44;
export const WIFI = {
  /** DIFS + mean backoff + SIFS + ACK: the access cost of a frame that gets through at once. */
  accessMs: (DIFS_US + (CW_MIN / 2) * SLOT_US + SIFS_US + ACK_US) / 1000,
  difsMs: DIFS_US / 1000,
  slotMs: SLOT_US / 1000,
  /** SIFS + ACK on success; the ACK timeout costs about the same on a failed attempt. */
  ackMs: (SIFS_US + ACK_US) / 1000,
  cwMin: CW_MIN,
  cwMax: 1023,
  /** dot11ShortRetryLimit */
  retryLimit: 7,
  /** Frame loss of `fail weak-wifi` without a percentage. */
  weakLossPercent: 30,
} as const;

/** Kubernetes and CoreDNS defaults. */
export const K8S = {
  /** CoreDNS kubernetes plugin: TTL of Service records. */
  serviceRecordTtl: 5,
  namespace: 'default',
  /** kubelet writes `options ndots:5` into every ClusterFirst pod's resolv.conf. */
  ndots: 5,
} as const;

/** The nginx profile (`software nginx`): the release it models (Debian 12's) and the HTTP/2
 * settings nginx's defaults produce (http2_max_concurrent_streams 128, http2_body_preread_size
 * 64k as the stream window, its largest frame size, and a connection window opened to 2^31-1). */
export const NGINX = {
  version: '1.22.1',
  h2MaxConcurrentStreams: 128,
  h2InitialWindow: 65536,
  h2MaxFrameSize: 16777215,
  h2ConnectionWindow: 2 ** 31 - 1,
} as const;

/** curl's HTTP/2 client settings (lib/http2.c with nghttp2): 100 concurrent streams, a 32 MiB
 * stream window and the connection window opened to the same, server push off. */
export const CURL_H2_SETTINGS = {
  maxConcurrentStreams: 100,
  initialWindow: 32 * 1024 * 1024,
  connectionWindow: 32 * 1024 * 1024,
} as const;

/** The curl profile (`software curl`): the release it models (Debian 12's), whose version is
 * in the User-Agent it sends by default. */
export const CURL = {
  version: '7.88.1',
} as const;
