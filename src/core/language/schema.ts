// The vocabulary of .journey files, as data: which keywords are allowed in which block, what
// arguments they take, and what they mean. The model builder validates against it; completion,
// hover, the formatter and the docs read the same table, so there is one source of truth.

export type RefKind = 'device' | 'interface' | 'host' | 'node' | 'pod' | 'certificate' | 'target-group' | 'service';

export type ValueType =
  | { type: 'name'; defines: RefKind | 'zone' | 'link' | 'scenario' | 'cluster' | 'container' | 'listener' }
  | { type: 'ref'; to: RefKind }
  | { type: 'ipv4' } | { type: 'cidr' } | { type: 'mac' } | { type: 'port'; min?: number; max?: number }
  | { type: 'endpoint' } // a.b.c.d or a.b.c.d:port
  // Bounds narrow the language-wide ranges of values.ts where the simulation needs it.
  | { type: 'duration'; min?: number; max?: number } | { type: 'seconds' } | { type: 'size'; min?: number; max?: number } | { type: 'bandwidth' }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'percent' }
  | { type: 'string' } | { type: 'url' } | { type: 'date' } | { type: 'domain' } | { type: 'word' }
  // An HTTP header's name (a token) and value.
  | { type: 'field-name' } | { type: 'field-value' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'literal'; word: string };

export interface ArgSpec {
  name: string;
  value: ValueType;
  optional?: boolean;
  /** Takes every remaining argument (at least one unless optional). */
  rest?: boolean;
}

export interface KeywordSpec {
  keyword: string;
  doc: string;
  args: ArgSpec[];
  /** The context of its block, when the keyword opens one. */
  block?: ContextName;
  /** Whether the block is required (`host x { ... }`) or the statement must not have one. */
  blockRequired?: boolean;
  /** May appear more than once in the same block. */
  repeatable?: boolean;
  /** A VS Code snippet body inserted by completion. */
  snippet?: string;
}

import { MAX_BODY_BYTES, MAX_REQUESTS } from '../limits';

export type ContextName =
  | 'file' | 'host' | 'interface' | 'l2' | 'router' | 'nat' | 'forwarder' | 'resolver' | 'dns-server' | 'zone'
  | 'load-balancer' | 'listener' | 'rule' | 'target-group' | 'certificate' | 'cluster' | 'overlay'
  | 'node' | 'pod' | 'container' | 'service' | 'database' | 'link' | 'scenario' | 'request' | 'response';

const name = (defines: Extract<ValueType, { type: 'name' }>['defines']): ArgSpec => ({ name: 'name', value: { type: 'name', defines } });
const ref = (argName: string, to: RefKind): ArgSpec => ({ name: argName, value: { type: 'ref', to } });
const one = (argName: string, value: ValueType, optional = false): ArgSpec => ({ name: argName, value, ...(optional ? { optional } : {}) });
const enumOf = (...values: string[]): ValueType => ({ type: 'enum', values });
const lit = (word: string): ArgSpec => ({ name: word, value: { type: 'literal', word } });

export const DEVICE_KINDS = ['host', 'access-point', 'switch', 'router', 'internet-gateway', 'dns-server', 'load-balancer', 'database'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number] | 'node' | 'pod';

export const FAILURE_KINDS = [
  'nxdomain', 'dns-timeout', 'syn-drop', 'rst', 'cert-expired', 'cert-name-mismatch', 'tls-version-mismatch',
  'http-status', 'slow-server', 'db-refused', 'db-slow', 'no-endpoints', 'wrong-port', 'overlay-broken',
  'conntrack-full', 'nat-expiry', 'weak-wifi', 'mtu-blackhole', 'small-mtu', 'lb-unhealthy', 'lb-draining', 'routing-loop',
  'no-route',
] as const;

/** Most rows a query returns. Ours: rows times row size is a response body, bounded anyway. */
const MAX_ROWS = 1_000_000;

/** A certificate's key type: what its SubjectPublicKeyInfo holds and what it signs with. */
export const CERTIFICATE_KEYS = ['ecdsa-p256', 'ed25519'] as const;

export const CACHE_NAMES = ['browser-dns', 'os-dns', 'resolver', 'http', 'hsts', 'connection-pool', 'arp', 'infrastructure-arp'] as const;

