// The typed network a .journey file describes. Built once from the syntax tree; the simulation,
// the editor services and the CLI all read this, never the raw tree.
import type { Cidr, Ipv4, ParsedUrl, Endpoint } from '../language/values';
import type { Span } from '../language/range';
import type { DeviceKind, FAILURE_KINDS, CACHE_NAMES, CERTIFICATE_KEYS } from '../language/schema';

/** Where something was written: file (as given to the builder) and span. */
export interface Source { file: string; span: Span }

export interface Interface {
  name: string;
  device: string;
  mac: string;
  /** The primary address: the first `ip` of the interface, as `ip addr` lists it first. */
  address?: Ipv4;
  prefix?: number;
  /** The further `ip` lines, in the order written (Linux's secondary addresses). Kept apart from
   * the primary so that what only needs one address per interface (pods, VTEPs, the load
   * balancer's targets) keeps reading `address`; what must see them all goes through the
   * helpers in topology.ts. Absent when the interface has one address. */
  secondary?: InterfaceAddress[];
  mtu?: number;
  /** Name of the link attached to it, once links are resolved. */
  link?: string;
  /** Set when an address was written but could not be read (its error is already reported). */
  invalid?: boolean;
  /** Set on a bridge port (a pod's veth on its node): the bridge interface it belongs to. */
  bridge?: string;
  source: Source;
}

/** A secondary address with its prefix and its own `ip` statement (where its diagnostics point). */
export interface InterfaceAddress { address: Ipv4; prefix: number; source: Source }

export interface Route {
  destination: Cidr;
  via?: Ipv4;
  dev?: string;
  source: Source;
}

export interface NatRule { type: 'masquerade'; out: string; ports: 'preserve' | 'random'; maxEntries: number; udpTimeoutS: number; tcpTimeoutS: number; source: Source }
export interface DnatRule { match: Endpoint; target: Endpoint; source: Source }

/** An SOA's fields (RFC 1035 3.3.13): names absolute, timers in seconds. */
export interface SoaFields { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
/** A zone's record. `value` is the address (A, AAAA), the target (NS, CNAME) or the SOA's
 * mname; an SOA also has its fields in `soa`. */
export interface DnsRecord { name: string; type: 'A' | 'AAAA' | 'NS' | 'CNAME' | 'SOA'; value: string; ttl: number; soa?: SoaFields; source: Source }
export interface Zone { origin: string; records: DnsRecord[]; source: Source }

export interface Certificate {
  name: string; subject: string; sans: string[]; issuer: string; validFrom: number; validUntil: number; revoked: boolean;
  key: (typeof CERTIFICATE_KEYS)[number];
  source: Source;
}
export interface Rule { host?: string; path?: string; forward: string; source: Source }
export interface Listener { protocol: 'https' | 'http'; port: number; certificate?: string; tlsVersions: ('1.2' | '1.3')[]; alpn: string[]; rules: Rule[]; defaultGroup?: string; source: Source }
export interface TargetGroup { name: string; protocol: 'http' | 'https'; port: number; targets: string[]; health: 'healthy' | 'unhealthy' | 'draining'; connectTimeoutMs: number; source: Source }

export interface Container {
  name: string;
  role: 'proxy' | 'app' | 'postgres' | 'dns';
  listen?: number;
  processingMs: number;
  upstream?: Endpoint;
  database?: ParsedUrl;
  query?: string;
  rows: number;
  rowSize: number;
  /** The certificate a proxy serves on its listen port: with it, the port speaks TLS. */
  certificate?: string;
  /** The proxy's implementation (`software nginx`), as Device.software. */
  software?: Device['software'];
  source: Source;
}

export interface Device {
  kind: DeviceKind;
  name: string;
  interfaces: Interface[];
  routes: Route[];
  processingMs: number;
  /** net.ipv4.tcp_rmem [min, default, max] when the file sets it (else Linux's defaults). */
  tcpRmem?: [number, number, number];
  source: Source;
  // Per-kind sections; present only on the kinds that have them.
  host?: { resolvers: Ipv4[]; renderMs: number; trust: string[]; web?: { port: number; certificate?: string } };
  /** Retries and timeouts the file sets on this device (else the real defaults in
   * sim/constants.ts): net.ipv4.tcp_syn_retries, the initial RTO, resolv.conf's timeout/attempts. */
  timers?: { synRetries?: number; synLinearTimeouts?: number; initialRtoMs?: number; resolverTimeoutMs?: number; resolverAttempts?: number };
  /** Which real implementation the device behaves as, where implementations differ on the
   * wire (docs/language.md lists each profile). Absent: the kind's default profile. */
  software?: 'curl' | 'chrome' | 'unbound' | 'bind' | 'nsd' | 'nginx';
  nat?: NatRule;
  dnat: DnatRule[];
  forwarder?: { upstreams: Ipv4[]; source: Source };
  dns?: { role: 'recursive' | 'root' | 'tld' | 'authoritative' | 'forwarder'; zones: Zone[]; rootHints: Ipv4[]; upstreams: Ipv4[] };
  lb?: { listeners: Listener[]; targetGroups: TargetGroup[] };
  postgres?: { port: number; rows: number; rowSize: number };
  /** A Kubernetes node: its cluster, its pods' range, and the interface its VXLAN endpoint uses
   * (`underlay`; the first addressed one when not given). */
  node?: { cluster: string; podCidr?: Cidr; underlay?: string };
  pod?: { cluster: string; node: string; labels: Record<string, string>; containers: Container[] };
}

export interface Link {
  name: string;
  a: { device: string; interface: string };
  b: { device: string; interface: string };
  latencyMs: number;
  bandwidthBps: number;
  mtu: number;
  medium: 'ethernet' | 'wifi' | 'veth';
  lossPercent: number;
  /** Links the model adds itself (pod veth pairs) have no source. */
  implicit: boolean;
  source: Source;
}

export interface Service {
  name: string;
  cluster: string;
  clusterIp?: Ipv4;
  port: number;
  targetPort: number;
  nodePort?: number;
  protocol: 'tcp' | 'udp';
  selector: Record<string, string>;
  /** Pods whose labels match the selector. */
  endpoints: string[];
  source: Source;
}

export interface Cluster {
  name: string;
  podCidr?: Cidr;
  serviceCidr?: Cidr;
  domain: string;
  dnsService?: string;
  overlay: { type: 'vxlan' | 'none'; vni: number; port: number };
  source: Source;
}

export type FailureKind = (typeof FAILURE_KINDS)[number];
export type CacheName = (typeof CACHE_NAMES)[number];

export interface Failure { kind: FailureKind; args: string[]; source: Source }

export interface Scenario {
  name: string;
  from: string;
  url: ParsedUrl;
  method: string;
  headers: [string, string][];
  bodySize: number;
  http: '2' | '1.1';
  tls: '1.3' | '1.2';
  response: { status: number; headers: [string, string][]; bodySize: number };
  requests: number;
  intervalMs: number;
  caches: Record<CacheName, 'cold' | 'warm'>;
  seed: number;
  /** Simulated calendar date, ms since the epoch (UTC midnight). */
  date: number;
  failures: Failure[];
  source: Source;
}

export interface Network {
  devices: Map<string, Device>;
  links: Link[];
  certificates: Map<string, Certificate>;
  clusters: Map<string, Cluster>;
  services: Map<string, Service>;
  scenarios: Scenario[];
}
