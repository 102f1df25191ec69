// Layer-2 segments and layer-3 route lookup over the model. Both the semantic checks (is the
// server reachable?) and the simulation (where does this packet go?) use this one implementation.
import { inSubnet, prefixMask, type Cidr, type Ipv4 } from '../language/values';
import type { Device, Interface, Link, Network, Route } from './types';

export interface RouteChoice {
  /** The table entry that matched; undefined for a connected subnet. */
  route?: Route;
  destination: Cidr;
  iface: Interface;
  /** Address to resolve with ARP: the gateway, or the destination itself when connected. */
  nextHop: Ipv4;
  /** Set when a Kubernetes node sends pod traffic to another node through the overlay. */
  overlay?: { node: Device; vtepAddress: Ipv4 };
  /** Human-readable reason, e.g. "route 0.0.0.0/0 via 192.168.0.1 dev wlan0". */
  why: string;
}

export interface L2Hop { link: Link; from: Interface; to: Interface }

const key = (device: string, iface: string): string => `${device}.${iface}`;

export class Topology {
  private readonly parent = new Map<string, string>();
  private readonly ifaces = new Map<string, Interface>();
  private readonly linksByIface = new Map<string, Link>();
  private readonly byAddress = new Map<Ipv4, Interface>();
  private readonly byMac = new Map<string, Interface[]>();

  constructor(readonly net: Network) {
    for (const d of net.devices.values()) {
      for (const i of d.interfaces) {
        const k = key(d.name, i.name);
        this.ifaces.set(k, i);
        this.parent.set(k, k);
        if (i.address !== undefined && !this.byAddress.has(i.address)) this.byAddress.set(i.address, i);
        this.byMac.set(i.mac, [...(this.byMac.get(i.mac) ?? []), i]);
      }
    }
    for (const l of net.links) {
      const a = key(l.a.device, l.a.interface);
      const b = key(l.b.device, l.b.interface);
      if (!this.ifaces.has(a) || !this.ifaces.has(b)) continue;
      this.linksByIface.set(a, l);
      this.linksByIface.set(b, l);
      this.union(a, b);
    }
    // L2 devices bridge all their ports; a node's veths are ports of its cni0 bridge.
    for (const d of net.devices.values()) {
      if (d.kind === 'access-point' || d.kind === 'switch') {
        for (const i of d.interfaces.slice(1)) this.union(key(d.name, d.interfaces[0].name), key(d.name, i.name));
      }
      for (const i of d.interfaces) if (i.bridge) this.union(key(d.name, i.bridge), key(d.name, i.name));
    }
  }

  private find(k: string): string {
    let r = k;
    while (this.parent.get(r) !== r) r = this.parent.get(r) ?? r;
    this.parent.set(k, r);
    return r;
  }
  private union(a: string, b: string): void { this.parent.set(this.find(a), this.find(b)); }

  segment(i: Interface): string { return this.find(key(i.device, i.name)); }
  iface(device: string, name: string): Interface | undefined { return this.ifaces.get(key(device, name)); }
  linkOf(i: Interface): Link | undefined { return this.linksByIface.get(key(i.device, i.name)); }
  ownerOf(address: Ipv4): Interface | undefined { return this.byAddress.get(address); }
  /** The interface with this MAC on the same segment as `near` (what a switch has learned). */
  macOwner(mac: string, near: Interface): Interface | undefined {
    const seg = this.segment(near);
    return this.byMac.get(mac)?.find((i) => this.segment(i) === seg);
  }

  /** The interface holding `address` on the same layer-2 segment as `from` (what ARP finds). */
  neighbour(from: Interface, address: Ipv4): Interface | undefined {
    const seg = this.segment(from);
    const owner = this.byAddress.get(address);
    if (owner && this.segment(owner) === seg) return owner;
    for (const i of this.ifaces.values()) if (i.address === address && this.segment(i) === seg) return i;
    return undefined;
  }

  /** Longest-prefix match over connected subnets and static routes, as the Linux FIB does. */
  route(device: Device, dst: Ipv4): RouteChoice | undefined {
    let best: RouteChoice | undefined;
    const consider = (c: RouteChoice): void => {
      if (!best || c.destination.prefix > best.destination.prefix) best = c;
    };
    for (const i of device.interfaces) {
      if (i.address === undefined || i.prefix === undefined || i.bridge) continue;
      const net = { address: (i.address & prefixMask(i.prefix)) >>> 0, prefix: i.prefix };
      if (inSubnet(dst, net)) consider({ destination: net, iface: i, nextHop: dst, why: `connected ${fmt(net)} dev ${i.name}` });
    }
    for (const r of device.routes) {
      if (!inSubnet(dst, r.destination)) continue;
      if (r.dev) {
        const i = device.interfaces.find((x) => x.name === r.dev);
        if (i) consider({ route: r, destination: r.destination, iface: i, nextHop: dst, why: `route ${fmt(r.destination)} dev ${i.name}` });
        continue;
      }
      if (r.via === undefined) continue;
      const out = device.interfaces.find((i) => i.address !== undefined && i.prefix !== undefined && !i.bridge && inSubnet(r.via as Ipv4, { address: i.address, prefix: i.prefix }));
      if (out) consider({ route: r, destination: r.destination, iface: out, nextHop: r.via, why: `route ${fmt(r.destination)} via ${ip(r.via)} dev ${out.name}` });
    }
    const overlay = this.overlayRoute(device, dst);
    if (overlay) consider(overlay);
    return best;
  }

