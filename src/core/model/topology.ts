// Layer-2 segments and layer-3 route lookup over the model. Both the semantic checks (is the
// server reachable?) and the simulation (where does this packet go?) use this one implementation.
import { inPrefix, inSubnet, parseIpv4, prefixMask, type Cidr, type Ipv4 } from '../language/values';
import { BoundedMap } from '../fifo';
import type { Device, Interface, InterfaceAddress, Link, Network, Route } from './types';

export interface RouteChoice {
  /** The table entry that matched; undefined for a connected subnet. */
  route?: Route;
  destination: Cidr;
  iface: Interface;
  /** Address to resolve with ARP: the gateway, or the destination itself when connected. */
  nextHop: Ipv4;
  /** The source address the route gives when it is not the interface's primary: the address
   * whose subnet a connected route is, or the one facing a gateway (read it with sourceAddress). */
  source?: Ipv4;
  /** Set when a Kubernetes node sends pod traffic to another node through the overlay. */
  overlay?: { node: Device; vtepAddress: Ipv4 };
  /** Human-readable reason, e.g. "route 0.0.0.0/0 via 192.168.0.1 dev wlan0". */
  why: string;
}

const key = (device: string, iface: string): string => `${device}.${iface}`;

export class Topology {
  private readonly parent = new Map<string, string>();
  private readonly ifaces = new Map<string, Interface>();
  private readonly linksByIface = new Map<string, Link>();
  /** The first interface holding each address, made on first use. */
  private byAddress: Map<Ipv4, Interface> | undefined;
  private addresses(): Map<Ipv4, Interface> {
    if (this.byAddress) return this.byAddress;
    const byAddress = new Map<Ipv4, Interface>();
    // forEach and an index: made once per build, before the compiler optimises this, where
    // for...of would make an iterator result per step.
    this.net.devices.forEach((d) => {
      const ifaces = d.interfaces;
      for (let k = 0; k < ifaces.length; k++) {
        const i = ifaces[k];
        if (i.address !== undefined && !byAddress.has(i.address)) byAddress.set(i.address, i);
        const more = i.secondary;
        if (more) for (let m = 0; m < more.length; m++) if (!byAddress.has(more[m].address)) byAddress.set(more[m].address, i);
      }
    });
    return (this.byAddress = byAddress);
  }
  /** Interfaces by MAC, made when the simulation first asks (the checks never do). */
  private byMac: Map<string, Interface[]> | undefined;
  private macs(): Map<string, Interface[]> {
    if (this.byMac) return this.byMac;
    const byMac = new Map<string, Interface[]>();
    for (const d of this.net.devices.values()) {
      for (const i of d.interfaces) {
        const same = byMac.get(i.mac);
        if (same) same.push(i); else byMac.set(i.mac, [i]);
      }
    }
    return (this.byMac = byMac);
  }

  // The segments (and the indexes by name they need) are made when first asked for: the
  // semantic checks usually get their answers from links alone (see `neighbour`).
  constructor(readonly net: Network) {}

  private built = false;
  private ensure(): void {
    if (this.built) return;
    this.built = true;
    const net = this.net;
    for (const d of net.devices.values()) {
      for (const i of d.interfaces) this.ifaces.set(key(d.name, i.name), i);
    }
    // L2 devices bridge all their ports; a node's veths are ports of its cni0 bridge.
    for (const d of net.devices.values()) {
      const ports = d.interfaces;
      if ((d.kind === 'access-point' || d.kind === 'switch') && ports.length > 1) {
        const first = key(d.name, ports[0].name);
        for (let p = 1; p < ports.length; p++) this.union(first, key(d.name, ports[p].name));
      }
      for (const i of ports) if (i.bridge) this.union(key(d.name, i.bridge), key(d.name, i.name));
    }
    // Inside a device the ports form a star, so a link between two interfaces that are
    // already on one segment closes a loop.
    for (const l of net.links) {
      const a = key(l.a.device, l.a.interface);
      const b = key(l.b.device, l.b.interface);
      if (!this.ifaces.has(a) || !this.ifaces.has(b)) continue;
      this.linksByIface.set(a, l);
      this.linksByIface.set(b, l);
      if (this.find(a) === this.find(b)) this.loopLinks.push(l);
      else this.union(a, b);
    }
  }

