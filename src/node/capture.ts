// Reading a capture (a real one from dumpcap, or the simulation's pcapng export) into the flat
// records src/core/compare works on. tshark is the decoder for both sides, so a field means
// the same thing whichever side it comes from.
import { execFileSync } from 'node:child_process';
import type { PacketRecord } from '../core/compare';

type Node = Record<string, unknown>;

export interface ReadOptions {
  /** A TLS key log (NSS format) so tshark can show what runs inside TLS (HTTP/2 frames). */
  keylog?: string;
}

/** Packets of a capture file grouped by interface name (the simulation names them by link). */
export function readCapture(file: string, opts: ReadOptions = {}): Map<string, PacketRecord[]> {
  const args = ['-r', file, '-T', 'json', '--no-duplicate-keys'];
  if (opts.keylog) args.push('-o', `tls.keylog_file:${opts.keylog}`);
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const byLink = new Map<string, PacketRecord[]>();
  for (const p of JSON.parse(out) as Array<{ _source: { layers: Node } }>) {
    const layers = p._source.layers;
    const link = str(field(layers.frame, 'frame.interface_name')) ?? '';
    const list = byLink.get(link) ?? [];
    list.push(toRecord(layers));
    byLink.set(link, list);
  }
  return byLink;
}

/** Every value of `key` anywhere under `node` (tshark nests fields under subtrees). */
function findAll(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) findAll(x, key, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) {
        for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') out.push(x);
      }
      findAll(v, key, out);
    }
  }
  return out;
}
const field = (node: unknown, key: string): unknown => findAll(node, key)[0];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The fields we compare, per protocol. Lists keep tshark's order, joined with ",". */
const FIELDS: Record<string, { one?: string[]; all?: string[] }> = {
  eth: { one: ['eth.src', 'eth.dst', 'eth.type'] },
  arp: { one: ['arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4'] },
  ip: { one: ['ip.src', 'ip.dst', 'ip.ttl', 'ip.len', 'ip.flags.df', 'ip.proto', 'ip.dsfield'] },
  icmp: { one: ['icmp.type', 'icmp.code'] },
  udp: { one: ['udp.srcport', 'udp.dstport', 'udp.length'] },
  tcp: {
    one: ['tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.len', 'tcp.hdr_len', 'tcp.window_size_value', 'tcp.options.mss_val', 'tcp.options.wscale.shift'],
    all: ['tcp.option_kind'],
  },
  vxlan: { one: ['vxlan.flags', 'vxlan.vni'] },
  dns: {
    one: ['dns.id', 'dns.flags', 'dns.count.queries', 'dns.count.answers', 'dns.count.auth_rr', 'dns.count.add_rr'],
    all: ['dns.qry.name', 'dns.qry.type', 'dns.rr.udp_payload_size', 'dns.opt.code'],
  },
  tls: {
    all: ['tls.record.content_type', 'tls.record.length', 'tls.handshake.type', 'tls.handshake.length', 'tls.handshake.extensions_server_name',
      'tls.handshake.extensions_alpn_str', 'tls.handshake.extension.type'],
  },
  http2: { all: ['http2.type', 'http2.length', 'http2.streamid', 'http2.flags', 'http2.header.name'] },
  http: { one: ['http.request.method', 'http.request.uri', 'http.request.version', 'http.response.code', 'http.content_length_header'] },
};

/** DNS resource-record sections, each as "name type data" entries. */
const DNS_SECTIONS: Record<string, string> = { Answers: 'dns.an', 'Authoritative nameservers': 'dns.ns', 'Additional records': 'dns.ar' };

function dnsSections(dns: unknown, rec: Record<string, string>, prefix: string): void {
  if (!dns || typeof dns !== 'object') return;
  for (const [title, name] of Object.entries(DNS_SECTIONS)) {
    const section = (dns as Node)[title];
    if (!section || typeof section !== 'object') continue;
    const rrs = Object.values(section as Node).map((rr) => {
      const type = str(field(rr, 'dns.resp.type')) ?? '';
      const data = str(field(rr, 'dns.a')) ?? str(field(rr, 'dns.ns')) ?? str(field(rr, 'dns.cname')) ?? '';
      return `${str(field(rr, 'dns.resp.name')) ?? ''} ${type} ${data}`.trim();
    });
    rec[`${prefix}${name}`] = rrs.join(',');
  }
}

/** One packet's layers (tshark JSON) as a flat record; layers after a VXLAN header get "inner.". */
export function toRecord(layers: Node): PacketRecord {
  const protocols = (str(field(layers.frame, 'frame.protocols')) ?? '').split(':');
  const rec: Record<string, string> = {};
  const seen = new Map<string, number>();
  let inner = false;
  let proto = '';
  for (const name of protocols) {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    const raw = layers[name];
    const layer = Array.isArray(raw) ? raw[n] : n === 0 ? raw : undefined;
    const prefix = inner ? 'inner.' : '';
    if (['arp', 'icmp', 'tcp', 'udp'].includes(name)) proto = `${prefix}${name}`;
    const spec = FIELDS[name];
    if (spec && layer !== undefined) {
      for (const f of spec.one ?? []) {
        const v = str(field(layer, f));
        if (v !== undefined) rec[`${prefix}${f}`] = v;
      }
      for (const f of spec.all ?? []) {
        const v = findAll(layer, f);
        if (v.length) rec[`${prefix}${f}`] = v.join(',');
      }
      if (name === 'dns') dnsSections(layer, rec, prefix);
    }
    if (name === 'vxlan') inner = true;
  }
  rec.proto = proto || (protocols[protocols.length - 1] ?? '');
  return rec;
}
