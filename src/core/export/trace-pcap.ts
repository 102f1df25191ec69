// The Trace as pcapng: one capture interface per link (named after it), each snapshot at its
// simulated time, so Wireshark shows the journey link by link.
import { snapshotBytes } from '../trace/builder';
import { writePcapng } from './pcapng';
import type { Trace } from '../trace/types';

export function traceToPcapng(t: Trace): Uint8Array {
  const links = [...new Set(t.packets.map((p) => p.link))];
  const index = new Map(links.map((l, i) => [l, i]));
  const interfaces = links.map((name) => {
    const l = t.links.find((x) => x.name === name);
    return { name, description: l ? `${l.a} <-> ${l.b}` : name, linkType: 1 };
  });
  const packets = t.packets.map((p) => ({
    interface: index.get(p.link) ?? 0,
    timeMicros: Math.round(p.time * 1000),
    bytes: snapshotBytes(p),
    comment: `packet ${p.packetId}: ${p.from} -> ${p.to}`,
  }));
  return writePcapng(interfaces, packets);
}
