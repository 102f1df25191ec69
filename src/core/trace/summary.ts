// One-line descriptions of headers for timelines and tooltips, and what an on-path observer
// can read from a packet.
import type { Header } from '../wire';

function flagsOf(f: Record<string, boolean | undefined>): string {
  return ['syn', 'fin', 'rst', 'psh', 'ack'].filter((k) => f[k]).map((k) => k.toUpperCase()).join(',');
}

export function summarize(h: Header): string {
  switch (h.proto) {
    case 'ethernet': return `${h.src} -> ${h.dst}`;
    case 'arp': return h.operation === 1 ? `who has ${h.targetIp}? tell ${h.senderIp}` : `${h.senderIp} is at ${h.senderMac}`;
    case 'ipv4': return `${h.src} -> ${h.dst} TTL ${h.ttl}${h.dontFragment ? ' DF' : ''}`;
    case 'icmp': return h.kind === 'dest_unreachable' ? `destination unreachable (code ${h.code}${h.nextHopMtu ? `, next-hop MTU ${h.nextHopMtu}` : ''})` : h.kind === 'time_exceeded' ? 'time exceeded (TTL expired in transit)' : h.kind.replace('_', ' ');
    case 'udp': return `${h.srcPort} -> ${h.dstPort}`;
    case 'tcp': return `${h.srcPort} -> ${h.dstPort} [${flagsOf(h.flags as Record<string, boolean | undefined>)}] seq ${h.seq} ack ${h.ack} win ${h.window}`;
    case 'dns': {
      const q = h.questions[0];
      const a = h.answers.map((r) => ('data' in r && typeof r.data === 'string' ? `${r.type} ${r.data}` : '')).filter(Boolean);
      return `${(h.flags & 0x8000) ? 'response' : 'query'} ${q ? `${q.type} ${q.name}` : ''}${a.length ? ` -> ${a.join(', ')}` : ''} (id ${h.id})`;
    }
    case 'tls': return h.records.map((r) => r.body.kind === 'handshake' ? r.body.messages.map((m) => m.type).join('+') : r.body.kind === 'opaque' ? `application_data(${r.body.data.length})` : r.body.kind).join(', ');
    case 'http1': return h.kind === 'request' ? `${h.method} ${h.target} ${h.version ?? 'HTTP/1.1'}` : `${h.version ?? 'HTTP/1.1'} ${h.status} ${h.reason}`;
    case 'http2': return h.frames.map((f) => `${f.kind.toUpperCase()}${f.streamId ? `[${f.streamId}]` : ''}`).join(' ');
    case 'vxlan': return `VNI ${h.vni}`;
    case 'pgsql': return h.messages.map((m) => m.type).join(', ');
    case 'raw': return `${h.data.length} bytes${h.note ? ` (${h.note})` : ''}`;
  }
}

/** What a router or an eavesdropper on the link can read, and what TLS hides from it. */
export function observerView(headers: Header[]): { visible: string; hidden: string } {
  const seen: string[] = [];
  const hidden: string[] = [];
  for (const h of headers) {
    if (h.proto === 'ethernet') seen.push('MAC addresses');
    if (h.proto === 'ipv4') seen.push(`IP addresses (${h.src} -> ${h.dst})`);
    if (h.proto === 'tcp' || h.proto === 'udp') seen.push(`ports (${h.srcPort} -> ${h.dstPort})`);
    if (h.proto === 'dns') seen.push(`the DNS question (${h.questions[0]?.name ?? ''})`);
    if (h.proto === 'http1') seen.push('the whole HTTP message (URL, headers, body)');
    if (h.proto === 'pgsql') seen.push('the SQL and the rows');
    if (h.proto === 'tls') {
      for (const r of h.records) {
        if (r.body.kind === 'handshake') for (const m of r.body.messages) {
          if (m.type === 'client_hello') {
            const sni = m.extensions?.find((e) => e.kind === 'server_name');
            if (sni && sni.kind === 'server_name') seen.push(`the server name in SNI (${sni.hostName})`);
          }
          if (m.type === 'certificate') seen.push('the server certificate (TLS 1.2 sends it in clear)');
        }
        if (r.body.kind === 'opaque') hidden.push('everything inside TLS: URL, headers, cookies, body');
      }
    }
  }
  return { visible: [...new Set(seen)].join('; '), hidden: [...new Set(hidden)].join('; ') };
}
