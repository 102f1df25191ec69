// The whole path of the seed (docs: /work/shared/seed/follow-a-packet.md) as one description,
// from which both the namespaces (build.ts) and the .journey file (journey.ts) are made, so
// addresses, MACs and MTUs cannot drift apart. Shortened where the seed only adds more of the
// same: no access point, one ISP router standing in for the ISP and the backbones.

export interface Iface { name: string; mac: string; cidr?: string; mtu?: number }
export interface Device {
  name: string;
  ifaces: Iface[];
  gateway?: string;
  routes?: { to: string; via: string }[];
}
/** A link between two device interfaces; `capture` is the end whose interface is captured;
 * `bandwidthBps`, the line rate relay.py serialises frames at (none: no serialisation). */
export interface Link { name: string; a: [string, string]; b: [string, string]; capture: 'a' | 'b'; bandwidthBps?: number }

export const DOMAIN = 'api.example.com';
export const PATH = '/users/42';
export const BODY_BYTES = 256;
export const NODE_PORT = 30080;
export const POD_PORT = 8080;
export const APP_PORT = 3000;
export const VNI = 1;
export const VXLAN_PORT = 4789;
export const POD_MTU = 1450;
/** Every link's one-way delay (relay.py holds each frame this long; the journey's `latency`).
 * Long enough that the wire, not the programs' CPU time, decides which packets cross first, as
 * on real networks; short enough that no round trip reaches the 40 ms delayed-ACK timer. */
export const LINK_DELAY_US = 1000;
/** The home's access line (an ADSL-like 512 kbit/s): the slowest link of the path, as on real
 * networks. At this rate a small segment takes 1.4-2.8 ms on the wire, so segments that a
 * program writes back to back arrive spaced by the wire, not by the CPU time of the programs at
 * either end (which on this 2-core lab varies by up to 1.5 ms from run to run). */
export const ACCESS_BPS = 512_000;

export const IP = {
  laptop: '192.168.1.100', homeLan: '192.168.1.1', homeWan: '73.45.22.100', ispCust: '73.45.20.1',
  resolver: '75.75.75.75', root: '198.41.0.4', tld: '192.5.6.30', ns: '205.251.192.10',
  igwInet: '52.93.0.2', ispAws: '52.93.0.1', publicAlb: '52.20.30.40', igwVpc: '10.0.1.1', alb: '10.0.1.10',
  node3: '10.0.1.30', node5: '10.0.1.50', pod: '10.244.2.15', cni5: '10.244.2.1', vtep3: '10.244.1.0', vtep5: '10.244.2.0',
};

export const DEVICES: Device[] = [
  { name: 'laptop', ifaces: [{ name: 'wlan0', mac: 'aa:bb:cc:dd:ee:01', cidr: `${IP.laptop}/24` }], gateway: IP.homeLan },
  {
    name: 'home-router', gateway: IP.ispCust,
    ifaces: [{ name: 'lan', mac: 'aa:bb:cc:dd:ee:02', cidr: `${IP.homeLan}/24` }, { name: 'wan', mac: 'aa:bb:cc:dd:ee:03', cidr: `${IP.homeWan}/22` }],
  },
  {
    name: 'isp-router', routes: [{ to: '52.20.30.0/24', via: IP.igwInet }],
    ifaces: [
      { name: 'cust', mac: '00:1b:54:00:00:01', cidr: `${IP.ispCust}/22` },
      { name: 'dc', mac: '00:1b:54:00:00:02', cidr: '75.75.75.1/24' },
      { name: 'root', mac: '00:0c:db:00:00:03', cidr: '198.41.0.1/24' },
      { name: 'tld', mac: '00:0c:db:00:00:04', cidr: '192.5.6.1/24' },
      { name: 'ns', mac: '00:0c:db:00:00:05', cidr: '205.251.192.1/24' },
      { name: 'aws', mac: '00:0c:db:00:01:02', cidr: `${IP.ispAws}/30` },
    ],
  },
  { name: 'isp-resolver', ifaces: [{ name: 'eth0', mac: '00:1b:54:00:01:01', cidr: `${IP.resolver}/24` }], gateway: '75.75.75.1' },
  { name: 'root-server', ifaces: [{ name: 'eth0', mac: '00:00:5e:00:53:01', cidr: `${IP.root}/24` }], gateway: '198.41.0.1' },
  { name: 'com-tld', ifaces: [{ name: 'eth0', mac: '00:00:5e:00:53:02', cidr: `${IP.tld}/24` }], gateway: '192.5.6.1' },
  { name: 'example-ns', ifaces: [{ name: 'eth0', mac: '00:00:5e:00:53:03', cidr: `${IP.ns}/24` }], gateway: '205.251.192.1' },
  {
    name: 'aws-igw', gateway: IP.ispAws,
    ifaces: [{ name: 'inet', mac: '02:aa:00:00:00:01', cidr: `${IP.igwInet}/30` }, { name: 'vpc', mac: '02:aa:00:00:00:02', cidr: `${IP.igwVpc}/24` }],
  },
  // The VPC fabric: a Linux bridge; its ports' MACs never appear in frames.
  {
    name: 'vpc-fabric',
    ifaces: [{ name: 'up', mac: '02:aa:00:00:01:00' }, { name: 'p1', mac: '02:aa:00:00:01:01' }, { name: 'p3', mac: '02:aa:00:00:01:03' }, { name: 'p5', mac: '02:aa:00:00:01:05' }],
  },
  { name: 'alb', ifaces: [{ name: 'eth0', mac: '02:aa:00:00:02:01', cidr: `${IP.alb}/24` }], gateway: IP.igwVpc },
  { name: 'node-3', ifaces: [{ name: 'eth0', mac: '02:aa:00:00:03:01', cidr: `${IP.node3}/24` }], gateway: IP.igwVpc },
  { name: 'node-5', ifaces: [{ name: 'eth0', mac: '02:aa:00:00:05:01', cidr: `${IP.node5}/24` }], gateway: IP.igwVpc },
];