const processing: KeywordSpec = {
  keyword: 'processing', args: [one('time', { type: 'duration' })],
  doc: 'Time this device spends on each packet or request it handles (e.g. `50us`, `2ms`). Adds to the timeline at every pass.',
};
const iface: KeywordSpec = {
  keyword: 'interface', args: [name('interface')], block: 'interface', blockRequired: true, repeatable: true,
  doc: 'A network interface of this device. Other statements refer to it as `device.interface`.',
  snippet: 'interface ${1:eth0} {\n\tmac ${2:02:00:00:00:00:01}\n\tip ${3:192.168.0.10/24}\n}',
};
const gateway: KeywordSpec = {
  keyword: 'gateway', args: [one('address', { type: 'ipv4' })],
  doc: 'Default gateway: shorthand for `route 0.0.0.0/0 via ADDRESS`. Packets for any address outside the connected subnets go there.',
};
const route: KeywordSpec = {
  keyword: 'route', repeatable: true,
  args: [one('destination', { type: 'cidr' }), one('via-or-dev', enumOf('via', 'dev')), one('next-hop-or-interface', { type: 'word' })],
  doc: 'A static route: `route 10.0.0.0/16 via 10.0.0.1` (next hop) or `route 10.0.0.0/16 dev eth1` (directly connected). The longest matching prefix wins, as in the Linux FIB.',
};
const resolver: KeywordSpec = {
  keyword: 'resolver', repeatable: true, args: [one('address', { type: 'ipv4' })],
  doc: 'A nameserver from this host\'s resolver configuration (`/etc/resolv.conf`). The first one is asked first.',
};
/** A receive buffer below one page (4096 bytes, Linux's own minimum) cannot hold one segment. */
const RMEM: ValueType = { type: 'size', min: 4096 };
const tcpRmem: KeywordSpec = {
  keyword: 'tcp-rmem', args: [one('min', RMEM), one('default', RMEM), one('max', RMEM)],
  doc: 'The host\'s `net.ipv4.tcp_rmem` (min, default, max receive buffer; Linux default 4096 131072 6291456). The SYN\'s window comes from the default, the window scale from the max. Pods inherit their node\'s.',
};
// Retries and timeouts, named after the real knobs. Bounds are the ones the real software
// enforces, so a value the kernel or glibc would refuse is refused here too.
/** Linux's sysctl handler accepts 1..MAX_TCP_SYNCNT (127) for tcp_syn_retries and 0..127 for
 * tcp_syn_linear_timeouts; TCP_RTO_MIN (200 ms) and TCP_RTO_MAX (120 s) bound every RTO. */
const tcpTimers: KeywordSpec[] = [
  { keyword: 'tcp-syn-retries', args: [one('count', { type: 'integer', min: 1, max: 127 })], doc: 'The device\'s `net.ipv4.tcp_syn_retries`: how many times an unanswered SYN is retransmitted before connect() fails with ETIMEDOUT (Linux default 6; the kernel accepts 1 to 127). Pods inherit their node\'s.' },
  { keyword: 'tcp-syn-linear-timeouts', args: [one('count', { type: 'integer', min: 0, max: 127 })], doc: 'The device\'s `net.ipv4.tcp_syn_linear_timeouts` (Linux 6.5 and later, default 4): the first N SYN retransmissions wait the initial RTO each, then the wait doubles; they come on top of `tcp-syn-retries`. `0` gives the classic schedule 1, 2, 4, ... s (127 s to give up with 6 retries; 131 s with the default 4).' },
  { keyword: 'tcp-initial-rto', args: [one('time', { type: 'duration', min: 200, max: 120000 })], doc: 'The initial retransmission timeout (Linux TCP_TIMEOUT_INIT, 1s, RFC 6298; changed in practice by a BPF sock_ops program): the first SYN\'s wait, and the data RTO until the handshake measured the round trip. Between 200ms (TCP_RTO_MIN) and 2m (TCP_RTO_MAX).' },
];
/** glibc's resolv.conf parser caps `timeout:` at RES_MAXRETRANS (30) and `attempts:` at
 * RES_MAXRETRY (5); the timeout is whole seconds. */
const resolverTimers: KeywordSpec[] = [
  { keyword: 'resolver-timeout', args: [one('time', { type: 'duration', min: 1000, max: 30000 })], doc: 'resolv.conf\'s `options timeout:N`: how long the stub resolver waits for an answer before it tries again or gives up (glibc default 5s; whole seconds, at most 30s as glibc caps it).' },
  { keyword: 'resolver-attempts', args: [one('count', { type: 'integer', min: 1, max: 5 })], doc: 'resolv.conf\'s `options attempts:N`: how many times the stub resolver asks its nameservers before the lookup fails (glibc default 2, at most 5).' },
];
/** Implementations whose packets differ; which ones fit which device is SOFTWARE_FOR. */
export const SOFTWARE_PROFILES = ['curl', 'chrome', 'unbound', 'bind', 'nsd', 'nginx'] as const;
const software: KeywordSpec = {
  keyword: 'software', args: [one('profile', enumOf(...SOFTWARE_PROFILES))],
  doc: 'Selects the behaviour profile of the real software this device runs, where implementations differ on the wire: a host `curl` or `chrome`; a recursive DNS server `unbound` or `bind`, an authoritative one `nsd` or `bind`; a load balancer, web server or proxy container `nginx`. See the profiles section of the language reference.',
};
const listen: KeywordSpec = { keyword: 'listen', args: [one('port', { type: 'port' })], doc: 'TCP port the process accepts connections on.' };