  // Union-find over interface keys; a key without a parent is a root (most ports never join
  // another: no entry to make for them).
  private find(k: string): string {
    let r = k;
    for (;;) {
      const p = this.parent.get(r);
      if (p === undefined || p === r) break;
      r = p;
    }
    if (r !== k) this.parent.set(k, r);
    return r;
  }
  private union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }

  segment(i: Interface): string { this.ensure(); return this.find(key(i.device, i.name)); }
  iface(device: string, name: string): Interface | undefined { this.ensure(); return this.ifaces.get(key(device, name)); }
  linkOf(i: Interface): Link | undefined {
    // by object first: the simulation asks for every frame, and building the key costs more
    if (this.linkByObject.has(i)) return this.linkByObject.get(i);
    this.ensure();
    const l = this.linksByIface.get(key(i.device, i.name));
    this.linkByObject.set(i, l);
    return l;
  }
  private readonly linkByObject = new WeakMap<Interface, Link | undefined>();
  ownerOf(address: Ipv4): Interface | undefined { return this.addresses().get(address); }
  /** The interface with this MAC on the same segment as `near` (what a switch has learned). */
  macOwner(mac: string, near: Interface): Interface | undefined {
    const seg = this.segment(near);
    return this.macs().get(mac)?.find((i) => this.segment(i) === seg);
  }

  /** The interface holding `address` on the same layer-2 segment as `from` (what ARP finds). */
  neighbour(from: Interface, address: Ipv4): Interface | undefined {
    const owner = this.addresses().get(address);
    // Two interfaces cabled to each other are on one segment: no need to index the network.
    if (owner && this.cabled(from, owner)) return owner;
    const seg = this.segment(from);
    if (owner && this.segment(owner) === seg) return owner;
    for (const i of this.ifaces.values()) if (holdsAddress(i, address) && this.segment(i) === seg) return i;
    return undefined;
  }

  /** Whether a link joins `a` and `b` (both interfaces of their devices): then they share a
   * segment, whatever else is connected. `link` names the interface's link (set by the model). */
  private cabled(a: Interface, b: Interface): boolean {
    if (a.link === undefined || a.link !== b.link || !this.holds(a) || !this.holds(b)) return false;
    for (const l of this.net.links) {
      if (l.name !== a.link) continue;
      if ((l.a.device === a.device && l.a.interface === a.name && l.b.device === b.device && l.b.interface === b.name)
        || (l.b.device === a.device && l.b.interface === a.name && l.a.device === b.device && l.a.interface === b.name)) return true;
    }
    return false;
  }

  /** Whether `i` is one of its device's interfaces (so its name is on the segments' map). */
  private holds(i: Interface): boolean {
    const d = this.net.devices.get(i.device);
    return !!d && d.interfaces.includes(i);
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
      const more = i.secondary;
      if (more) for (let m = 0; m < more.length; m++) { const c = connected(i, more[m], dst); if (c) consider(c); }
    }
    for (const r of device.routes) {
      if (!inSubnet(dst, r.destination)) continue;
      if (r.dev) {
        const i = device.interfaces.find((x) => x.name === r.dev);
        if (i) consider({ route: r, destination: r.destination, iface: i, nextHop: dst, why: `route ${fmt(r.destination)} dev ${i.name}` });
        continue;
      }
      if (r.via === undefined) continue;
      const via = r.via;
      const out = device.interfaces.find((i) => !i.bridge && onSubnet(i, via));
      if (out) consider({ route: r, destination: r.destination, iface: out, nextHop: via, why: `route ${fmt(r.destination)} via ${ip(via)} dev ${out.name}`, ...facing(out, via) });
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
      const vtep = vtepInterface(other);
      if (!vtep || vtep.address === undefined) return undefined;
      const under = this.route({ ...device, node: undefined }, vtep.address);
      if (!under) return undefined;
      if (cluster.overlay.type === 'none') return { destination: slice, iface: under.iface, nextHop: vtep.address, ...facing(under.iface, vtep.address), why: `route ${fmt(slice)} via ${ip(vtep.address)} dev ${under.iface.name} (host-gw)` };
      return { destination: slice, iface: under.iface, nextHop: under.nextHop, overlay: { node: other, vtepAddress: vtep.address }, why: `route ${fmt(slice)} via ${other.name} dev flannel.${cluster.overlay.vni} (VXLAN to ${ip(vtep.address)})` };
    }
    return undefined;
  }

  /** Whether the interface owning `mac` is reached through port `p`: what a converged switch
   * or bridge has learned for that port. Computed once per port, not per frame. */
  macBehind(p: Interface, mac: string): boolean {
    let known = this.learned.get(p);
    if (!known) { known = new Map(); this.learned.set(p, known); }
    let v = known.get(mac);
    if (v === undefined) {
      const owner = this.macOwner(mac, p);
      v = !!owner && (owner === p || this.behind(p).has(owner));
      known.set(mac, v);
    }
    return v;
  }

  /** Per port, the answers macBehind has given (a switch's converged MAC table). */
  private readonly learned = new WeakMap<Interface, Map<string, boolean>>();
  private readonly behindCache = new Map<string, Set<Interface>>();

  /** The interfaces a frame sent out of port `p` can reach: across p's link, then on through
   * layer-2 devices and bridges, without coming back into p's own device (in a loop-free
   * network that is the subtree behind the port). */
  private behind(p: Interface): Set<Interface> {
    this.ensure();
    const k0 = key(p.device, p.name);
    const cached = this.behindCache.get(k0);
    if (cached) return cached;
    const seen = new Set<Interface>();
    const l = this.linksByIface.get(k0);
    const far = l ? (key(l.a.device, l.a.interface) === k0 ? l.b : l.a) : undefined;
    const start = far ? this.ifaces.get(key(far.device, far.interface)) : undefined;
    const queue: Interface[] = start ? [start] : [];
    if (start) seen.add(start);
    for (let q = 0; q < queue.length; q++) {
      const i = queue[q];
      if (i.device === p.device) continue;
      const next: Interface[] = [];
      const link = this.linksByIface.get(key(i.device, i.name));
      if (link) {
        const other = key(link.a.device, link.a.interface) === key(i.device, i.name) ? link.b : link.a;
        const oi = this.ifaces.get(key(other.device, other.interface));
        if (oi) next.push(oi);
      }
      const dev = this.net.devices.get(i.device);
      if (dev && (dev.kind === 'access-point' || dev.kind === 'switch')) for (const o of dev.interfaces) if (o !== i) next.push(o);
      if (dev) for (const o of dev.interfaces) if (o !== i && (o.bridge === i.name || i.bridge === o.name || (i.bridge && o.bridge === i.bridge))) next.push(o);
      for (const o of next) if (!seen.has(o)) { seen.add(o); queue.push(o); }
    }
    this.behindCache.set(k0, seen);
    return seen;
  }

  /** Layer-2 loops: links that join two interfaces already on one segment (a frame flooded
   * into such a loop comes back). Each is named by the link that closes it. */
  get loops(): Link[] { this.ensure(); return this.loopLinks; }
  private readonly loopLinks: Link[] = [];
}