export const SWITCH = 'vpc-fabric';

export const LINKS: Link[] = [
  { name: 'home-lan', a: ['laptop', 'wlan0'], b: ['home-router', 'lan'], capture: 'a' },
  { name: 'last-mile', a: ['home-router', 'wan'], b: ['isp-router', 'cust'], capture: 'a', bandwidthBps: ACCESS_BPS },
  { name: 'isp-dc', a: ['isp-router', 'dc'], b: ['isp-resolver', 'eth0'], capture: 'b' },
  { name: 'to-root', a: ['isp-router', 'root'], b: ['root-server', 'eth0'], capture: 'b' },
  { name: 'to-tld', a: ['isp-router', 'tld'], b: ['com-tld', 'eth0'], capture: 'b' },
  { name: 'to-example-ns', a: ['isp-router', 'ns'], b: ['example-ns', 'eth0'], capture: 'b' },
  { name: 'aws-peering', a: ['isp-router', 'aws'], b: ['aws-igw', 'inet'], capture: 'b' },
  { name: 'vpc-igw', a: ['aws-igw', 'vpc'], b: ['vpc-fabric', 'up'], capture: 'a' },
  { name: 'vpc-alb', a: ['alb', 'eth0'], b: ['vpc-fabric', 'p1'], capture: 'a' },
  { name: 'vpc-node-3', a: ['node-3', 'eth0'], b: ['vpc-fabric', 'p3'], capture: 'a' },
  { name: 'vpc-node-5', a: ['node-5', 'eth0'], b: ['vpc-fabric', 'p5'], capture: 'a' },
];

/** The pod, its veth to node-5's bridge, and its loopback (sidecar -> app), as the simulation names them. */
export const POD = { name: 'web-7d9f', node: 'node-5', mac: '0a:58:0a:f4:02:0f', link: 'veth-web-7d9f', lo: 'lo@web-7d9f' };
/** node-5's bridge (cni0): the pod's gateway. The simulation's MAC for node-5's side of the pod link. */
export const CNI_MAC = '0e:aa:00:00:05:01';

/**
 * VTEP MACs: flannel picks them at random; the lab uses the simulation's convention (the node's
 * MAC with the first byte 0xa2) so that this choice is not counted as a difference.
 */
export const vtepMac = (nodeMac: string): string => `a2${nodeMac.slice(2)}`;

/** A zone's SOA, written in both the nsd zone file and the .journey file (`soa`). */
export interface LabSoa { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number; ttl: number }

/** The zones; their SOAs have the shape of the real ones (the root's and com's as Verisign
 * publishes them, a provider's template for example.com), so the simulation's use of a written
 * SOA is checked, not its derived one. */
export const ZONES: Record<string, { server: string; soa: LabSoa; records: string[] }> = {
  '.': {
    server: 'root-server',
    soa: { mname: 'a.root-servers.net.', rname: 'nstld.verisign-grs.com.', serial: 2026112400, refresh: 1800, retry: 900, expire: 604800, minimum: 86400, ttl: 86400 },
    records: [
      '. 518400 IN NS a.root-servers.net.', `a.root-servers.net. 518400 IN A ${IP.root}`,
      'com. 172800 IN NS a.gtld-servers.net.', `a.gtld-servers.net. 172800 IN A ${IP.tld}`,
    ],
  },
  'com.': {
    server: 'com-tld',
    soa: { mname: 'a.gtld-servers.net.', rname: 'nstld.verisign-grs.com.', serial: 1763942400, refresh: 1800, retry: 900, expire: 604800, minimum: 900, ttl: 900 },
    records: ['com. 172800 IN NS a.gtld-servers.net.', 'example.com. 172800 IN NS ns1.example.com.', `ns1.example.com. 172800 IN A ${IP.ns}`],
  },
  'example.com.': {
    server: 'example-ns',
    soa: { mname: 'ns1.example.com.', rname: 'hostmaster.example.com.', serial: 2026112401, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300, ttl: 3600 },
    records: ['example.com. 172800 IN NS ns1.example.com.', `ns1.example.com. 172800 IN A ${IP.ns}`, `api.example.com. 300 IN A ${IP.publicAlb}`],
  },
};