export const SCHEMA: Record<ContextName, KeywordSpec[]> = {
  file: [
    { keyword: 'import', args: [one('path', { type: 'string' })], repeatable: true, doc: 'Brings the devices, links and certificates of another .journey file into this one (path relative to this file), so a shared topology can serve many scenarios.' },
    { keyword: 'host', args: [name('host')], block: 'host', blockRequired: true, repeatable: true, doc: 'An end host: the client laptop with its browser and OS stack (ARP cache, DNS cache, TCP), or a plain server.', snippet: 'host ${1:laptop} {\n\tinterface ${2:wlan0} {\n\t\tmac ${3:02:00:00:00:00:01}\n\t\tip ${4:192.168.0.10/24}\n\t}\n\tgateway ${5:192.168.0.1}\n\tresolver ${6:192.168.0.1}\n}' },
    { keyword: 'access-point', args: [name('device')], block: 'l2', blockRequired: true, repeatable: true, doc: 'A Wi-Fi access point: bridges frames between the radio and the wired side at layer 2. It changes no IP field and no MAC address.' },
    { keyword: 'switch', args: [name('device')], block: 'l2', blockRequired: true, repeatable: true, doc: 'An Ethernet switch: forwards frames by destination MAC, learning source MACs. Layer 2 only.' },
    { keyword: 'router', args: [name('device')], block: 'router', blockRequired: true, repeatable: true, doc: 'An IP router: decrements TTL, rewrites both MAC addresses, looks up its routing table; optionally does NAT (home router) and DNAT, or forwards DNS.', snippet: 'router ${1:home-router} {\n\tinterface ${2:lan} {\n\t\tmac ${3:02:00:00:00:00:02}\n\t\tip ${4:192.168.0.1/24}\n\t}\n\tinterface ${5:wan} {\n\t\tmac ${6:02:00:00:00:00:03}\n\t\tip ${7:198.51.100.2/24}\n\t}\n\tgateway ${8:198.51.100.1}\n\tnat masquerade {\n\t\tout ${5:wan}\n\t}\n}' },
    { keyword: 'internet-gateway', args: [name('device')], block: 'router', blockRequired: true, repeatable: true, doc: 'A cloud internet gateway (e.g. an AWS IGW): a router that maps public addresses one-to-one to private ones with DNAT rules.' },
    { keyword: 'dns-server', args: [name('device')], block: 'dns-server', blockRequired: true, repeatable: true, doc: 'A DNS server: a recursive resolver, a root or TLD server, an authoritative server, or a forwarder, with its zones and their records.' },
    { keyword: 'load-balancer', args: [name('device')], block: 'load-balancer', blockRequired: true, repeatable: true, doc: 'A layer-7 load balancer (e.g. an AWS ALB): terminates TLS, routes by host and path, and opens a new TCP connection to a target.' },
    { keyword: 'database', args: [name('device')], block: 'database', blockRequired: true, repeatable: true, doc: 'A host running a PostgreSQL server outside the cluster.' },
    { keyword: 'certificate', args: [name('certificate')], block: 'certificate', blockRequired: true, repeatable: true, doc: 'An X.509 server certificate that a load balancer presents; the client checks chain, name, dates and revocation.' },
    { keyword: 'cluster', args: [name('cluster')], block: 'cluster', blockRequired: true, repeatable: true, doc: 'A Kubernetes cluster: its nodes, pods, services, pod and service address ranges, and overlay network.' },
    { keyword: 'link', args: [name('link')], block: 'link', blockRequired: true, repeatable: true, doc: 'A physical or virtual link between two interfaces, with its latency, bandwidth, MTU and medium. Exported pcapng files have one capture interface per link, named after it.', snippet: 'link ${1:name} {\n\tbetween ${2:a.eth0} ${3:b.eth0}\n\tlatency ${4:1ms}\n\tbandwidth ${5:1Gbps}\n\tmtu ${6:1500}\n}' },
    { keyword: 'scenario', args: [name('scenario')], block: 'scenario', blockRequired: true, repeatable: true, doc: 'One request to follow: who sends it, the URL, versions, cache state, how many times, and what can fail. A file can hold several.', snippet: 'scenario ${1:first-visit} {\n\tfrom ${2:laptop}\n\trequest {\n\t\turl "${3:https://www.example.org/}"\n\t\thttp 2\n\t\ttls 1.3\n\t}\n\tresponse {\n\t\tstatus 200\n\t\tbody ${4:256B}\n\t}\n\trequests 2\n}' },
  ],
  host: [
    iface, gateway, route, resolver, processing, tcpRmem, ...tcpTimers, ...resolverTimers, software,
    { keyword: 'render', args: [one('time', { type: 'duration' })], doc: 'Time the browser spends parsing and rendering a response (status check, decompression, parse, DOM update).' },
    { keyword: 'trust', repeatable: true, args: [one('issuer', { type: 'string' })], doc: 'A certificate authority in this host\'s trust store, by name. A server certificate must be issued by one of them.' },
    { keyword: 'listen', args: [one('port', { type: 'port' })], doc: 'Runs a web server on this TCP port; it answers every request with the scenario\'s response (HTTP/2 or HTTP/1.1).' },
    { keyword: 'certificate', args: [ref('certificate', 'certificate')], doc: 'The certificate this host\'s web server presents: with it, the `listen` port speaks TLS.' },
  ],
  interface: [
    { keyword: 'mac', args: [one('address', { type: 'mac' })], doc: 'The interface\'s Ethernet MAC address, six hex pairs separated by colons.' },
    { keyword: 'ip', repeatable: true, args: [one('address/prefix', { type: 'cidr' })], doc: 'IPv4 address with its prefix length, e.g. `192.168.0.10/24`. The prefix defines the connected subnet. Repeat it for more addresses on the interface (`ip addr add`): the first is the primary, the others secondaries; each adds its connected subnet, and packets to a destination on one of them leave from that subnet\'s address.' },
    { keyword: 'mtu', args: [one('bytes', { type: 'integer', min: 68, max: 65535 })], doc: 'Largest IP packet this interface sends, in bytes (default: the link\'s MTU). TCP\'s MSS is derived from it.' },
  ],
  l2: [iface, processing],
  router: [
    iface, gateway, route, processing,
    { keyword: 'nat', args: [one('type', enumOf('masquerade'))], block: 'nat', blockRequired: true, doc: 'Source NAT, as a home router does: packets leaving the `out` interface get its address as source, tracked in conntrack and reversed for replies.' },
    { keyword: 'dnat', repeatable: true, args: [one('match', { type: 'endpoint' }), lit('to'), one('target', { type: 'endpoint' })], doc: 'Destination NAT: `dnat 203.0.113.10 to 10.1.0.10` rewrites the destination of matching packets (address, or address:port). Replies are translated back by conntrack.' },
    { keyword: 'dns-forwarder', args: [], block: 'forwarder', blockRequired: true, doc: 'Runs a DNS forwarder (like dnsmasq): answers queries sent to this router by asking an upstream resolver, and caches the answers.' },
    { keyword: 'dns-resolver', args: [], block: 'resolver', blockRequired: true, doc: 'Runs a recursive DNS resolver on this router (unbound, as pfSense and OPNsense do by default): it walks the hierarchy from the root itself, as a `dns-server` with `role recursive` does, and caches the answers. A router runs a forwarder or a resolver, not both.' },
  ],
  resolver: [
    { keyword: 'root-hint', repeatable: true, args: [one('address', { type: 'ipv4' })], doc: 'The address of a root server to start the walk from.' },
  ],
  nat: [
    { keyword: 'out', args: [one('interface', { type: 'word' })], doc: 'The interface whose address replaces the private source address.' },
    { keyword: 'ports', args: [one('allocation', enumOf('preserve', 'random'))], doc: '`preserve` keeps the source port when it is free (Linux default); `random` picks a new one for every mapping (like `--random-fully`).' },
    { keyword: 'max-entries', args: [one('count', { type: 'integer', min: 1, max: 2147483647 })], doc: 'Size of the conntrack table (`nf_conntrack_max`). When it is full, new connections are dropped.' },
    { keyword: 'udp-timeout', args: [one('time', { type: 'duration', min: 1000 })], doc: 'How long an idle UDP mapping lives (Linux: 30s, 120s once replied).' },
    { keyword: 'tcp-timeout', args: [one('time', { type: 'duration', min: 1000 })], doc: 'How long an idle established TCP mapping lives (Linux: 5 days).' },
  ],
  forwarder: [
    { keyword: 'upstream', repeatable: true, args: [one('address', { type: 'ipv4' })], doc: 'The recursive resolver this forwarder asks.' },
  ],
  'dns-server': [
    iface, gateway, route, processing, software,
    { keyword: 'role', args: [one('role', enumOf('recursive', 'root', 'tld', 'authoritative', 'forwarder'))], doc: '`recursive` walks the hierarchy from the root; `root`, `tld` and `authoritative` answer from their zones (referrals or answers); `forwarder` passes queries to an upstream.' },
    { keyword: 'root-hint', repeatable: true, args: [one('address', { type: 'ipv4' })], doc: 'For a recursive resolver: the address of a root server to start the walk from.' },
    { keyword: 'upstream', repeatable: true, args: [one('address', { type: 'ipv4' })], doc: 'For a forwarder: the resolver it asks.' },
    { keyword: 'zone', repeatable: true, args: [one('origin', { type: 'domain' })], block: 'zone', blockRequired: true, doc: 'A zone this server is authoritative for; `.` is the root zone.', snippet: 'zone ${1:example.org} {\n\trecord ${2:api} A ${3:203.0.113.10} ttl ${4:300}\n}' },
  ],
  zone: [
    { keyword: 'record', repeatable: true, args: [one('name', { type: 'word' }), one('type', enumOf('A', 'AAAA', 'NS', 'CNAME')), one('value', { type: 'word' }), { name: 'ttl', value: { type: 'literal', word: 'ttl' }, optional: true }, one('seconds', { type: 'seconds' }, true)], doc: 'A resource record: `record api A 203.0.113.10 ttl 300`, `record api AAAA 2001:db8::10`. The name is relative to the zone (`@` for the zone itself) unless it ends with a dot. Default TTL: 3600 seconds. The zone\'s SOA has its own statement, `soa`.' },
    // The SOA's seven fields do not fit `record`'s one value; named fields read better than a
    // zone file's bare numbers, and a statement that is not repeatable is one per zone, at the apex.
    { keyword: 'soa', args: [
      one('mname', { type: 'word' }), one('rname', { type: 'word' }),
      lit('serial'), one('number', { type: 'integer', min: 0, max: 4294967295 }),
      lit('refresh'), one('refresh-time', { type: 'seconds' }),
      lit('retry'), one('retry-time', { type: 'seconds' }),
      lit('expire'), one('expire-time', { type: 'seconds' }),
      lit('minimum'), one('negative-ttl', { type: 'seconds' }),
      { name: 'ttl', value: { type: 'literal', word: 'ttl' }, optional: true }, one('seconds', { type: 'seconds' }, true),
    ], doc: 'The zone\'s SOA record (RFC 1035 3.3.13), at its apex: `soa ns1 hostmaster serial 2026112401 refresh 2h retry 1h expire 14d minimum 300 ttl 3600`. `mname` is the primary server, `rname` the administrator\'s mailbox written as a name (`hostmaster` for hostmaster@zone); both are relative to the zone unless they end with a dot. Negative answers (NXDOMAIN, NODATA) carry it with TTL min(ttl, minimum) (RFC 2308). Default TTL 3600 seconds. Without it, servers derive one (see the DNS profiles).' },
  ],
  'load-balancer': [
    iface, gateway, route, processing, tcpRmem, ...tcpTimers, software,
    { keyword: 'listener', repeatable: true, args: [one('protocol', enumOf('https', 'http')), one('port', { type: 'port' })], block: 'listener', blockRequired: true, doc: 'A port the load balancer accepts connections on, with its TLS settings and routing rules.' },
    { keyword: 'target-group', repeatable: true, args: [name('target-group')], block: 'target-group', blockRequired: true, doc: 'A set of backends (e.g. Kubernetes nodes on a NodePort) with their protocol, port and health.' },
  ],
  listener: [
    { keyword: 'certificate', args: [ref('certificate', 'certificate')], doc: 'The certificate presented to clients (TLS is terminated here).' },
    { keyword: 'tls', args: [{ name: 'versions', value: enumOf('1.2', '1.3'), rest: true }], doc: 'TLS versions this listener accepts (its security policy).' },
    { keyword: 'alpn', args: [{ name: 'protocols', value: enumOf('h2', 'http/1.1'), rest: true }], doc: 'Application protocols offered by ALPN, in order of preference.' },
    { keyword: 'rule', repeatable: true, args: [], block: 'rule', blockRequired: true, doc: 'A routing rule: requests matching its host and path go to its target group. Rules are tried in order.' },
    { keyword: 'default', args: [ref('target-group', 'target-group')], doc: 'Target group for requests that match no rule.' },
  ],
  rule: [
    { keyword: 'host', args: [one('host', { type: 'domain' })], doc: 'Matches the Host (HTTP/1.1) or :authority (HTTP/2) of the request.' },
    { keyword: 'path', args: [one('pattern', { type: 'word' })], doc: 'Matches the request path; `*` matches any run of characters.' },
    { keyword: 'forward', args: [ref('target-group', 'target-group')], doc: 'The target group that receives matching requests.' },
  ],
  'target-group': [
    { keyword: 'protocol', args: [one('protocol', enumOf('http', 'https'))], doc: 'Protocol from the load balancer to the targets (`http`: the backend connection is not encrypted).' },
    { keyword: 'port', args: [one('port', { type: 'port' })], doc: 'Port on the targets, e.g. a Kubernetes NodePort.' },
    { keyword: 'target', repeatable: true, args: [ref('device', 'device')], doc: 'A backend device (a Kubernetes node or a host).' },
    { keyword: 'health', args: [one('state', enumOf('healthy', 'unhealthy', 'draining'))], doc: 'Result of the health checks: only healthy targets receive new requests.' },
    { keyword: 'connect-timeout', args: [one('time', { type: 'duration', min: 1 })], doc: 'How long the load balancer waits for a target to accept a connection before answering 504 Gateway Timeout (default 10s, as an AWS ALB).' },
  ],
  certificate: [
    { keyword: 'subject', args: [one('common-name', { type: 'domain' })], doc: 'The subject common name (CN).' },
    { keyword: 'san', repeatable: true, args: [{ name: 'names', value: { type: 'domain' }, rest: true }], doc: 'Subject Alternative Names; clients match the requested host against these (a `*.` wildcard covers one label).' },
    { keyword: 'issuer', args: [one('issuer', { type: 'string' })], doc: 'The CA that signed it; the client must trust it.' },
    { keyword: 'valid-from', args: [one('date', { type: 'date' })], doc: 'Start of validity (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ in UTC).' },
    { keyword: 'valid-until', args: [one('date', { type: 'date' })], doc: 'End of validity (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ in UTC).' },
    { keyword: 'revoked', args: [one('revoked', enumOf('yes', 'no'))], doc: 'Whether OCSP reports it revoked.' },
    { keyword: 'key', args: [one('type', enumOf(...CERTIFICATE_KEYS))], doc: 'The key type of the certificate and of the root that issues it (default `ecdsa-p256`): `ecdsa-p256` signs with ECDSA P-256 / SHA-256 (signatures 70-72 bytes, the length varies with the random nonce), `ed25519` with Ed25519 (RFC 8410: a 32-byte public key, signatures always 64 bytes and deterministic). The server signs with the first scheme of the client\'s `signature_algorithms` its key supports: curl (OpenSSL) offers ed25519, browsers (Chrome, Firefox, Safari) do not, so a browser meets a handshake_failure alert. All certificates of one issuer must have the same key type.' },
  ],
  cluster: [
    { keyword: 'pod-cidr', args: [one('range', { type: 'cidr' })], doc: 'Address range of all pods (each node gets a slice).' },
    { keyword: 'service-cidr', args: [one('range', { type: 'cidr' })], doc: 'Address range of ClusterIP services; these addresses exist only in kube-proxy\'s rules.' },
    { keyword: 'domain', args: [one('domain', { type: 'domain' })], doc: 'Cluster DNS domain (default `cluster.local`).' },
    { keyword: 'dns', args: [ref('service', 'service')], doc: 'The Service in front of the cluster DNS pods (e.g. `kube-dns`). Pods use its ClusterIP as resolver.' },
    { keyword: 'overlay', args: [one('type', enumOf('vxlan', 'none'))], block: 'overlay', doc: '`vxlan`: pod traffic between nodes is wrapped in outer Ethernet/IP/UDP/VXLAN headers (like flannel); `none`: nodes route pod ranges directly.' },
    { keyword: 'node', repeatable: true, args: [name('node')], block: 'node', blockRequired: true, doc: 'A Kubernetes node: a host with kube-proxy rules, a CNI bridge for its pods, and a VXLAN endpoint.' },
    { keyword: 'pod', repeatable: true, args: [name('pod')], block: 'pod', blockRequired: true, doc: 'A pod: one network namespace (one IP) shared by its containers, attached to its node\'s bridge by a veth pair.' },
    { keyword: 'service', repeatable: true, args: [name('service')], block: 'service', blockRequired: true, doc: 'A Service: a virtual ClusterIP (and optionally a NodePort) that kube-proxy DNATs to the pods its selector matches.' },
  ],
  overlay: [
    { keyword: 'vni', args: [one('id', { type: 'integer', min: 0, max: 16777215 })], doc: 'VXLAN network identifier (24 bits).' },
    { keyword: 'port', args: [one('port', { type: 'port' })], doc: 'UDP port of the VXLAN tunnel: 4789 (IANA) or 8472 (Linux default, flannel).' },
  ],
  node: [
    iface, gateway, route, processing, tcpRmem, ...tcpTimers,
    { keyword: 'pod-cidr', args: [one('range', { type: 'cidr' })], doc: 'The slice of the pod range whose pods live on this node (its cni0 bridge has the first address).' },
    { keyword: 'underlay', args: [one('interface', { type: 'word' })], doc: 'The interface whose address the node\'s VXLAN endpoint uses, outside and as the other nodes\' destination (flannel\'s `--iface`, the VXLAN device\'s `local`/`dev`). Default: the node\'s first interface with an address.' },
  ],
  pod: [
    { keyword: 'node', args: [ref('node', 'node')], doc: 'The node this pod runs on.' },
    { keyword: 'ip', args: [one('address', { type: 'ipv4' })], doc: 'The pod\'s IP address (on its eth0, inside the node\'s pod-cidr).' },
    { keyword: 'mac', args: [one('address', { type: 'mac' })], doc: 'MAC address of the pod\'s eth0 (default: derived from the IP, as Kubernetes CNIs do).' },
    { keyword: 'label', repeatable: true, args: [{ name: 'key=value', value: { type: 'word' }, rest: true }], doc: 'Labels that Service selectors match, e.g. `label app=web`.' },
    { keyword: 'container', repeatable: true, args: [name('container')], block: 'container', blockRequired: true, doc: 'A container in the pod; containers share the pod\'s network and reach each other on localhost.' },
  ],
  container: [
    { keyword: 'role', args: [one('role', enumOf('proxy', 'app', 'postgres', 'dns'))], doc: '`proxy`: a sidecar that forwards requests to `upstream`; `app`: the application, which may query a database; `postgres`: a database server; `dns`: the cluster DNS server (answers for Services).' },
    listen, processing, software,
    { keyword: 'upstream', args: [one('endpoint', { type: 'endpoint' })], doc: 'For a proxy: where it forwards requests, e.g. `127.0.0.1:3000` (the app container on localhost).' },
    { keyword: 'certificate', args: [ref('certificate', 'certificate')], doc: 'For a proxy: the certificate it presents on its `listen` port, which then speaks TLS (nginx `listen ... ssl`), as the target of a load balancer\'s `protocol https` target group. The load balancer does not check it, so any issuer will do.' },
    { keyword: 'database', args: [one('url', { type: 'url' })], doc: 'For an app: the PostgreSQL server it queries, e.g. `postgres://postgres.default.svc.cluster.local:5432/app`.' },
    { keyword: 'query', args: [one('sql', { type: 'string' })], doc: 'For an app: the SQL it runs per request (sent as Parse/Bind/Execute/Sync).' },
    { keyword: 'rows', args: [one('count', { type: 'integer', min: 0, max: MAX_ROWS })], doc: 'For postgres: how many rows the query returns.' },
    { keyword: 'row-size', args: [one('size', { type: 'size', max: MAX_BODY_BYTES })], doc: 'For postgres: bytes of data per returned row.' },
  ],
  service: [
    { keyword: 'cluster-ip', args: [one('address', { type: 'ipv4' })], doc: 'The Service\'s virtual IP, inside the cluster\'s service-cidr.' },
    { keyword: 'port', args: [one('port', { type: 'port' })], doc: 'Port clients use on the ClusterIP. A Service with a `node-port` and no `cluster-ip` (reached only through its NodePort) may leave it out and give `target-port`.' },
    { keyword: 'target-port', args: [one('port', { type: 'port' })], doc: 'Port on the pods (default: same as `port`).' },
    { keyword: 'node-port', args: [one('port', { type: 'port', min: 30000, max: 32767 })], doc: 'A port opened on every node (30000-32767) that leads to this Service.' },
    { keyword: 'protocol', args: [one('protocol', enumOf('tcp', 'udp'))], doc: 'Transport protocol (default tcp).' },
    { keyword: 'selector', repeatable: true, args: [{ name: 'key=value', value: { type: 'word' }, rest: true }], doc: 'Pods whose labels match all of these become the Service\'s endpoints.' },
  ],
  database: [iface, gateway, route, processing, tcpRmem, ...tcpTimers, listen,
    { keyword: 'rows', args: [one('count', { type: 'integer', min: 0, max: MAX_ROWS })], doc: 'How many rows a query returns.' },
    { keyword: 'row-size', args: [one('size', { type: 'size', max: MAX_BODY_BYTES })], doc: 'Bytes of data per returned row.' },
  ],
  link: [
    { keyword: 'between', args: [ref('a', 'interface'), ref('b', 'interface')], doc: 'The two interfaces the link joins, as `device.interface`.' },
    { keyword: 'latency', args: [one('one-way', { type: 'duration' })], doc: 'One-way propagation delay, e.g. `12ms`. A round trip over the link costs twice this.' },
    { keyword: 'bandwidth', args: [one('rate', { type: 'bandwidth' })], doc: 'Line rate, e.g. `100Mbps`, `1Gbps`. Serialisation delay = frame bits / rate.' },
    { keyword: 'mtu', args: [one('bytes', { type: 'integer', min: 68, max: 65535 })], doc: 'Largest IP packet the link carries (default 1500).' },
    { keyword: 'medium', args: [one('medium', enumOf('ethernet', 'wifi'))], doc: '`wifi` adds medium access (CSMA/CA: DIFS + backoff) and link-layer ACKs before each frame; `ethernet` is full duplex.' },
    { keyword: 'loss', args: [one('rate', { type: 'percent' })], doc: 'Share of frames lost on this link (a weak Wi-Fi signal). Wi-Fi retries at the link layer; on Ethernet TCP retransmits.' },
  ],
  scenario: [
    { keyword: 'from', args: [ref('host', 'host')], doc: 'The host whose browser sends the request.' },
    { keyword: 'request', args: [], block: 'request', blockRequired: true, doc: 'The HTTP request: URL, method, headers, body, HTTP and TLS versions.' },
    { keyword: 'response', args: [], block: 'response', blockRequired: true, doc: 'What the application answers: status, headers, body size.' },
    { keyword: 'requests', args: [one('count', { type: 'integer', min: 1, max: MAX_REQUESTS })], doc: 'How many times the request is sent; the second reuses DNS caches and the pooled connection.' },
    { keyword: 'interval', args: [one('time', { type: 'duration' })], doc: 'Idle time between the end of one request and the start of the next (default 1s). DNS TTLs and NAT timeouts age by it.' },
    { keyword: 'cache', repeatable: true, args: [one('cache', enumOf(...CACHE_NAMES)), one('state', enumOf('cold', 'warm'))], doc: 'Starting state of a cache: `cold` (empty) or `warm` (already holds what this request needs). Default: all cold, HSTS warm for https URLs.' },
    { keyword: 'date', args: [one('date', { type: 'date' })], doc: 'The calendar date the journey happens on (YYYY-MM-DD), or the moment it starts in UTC (YYYY-MM-DDTHH:MM:SSZ): certificate validity is checked against it, and HTTP Date headers and TLS session tickets count from it (default 2026-01-01, midnight). It makes the trace independent of when you run it.' },
    { keyword: 'seed', args: [one('seed', { type: 'integer', min: 0, max: 4294967295 })], doc: 'Seed of the random generator for ISNs, ephemeral ports, DNS ids and key shares. Same seed, same trace.' },
    { keyword: 'fail', repeatable: true, args: [one('failure', enumOf(...FAILURE_KINDS)), { name: 'arguments', value: { type: 'word' }, rest: true, optional: true }], doc: 'Injects a failure; the trace shows where the journey stops, the symptom, and the tool that would detect it.' },
  ],
  request: [
    { keyword: 'url', args: [one('url', { type: 'url' })], doc: 'The URL typed in the browser (`https://host[:port]/path`).' },
    { keyword: 'method', args: [one('method', enumOf('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'))], doc: 'HTTP method (default GET).' },
    { keyword: 'header', repeatable: true, args: [one('name', { type: 'field-name' }), one('value', { type: 'field-value' })], doc: 'A request header, e.g. `header Accept "application/json"`.' },
    { keyword: 'body', args: [one('size', { type: 'size', max: MAX_BODY_BYTES })], doc: 'Size of the request body.' },
    { keyword: 'http', args: [one('version', enumOf('2', '1.1'))], doc: 'HTTP version the browser uses (ALPN offers it).' },
    { keyword: 'tls', args: [one('version', enumOf('1.3', '1.2'))], doc: 'Highest TLS version the browser offers: 1.3 costs one round trip, 1.2 two.' },
  ],
  response: [
    { keyword: 'status', args: [one('code', { type: 'integer', min: 200, max: 599 })], doc: 'HTTP status code the application returns (200-599: a 1xx status is an interim response, never the final answer).' },
    { keyword: 'header', repeatable: true, args: [one('name', { type: 'field-name' }), one('value', { type: 'field-value' })], doc: 'A response header, e.g. `header Content-Type "application/json"`.' },
    { keyword: 'body', args: [one('size', { type: 'size', max: MAX_BODY_BYTES })], doc: 'Size of the response body; bigger bodies take more TCP segments.' },
  ],
};

