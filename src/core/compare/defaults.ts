import type { CompareOptions, PacketRecord } from './types';

/** Transport ports below this are services; above it they are usually chosen at random. */
const EPHEMERAL_FROM = 1024;
const SERVICE_PORTS = new Set(['4789']);

/** One direction of one conversation: the protocol and both ends (after normalisation, so a
 * random port is its relational name), inside the VXLAN tunnel for encapsulated packets; ARP
 * by the asking or answering address. */
export function packetStream(p: PacketRecord): string {
  const proto = p.proto ?? '';
  const pre = proto.startsWith('inner.') ? 'inner.' : '';
  const kind = proto.slice(pre.length);
  if (kind === 'arp') return `arp ${p['arp.src.proto_ipv4'] ?? ''} ${p['arp.opcode'] ?? ''}`;
  const end = (dir: 'src' | 'dst') => `${p[`${pre}ip.${dir}`] ?? ''}:${p[`${pre}${kind}.${dir}port`] ?? ''}`;
  return `${proto} ${end('src')} > ${end('dst')}`;
}

/**
 * Options for records made by src/node/capture.ts. Ports and DNS ids are random on both sides,
 * so they are compared by relationship (a reply reuses the query's port and id; ids numbered per
 * question); VXLAN's source port is a flow hash, random in the same sense. Packets are aligned
 * per stream (packetStream), so streams interleaving differently is not a mismatch (LinkScore's
 * inOrder says how much it happens).
 */
export const PACKET_DEFAULTS: Required<CompareOptions> = {
  ignore: [],
  relational: [
    'udp.srcport', 'udp.dstport', 'tcp.srcport', 'tcp.dstport', 'dns.id',
    'inner.udp.srcport', 'inner.udp.dstport', 'inner.tcp.srcport', 'inner.tcp.dstport', 'inner.dns.id',
  ],
  // A DNS id is numbered within its question (see CompareOptions.scopes).
  scopes: { 'dns.id': ['dns.qry.name', 'dns.qry.type'], 'inner.dns.id': ['inner.dns.qry.name', 'inner.dns.qry.type'] },
  keep: (field, value) => /port$/.test(field) && (Number(value) < EPHEMERAL_FROM || SERVICE_PORTS.has(value)),
  key: ['proto'],
  weights: Object.fromEntries(['', 'inner.'].flatMap((p) => [
    [`${p}ip.src`, 4], [`${p}ip.dst`, 4], [`${p}tcp.srcport`, 2], [`${p}tcp.dstport`, 2], [`${p}udp.srcport`, 2], [`${p}udp.dstport`, 2],
    [`${p}tcp.flags`, 2], [`${p}dns.qry.name`, 2], [`${p}arp.opcode`, 4],
  ])),
  stream: packetStream,
};

/** The defaults, keeping some more ports as they are (a lab's own service ports). */
export function withServicePorts(ports: readonly number[]): Required<CompareOptions> {
  const keep = new Set(ports.map(String));
  return { ...PACKET_DEFAULTS, keep: (f, v) => PACKET_DEFAULTS.keep(f, v) || (/port$/.test(f) && keep.has(v)) };
}