/** The connected route a secondary address adds (the kernel's prefix route, `src` that address). */
function connected(i: Interface, a: InterfaceAddress, dst: Ipv4): RouteChoice | undefined {
  const net = { address: (a.address & prefixMask(a.prefix)) >>> 0, prefix: a.prefix };
  return inSubnet(dst, net) ? { destination: net, iface: i, nextHop: dst, source: a.address, why: `connected ${fmt(net)} dev ${i.name}` } : undefined;
}

/** The `source` of a route through a gateway, when the address facing it is not the primary. */
function facing(i: Interface, peer: Ipv4): { source?: Ipv4 } {
  const a = addressToward(i, peer);
  return a !== undefined && a !== i.address ? { source: a } : {};
}

/** Whether `a` is one of the interface's addresses, primary or secondary (ARP answers for all
 * of them, and a packet to any of them is delivered locally). */
export function holdsAddress(i: Interface, a: Ipv4): boolean {
  if (i.address === a) return true;
  const more = i.secondary;
  if (more) for (let m = 0; m < more.length; m++) if (more[m].address === a) return true;
  return false;
}

/** holdsAddress for an address as packets carry it. */
export function holdsIp(i: Interface, text: string): boolean {
  const a = parseIpv4(text);
  return a.ok && holdsAddress(i, a.value);
}

/** The first of the interface's addresses, in the order written, whose subnet holds `a`. */
function subnetAddress(i: Interface, a: Ipv4): Ipv4 | undefined {
  if (i.address !== undefined && i.prefix !== undefined && inPrefix(a, i.address, i.prefix)) return i.address;
  const more = i.secondary;
  if (more) for (let m = 0; m < more.length; m++) if (inPrefix(a, more[m].address, more[m].prefix)) return more[m].address;
  return undefined;
}