/** What each `fail KIND` takes after its kind (all optional: each has a default the docs
 * name). The model reads them with the same value parsers as statements, so a bad argument is a
 * diagnostic at its place instead of a silently used default. */
export const FAILURE_ARGS: Readonly<Record<(typeof FAILURE_KINDS)[number], readonly ArgSpec[]>> = {
  nxdomain: [], 'dns-timeout': [], 'syn-drop': [], rst: [], 'cert-expired': [], 'cert-name-mismatch': [], 'tls-version-mismatch': [],
  'http-status': [one('code', { type: 'integer', min: 200, max: 599 }, true)],
  'slow-server': [one('delay', { type: 'duration' }, true)],
  'db-refused': [],
  'db-slow': [one('delay', { type: 'duration' }, true)],
  'no-endpoints': [ref('service', 'service')].map((a) => ({ ...a, optional: true })),
  'wrong-port': [ref('service', 'service'), one('port', { type: 'port' })].map((a) => ({ ...a, optional: true })),
  'overlay-broken': [],
  'conntrack-full': [{ ...ref('device', 'device'), optional: true }],
  'nat-expiry': [{ ...ref('device', 'device'), optional: true }],
  'weak-wifi': [one('loss', { type: 'percent' }, true)],
  'mtu-blackhole': [one('link', { type: 'word' }, true), one('mtu', { type: 'integer', min: 68, max: 65535 }, true)],
  // Linux raises a smaller advertised MTU to net.ipv4.route.min_pmtu (552) and then sends
  // without DF, which would need fragmentation: the simulation keeps to what PMTUD handles.
  'small-mtu': [one('link', { type: 'word' }, true), one('mtu', { type: 'integer', min: 552, max: 65535 }, true)],
  'lb-unhealthy': [], 'lb-draining': [],
  'routing-loop': [{ ...ref('router', 'device'), optional: true }],
  'no-route': [{ ...ref('router', 'device'), optional: true }],
};

export const TOP_LEVEL_KEYWORDS: ReadonlySet<string> = new Set(SCHEMA.file.filter((k) => k.block).map((k) => k.keyword));

export function keywordsOf(context: ContextName): KeywordSpec[] {
  return SCHEMA[context];
}

export function findKeyword(context: ContextName, keyword: string): KeywordSpec | undefined {
  return SCHEMA[context].find((k) => k.keyword === keyword);
}

/** The context of the innermost block given the chain of enclosing statements. */
export function contextOf(parents: readonly { keyword: string }[]): ContextName | undefined {
  let ctx: ContextName = 'file';
  for (const p of parents) {
    const spec = findKeyword(ctx, p.keyword);
    if (!spec?.block) return undefined;
    ctx = spec.block;
  }
  return ctx;
}
