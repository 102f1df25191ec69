// The Trace as pcapng: one capture interface per link (named after it), each snapshot at its
// simulated time, so Wireshark shows the journey link by link. The session secrets of every TLS
// handshake ride in a Decryption Secrets Block, so Wireshark and tshark decrypt with no key file.
//
// One file for all links shows each packet once per link it crossed, which Wireshark's TCP
// analysis reads as retransmissions; a capture of one link (`link`) is what a tap on that
// cable would record.
//
// The frame bytes come from the caller: a trace the simulation just made encodes them from its
// headers (trace-pcap.ts), a trace read back from JSON has them as hex. Keeping the encoders out
// of this module keeps them out of the extension host's bundle.
import { pcapngBlocks, writePcapng, type PcapngPacket } from './pcapng';
import { decryptionSecretsBlock } from './decryptionSecrets';
import type { PacketSnapshot, Trace } from '../trace/types';

export interface PcapOptions {
  /** only the packets of this link (see traceLinks) */
  link?: string;
}

export type FrameBytes = (p: PacketSnapshot) => Uint8Array;

export function pcapngOf(t: Trace, bytesOf: FrameBytes, o: PcapOptions = {}): Uint8Array {
  const { interfaces, packets, secrets } = capture(t, bytesOf, o);
  return writePcapng(interfaces, packets, secrets);
}

/** The same file as blocks, made one packet at a time (for writing long traces to disk). */
export function pcapngBlocksOf(t: Trace, bytesOf: FrameBytes, o: PcapOptions = {}): Generator<Uint8Array> {
  const { interfaces, packets, secrets } = capture(t, bytesOf, o);
  return pcapngBlocks(interfaces, packets, secrets);
}

/** The links that carried at least one packet, in the order they first did. */
export function traceLinks(t: Trace): string[] {
  return [...new Set(t.packets.map((p) => p.link))];
}

/** The TLS key log of the trace as an SSLKEYLOGFILE (NSS format, one secret a line). */
export function traceKeyLog(t: Trace): string {
  return (t.tlsKeyLog ?? []).map((l) => `${l}\n`).join('');
}

function capture(t: Trace, bytesOf: FrameBytes, o: PcapOptions): { interfaces: { name: string; description: string; linkType: number }[]; packets: Iterable<PcapngPacket>; secrets: Uint8Array[] } {
  const all = traceLinks(t);
  if (o.link !== undefined && !all.includes(o.link)) throw new RangeError(`no packet crossed a link named "${o.link}" (links with packets: ${all.join(', ') || 'none'})`);
  const links = o.link !== undefined ? [o.link] : all;
  const index = new Map(links.map((l, i) => [l, i]));
  const interfaces = links.map((name) => {
    const l = t.links.find((x) => x.name === name);
    return { name, description: l ? `${l.a} <-> ${l.b}` : name, linkType: 1 };
  });
  function* packets(): Generator<PcapngPacket> {
    for (const p of t.packets) {
      const i = index.get(p.link);
      if (i === undefined) continue;
      yield { interface: i, timeMicros: Math.round(p.time * 1000), bytes: bytesOf(p), comment: `packet ${p.packetId}: ${p.from} -> ${p.to}` };
    }
  }
  const keyLog = traceKeyLog(t);
  return { interfaces, packets: packets(), secrets: keyLog ? [decryptionSecretsBlock(keyLog)] : [] };
}
