// Hover: the schema's documentation on keywords; on a name, a summary of what it names (a device's
// kind, addresses, links with their latency and its role); on a value, what the value means
// (a duration in ms, a subnet's range, a port's usual service).
import type { ArgSpec, KeywordSpec } from '../language/schema';
import type { Span } from '../language/range';
import * as V from '../language/values';
import { addressesOf, holdsAddress, ip } from '../model/topology';
import type { Device, Interface } from '../model/types';
import { clampOffset, mainDocument, statementAt, type ServiceInput } from './context';
import { code, plain } from './markdown';
import { definitionsOf, symbolAt, type SymbolAt } from './navigation';

export interface HoverResult {
  /** Markdown. */
  markdown: string;
  span: Span;
  /** The symbol hovered, when it is one (the server adds trace details to devices). */
  symbol?: SymbolAt;
}

export function keywordMarkdown(spec: KeywordSpec): string {
  const args = spec.args.map((a) => (a.value.type === 'literal' ? a.value.word : `<${a.name}>`) + (a.rest ? '...' : '')).join(' ');
  return `\`${[spec.keyword, args].filter(Boolean).join(' ')}${spec.block ? ' { ... }' : ''}\`\n\n${spec.doc}`;
}

export function hover(input: ServiceInput, rawOffset: number): HoverResult | undefined {
  const offset = clampOffset(input, rawOffset);
  const doc = mainDocument(input);
  const at = statementAt(doc, offset);
  const sym = symbolAt(input, offset);
  if (sym) {
    const md = symbolMarkdown(input, sym);
    if (md) return { markdown: md, span: sym.span, symbol: sym };
  }
  if (!at) return undefined;
  if (at.onKeyword) {
    if (!at.spec) return undefined;
    return { markdown: keywordMarkdown(at.spec), span: at.statement.keywordSpan };
  }
  if (!at.arg || !at.spec) return undefined;
  const md = valueMarkdown(input, at.spec, at.arg.spec, at.arg.arg.value);
  return md ? { markdown: md, span: at.arg.arg.span } : undefined;
}

// ---------------------------------------------------------------- names

function symbolMarkdown(input: ServiceInput, sym: SymbolAt): string | undefined {
  const net = input.result.network;
  switch (sym.namespace) {
    case 'device': {
      const d = net.devices.get(sym.name);
      return d ? deviceMarkdown(input, d) : definitionsOf(input, 'device', sym.name).length ? undefined : `No device is named ${code(sym.name)}.`;
    }
    case 'interface': {
      const dot = sym.name.indexOf('.');
      const d = net.devices.get(sym.name.slice(0, dot));
      const i = d?.interfaces.find((x) => x.name === sym.name.slice(dot + 1));
      if (!d || !i) return undefined;
      const link = net.links.find((l) => l.name === i.link);
      const other = link && (link.a.device === d.name && link.a.interface === i.name ? link.b : link.a);
      return [`**interface** ${code(sym.name)} of ${d.kind} ${code(d.name)}`, '',
        `- MAC ${code(i.mac)}`,
        ...addressLines(i),
        ...(i.mtu !== undefined ? [`- MTU ${i.mtu}`] : []),
        link && other ? `- link ${code(link.name)} to ${code(`${other.device}.${other.interface}`)}: ${linkFigures(link)}` : '- on no link',
      ].join('\n');
    }
    case 'certificate': {
      const c = net.certificates.get(sym.name);
      if (!c) return undefined;
      return [`**certificate** ${code(c.name)}`, '', `- subject ${code(c.subject)}`, `- SANs ${c.sans.map((s) => `${code(s)}`).join(', ') || 'none'}`, `- issuer ${code(c.issuer)}`,
        `- valid ${date(c.validFrom)} to ${date(c.validUntil)}${c.revoked ? ' (revoked)' : ''}`].join('\n');
    }
    case 'service': {
      const s = net.services.get(sym.name);
      if (!s) return undefined;
      return [`**service** ${code(s.name)} in cluster ${code(s.cluster)}`, '',
        `- ClusterIP ${s.clusterIp !== undefined ? `${code(ip(s.clusterIp))}` : 'none'}, port ${s.port}/${s.protocol} -> target port ${s.targetPort}${s.nodePort ? `, NodePort ${s.nodePort}` : ''}`,
        `- endpoints: ${s.endpoints.map((e) => `${code(e)}`).join(', ') || 'none (no pod matches the selector)'}`].join('\n');
    }
    case 'target-group': {
      for (const d of net.devices.values()) {
        const tg = d.lb?.targetGroups.find((t) => t.name === sym.name);
        if (tg) return [`**target group** ${code(tg.name)} of ${code(d.name)}`, '', `- ${tg.protocol} to port ${tg.port}, ${tg.health}`, `- targets: ${tg.targets.map((t) => `${code(t)}`).join(', ') || 'none'}`].join('\n');
      }
      return undefined;
    }
    case 'zone': {
      for (const d of net.devices.values()) {
        const z = d.dns?.zones.find((x) => x.origin === sym.name);
        if (z) return [`**zone** ${code(z.origin)} on ${code(d.name)} (${d.dns?.role})`, '', ...z.records.slice(0, 12).map((r) => `- ${code(`${r.name || '.'} ${r.type} ${r.value}`)} ttl ${r.ttl}`), ...(z.records.length > 12 ? [`- ... ${z.records.length - 12} more`] : [])].join('\n');
      }
      return undefined;
    }
    case 'link': {
      const l = net.links.find((x) => x.name === sym.name);
      return l ? `**link** ${code(l.name)}: ${code(`${l.a.device}.${l.a.interface}`)} <-> ${code(`${l.b.device}.${l.b.interface}`)}\n\n${linkFigures(l)}` : undefined;
    }
    case 'scenario': {
      const s = net.scenarios.find((x) => x.name === sym.name);
      return s ? `**scenario** ${code(s.name)}: ${s.method} ${code(`${s.url.scheme}://${s.url.host}${s.url.explicitPort ? `:${s.url.port}` : ''}${s.url.path}`)} from ${code(s.from)}, HTTP/${s.http}, TLS ${s.tls}, ${s.requests} request(s)` : undefined;
    }
    case 'cluster': {
      const c = net.clusters.get(sym.name);
      if (!c) return undefined;
      const nodes = [...net.devices.values()].filter((d) => d.node?.cluster === c.name).map((d) => d.name);
      return `**cluster** ${code(c.name)}: pods ${c.podCidr ? `${code(V.formatCidr(c.podCidr))}` : '?'}, services ${c.serviceCidr ? `${code(V.formatCidr(c.serviceCidr))}` : '?'}, overlay ${c.overlay.type}${c.overlay.type === 'vxlan' ? ` (VNI ${c.overlay.vni}, UDP ${c.overlay.port})` : ''}\n\nnodes: ${nodes.map((n) => `${code(n)}`).join(', ') || 'none'}`;
    }
    default:
      return undefined;
  }
}