  /** A node reaches pods of other nodes the way flannel sets it up: through the VXLAN device
   * (overlay vxlan) or straight via the other node's address (overlay none, host-gw). */
  private overlayRoute(device: Device, dst: Ipv4): RouteChoice | undefined {
    if (!device.node) return undefined;
    const cluster = this.net.clusters.get(device.node.cluster);
    if (!cluster) return undefined;
    for (const other of this.net.devices.values()) {
      const slice = other.node?.podCidr;
      if (other === device || !slice || other.node?.cluster !== cluster.name || !inSubnet(dst, slice)) continue;
      const vtep = other.interfaces.find((i) => i.address !== undefined && !i.bridge && i.name !== 'cni0');
      if (!vtep || vtep.address === undefined) return undefined;
      const under = this.route({ ...device, node: undefined }, vtep.address);
      if (!under) return undefined;
      if (cluster.overlay.type === 'none') return { destination: slice, iface: under.iface, nextHop: vtep.address, why: `route ${fmt(slice)} via ${ip(vtep.address)} dev ${under.iface.name} (host-gw)` };
      return { destination: slice, iface: under.iface, nextHop: under.nextHop, overlay: { node: other, vtepAddress: vtep.address }, why: `route ${fmt(slice)} via ${other.name} dev flannel.${cluster.overlay.vni} (VXLAN to ${ip(vtep.address)})` };
    }
    return undefined;
  }

  /** The links a frame crosses from `from` to `to` within one segment (through APs, switches
   * and bridges), in order. Empty when both are the same interface or not connected. */
  l2Path(from: Interface, to: Interface): L2Hop[] {
    const start = key(from.device, from.name);
    const goal = key(to.device, to.name);
    if (start === goal) return [];
    const prev = new Map<string, { k: string; hop?: L2Hop }>();
    const queue = [start];
    prev.set(start, { k: start });
    while (queue.length) {
      const k = queue.shift() as string;
      if (k === goal) break;
      const i = this.ifaces.get(k);
      if (!i) continue;
      const next: { k: string; hop?: L2Hop }[] = [];
      const l = this.linksByIface.get(k);
      if (l) {
        const other = key(l.a.device, l.a.interface) === k ? l.b : l.a;
        const ok = key(other.device, other.interface);
        const oi = this.ifaces.get(ok);
        if (oi) next.push({ k: ok, hop: { link: l, from: i, to: oi } });
      }
      // Inside an L2 device (or a bridge) a frame may leave by any other port.
      const dev = this.net.devices.get(i.device);
      if (dev && (dev.kind === 'access-point' || dev.kind === 'switch')) for (const o of dev.interfaces) if (o !== i) next.push({ k: key(dev.name, o.name) });
      if (dev) for (const o of dev.interfaces) if ((o.bridge === i.name || i.bridge === o.name || (i.bridge && o.bridge === i.bridge)) && o !== i) next.push({ k: key(dev.name, o.name) });
      for (const n of next) if (!prev.has(n.k)) { prev.set(n.k, { k, hop: n.hop }); queue.push(n.k); }
    }
    if (!prev.has(goal)) return [];
    const hops: L2Hop[] = [];
    for (let k = goal; k !== start;) {
      const p = prev.get(k);
      if (!p) break;
      if (p.hop) hops.unshift(p.hop);
      k = p.k;
    }
    return hops;
  }
}

export function ip(a: Ipv4): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}
function fmt(c: Cidr): string { return `${ip(c.address)}/${c.prefix}`; }

/** Where a packet to `dst` from `from` ends up, following routes and DNAT rules hop by hop.
 * Used by the checks; the simulation walks the same decisions with real packets. */
export function traceRoute(topo: Topology, from: Device, dst: Ipv4, maxHops = 64): { ok: true; device: Device; hops: string[] } | { ok: false; at: Device; reason: string; hops: string[] } {
  let dev = from;
  let target = dst;
  const hops: string[] = [from.name];
  for (let n = 0; n < maxHops; n++) {
    if (dev.interfaces.some((i) => i.address === target)) return { ok: true, device: dev, hops };
    for (const r of dev.dnat) if (r.match.address === target) target = r.target.address;
    if (dev.interfaces.some((i) => i.address === target)) return { ok: true, device: dev, hops };
    const choice = topo.route(dev, target);
    if (!choice) return { ok: false, at: dev, reason: `${dev.name} has no route to ${ip(target)}`, hops };
    const nh = choice.overlay ? topo.ownerOf(choice.overlay.vtepAddress) : topo.neighbour(choice.iface, choice.nextHop);
    if (!nh) return { ok: false, at: dev, reason: `${dev.name} cannot reach next hop ${ip(choice.nextHop)} on ${choice.iface.name} (nothing on that link has this address)`, hops };
    const next = topo.net.devices.get(nh.device);
    if (!next) return { ok: false, at: dev, reason: `unknown device ${nh.device}`, hops };
    dev = next;
    hops.push(dev.name);
  }
  return { ok: false, at: dev, reason: `more than ${maxHops} hops: a routing loop`, hops };
}
