// Reading both sides into per-link records and describing the differences for people.
import type { LinkPackets, LinkScore, PacketRecord, Report } from '../../../src/core/compare';
import { mismatchSummary } from '../../../src/core/compare';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCapture } from '../../../src/node/capture';

/**
 * The real captures (one file per link) and the simulated ones, if any: a directory of one
 * pcapng per link (`journey trace --pcap-dir`), each read on its own as the real ones are. (Read
 * from one file, tshark would see each TCP stream again on every link it crosses, take the later
 * copies for retransmissions and leave their TLS and HTTP undissected.)
 */
export function linkPackets(real: { link: string; file: string }[], simDir: string | undefined, keylog?: string): LinkPackets[] {
  const sim = new Map<string, PacketRecord[]>();
  for (const f of simDir ? fs.readdirSync(simDir).filter((x) => x.endsWith('.pcapng')) : []) {
    for (const [link, records] of readCapture(path.join(simDir ?? '', f))) sim.set(link, [...(sim.get(link) ?? []), ...records]);
  }
  return real.map(({ link, file }) => ({
    link,
    real: [...readCapture(file, { keylog }).values()].flat(),
    sim: sim.get(link) ?? [],
  }));
}

/** A packet in a few words: "udp 75.75.75.75>198.41.0.4 dns com/1" or "tcp ...>... 0x0012 len 0". */
export function brief(p: PacketRecord): string {
  const inner = p.proto.startsWith('inner.') ? 'inner.' : '';
  const parts = [p.proto, p['ip.src'] ? `${p['ip.src']}>${p['ip.dst']}` : p['arp.opcode'] ? `op ${p['arp.opcode']} ${p['arp.dst.proto_ipv4']}` : ''];
  if (p[`${inner}dns.qry.name`]) parts.push(`dns ${p[`${inner}dns.flags`]} ${p[`${inner}dns.qry.name`]}/${p[`${inner}dns.qry.type`]}`);
  if (p[`${inner}tcp.flags`]) parts.push(`${p[`${inner}tcp.flags`]} len ${p[`${inner}tcp.len`]}`);
  if (p[`${inner}tls.record.content_type`]) parts.push(`tls ${p[`${inner}tls.record.content_type`]}/${p[`${inner}tls.handshake.type`] ?? ''}`);
  if (p[`${inner}http2.type`]) parts.push(`h2 ${p[`${inner}http2.type`]}`);
  if (p[`${inner}http.request.method`] || p[`${inner}http.response.code`]) parts.push(`http ${p[`${inner}http.request.method`] ?? p[`${inner}http.response.code`]}`);
  return parts.filter(Boolean).join(' ');
}

/** Per link: the most frequent field mismatches, then the packets only one side has. */
export function describe(report: Report, links: LinkPackets[], maxLines = 12): string {
  const out: string[] = [];
  const one = (l: LinkScore, lp: LinkPackets): void => {
    out.push(`${l.link}:`);
    for (const m of mismatchSummary(l).slice(0, maxLines)) out.push(`  ${m.field} x${m.count}: real ${m.example.real ?? '(absent)'} sim ${m.example.sim ?? '(absent)'}`);
    const missing = l.steps.flatMap((s) => (s.kind === 'missing' ? [brief(lp.real[s.real])] : []));
    const extra = l.steps.flatMap((s) => (s.kind === 'extra' ? [brief(lp.sim[s.sim])] : []));
    if (missing.length) out.push(`  only real (${missing.length}): ${missing.slice(0, maxLines).join(' | ')}`);
    if (extra.length) out.push(`  only sim (${extra.length}): ${extra.slice(0, maxLines).join(' | ')}`);
  };
  report.links.forEach((l, i) => one(l, links[i]));
  return out.join('\n');
}

/** Real packets of one kind (e.g. DNS) and how many of them matched, over all links. */
export function kindScore(report: Report, links: LinkPackets[], isKind: (p: PacketRecord) => boolean): { real: number; matched: number } {
  let real = 0;
  let matched = 0;
  report.links.forEach((l, i) => {
    for (const s of l.steps) {
      if (s.kind === 'extra' || !isKind(links[i].real[s.real])) continue;
      real++;
      if (s.kind === 'pair' && s.mismatches.length === 0) matched++;
    }
  });
  return { real, matched };
}

export const isDns = (p: PacketRecord): boolean => p['dns.flags'] !== undefined || p['inner.dns.flags'] !== undefined;