function date(ms: number): string { return ms ? new Date(ms).toISOString().slice(0, 10) : '?'; }

function linkFigures(l: { latencyMs: number; bandwidthBps: number; mtu: number; medium: string }): string {
  return `${duration(l.latencyMs)} one way, ${rate(l.bandwidthBps)}, MTU ${l.mtu}, ${l.medium}`;
}

function duration(msValue: number): string {
  if (msValue === 0) return '0 ms';
  if (msValue < 1) return `${+(msValue * 1000).toFixed(3)} µs`;
  if (msValue < 1000) return `${+msValue.toFixed(3)} ms`;
  return `${+(msValue / 1000).toFixed(3)} s`;
}

function rate(bps: number): string {
  if (bps >= 1e9) return `${+(bps / 1e9).toFixed(3)} Gbit/s`;
  if (bps >= 1e6) return `${+(bps / 1e6).toFixed(3)} Mbit/s`;
  if (bps >= 1e3) return `${+(bps / 1e3).toFixed(3)} kbit/s`;
  return `${bps} bit/s`;
}

function role(d: Device): string | undefined {
  if (d.dns && d.kind === 'dns-server') return `DNS ${d.dns.role}${d.dns.zones.length ? `, zones ${d.dns.zones.map((z) => `${code(z.origin)}`).join(', ')}` : ''}`;
  if (d.lb) return `load balancer: ${d.lb.listeners.map((l) => `${l.protocol}/${l.port}`).join(', ') || 'no listener'}; target groups ${d.lb.targetGroups.map((t) => `${code(t.name)}`).join(', ') || 'none'}`;
  if (d.pod) return `pod on ${code(d.pod.node)} in cluster ${code(d.pod.cluster)}; containers ${d.pod.containers.map((c) => `${c.name} (${c.role}${c.listen ? ` :${c.listen}` : ''})`).join(', ') || 'none'}`;
  if (d.node) return `Kubernetes node of ${code(d.node.cluster)}${d.node.podCidr ? `, pods ${code(V.formatCidr(d.node.podCidr))}` : ''}`;
  if (d.postgres) return `PostgreSQL on port ${d.postgres.port}`;
  const parts: string[] = [];
  if (d.nat) parts.push(`NAT masquerade out ${code(d.nat.out)}`);
  if (d.dnat.length) parts.push(`DNAT ${d.dnat.map((r) => `${ip(r.match.address)} -> ${ip(r.target.address)}`).join(', ')}`);
  if (d.forwarder) parts.push('DNS forwarder');
  if (d.dns) parts.push('recursive DNS resolver');
  if (d.host) parts.push(`end host${d.host.resolvers.length ? `, resolver ${d.host.resolvers.map(ip).join(', ')}` : ''}`);
  return parts.length ? parts.join('; ') : undefined;
}

