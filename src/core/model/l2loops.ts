// Layer-2 loops: switches and access points flood broadcasts (an ARP request) out of every
// other port, and Ethernet has no TTL, so a loop of L2 links without spanning tree makes a
// broadcast circle forever (a broadcast storm). The model has no STP, so a loop is a warning.
import type { Link, Network } from './types';

export interface L2Loop {
  /** The link that closes the loop (every earlier one formed a tree). */
  link: Link;
  /** The devices around the loop, starting and ending at the same one. */
  devices: string[];
}

const BRIDGES = new Set(['switch', 'access-point']);

export function findL2Loops(net: Network): L2Loop[] {
  const loops: L2Loop[] = [];
  // The tree so far, as adjacency, to name the devices a closing link loops through.
  const tree = new Map<string, string[]>();
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while ((parent.get(r) ?? r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  for (const l of net.links) {
    const a = net.devices.get(l.a.device);
    const b = net.devices.get(l.b.device);
    if (!a || !b || !BRIDGES.has(a.kind) || !BRIDGES.has(b.kind)) continue;
    if (!a.interfaces.some((i) => i.name === l.a.interface) || !b.interfaces.some((i) => i.name === l.b.interface)) continue;
    if (a === b) { loops.push({ link: l, devices: [a.name, a.name] }); continue; }
    const ra = find(a.name);
    const rb = find(b.name);
    if (ra === rb) { loops.push({ link: l, devices: [...treePath(tree, a.name, b.name), a.name] }); continue; }
    parent.set(ra, rb);
    tree.set(a.name, [...(tree.get(a.name) ?? []), b.name]);
    tree.set(b.name, [...(tree.get(b.name) ?? []), a.name]);
  }
  return loops;
}

/** The devices from `from` to `to` along the tree (breadth first, no recursion). */
function treePath(tree: ReadonlyMap<string, string[]>, from: string, to: string): string[] {
  const prev = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let i = 0; i < queue.length && !prev.has(to); i++) {
    for (const n of tree.get(queue[i]) ?? []) if (!prev.has(n)) { prev.set(n, queue[i]); queue.push(n); }
  }
  const path = [to];
  for (let k = to; k !== from;) { k = prev.get(k) ?? from; path.unshift(k); }
  return path;
}
