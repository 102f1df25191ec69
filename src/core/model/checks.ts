// Semantic checks over the whole network: things that are each well-formed but do not fit
// together (an unreachable resolver, a gateway off-subnet, mismatched MTUs, a missing record).
import type { Diagnostic } from '../language/diagnostics';
import { parseIpv4 } from '../language/values';
import { addressesOf, ip, onSubnet, Topology, traceRoute } from './topology';
import type { Certificate, Device, DnsRecord, Interface, Network, Source } from './types';
import { SIMULATED_FAILURES } from './failures';
import { findL2Loops } from './l2loops';

/** Returns the segments-and-routes index it made, if a scenario needed one: the network is not
 * edited after the build, so the simulation goes on with it instead of indexing again. */
export function runChecks(net: Network, diagnostics: Diagnostic[], mainFile: string): Topology | undefined {
  const push = (d: Omit<Diagnostic, 'severity'> & { severity?: Diagnostic['severity'] }): void => {
    diagnostics.push({ severity: 'error', ...d });
  };
  // Only the main file's problems are worth a semantic diagnostic; an imported topology is
  // checked when it is opened itself.
  const here = (d: { source: { file: string } }): boolean => d.source.file === mainFile;
  let topo: Topology | undefined;

  // The first interface seen with each address (its device is `device`: the model names every
  // interface after the device that holds it), and where that address was written.
  const seenAddr = new Map<number, { i: Interface; source: Source }>();
  const noteAddress = (i: Interface, address: number, source: Source): void => {
    const prev = seenAddr.get(address);
    if (prev && prev.i.device !== i.device && here(i)) {
      push({ code: 'duplicate-address', message: `${ip(address)} is already the address of ${prev.i.device}.${prev.i.name}: two interfaces cannot share an address.`, span: source.span, file: source.file, related: [{ message: 'also used here', span: prev.source.span, file: prev.source.file }] });
    } else if (!prev) seenAddr.set(address, { i, source });
  };
  // Loops over the devices use forEach and index their lists: these checks run once per build,
  // mostly before the compiler optimises them, and the iterators of for...of would make an
  // object per step there.
  net.devices.forEach((d) => {
    const ifaces = d.interfaces;
    for (let k = 0; k < ifaces.length; k++) {
      const i = ifaces[k];
      if (i.address === undefined || i.bridge || d.kind === 'pod') continue;
      noteAddress(i, i.address, i.source);
      if (i.secondary) checkSecondaries(i, noteAddress, here(i) ? push : undefined);
      if (!i.link && i.name !== 'cni0' && here(i)) {
        push({ code: 'interface-unlinked', severity: 'warning', message: `${d.name}.${i.name} is on no link: add a link with "between ${d.name}.${i.name} ...".`, span: i.source.span, file: i.source.file });
      }
    }
    const routes = d.routes;
    for (let k = 0; k < routes.length; k++) {
      const r = routes[k];
      // A device whose address could not be read would only add follow-on errors about routes.
      if (r.via === undefined || !here(r) || broken(d)) continue;
      if (!onSubnetOf(d, r.via) && d.kind !== 'pod') {
        // Related: the subnets the next hop should have been on.
        const related = d.interfaces.filter((i) => !i.bridge).flatMap((i) => subnetNotes(d, i));
        push({ code: 'gateway-unreachable', message: `Next hop ${ip(r.via)} is not on any subnet of ${d.name}: a gateway must be directly connected. Check the interface addresses and prefixes.`, span: r.source.span, file: r.source.file, ...(related.length ? { related } : {}) });
      }
    }
  });

  for (let k = 0; k < net.links.length; k++) {
    const l = net.links[k];
    if (l.implicit || !here(l)) continue;
    const mtuA = interfaceOf(net, l.a.device, l.a.interface)?.mtu ?? l.mtu;
    const mtuB = interfaceOf(net, l.b.device, l.b.interface)?.mtu ?? l.mtu;
    if (mtuA !== mtuB || mtuA !== l.mtu) {
      push({ code: 'mtu-mismatch', severity: 'warning', message: `MTUs differ on link "${l.name}": link ${l.mtu}, ${l.a.device}.${l.a.interface} ${mtuA}, ${l.b.device}.${l.b.interface} ${mtuB}. Larger packets from one end are dropped by the other: make them equal.`, span: l.source.span, file: l.source.file });
    }
  }

  // A forwarder whose upstream chain leads back to itself would pass each query round the
  // loop until every hop's forward table fills (dnsmasq calls this a DNS loop): nothing answers.
  let owner: Map<number, Device> | undefined;
  const ownerOf = (address: number): Device | undefined => {
    if (!owner) {
      owner = new Map();
      for (const d of net.devices.values()) for (const i of d.interfaces) if (!i.bridge) for (const a of addressesOf(i)) owner.set(a.address, d);
    }
    return owner.get(address);
  };
  net.devices.forEach((d) => {
    const first = firstUpstream(d);
    if (first === undefined || !here(d)) return;
    const path = [d.name];
    let next = ownerOf(first);
    for (;;) {
      if (!next || path.includes(next.name)) break;
      const up = firstUpstream(next);
      if (up === undefined) break;
      path.push(next.name);
      next = ownerOf(up);
    }
    if (next?.name === d.name) {
      const src = d.forwarder?.source ?? d.source;
      push({ code: 'dns-forward-loop', message: `DNS forwarding loops: ${[...path, d.name].join(' -> ')}. A query would circle until it times out; point the upstream at a recursive resolver.`, span: src.span, file: src.file });
    }
  });

  for (const loop of findL2Loops(net)) {
    if (!here(loop.link)) continue;
    const where = loop.devices.length === 2 ? `${loop.devices[0]} to itself` : loop.devices.join(' -> ');
    push({ code: 'l2-loop', severity: 'warning', message: `Link "${loop.link.name}" closes a layer-2 loop (${where}): without spanning tree, a broadcast such as an ARP request circles it forever, a broadcast storm. Remove one link of the loop.`, span: loop.link.source.span, file: loop.link.source.file });
  }

  for (const d of issuerKeyConflicts(net)) if (here(d.cert)) push(d.diagnostic);

  for (const s of net.services.values()) {
    if (here(s) && Object.keys(s.selector).length > 0 && s.endpoints.length === 0) {
      push({ code: 'no-endpoints', severity: 'warning', message: `Service "${s.name}" selects no pod (${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(', ')}): connections to it will be refused. Label a pod to match.`, span: s.source.span, file: s.source.file });
    }
  }

  for (const sc of net.scenarios) {
    if (!here(sc)) continue;
    for (const f of sc.failures) {
      if (!SIMULATED_FAILURES.has(f.kind)) push({ code: 'failure-not-simulated', severity: 'warning', message: `"fail ${f.kind}" is understood but not simulated yet: the trace runs as if it were absent. Simulated: ${[...SIMULATED_FAILURES].join(', ')}.`, span: f.source.span, file: f.source.file });
    }
    const host = net.devices.get(sc.from);
    // The layer-2 segments and routes are only worth indexing once a scenario asks for a path.
    topo ??= new Topology(net);
    if (!host || broken(host)) continue;
    if (host.kind !== 'host') { push({ code: 'not-a-host', message: `"${sc.from}" is a ${host.kind}; a scenario starts from a host.`, span: sc.source.span, file: sc.source.file }); continue; }
    const resolvers = host.host?.resolvers ?? [];
    const isAddress = parseIpv4(sc.url.host).ok;
    if (!isAddress && resolvers.length === 0) {
      push({ code: 'no-resolver', message: `${host.name} has no resolver to look up ${sc.url.host}: add "resolver <address>" to it.`, span: host.source.span, file: host.source.file });
    }
    for (const r of resolvers) {
      const path = traceRoute(topo, host, r);
      if (!path.ok) push({ code: 'no-route', message: `${host.name} cannot reach its resolver ${ip(r)}: ${path.reason}. Add a gateway or route.`, span: sc.source.span, file: sc.source.file, related: [stopsAt(path)] });
    }
    if (!sc.url.host) continue;
    const address = isAddress ? (parseIpv4(sc.url.host) as { ok: true; value: number }).value : lookupA(net, sc.url.host);
    if (address === undefined) {
      push({ code: 'no-dns-record', message: `No zone has an A record for ${sc.url.host}: add "record ..." to the authoritative zone, or the request cannot resolve.`, span: sc.source.span, file: sc.source.file, severity: sc.failures.some((f) => f.kind === 'nxdomain') ? 'info' : 'error' });
      continue;
    }
    const path = traceRoute(topo, host, address);
    if (!path.ok && !sc.failures.some((f) => f.kind === 'routing-loop')) {
      push({ code: 'no-route', message: `${host.name} cannot reach ${sc.url.host} (${ip(address)}): ${path.reason}. Add a route or gateway.`, span: sc.source.span, file: sc.source.file, severity: path.reason.includes('routing loop') ? 'warning' : 'error', related: [stopsAt(path)] });
    }
  }
  return topo;
}