/** One line for completion lists. */
export function deviceSummaryLine(input: ServiceInput, name: string): string | undefined {
  const d = input.result.network.devices.get(name);
  if (!d) return undefined;
  const addrs = d.interfaces.filter((i) => !i.bridge).flatMap((i) => addressesOf(i).map(withPrefix));
  return `**${d.kind}** ${code(d.name)}${addrs.length ? ` — ${addrs.join(', ')}` : ''}${role(d) ? `\n\n${role(d)}` : ''}`;
}

export function deviceMarkdown(input: ServiceInput, d: Device): string {
  const net = input.result.network;
  const lines = [`**${d.kind}** ${code(d.name)}`];
  const r = role(d);
  if (r) lines.push('', r);
  const shown = d.interfaces.filter((i) => !i.bridge && i.name !== 'cni0');
  if (shown.length) {
    lines.push('', '| interface | MAC | address | link |', '| --- | --- | --- | --- |');
    for (const i of shown) {
      const link = net.links.find((l) => l.name === i.link);
      const other = link && (link.a.device === d.name && link.a.interface === i.name ? link.b : link.a);
      const addr = addressesOf(i).map(withPrefix).join(', ');
      lines.push(`| ${i.name} | ${i.mac} | ${addr} | ${link && other ? `${link.name} -> ${other.device}.${other.interface}, ${duration(link.latencyMs)}, ${rate(link.bandwidthBps)}` : ''} |`);
    }
  }
  const routes = d.routes.filter((x) => x.source.file === d.source.file);
  const gw = routes.find((x) => x.destination.prefix === 0 && x.via !== undefined);
  const facts: string[] = [];
  if (gw?.via !== undefined) facts.push(`default gateway ${ip(gw.via)}`);
  const others = routes.filter((x) => x !== gw);
  if (others.length) facts.push(`${others.length} route${others.length > 1 ? 's' : ''}`);
  if (d.processingMs) facts.push(`processing ${duration(d.processingMs)}`);
  if (facts.length) lines.push('', facts.join(' · '));
  return lines.join('\n');
}

// ---------------------------------------------------------------- values

const PORTS: Record<number, string> = {
  22: 'SSH', 53: 'DNS', 67: 'DHCP', 80: 'HTTP', 123: 'NTP', 443: 'HTTPS', 3000: 'a common app-server port', 4789: 'VXLAN (IANA)',
  5432: 'PostgreSQL', 6443: 'the Kubernetes API', 8080: 'HTTP (alternate)', 8443: 'HTTPS (alternate)', 8472: 'VXLAN (Linux default, flannel)', 10250: 'the kubelet',
};

function portNote(p: number): string {
  const name = PORTS[p];
  const range = p < 1024 ? 'well-known (below 1024)' : p >= 30000 && p <= 32767 ? 'in the Kubernetes NodePort range' : p >= 32768 ? 'in the ephemeral range' : 'registered';
  return `port ${p}${name ? `: ${name}` : ''} — ${range}`;
}

function withPrefix(a: { address: number; prefix?: number }): string {
  return `${ip(a.address)}${a.prefix !== undefined ? `/${a.prefix}` : ''}`;
}

/** The interface's addresses in the order `ip addr` lists them; with several, which one is the
 * primary (the source of what leaves for a subnet none of the others is on). */
function addressLines(i: Interface): string[] {
  const all = addressesOf(i);
  if (all.length <= 1) return all.map((a) => `- address ${code(withPrefix(a))}`);
  return [`- addresses ${all.map((a, k) => `${code(withPrefix(a))}${k === 0 ? ' (primary)' : ' (secondary)'}`).join(', ')}`];
}

function addressNote(input: ServiceInput, a: number): string {
  const o = [a >>> 24, (a >>> 16) & 255];
  const kind = o[0] === 10 || (o[0] === 172 && o[1] >= 16 && o[1] < 32) || (o[0] === 192 && o[1] === 168) ? 'private (RFC 1918)'
    : o[0] === 127 ? 'loopback' : o[0] === 100 && o[1] >= 64 && o[1] < 128 ? 'carrier-grade NAT (RFC 6598)' : o[0] >= 224 && o[0] < 240 ? 'multicast' : o[0] === 169 && o[1] === 254 ? 'link-local' : 'public';
  let owner: string | undefined;
  for (const d of input.result.network.devices.values()) {
    const i = d.interfaces.find((x) => holdsAddress(x, a));
    if (i) { owner = `${d.name}.${i.name}`; break; }
    const svc = [...input.result.network.services.values()].find((s) => s.clusterIp === a);
    if (svc) { owner = `service ${svc.name}`; break; }
  }
  return `${code(ip(a))}: ${kind} address${owner ? `, the address of ${code(owner)}` : ''}`;
}