/** Whether `a` is on a subnet of one of the interface's addresses. */
export function onSubnet(i: Interface, a: Ipv4): boolean {
  return subnetAddress(i, a) !== undefined;
}

/** Every address of the interface with its prefix, primary first, as `ip addr` lists them. */
export function addressesOf(i: Interface): { address: Ipv4; prefix?: number }[] {
  if (i.address === undefined) return [];
  const primary = { address: i.address, ...(i.prefix !== undefined ? { prefix: i.prefix } : {}) };
  return i.secondary ? [primary, ...i.secondary] : [primary];
}

/** The addresses of the device's own interfaces (bridge ports carry none of their own). */
export function deviceAddresses(d: Device): Ipv4[] {
  const out: Ipv4[] = [];
  for (const i of d.interfaces) if (!i.bridge) for (const a of addressesOf(i)) out.push(a.address);
  return out;
}

/** The interface's address facing `peer`, as Linux's inet_select_addr picks it: the first
 * address, in the order written, whose subnet holds `peer`, else the primary. A second address
 * in a subnet already covered never wins: the first of that subnet stays its source. */
export function addressToward(i: Interface, peer: Ipv4): Ipv4 | undefined {
  return i.address === undefined ? undefined : subnetAddress(i, peer) ?? i.address;
}

/** addressToward for a peer as packets carry it (the sender of an ARP request, the source of
 * an ICMP error). An interface with one address needs no lookup. */
export function ipToward(i: Interface, peer: string): string | undefined {
  if (i.address === undefined) return undefined;
  if (!i.secondary) return ip(i.address);
  const p = parseIpv4(peer);
  return ip((p.ok ? addressToward(i, p.value) : undefined) ?? i.address);
}

/** The source address of a locally originated packet sent by `choice` (fib_select): the
 * route's when it names one, else the outgoing interface's primary. */
export function sourceAddress(choice: RouteChoice): Ipv4 | undefined {
  return choice.source ?? choice.iface.address;
}

/** sourceAddress as packets carry it. */
export function sourceIp(choice: RouteChoice): string | undefined {
  const a = sourceAddress(choice);
  return a !== undefined ? ip(a) : undefined;
}

/** The address MASQUERADE gives a packet leaving by `choice`: Linux asks inet_select_addr for
 * the out interface's address facing the next hop, not the route's preferred source (they part
 * only when subnets of the interface overlap). */
export function masqueradeIp(choice: RouteChoice): string | undefined {
  const a = addressToward(choice.iface, choice.nextHop);
  return a !== undefined ? ip(a) : undefined;
}

const addressTexts = new BoundedMap<number, string>(4096);
/** The dotted quad of an address: one string per address (bounded), so the simulation's maps
 * keyed by address text (ARP caches, routes, sockets) meet the same string again, not a new one
 * to build and hash for every packet. */
export function ip(a: Ipv4): string {
  let text = addressTexts.get(a);
  if (text === undefined) {
    text = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
    addressTexts.set(a, text);
  }
  return text;
}
function fmt(c: Cidr): string { return `${ip(c.address)}/${c.prefix}`; }

/** Where a packet to `dst` from `from` ends up, following routes and DNAT rules hop by hop.
 * Used by the checks; the simulation walks the same decisions with real packets. */
export function traceRoute(topo: Topology, from: Device, dst: Ipv4, maxHops = 64): { ok: true; device: Device; hops: string[] } | { ok: false; at: Device; reason: string; hops: string[] } {
  let dev = from;
  let target = dst;
  const hops: string[] = [from.name];
  for (let n = 0; n < maxHops; n++) {
    if (dev.interfaces.some((i) => holdsAddress(i, target))) return { ok: true, device: dev, hops };
    for (const r of dev.dnat) if (r.match.address === target) target = r.target.address;
    if (dev.interfaces.some((i) => holdsAddress(i, target))) return { ok: true, device: dev, hops };
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

/** The interface a node's VXLAN endpoint uses: the one `underlay` names, else the node's first
 * interface with an address (not a bridge, not cni0), as flannel picks the default route's. */
export function vtepInterface(d: Device): Interface | undefined {
  const named = d.node?.underlay;
  if (named !== undefined) return d.interfaces.find((i) => i.name === named && i.address !== undefined);
  return d.interfaces.find((i) => i.address !== undefined && !i.bridge && i.name !== 'cni0');
}
