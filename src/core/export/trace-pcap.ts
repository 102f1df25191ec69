// The Trace as pcapng: one capture interface per link (named after it), each snapshot at its
// simulated time, so Wireshark shows the journey link by link.
import { snapshotBytes } from '../trace/builder';
import { pcapngBlocks, writePcapng, type PcapngPacket } from './pcapng';
import type { Trace } from '../trace/types';

export function traceToPcapng(t: Trace): Uint8Array {
  const { interfaces, packets } = capture(t);
  return writePcapng(interfaces, packets);
}

/** The same file as blocks, made one packet at a time (for writing long traces to disk). */
export function traceToPcapngBlocks(t: Trace): Generator<Uint8Array> {
  const { interfaces, packets } = capture(t);
  return pcapngBlocks(interfaces, packets);
}

function capture(t: Trace): { interfaces: { name: string; description: string; linkType: number }[]; packets: Iterable<PcapngPacket> } {
  const links = [...new Set(t.packets.map((p) => p.link))];
  const index = new Map(links.map((l, i) => [l, i]));
  const interfaces = links.map((name) => {
    const l = t.links.find((x) => x.name === name);
    return { name, description: l ? `${l.a} <-> ${l.b}` : name, linkType: 1 };
  });
  function* packets(): Generator<PcapngPacket> {
    for (const p of t.packets) {
      yield { interface: index.get(p.link) ?? 0, timeMicros: Math.round(p.time * 1000), bytes: snapshotBytes(p), comment: `packet ${p.packetId}: ${p.from} -> ${p.to}` };
    }
  }
  return { interfaces, packets: packets() };
}