function valueMarkdown(input: ServiceInput, spec: KeywordSpec, a: ArgSpec | undefined, text: string): string | undefined {
  if (!a) return `Extra argument: ${code(spec.keyword)} takes no more arguments here.`;
  const v = a.value;
  const show = <T>(r: V.Parsed<T>, f: (x: T) => string): string => (r.ok ? f(r.value) : `⚠ ${plain(r.message)}`);
  const head = `${code(spec.keyword)} <${a.name}>: `;
  switch (v.type) {
    case 'duration': return head + show(V.parseDuration(text, v), (x) => `${duration(x)}${spec.keyword === 'latency' ? ` one way (a round trip over this link costs ${duration(2 * x)})` : ''}`);
    case 'seconds': return head + show(V.parseSeconds(text), (x) => `${x} s${x >= 60 ? ` (${x >= 86400 ? `${+(x / 86400).toFixed(2)} days` : x >= 3600 ? `${+(x / 3600).toFixed(2)} h` : `${+(x / 60).toFixed(2)} min`})` : ''}`);
    case 'size': return head + show(V.parseSize(text, v), (x) => `${x} bytes${x >= 1460 ? ` (about ${Math.ceil(x / 1460)} TCP segments of 1460 bytes)` : ''}`);
    case 'bandwidth': return head + show(V.parseBandwidth(text), (x) => `${rate(x)}: a 1500-byte packet takes ${duration((1500 * 8 * 1000) / x)} to serialise`);
    case 'percent': return head + show(V.parsePercent(text), (x) => `${x}% of frames lost`);
    case 'integer': return head + show(V.parseInteger(text, v.min, v.max), (x) => `${x}${v.min !== undefined || v.max !== undefined ? ` (allowed ${v.min ?? 0} to ${v.max ?? '∞'})` : ''}`);
    case 'port': return head + show(V.parsePort(text, v), portNote);
    case 'ipv4': return head + show(V.parseIpv4(text), (x) => addressNote(input, x));
    case 'endpoint': return head + show(V.parseEndpoint(text), (x) => `${addressNote(input, x.address)}${x.port !== undefined ? `; ${portNote(x.port)}` : ''}`);
    case 'cidr': return head + show(V.parseCidr(text), cidrNote);
    case 'mac': return head + show(V.parseMac(text), (m) => {
      const first = parseInt(m.slice(0, 2), 16);
      return `${code(m)}: ${first & 1 ? 'multicast' : 'unicast'}, ${first & 2 ? 'locally administered (not from a vendor)' : `vendor prefix (OUI) ${code(m.slice(0, 8))}`}`;
    });
    case 'date': return head + show(V.parseDate(text), (t) => (t % 86_400_000 === 0 ? new Date(t).toUTCString().slice(0, 16) : new Date(t).toUTCString()));
    case 'url': return head + show(V.parseUrl(text), (u) => `${u.scheme} to ${code(u.host)} port ${u.port}${u.explicitPort ? '' : ' (default)'}, path ${code(u.path)}`);
    case 'domain': return head + show(V.parseDomain(text), (n) => `domain name ${code(n)}`);
    case 'enum': return `${head}${v.values.includes(text) ? `${code(text)}` : `⚠ ${code(text)} is not valid`} — one of ${v.values.map((x) => `${code(x)}`).join(', ')}\n\n${spec.doc}`;
    default: return undefined;
  }
}

function cidrNote(c: V.Cidr): string {
  const mask = V.prefixMask(c.prefix);
  const network = (c.address & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  const size = 2 ** (32 - c.prefix);
  const hosts = c.prefix >= 31 ? size : size - 2;
  const parts = [`network \`${ip(network)}/${c.prefix}\`, netmask ${code(ip(mask))}`,
    c.prefix >= 31 ? `${hosts} address${hosts > 1 ? 'es' : ''}` : `${hosts} host addresses (${code(ip(network + 1))} to ${code(ip(broadcast - 1))}), broadcast ${code(ip(broadcast))}`];
  if (c.address !== network && c.prefix < 31) parts.unshift(`address ${code(ip(c.address))}`);
  return parts.join('; ');
}