/** A root has one key, and its type decides how it signs every certificate it issues: two
 * certificates of one issuer with different key types would need two roots of one name. */
function issuerKeyConflicts(net: Network): { cert: Certificate; diagnostic: Omit<Diagnostic, 'severity'> }[] {
  const first = new Map<string, Certificate>();
  const out: { cert: Certificate; diagnostic: Omit<Diagnostic, 'severity'> }[] = [];
  for (const c of net.certificates.values()) {
    const f = first.get(c.issuer);
    if (!f) { first.set(c.issuer, c); continue; }
    if (f.key === c.key) continue;
    out.push({ cert: c, diagnostic: {
      code: 'issuer-key-mismatch',
      message: `Certificate "${c.name}" has key ${c.key} but "${f.name}", also issued by "${c.issuer}", has key ${f.key}: a root has one key, which signs every certificate it issues with the key type of those certificates. Give them the same "key", or another issuer.`,
      span: c.source.span, file: c.source.file, related: [{ message: `"${f.name}" (key ${f.key})`, span: f.source.span, file: f.source.file }],
    } });
  }
  return out;
}

/** A device none of whose addresses failed to read (else its routes only add follow-on errors). */
function broken(d: Device | undefined): boolean {
  if (!d) return true;
  const ifaces = d.interfaces;
  for (let k = 0; k < ifaces.length; k++) if (ifaces[k].invalid) return true;
  return false;
}

