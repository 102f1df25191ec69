// A node's ARP cache (ip neigh). Infrastructure caches start warm: every neighbour on every
// segment of the node is known. Writing those entries out would cost segment-size squared
// (a million entries for a thousand hosts on one switch), so warm neighbours are read from
// one shared table per segment until the node learns or forgets something itself.

export interface ArpEntry { mac: string; iface: string; since: number }

/** The neighbours of one segment, by address, with the device that owns each. */
export type SegmentNeighbours = Map<string, { mac: string; device: string }>;

interface WarmSegment { neighbours: SegmentNeighbours; iface: string }

export class ArpCache {
  private readonly own = new Map<string, ArpEntry>();
  private warm: WarmSegment[] = [];

  constructor(private readonly device: string) {}

  /** Starts with every neighbour of `neighbours` known through interface `iface`. */
  warmFrom(neighbours: SegmentNeighbours, iface: string): void {
    const same = this.warm.find((w) => w.neighbours === neighbours);
    if (same) same.iface = iface;
    else this.warm.push({ neighbours, iface });
  }

  private warmEntry(address: string): ArpEntry | undefined {
    let found: ArpEntry | undefined;
    for (const w of this.warm) {
      const n = w.neighbours.get(address);
      if (n && n.device !== this.device) found = { mac: n.mac, iface: w.iface, since: 0 };
    }
    return found;
  }

  get(address: string): ArpEntry | undefined {
    const e = this.own.get(address);
    if (e) return e;
    const w = this.warmEntry(address);
    if (w) this.own.set(address, w);
    return w;
  }

  has(address: string): boolean { return this.get(address) !== undefined; }

  set(address: string, e: ArpEntry): void { this.own.set(address, e); }

  clear(): void {
    this.own.clear();
    this.warm = [];
  }

  /** Every entry, warm ones first in segment order, then what the node learnt itself. */
  entries(): [string, ArpEntry][] {
    const out = new Map<string, ArpEntry>();
    for (const w of this.warm) {
      for (const [address, n] of w.neighbours) {
        if (n.device === this.device) continue;
        out.set(address, this.own.get(address) ?? { mac: n.mac, iface: w.iface, since: 0 });
      }
    }
    for (const [address, e] of this.own) if (!out.has(address)) out.set(address, e);
    return [...out];
  }
}
