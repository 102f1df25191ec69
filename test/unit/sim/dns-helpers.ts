// Reading the DNS packets of a trace back from their bytes, for the DNS tests.
import { decodeStack, fromHex, isOptRecord, parseDnsFlags, type DnsMessage } from '../../../src/core/wire';
import type { Trace } from '../../../src/core/trace/types';

export interface DnsPacket { time: number; link: string; src: string; dst: string; df: boolean; sport: number; dport: number; size: number; m: DnsMessage }

/** Every DNS packet seen on `link`, in time order, decoded from the trace's bytes. */
export function dnsOn(t: Trace, link: string): DnsPacket[] {
  const out: DnsPacket[] = [];
  for (const p of t.packets) {
    if (p.link !== link) continue;
    const first = p.layers[0]?.proto === 'ipv4' ? 'ipv4' : 'ethernet';
    const hs = decodeStack(fromHex(p.bytes), first);
    const ip = hs.find((h) => h.proto === 'ipv4');
    const udp = hs.find((h) => h.proto === 'udp');
    const m = hs.find((h): h is DnsMessage => h.proto === 'dns');
    if (!ip || ip.proto !== 'ipv4' || !udp || udp.proto !== 'udp' || !m) continue;
    out.push({ time: p.time, link, src: ip.src, dst: ip.dst, df: !!ip.dontFragment, sport: udp.srcPort, dport: udp.dstPort, size: fromHex(p.bytes).length, m });
  }
  return out;
}

export const queries = (l: DnsPacket[]): DnsPacket[] => l.filter((p) => !(p.m.flags & 0x8000));
export const responses = (l: DnsPacket[]): DnsPacket[] => l.filter((p) => !!(p.m.flags & 0x8000));
/** "api.example.com A", "com A", ". NS" */
export const question = (p: DnsPacket): string => `${p.m.questions[0]?.name === '' ? '.' : p.m.questions[0]?.name} ${p.m.questions[0]?.type}`;
export const flags = (p: DnsPacket): ReturnType<typeof parseDnsFlags> => parseDnsFlags(p.m.flags);
export const opt = (p: DnsPacket) => p.m.additionals.find(isOptRecord)?.edns;
/** A section as "name TYPE data" lines (the OPT left out). */
export const section = (p: DnsPacket, s: 'answers' | 'authorities' | 'additionals'): string[] =>
  p.m[s].flatMap((r) => ('data' in r ? [`${r.name || '.'} ${r.type} ${typeof r.data === 'object' && 'mname' in r.data ? `${r.data.mname} ${r.data.rname}` : String(r.data)}`] : []));