/** Whether `address` is on a subnet of one of the device's own (non-bridge) interfaces, by any
 * of their addresses. */
function onSubnetOf(d: Device, address: number): boolean {
  const ifaces = d.interfaces;
  for (let k = 0; k < ifaces.length; k++) if (!ifaces[k].bridge && onSubnet(ifaces[k], address)) return true;
  return false;
}

/** The secondaries go into the network-wide duplicate check; one written twice on its own
 * interface is refused as `ip addr add` refuses it ("File exists"). Another address in a subnet
 * the interface already has is fine: Linux keeps it as a secondary of that subnet. */
function checkSecondaries(i: Interface, note: (i: Interface, address: number, source: Source) => void, push: ((d: Diagnostic) => void) | undefined): void {
  const more = i.secondary ?? [];
  for (let m = 0; m < more.length; m++) {
    const s = more[m];
    const earlier = s.address === i.address ? i.source : more.slice(0, m).find((x) => x.address === s.address)?.source;
    if (earlier && push) push({ severity: 'error', code: 'duplicate-address', message: `${ip(s.address)} is already an address of ${i.device}.${i.name}: write each address once.`, span: s.source.span, file: s.source.file, related: [{ message: 'first written here', span: earlier.span, file: earlier.file }] });
    else if (!earlier) note(i, s.address, s.source);
  }
}

/** For a gateway off every subnet: the subnets the device has, each where it was written. */
function subnetNotes(d: Device, i: Interface): NonNullable<Diagnostic['related']> {
  const notes: NonNullable<Diagnostic['related']> = [];
  if (i.address !== undefined && i.prefix !== undefined) notes.push({ message: `${d.name}.${i.name} is ${ip(i.address)}/${i.prefix}`, span: i.source.span, file: i.source.file });
  for (const s of i.secondary ?? []) notes.push({ message: `${d.name}.${i.name} also has ${ip(s.address)}/${s.prefix}`, span: s.source.span, file: s.source.file });
  return notes;
}

function interfaceOf(net: Network, device: string, name: string): Interface | undefined {
  const d = net.devices.get(device);
  if (!d) return undefined;
  const ifaces = d.interfaces;
  for (let k = 0; k < ifaces.length; k++) if (ifaces[k].name === name) return ifaces[k];
  return undefined;
}

/** The resolver a forwarder asks first: its `dns-forwarder`'s upstream, else, for a DNS server
 * in the forwarder role, its own. */
function firstUpstream(d: Device): number | undefined {
  const f = d.forwarder?.upstreams;
  if (f && f.length) return f[0];
  return d.dns?.role === 'forwarder' && d.dns.upstreams.length ? d.dns.upstreams[0] : undefined;
}

/** Related information for an unreachable destination: the device where the path stops. */
function stopsAt(path: { at: Device; reason: string }): NonNullable<Diagnostic['related']>[number] {
  return { message: `the path stops at ${path.at.name}: ${path.reason}`, span: path.at.source.span, file: path.at.source.file };
}

/** The address `name` resolves to in any authoritative zone of the file (following CNAMEs). */
export function lookupA(net: Network, name: string, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  const r = zoneRecord(net, name);
  if (r?.type === 'A') { const a = parseIpv4(r.value); return a.ok ? a.value : undefined; }
  return r?.type === 'CNAME' ? lookupA(net, r.value, depth + 1) : undefined;
}

/** The first A or CNAME record for `name` in any zone of the file (what a warm cache holds). */
export function zoneRecord(net: Network, name: string): DnsRecord | undefined {
  for (const d of net.devices.values()) {
    for (const z of d.dns?.zones ?? []) {
      const r = z.records.find((x) => x.name === name && (x.type === 'A' || x.type === 'CNAME'));
      if (r) return r;
    }
  }
  return undefined;
}
