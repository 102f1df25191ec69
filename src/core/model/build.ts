// AST -> typed network. Reads every block through the schema (reader.ts), resolves names across
// the file and its imports, then runs the semantic checks (checks.ts).
import type { Diagnostic } from '../language/diagnostics';
import { argCount, argEnd, argStart, argValue, parse, type ParsedDocument, type Statement } from '../language/parser';
import { TOP_LEVEL_KEYWORDS, CACHE_NAMES, SCHEMA, type ContextName } from '../language/schema';
import { MAX_BODY_BYTES } from '../limits';
import { readHeaders } from './headers';
import { checkFailureArgs, type NameUse } from './failureArgs';
import { isName, readDomain, readIpv4, shown, type Cidr, type Endpoint, type Ipv4, type ParsedUrl } from '../language/values';
import { definition, Reader, reference, startOf, type Definition, type ReadBlock, type ReadStatement, type Reference } from './reader';
import { closest } from './suggest';
import { runChecks } from './checks';
import type { Topology } from './topology';
import { capDiagnostics, MAX_DIAGNOSTICS_PER_FILE } from './diagnosticCap';
import type { Certificate, Cluster, Container, Device, Interface, Link, Network, Scenario, Service, Source, Zone, CacheName, FailureKind } from './types';

export interface ImportedText { file: string; text: string }
/** Resolves an import path written in `from` to a file's text, or says why it cannot. */
export type ImportResolver = (path: string, from: string) => ImportedText | { error: string; code?: string };

export interface BuildOptions {
  file?: string;
  resolveImport?: ImportResolver;
  /** Stop following imports deeper than this (guards against pathological chains). */
  maxImportDepth?: number;
}

export interface BuildResult {
  network: Network;
  /** The layer-2 segments and routes the checks indexed, for the simulation to reuse. */
  topology?: Topology;
  /** Diagnostics of the main file and of the imported files (those carry `file`). */
  diagnostics: Diagnostic[];
  documents: Map<string, ParsedDocument>;
  definitions: Definition[];
  references: Reference[];
}

/** Where a part of the model is written: its statement, whose span is made when asked for (the
 * model of a large file has thousands of parts, and the editor and the trace read the span of
 * few). `toJSON` writes what a `{ file, span }` literal would. */
class StatementSource implements Source {
  constructor(readonly file: string, private readonly stmt: Statement) {}
  get span(): Source['span'] { return this.stmt.span; }
  toJSON(): Source { return { file: this.file, span: this.span }; }
}

/** Every keyword of the schema, mapped to itself (see ParseOptions.keywords). */
const KEYWORDS: ReadonlyMap<string, string> = new Map(Object.values(SCHEMA).flatMap((specs) => specs.map((k): [string, string] => [k.keyword, k.keyword])));

export function parseJourney(text: string): ParsedDocument {
  return parse(text, { topLevelKeywords: TOP_LEVEL_KEYWORDS, keywords: KEYWORDS });
}

/** Every cache cold, in the order of CACHE_NAMES (a loop: no list of entries to make per scenario). */
function defaultCaches(): Record<CacheName, 'cold' | 'warm'> {
  const caches: Partial<Record<CacheName, 'cold' | 'warm'>> = {};
  for (let k = 0; k < CACHE_NAMES.length; k++) caches[CACHE_NAMES[k]] = 'cold';
  return caches as Record<CacheName, 'cold' | 'warm'>;
}

export function buildNetwork(text: string, options: BuildOptions = {}): BuildResult {
  const file = options.file ?? 'untitled.journey';
  const diagnostics: Diagnostic[] = [];
  const network: Network = { devices: new Map(), links: [], certificates: new Map(), clusters: new Map(), services: new Map(), scenarios: [] };
  const documents = new Map<string, ParsedDocument>();
  const definitions: Definition[] = [];
  const b = new Builder(network, diagnostics, definitions, documents, options);
  b.file(file, text, [], 0);
  b.resolve();
  const topology = runChecks(network, diagnostics, file);
  return { network, topology, diagnostics: capDiagnostics(diagnostics, file, b.suppressed), documents, definitions, references: b.references };
}

class Builder {
  private r!: Reader;
  /** The references of every file read, in the order the files were finished. */
  references: Reference[] = [];
  /** Per file: diagnostics counted but not kept (see diagnosticCap.ts). */
  readonly suppressed = new Map<string, number>();
  constructor(
    private readonly net: Network,
    private readonly diagnostics: Diagnostic[],
    private readonly definitions: Definition[],
    private readonly documents: Map<string, ParsedDocument>,
    private readonly options: BuildOptions,
  ) {}

  private src(stmt: Statement): Source { return new StatementSource(this.r.file, stmt); }

  file(file: string, text: string, stack: string[], depth: number): void {
    const doc = parseJourney(text);
    this.documents.set(file, doc);
    for (const d of doc.diagnostics) this.diagnostics.push({ ...d, file });
    const previous = this.r;
    this.r = new Reader(file, this.diagnostics);
    const top = this.r.block(doc.statements, 'file');
    for (const imp of top.all('import')) this.importFile(imp.args.get('path'), file, [...stack, file], depth);
    // Loops that run per statement or per device index their lists, here and below: the
    // builder runs once per build, mostly before the compiler optimises it, and for...of makes
    // an iterator result per step there.
    for (let k = 0; k < top.size; k++) this.topLevel(top.statementAt(k), top.keywordAt(k));
    // The first file finished (the only one, without imports) hands over its list; the others
    // are appended with a loop, not push(...refs): spreading a large file's references
    // overflows the stack.
    const refs = this.r.references;
    if (this.references.length === 0) this.references = refs;
    else for (let k = 0; k < refs.length; k++) this.references.push(refs[k]);
    this.suppressed.set(file, (this.suppressed.get(file) ?? 0) + doc.suppressedDiagnostics + this.r.suppressed);
    this.r = previous;
  }

  private importFile(arg: { raw: string; span: Statement['span'] } | undefined, from: string, stack: string[], depth: number): void {
    if (!arg) return;
    const resolve = this.options.resolveImport;
    if (!resolve) {
      this.r.report('import-unavailable', `Cannot read "${arg.raw}": imports need the file to be saved on disk.`, arg.span, {}, 'warning');
      return;
    }
    if (depth >= (this.options.maxImportDepth ?? 16)) {
      this.r.report('import-too-deep', `Imports nest more than ${this.options.maxImportDepth ?? 16} levels deep here: flatten them.`, arg.span);
      return;
    }
    const got = resolve(arg.raw, from);
    // The message names the path and why it was refused, never what the file holds.
    if ('error' in got) { this.r.report(got.code ?? 'import-not-found', got.error, arg.span); return; }
    if (stack.includes(got.file)) {
      this.r.report('import-cycle', `Import cycle: ${[...stack, got.file].map((f) => f.split(/[\\/]/).pop()).join(' -> ')}. Remove one of these imports.`, arg.span);
      return;
    }
    if (this.documents.has(got.file)) return; // imported twice through different paths: once is enough
    this.file(got.file, got.text, stack, depth + 1);
  }

  /** `owner`: for an interface, its device. A device's interfaces are the ones defined in its
   * block so far (each is added before the next is defined), so a clash is found among them
   * instead of in an index of every interface of the network. */
  private define(kind: Definition['kind'], stmt: Statement, scope = '', owner?: Device): string | undefined {
    if (argCount(stmt) === 0) return undefined;
    const value = argValue(stmt, 0);
    if (!isName(value)) return undefined;
    const key = scope + value;
    const byName = owner ? undefined : this.definitionsOf(kind);
    let clash: Definition | undefined;
    if (byName) clash = byName.get(key);
    else if (owner && interfaceNamed(owner, value)) clash = this.definitions.find((d) => d.kind === kind && d.name === key);
    if (clash) {
      this.r.report('duplicate-name', `${kind} "${value}" is defined twice: rename one of them.`, stmt.args[0].span, { related: [{ message: 'first defined here', span: clash.span, file: clash.file }] });
      return undefined;
    }
    const d = definition(kind, key, argStart(stmt, 0), argEnd(stmt, 0), this.r.file, stmt);
    this.definitions.push(d);
    byName?.set(key, d);
    return value;
  }

  // Definitions are looked up by kind and name on every `define`; an index keeps building a
  // large file linear instead of quadratic. One map per kind: no key string to build per lookup.
  private readonly definitionIndex = new Map<Definition['kind'], Map<string, Definition>>();
  private findDefinition(kind: Definition['kind'], name: string): Definition | undefined {
    return this.definitionIndex.get(kind)?.get(name);
  }
  private definitionsOf(kind: Definition['kind']): Map<string, Definition> {
    let byName = this.definitionIndex.get(kind);
    if (!byName) { byName = new Map(); this.definitionIndex.set(kind, byName); }
    return byName;
  }
  private addDefinition(d: Definition): void {
    this.definitions.push(d);
    const byName = this.definitionsOf(d.kind);
    if (!byName.has(d.name)) byName.set(d.name, d);
  }

  private topLevel(stmt: Statement, keyword: string): void {
    switch (keyword) {
      case 'host': case 'access-point': case 'switch': case 'router': case 'internet-gateway': case 'dns-server': case 'load-balancer': case 'database':
        this.device(stmt, keyword);
        return;
      case 'certificate': return this.certificate(stmt);
      case 'link': return this.link(stmt);
      case 'cluster': return this.cluster(stmt);
      case 'scenario': return this.scenario(stmt);
      default: return;
    }
  }

  private context(keyword: string): ContextName {
    switch (keyword) {
      case 'access-point': case 'switch': return 'l2';
      case 'internet-gateway': case 'router': return 'router';
      default: return keyword as ContextName;
    }
  }

  private newDevice(kind: Device['kind'], name: string, stmt: Statement): Device {
    return { kind, name, interfaces: [], routes: [], processingMs: 0, dnat: [], source: this.src(stmt) };
  }

  private device(stmt: Statement, keyword: string, extra?: (d: Device, p: ReadBlock) => void, ctx?: ContextName): Device | undefined {
    const name = this.define(keyword === 'node' ? 'node' : 'device', stmt);
    const p = this.r.block(stmt.block?.statements, ctx ?? this.context(keyword));
    if (!name) return undefined;
    const device = this.findDefinition('device', name);
    if (keyword === 'node' && device) {
      this.r.report('duplicate-name', `"${name}" is already the name of a device: rename the node.`, stmt.args[0].span, { related: [{ message: 'the device is defined here', span: device.span, file: device.file }] });
      return undefined;
    }
    if (keyword !== 'node') {
      const node = this.findDefinition('node', name);
      if (node) this.r.report('duplicate-name', `"${name}" is already the name of a Kubernetes node: rename the device.`, stmt.args[0].span, { related: [{ message: 'the node is defined here', span: node.span, file: node.file }] });
    }
    // `define` recorded the name once (as a device, or as a node: nodes are devices for routing,
    // but named once).
    const d = this.newDevice(keyword as Device['kind'], name, stmt);
    this.net.devices.set(name, d);
    d.processingMs = p.get<number>('processing', 0);
    const rmem = p.first('tcp-rmem');
    const sizes = rmem ? ['min', 'default', 'max'].map((k) => rmem.args.get(k)?.value as number | undefined) : [];
    if (sizes.length === 3 && sizes.every((x) => x !== undefined)) {
      const [lo, mid, hi] = sizes as [number, number, number];
      if (lo <= mid && mid <= hi) d.tcpRmem = [lo, mid, hi];
      else this.r.report('bad-size', `tcp-rmem is min, default, max: each must be at least the one before (${lo} ${mid} ${hi} is not).`, rmem?.stmt.span ?? stmt.span);
    }
    const ifaces = p.all('interface');
    for (let k = 0; k < ifaces.length; k++) this.iface(d, ifaces[k].stmt);
    this.routes(d, p);
    this.timers(d, p);
    this.software(d, p, keyword);
    switch (keyword) {
      case 'host':
        d.host = { resolvers: p.values<Ipv4>('resolver', 'address'), renderMs: p.get<number>('render', 0), trust: p.all('trust').map((s) => String(s.args.get('issuer')?.value ?? '')) };
        if (p.first('listen')) d.host.web = { port: p.get<number>('listen', 80), certificate: p.first('certificate')?.args.get('certificate')?.raw };
        break;
      case 'router': case 'internet-gateway': this.router(d, p); break;
      case 'dns-server': this.dnsServer(d, p); break;
      case 'load-balancer': this.loadBalancer(d, p); break;
      case 'database':
        d.postgres = { port: p.get<number>('listen', 5432), rows: p.get<number>('rows', 1), rowSize: p.get<number>('row-size', 64) };
        this.resultSize(p, d.postgres.rows, d.postgres.rowSize);
        break;
    }
    extra?.(d, p);
    return d;
  }

  /** Retries and timeouts written on the device; absent ones keep the real defaults. */
  private timers(d: Device, p: ReadBlock): void {
    const synRetries = p.get<number>('tcp-syn-retries');
    const synLinearTimeouts = p.get<number>('tcp-syn-linear-timeouts');
    const initialRtoMs = p.get<number>('tcp-initial-rto');
    const resolverTimeoutMs = p.get<number>('resolver-timeout');
    const resolverAttempts = p.get<number>('resolver-attempts');
    // Most devices set none: no object to make for them.
    if (synRetries === undefined && synLinearTimeouts === undefined && initialRtoMs === undefined && resolverTimeoutMs === undefined && resolverAttempts === undefined) return;
    const t: NonNullable<Device['timers']> = {};
    if (synRetries !== undefined) t.synRetries = synRetries;
    if (synLinearTimeouts !== undefined) t.synLinearTimeouts = synLinearTimeouts;
    if (initialRtoMs !== undefined) t.initialRtoMs = initialRtoMs;
    if (resolverTimeoutMs !== undefined) t.resolverTimeoutMs = resolverTimeoutMs;
    if (resolverAttempts !== undefined) t.resolverAttempts = resolverAttempts;
    // glibc reads `timeout:N` as whole seconds: 1500ms cannot be written in resolv.conf.
    if (t.resolverTimeoutMs !== undefined && t.resolverTimeoutMs % 1000 !== 0) {
      this.r.report('bad-duration', `resolv.conf's timeout is whole seconds (options timeout:N): use ${Math.max(1, Math.round(t.resolverTimeoutMs / 1000))}s.`, p.first('resolver-timeout')?.stmt.span ?? d.source.span);
      delete t.resolverTimeoutMs;
    }
    if (Object.keys(t).length) d.timers = t;
  }

  /** `software PROFILE`: only the profiles of real software that plays this device's part. */
  private software(d: Device, p: ReadBlock, keyword: string): void {
    const s = p.first('software');
    const profile = s?.args.get('profile')?.value as Device['software'] | undefined;
    if (!s || !profile) return;
    const fits = softwareFor(keyword, p);
    if (!fits.includes(profile)) {
      const what = keyword === 'dns-server' ? `${article(p.get<string>('role', 'authoritative'))} DNS server` : article(keyword);
      this.r.report('software-mismatch', `"${profile}" does not play the part of ${what}: ${fits.length ? `use ${fits.join(' or ')}` : 'this device takes no software profile'}.`, s.args.get('profile')?.span ?? s.stmt.span, fits.length ? { data: { suggestion: fits[0] } } : {});
      return;
    }
    d.software = profile;
  }

  private iface(d: Device, stmt: Statement): void {
    const name = this.define('interface', stmt, `${d.name}.`, d);
    const p = this.r.block(stmt.block?.statements, 'interface');
    if (!name) return;
    const mac = p.get<string>('mac');
    const ip = p.get<Cidr>('ip');
    if (!p.has('mac') && d.kind !== 'pod') this.r.report('missing-property', `Interface "${name}" of ${d.name} needs a MAC address: add "mac 02:00:00:00:00:ff".`, stmt.keywordSpan);
    const i: Interface = { name, device: d.name, mac: mac ?? '00:00:00:00:00:00', source: this.src(stmt) };
    if (ip) { i.address = ip.address; i.prefix = ip.prefix; } else if (p.first('ip')) i.invalid = true;
    if (p.count('ip') > 1) this.secondaries(i, p.all('ip'));
    const mtu = p.get<number>('mtu');
    if (mtu !== undefined) i.mtu = mtu;
    d.interfaces = append(d.interfaces, i);
  }

  /** The `ip` lines after the first, as `ip addr add` makes them secondaries. When the first
   * could not be read the next readable one stands in as primary (the error is reported already
   * and `invalid` holds back the checks that would follow from it). */
  private secondaries(i: Interface, ips: ReadStatement[]): void {
    for (let k = 1; k < ips.length; k++) {
      const v = ips[k].args.get('address/prefix')?.value as Cidr | undefined;
      if (v === undefined) { i.invalid = true; continue; }
      if (i.address === undefined) { i.address = v.address; i.prefix = v.prefix; continue; }
      (i.secondary ??= []).push({ address: v.address, prefix: v.prefix, source: this.src(ips[k].stmt) });
    }
  }

  private routes(d: Device, p: ReadBlock): void {
    const gw = p.first('gateway');
    const gwAddr = p.get<Ipv4>('gateway');
    if (gw && gwAddr !== undefined) d.routes = append(d.routes, { destination: { address: 0, prefix: 0 }, via: gwAddr, source: this.src(gw.stmt) });
    const routes = p.all('route');
    for (let k = 0; k < routes.length; k++) {
      const r = routes[k];
      const dest = r.args.get('destination')?.value as Cidr | undefined;
      const how = r.args.get('via-or-dev')?.value;
      const target = r.args.get('next-hop-or-interface');
      if (!dest || !how || !target) continue;
      if (how === 'via') {
        const via = readIpv4(target.raw);
        if (via === undefined) {
          this.r.report('bad-ipv4', `"${target.raw}" is not an IPv4 address: "via" takes the next hop's address, e.g. 10.0.0.1.`, target.span);
          continue;
        }
        d.routes = append(d.routes, { destination: dest, via, source: this.src(r.stmt) });
      } else {
        const at = target.span;
        this.r.references.push(reference('interface', target.raw, d.name, at.start, at.end, this.r.file));
        d.routes = append(d.routes, { destination: dest, dev: target.raw, source: this.src(r.stmt) });
      }
    }
  }

  private router(d: Device, p: ReadBlock): void {
    const nat = p.first('nat');
    if (nat) {
      const n = this.r.block(nat.stmt.block?.statements, 'nat');
      const out = n.first('out');
      if (!out) this.r.report('missing-property', 'NAT needs the interface it translates to: add "out <interface>".', nat.stmt.keywordSpan);
      else {
        const at = out.args.get('interface')?.span ?? out.stmt.span;
        this.r.references.push(reference('interface', String(out.args.get('interface')?.raw), d.name, at.start, at.end, this.r.file));
      }
      d.nat = {
        type: 'masquerade', out: String(out?.args.get('interface')?.raw ?? ''), ports: n.get<string>('ports', 'preserve') as 'preserve' | 'random',
        maxEntries: n.get<number>('max-entries', 262144), udpTimeoutS: Math.round(n.get<number>('udp-timeout', 30000) / 1000), tcpTimeoutS: Math.round(n.get<number>('tcp-timeout', 432000000) / 1000),
        source: this.src(nat.stmt),
      };
    }
    for (const r of p.all('dnat')) {
      const match = r.args.get('match')?.value as Endpoint | undefined;
      const target = r.args.get('target')?.value as Endpoint | undefined;
      if (match && target) d.dnat.push({ match, target, source: this.src(r.stmt) });
    }
    const fwd = p.first('dns-forwarder');
    if (fwd) {
      const f = this.r.block(fwd.stmt.block?.statements, 'forwarder');
      const ups = f.values<Ipv4>('upstream', 'address');
      if (ups.length === 0) this.r.report('missing-property', 'A DNS forwarder needs an upstream resolver: add "upstream <address>".', fwd.stmt.keywordSpan);
      d.forwarder = { upstreams: ups, source: this.src(fwd.stmt) };
    }
    const res = p.first('dns-resolver');
    if (res && fwd) this.r.report('duplicate-property', 'A router runs a DNS forwarder or a recursive resolver on port 53, not both: remove one.', res.stmt.keywordSpan);
    else if (res) {
      const rootHints = this.r.block(res.stmt.block?.statements, 'resolver').values<Ipv4>('root-hint', 'address');
      if (rootHints.length === 0) this.r.report('missing-property', 'A recursive resolver needs a root server to start from: add "root-hint <address>".', res.stmt.keywordSpan);
      // the same service as a dns-server in the recursive role, on the router's addresses
      d.dns = { role: 'recursive', zones: [], rootHints, upstreams: [] };
    }
  }

  private dnsServer(d: Device, p: ReadBlock): void {
    const zones: Zone[] = [];
    for (const z of p.all('zone')) {
      const origin = String(z.args.get('origin')?.value ?? '');
      if (!origin) continue;
      this.addDefinition(definition('zone', origin, argStart(z.stmt, 0), argEnd(z.stmt, 0), this.r.file, z.stmt));
      const zb = this.r.block(z.stmt.block?.statements, 'zone');
      const zone: Zone = { origin, records: [], source: this.src(z.stmt) };
      const soa = zb.first('soa');
      if (soa) this.zoneSoa(zone, soa);
      for (const rec of zb.all('record')) {
        const nm = rec.args.get('name');
        const type = rec.args.get('type')?.value as 'A' | 'AAAA' | 'NS' | 'CNAME' | undefined;
        const value = rec.args.get('value');
        if (!nm || !type || !value) continue;
        const address = type === 'A' || type === 'AAAA';
        // Names reach DNS messages on the wire and hovers: they must be domain names.
        const badName = [nm, ...(address ? [] : [value])].find((a) => a.raw !== '@' && readDomain(a.raw) === undefined);
        if (badName) { this.r.report('bad-domain', `"${shown(badName.raw)}" is not a domain name: a record's name${address ? '' : ' and its target'} use labels of letters, digits and hyphens separated by dots, e.g. www or ns1.example.com. ("@" is the zone itself).`, badName.span); continue; }
        const fqdn = absoluteName(nm.raw, origin);
        if (type === 'A' && !/^\d+(\.\d+){3}$/.test(value.raw)) {
          this.r.report('bad-ipv4', `An A record holds an IPv4 address; "${value.raw}" is not one.`, value.span);
          continue;
        }
        if (type === 'AAAA' && !isIpv6(value.raw)) {
          this.r.report('bad-value', `An AAAA record holds an IPv6 address such as 2001:db8::10; "${shown(value.raw)}" is not one.`, value.span);
          continue;
        }
        const ttl = (rec.args.get('seconds')?.value as number | undefined) ?? 3600;
        zone.records.push({ name: fqdn, type, value: address ? value.raw.toLowerCase() : absoluteName(value.raw, origin), ttl, source: this.src(rec.stmt) });
      }
      zones.push(zone);
    }
    const role = p.get<string>('role');
    if (!role) this.r.report('missing-property', `dns-server "${d.name}" needs a role: add "role recursive|root|tld|authoritative|forwarder".`, d.source.span);
    d.dns = { role: (role ?? 'authoritative') as NonNullable<Device['dns']>['role'], zones, rootHints: p.values<Ipv4>('root-hint', 'address'), upstreams: p.values<Ipv4>('upstream', 'address') };
  }

  /** The zone's `soa` statement, as the zone's first record (owned by the apex: the statement
   * names no owner, and the schema allows one per zone). */
  private zoneSoa(zone: Zone, st: ReadStatement): void {
    const origin = zone.origin;
    const mname = st.args.get('mname');
    const rname = st.args.get('rname');
    if (!mname || !rname) return;
    const badName = [mname, rname].find((a) => a.raw !== '@' && readDomain(a.raw) === undefined);
    if (badName) { this.r.report('bad-domain', `"${shown(badName.raw)}" is not a domain name: an SOA's primary server and mailbox are names such as ns1 or hostmaster.example.com. (for hostmaster@example.com).`, badName.span); return; }
    const n = (k: string): number | undefined => st.args.get(k)?.value as number | undefined;
    const [serial, refresh, retry, expire, minimum] = [n('number'), n('refresh-time'), n('retry-time'), n('expire-time'), n('negative-ttl')];
    if (serial === undefined || refresh === undefined || retry === undefined || expire === undefined || minimum === undefined) return;
    // The root's names stay "." on the wire, not "".
    const abs = (raw: string): string => absoluteName(raw, origin) || '.';
    const fields = { mname: abs(mname.raw), rname: abs(rname.raw), serial, refresh, retry, expire, minimum };
    zone.records.unshift({ name: absoluteName('@', origin), type: 'SOA', value: fields.mname, ttl: n('seconds') ?? 3600, soa: fields, source: this.src(st.stmt) });
  }

  private loadBalancer(d: Device, p: ReadBlock): void {
    const targetGroups = p.all('target-group').map((tg) => {
      const name = this.define('target-group', tg.stmt) ?? '';
      const b = this.r.block(tg.stmt.block?.statements, 'target-group');
      return { name, protocol: b.get<string>('protocol', 'http') as 'http' | 'https', port: b.get<number>('port', 80), targets: b.all('target').map((t) => t.args.get('device')?.raw ?? '').filter(Boolean), health: b.get<string>('health', 'healthy') as 'healthy', connectTimeoutMs: b.get<number>('connect-timeout', 10000), source: this.src(tg.stmt) };
    });
    const listeners = p.all('listener').map((l) => {
      const b = this.r.block(l.stmt.block?.statements, 'listener');
      const protocol = (l.args.get('protocol')?.value ?? 'https') as 'https' | 'http';
      const tls = b.first('tls')?.rest.map((a) => a.value as '1.2' | '1.3').filter(Boolean) ?? ['1.2', '1.3'];
      const rules = b.all('rule').map((r) => {
        const rb = this.r.block(r.stmt.block?.statements, 'rule');
        if (!rb.first('forward')) this.r.report('missing-property', 'A rule needs a target: add "forward <target-group>".', r.stmt.keywordSpan);
        return { host: rb.get<string>('host'), path: rb.get<string>('path'), forward: rb.first('forward')?.args.get('target-group')?.raw ?? '', source: this.src(r.stmt) };
      });
      const cert = b.first('certificate')?.args.get('certificate')?.raw;
      if (protocol === 'https' && !cert) this.r.report('missing-property', 'An https listener needs a certificate: add "certificate <name>".', l.stmt.keywordSpan);
      return { protocol, port: (l.args.get('port')?.value as number | undefined) ?? 443, certificate: cert, tlsVersions: tls, alpn: b.first('alpn')?.rest.map((a) => a.raw) ?? ['h2', 'http/1.1'], rules, defaultGroup: b.first('default')?.args.get('target-group')?.raw, source: this.src(l.stmt) };
    });
    d.lb = { listeners, targetGroups };
  }

  private certificate(stmt: Statement): void {
    const name = this.define('certificate', stmt);
    const p = this.r.block(stmt.block?.statements, 'certificate');
    if (!name) return;
    const subject = p.get<string>('subject', '');
    const c: Certificate = {
      name, subject, sans: sansOf(p),
      issuer: p.get<string>('issuer', ''), validFrom: p.get<number>('valid-from', 0), validUntil: p.get<number>('valid-until', 0),
      revoked: p.get<string>('revoked', 'no') === 'yes', key: p.get<Certificate['key']>('key', 'ecdsa-p256'), source: this.src(stmt),
    };
    for (const k of ['subject', 'issuer', 'valid-from', 'valid-until']) if (!p.first(k)) this.r.report('missing-property', `Certificate "${name}" needs "${k}".`, stmt.keywordSpan);
    this.net.certificates.set(name, c);
  }

  private link(stmt: Statement): void {
    const name = this.define('link', stmt);
    const p = this.r.block(stmt.block?.statements, 'link');
    if (!name) return;
    const between = p.first('between');
    if (!between) { this.r.report('missing-property', `Link "${name}" needs its two ends: add "between device.interface device.interface".`, stmt.keywordSpan); return; }
    const a = this.linkEnd(between, 'a');
    const b = this.linkEnd(between, 'b');
    if (!a || !b) return;
    const latency = p.get<number>('latency');
    if (!p.has('latency')) this.r.report('missing-property', `Link "${name}" needs a latency: add e.g. "latency 1ms".`, stmt.keywordSpan, {}, 'warning');
    const l: Link = { name, a, b, latencyMs: latency ?? 0, bandwidthBps: p.get<number>('bandwidth', 1e9), mtu: p.get<number>('mtu', 1500), medium: p.get<string>('medium', 'ethernet') as Link['medium'], lossPercent: p.get<number>('loss', 0), implicit: false, source: this.src(stmt) };
    this.net.links.push(l);
  }

  /** One end of a link's `between`: its device is a reference of its own. */
  private linkEnd(between: ReadStatement, k: string): { device: string; interface: string } | undefined {
    const a = between.args.get(k);
    if (!a) return undefined;
    const dot = a.raw.indexOf('.');
    if (dot < 0) { this.r.report('bad-reference', `"${a.raw}" must name an interface as device.interface, e.g. laptop.wlan0.`, a.span); return undefined; }
    const start = startOf(a);
    const device = a.raw.slice(0, dot);
    this.r.references.push(reference('device', device, undefined, start, start + dot, this.r.file));
    return { device, interface: a.raw.slice(dot + 1) };
  }

  private cluster(stmt: Statement): void {
    const name = this.define('cluster', stmt);
    const p = this.r.block(stmt.block?.statements, 'cluster');
    if (!name) return;
    const ov = p.first('overlay');
    const ob = this.r.block(ov?.stmt.block?.statements, 'overlay');
    const c: Cluster = {
      name, podCidr: p.get<Cidr>('pod-cidr'), serviceCidr: p.get<Cidr>('service-cidr'), domain: p.get<string>('domain', 'cluster.local'),
      dnsService: p.first('dns')?.args.get('service')?.raw,
      overlay: { type: (ov?.args.get('type')?.value ?? 'vxlan') as 'vxlan' | 'none', vni: ob.get<number>('vni', 1), port: ob.get<number>('port', 8472) },
      source: this.src(stmt),
    };
    this.net.clusters.set(name, c);
    for (const n of p.all('node')) {
      this.device(n.stmt, 'node', (d, nb) => {
        const underlay = nb.first('underlay');
        const iface = underlay ? String(underlay.args.get('interface')?.raw ?? '') : undefined;
        if (underlay && iface !== undefined) {
          const at = underlay.args.get('interface')?.span ?? underlay.stmt.span;
          this.r.references.push(reference('interface', iface, d.name, at.start, at.end, this.r.file));
        }
        d.node = { cluster: name, podCidr: nb.get<Cidr>('pod-cidr'), ...(iface !== undefined ? { underlay: iface } : {}) };
      }, 'node');
    }
    for (const pod of p.all('pod')) this.pod(pod.stmt, name);
    for (const s of p.all('service')) this.service(s.stmt, name);
  }

  private pod(stmt: Statement, cluster: string): void {
    const name = this.define('pod', stmt);
    const p = this.r.block(stmt.block?.statements, 'pod');
    if (!name) return;
    const d = this.newDevice('pod', name, stmt);
    const clash = this.net.devices.get(name);
    if (clash) { this.r.report('duplicate-name', `"${name}" is already the name of a device: rename the pod.`, stmt.args[0].span, { related: [{ message: 'the device is defined here', span: clash.source.span, file: clash.source.file }] }); return; }
    const ip = p.get<Ipv4>('ip');
    if (ip === undefined) this.r.report('missing-property', `Pod "${name}" needs an address: add "ip <address>".`, stmt.keywordSpan);
    const node = p.first('node')?.args.get('node')?.raw;
    if (!node) this.r.report('missing-property', `Pod "${name}" needs the node it runs on: add "node <name>".`, stmt.keywordSpan);
    // CNIs derive a pod's MAC from its IP (0a:58 + the four octets), so does the model by default.
    const mac = p.get<string>('mac') ?? (ip !== undefined ? podMac(ip) : '0a:58:00:00:00:00');
    d.interfaces.push({ name: 'eth0', device: name, mac, ...(ip !== undefined ? { address: ip } : {}), source: this.src(stmt) });
    const labels: Record<string, string> = {};
    for (const l of p.all('label')) for (const a of l.rest) { const [k, v] = a.raw.split('='); if (k && v !== undefined) labels[k] = v; else this.r.report('bad-value', `Labels are written key=value, e.g. app=web; "${a.raw}" is not.`, a.span); }
    const containers: Container[] = p.all('container').map((c) => {
      const cname = this.define('container', c.stmt, `${name}.`) ?? '';
      const cb = this.r.block(c.stmt.block?.statements, 'container');
      const role = cb.get<string>('role');
      if (!role) this.r.report('missing-property', `Container "${cname}" needs a role: add "role proxy|app|postgres|dns".`, c.stmt.keywordSpan);
      this.resultSize(cb, cb.get<number>('rows', 1), cb.get<number>('row-size', 64));
      const sw = cb.first('software');
      const profile = sw?.args.get('profile')?.value as Container['software'] | undefined;
      if (sw && profile && !(role === 'proxy' && profile === 'nginx')) this.r.report('software-mismatch', `"${profile}" does not run as a ${role ?? 'app'} container: only a proxy container takes a profile (software nginx).`, sw.args.get('profile')?.span ?? sw.stmt.span, role === 'proxy' ? { data: { suggestion: 'nginx' } } : {});
      const cert = cb.first('certificate');
      // Only the proxy terminates TLS in the model; elsewhere the line would silently do nothing.
      if (cert && role !== 'proxy') this.r.report('certificate-no-effect', `Only a proxy container serves TLS: "certificate" on a ${role ?? 'app'} container changes nothing. Put it on the pod's proxy (role proxy).`, cert.stmt.span, {}, 'warning');
      return { ...(sw && profile && role === 'proxy' && profile === 'nginx' ? { software: profile } : {}), name: cname, role: (role ?? 'app') as Container['role'], listen: cb.get<number>('listen'), processingMs: cb.get<number>('processing', 0), upstream: cb.get<Endpoint>('upstream'), ...(role === 'proxy' && cert ? { certificate: cert.args.get('certificate')?.raw } : {}), database: cb.get<ParsedUrl>('database'), query: cb.get<string>('query'), rows: cb.get<number>('rows', 1), rowSize: cb.get<number>('row-size', 64), source: this.src(c.stmt) };
    });
    d.pod = { cluster, node: node ?? '', labels, containers };
    this.net.devices.set(name, d);
  }

  private service(stmt: Statement, cluster: string): void {
    const name = this.define('service', stmt);
    const p = this.r.block(stmt.block?.statements, 'service');
    if (!name) return;
    const selector: Record<string, string> = {};
    for (const s of p.all('selector')) for (const a of s.rest) { const [k, v] = a.raw.split('='); if (k && v !== undefined) selector[k] = v; else this.r.report('bad-value', `Selectors are written key=value, e.g. app=web; "${a.raw}" is not.`, a.span); }
    const port = p.get<number>('port');
    const clusterIp = p.get<Ipv4>('cluster-ip');
    const nodePort = p.get<number>('node-port');
    const targetPort = p.get<number>('target-port');
    // The ClusterIP's port: a Service reached only through its NodePort (no cluster-ip, as a
    // node's hand-written DNAT rule) needs none, but then the pods' port must be said.
    if (port === undefined && (clusterIp !== undefined || nodePort === undefined)) this.r.report('missing-property', `Service "${name}" needs a port: add "port <number>".`, stmt.keywordSpan);
    else if (port === undefined && targetPort === undefined) this.r.report('missing-property', `Service "${name}" has only a NodePort: add "target-port <number>", the pods' port.`, stmt.keywordSpan);
    const svc: Service = { name, cluster, clusterIp, port: port ?? targetPort ?? 80, targetPort: targetPort ?? port ?? 80, nodePort, protocol: p.get<string>('protocol', 'tcp') as 'tcp' | 'udp', selector, endpoints: [], source: this.src(stmt) };
    this.net.services.set(name, svc);
  }

  private scenario(stmt: Statement): void {
    const name = this.define('scenario', stmt);
    const p = this.r.block(stmt.block?.statements, 'scenario');
    if (!name) return;
    const req = p.first('request');
    const rq = this.r.block(req?.stmt.block?.statements, 'request');
    const rs = this.r.block(p.first('response')?.stmt.block?.statements, 'response');
    const from = p.first('from')?.args.get('host')?.raw;
    if (!from) this.r.report('missing-property', `Scenario "${name}" needs the sending host: add "from <host>".`, stmt.keywordSpan);
    const url = rq.get<ParsedUrl>('url');
    if (!req) this.r.report('missing-property', `Scenario "${name}" needs a request: add "request { url \\"https://...\\" }".`, stmt.keywordSpan);
    else if (!rq.first('url')) this.r.report('missing-property', 'The request needs a URL: add "url \\"https://host/path\\"".', req.stmt.keywordSpan);
    const caches = defaultCaches();
    if (url?.scheme === 'https') caches.hsts = 'warm';
    for (const c of p.all('cache')) {
      const cn = c.args.get('cache')?.value as CacheName | undefined;
      const st = c.args.get('state')?.value as 'cold' | 'warm' | undefined;
      if (cn && st) caches[cn] = st;
    }
    // `cache arp` speaks for every device; `cache infrastructure-arp` overrides it for all but
    // the sending host (a warm network around a client that just booted).
    if (!p.all('cache').some((c) => c.args.get('cache')?.value === 'infrastructure-arp')) caches['infrastructure-arp'] = caches.arp;
    const http = rq.get<string>('http', '2');
    const headers = (b: ReadBlock, request: boolean): [string, string][] => readHeaders(this.r, b, request, http);
    const sc: Scenario = {
      name, from: from ?? '', url: url ?? { scheme: 'https', host: '', port: 443, path: '/', explicitPort: false },
      method: rq.get<string>('method', 'GET'), headers: headers(rq, true), bodySize: rq.get<number>('body', 0),
      http: rq.get<string>('http', '2') as '2' | '1.1', tls: rq.get<string>('tls', '1.3') as '1.3' | '1.2',
      response: { status: rs.get<number>('status', 200), headers: headers(rs, false), bodySize: rs.get<number>('body', 0) },
      requests: p.get<number>('requests', 1), intervalMs: p.get<number>('interval', 1000), caches, seed: p.get<number>('seed', 1), date: p.get<number>('date', Date.UTC(2026, 0, 1)),
      failures: p.all('fail').filter((f) => f.args.get('failure')?.value && checkFailureArgs(this.r, f, this.linkNames)).map((f) => ({ kind: f.args.get('failure')?.value as FailureKind, args: f.rest.map((a) => a.raw), source: this.src(f.stmt) })),
      source: this.src(stmt),
    };
    this.net.scenarios.push(sc);
  }

  /** A query's result travels like a response body, so it has the same limit. */
  private resultSize(p: ReadBlock, rows: number, rowSize: number): void {
    const at = p.first('rows') ?? p.first('row-size');
    if (at && rows * rowSize > MAX_BODY_BYTES) this.r.report('bad-size', `${rows} rows of ${rowSize} bytes make a ${rows * rowSize}-byte result; the simulation carries at most ${MAX_BODY_BYTES} bytes: use fewer or smaller rows.`, at.stmt.span);
  }

  /** Link names written as `fail` arguments, checked once every link is known. */
  private readonly linkNames: NameUse[] = [];

  /** Resolves references once every file is read, so order in the file never matters. */
  resolve(): void {
    // Names by kind, for the kinds references ask about (interfaces are looked up on their device).
    const wanted = new Set<string>();
    const refs = this.references;
    for (let k = 0; k < refs.length; k++) if (refs[k].kind !== 'interface') wanted.add(refs[k].kind);
    const byKind = new Map<string, Set<string>>();
    const add = (k: string, n: string): void => {
      if (!wanted.has(k)) return;
      let names = byKind.get(k);
      if (!names) { names = new Set(); byKind.set(k, names); }
      names.add(n);
    };
    const defs = this.definitions;
    for (let k = 0; k < defs.length; k++) add(defs[k].kind, defs[k].name);
    if (wanted.has('device') || wanted.has('host') || wanted.has('node')) {
      this.net.devices.forEach((d, n) => { add('device', n); if (d.kind === 'host') add('host', n); if (d.kind === 'node') add('node', n); });
    }
    for (let k = 0; k < refs.length; k++) {
      const ref = refs[k];
      let known: Set<string> | undefined;
      let name = ref.name;
      if (ref.kind === 'interface') {
        if (ref.device === undefined) continue;
        const dev = this.net.devices.get(ref.device);
        if (!dev) continue; // the device part is a reference of its own, reported there
        if (this.interfaceOf(dev, name)) continue;
        if (this.full(ref.file)) continue;
        known = new Set(dev.interfaces.map((i) => i.name));
        const g = closest(name, known);
        this.push(ref.file, 'unknown-name', `${ref.device} has no interface "${name}".${g ? ` Did you mean "${g}"?` : ` Its interfaces: ${[...known].join(', ') || 'none'}.`}`, ref.span, g);
        continue;
      }
      known = byKind.get(ref.kind === 'host' ? 'host' : ref.kind);
      name = ref.name;
      if (!known?.has(name)) {
        if (this.full(ref.file)) continue;
        const g = closest(name, known ?? []);
        this.push(ref.file, 'unknown-name', `No ${ref.kind} is named "${name}".${hint(name, known)}`, ref.span, g);
      }
    }
    if (this.linkNames.length) {
      const links = new Set(this.net.links.map((l) => l.name));
      for (const l of this.linkNames) {
        if (!links.has(l.name)) this.push(l.file, 'unknown-name', `No link is named "${l.name}".${hint(l.name, links)}`, l.span, closest(l.name, links));
      }
    }
    // A path MTU fault sits where a router forwards onto the link: a link between two hosts,
    // or a host and an access point, has no router to drop the packet there (the hosts' own MTU
    // already sets their MSS), so the fault would change nothing.
    const forwards = (name: string): boolean => ['router', 'internet-gateway', 'node'].includes(this.net.devices.get(name)?.kind ?? '');
    for (const sc of this.net.scenarios) {
      for (const f of sc.failures) {
        if (f.kind !== 'mtu-blackhole' && f.kind !== 'small-mtu') continue;
        const link = f.args[0] ? this.net.links.find((l) => l.name === f.args[0]) : [...this.net.links].sort((a, b) => b.latencyMs - a.latencyMs)[0];
        if (!link || forwards(link.a.device) || forwards(link.b.device)) continue;
        this.diagnostics.push({ code: 'failure-no-effect', severity: 'warning', message: `"fail ${f.kind}" on link "${link.name}" changes nothing: no router forwards onto it (${link.a.device}, ${link.b.device}). Name a link with a router at one end.`, span: f.source.span, file: f.source.file });
      }
    }
    // Links attach interfaces; one interface on two links is a wiring mistake.
    const links = this.net.links;
    for (let k = 0; k < links.length; k++) {
      this.attach(links[k], links[k].a);
      this.attach(links[k], links[k].b);
    }
    // Pods add interfaces to their nodes from here on.
    this.ports.clear();
    // Pods sit behind a veth pair on their node's bridge; Services find their endpoints by label.
    this.net.devices.forEach((d) => {
      if (!d.pod) return;
      const node = this.net.devices.get(d.pod.node);
      if (!node) return;
      const bridge = ensureBridge(node);
      const ifName = `veth-${d.name}`;
      node.interfaces.push({ name: ifName, device: node.name, mac: vethMac(d.interfaces[0].mac), bridge: bridge.name, link: ifName, source: d.source });
      d.interfaces[0].link = ifName;
      // The CNI gives pods the node's MTU, less the 50 bytes VXLAN adds when the overlay is on.
      const uplink = node.interfaces.find((i) => i.link && !i.bridge);
      const nodeMtu = uplink?.mtu ?? this.net.links.find((l) => l.name === uplink?.link)?.mtu ?? 1500;
      const overlay = this.net.clusters.get(d.pod.cluster)?.overlay.type === 'vxlan' ? 50 : 0;
      this.net.links.push({ name: `veth-${d.name}`, a: { device: d.name, interface: 'eth0' }, b: { device: node.name, interface: ifName }, latencyMs: 0, bandwidthBps: 10e9, mtu: nodeMtu - overlay, medium: 'veth', lossPercent: 0, implicit: true, source: d.source });
      const podCidr = node.node?.podCidr;
      if (podCidr) {
        d.interfaces[0].prefix = podCidr.prefix;
        d.routes.push({ destination: { address: 0, prefix: 0 }, via: (podCidr.address + 1) >>> 0, source: d.source });
      }
    });
    for (const s of this.net.services.values()) {
      const sel = Object.entries(s.selector);
      if (sel.length === 0) continue;
      for (const d of this.net.devices.values()) if (d.pod && d.pod.cluster === s.cluster && sel.every(([k, v]) => d.pod?.labels[k] === v)) s.endpoints.push(d.name);
    }
  }

  /** The device's first interface named `name`. A device with many (a switch's ports) gets an
   * index by name on the first lookup: every reference to a port and every link end looks one
   * up, and a search through 48 ports for each adds up. Valid while no interface is added. */
  private interfaceOf(d: Device, name: string): Interface | undefined {
    const ifaces = d.interfaces;
    if (ifaces.length <= 8) return interfaceNamed(d, name);
    let byName = this.ports.get(d);
    if (!byName) {
      byName = new Map();
      for (let k = 0; k < ifaces.length; k++) if (!byName.has(ifaces[k].name)) byName.set(ifaces[k].name, ifaces[k]);
      this.ports.set(d, byName);
    }
    return byName.get(name);
  }
  private readonly ports = new Map<Device, Map<string, Interface>>();

  /** Puts one end of a link on its interface; one interface on two links is a wiring mistake. */
  private attach(l: Link, end: Link['a']): void {
    const d = this.net.devices.get(end.device);
    const i = d && this.interfaceOf(d, end.interface);
    if (!i) return;
    if (i.link && i.link !== l.name) this.push(l.source.file, 'interface-on-two-links', `${end.device}.${end.interface} is already on link "${i.link}": an interface connects to one link; add another interface.`, l.source.span);
    else i.link = l.name;
  }

  private push(file: string, code: string, message: string, span: Statement['span'], suggestion?: string): void {
    this.diagnostics.push({ code, severity: 'error', message, span, file, ...(suggestion ? { data: { suggestion } } : {}) });
  }

  /** Whether `file` already has its share of diagnostics: then a new one is only counted, and
   * the suggestion it would carry is not worth computing. */
  private full(file: string): boolean {
    const n = (this.pushed.get(file) ?? 0) + 1;
    this.pushed.set(file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) return false;
    this.suppressed.set(file, (this.suppressed.get(file) ?? 0) + 1);
    return true;
  }
  private readonly pushed = new Map<string, number>();
}

/** `list` with `item` added, for a device's interfaces and routes while its block is read: the
 * first item makes a list of one, where a list grown by push from empty reserves room for 16,
 * and most devices have one or two of each. */
function append<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}

/** The names of every `san` statement, in order (a loop: flatMap's lists, made once per
 * certificate, cost more than the names). */
function sansOf(p: ReadBlock): string[] {
  const out: string[] = [];
  const sans = p.all('san');
  for (let k = 0; k < sans.length; k++) {
    const rest = sans[k].rest;
    for (let j = 0; j < rest.length; j++) out.push(String(rest[j].value ?? rest[j].raw));
  }
  return out;
}

/** The MAC a CNI derives from a pod's address: 0a:58 and the four octets in hex. */
function podMac(ip: Ipv4): string {
  return `0a:58:${hexByte(ip >>> 24)}:${hexByte((ip >>> 16) & 255)}:${hexByte((ip >>> 8) & 255)}:${hexByte(ip & 255)}`;
}

function hexByte(b: number): string {
  return b < 16 ? `0${b.toString(16)}` : b.toString(16);
}

/** The device's first interface named `name`. */
function interfaceNamed(d: Device, name: string): Interface | undefined {
  const ifaces = d.interfaces;
  for (let k = 0; k < ifaces.length; k++) if (ifaces[k].name === name) return ifaces[k];
  return undefined;
}

/** Which profiles fit a device: a client is curl or chrome (nginx when it also serves); a
 * recursive resolver unbound or bind; an authoritative server nsd or bind; a load balancer
 * nginx. A forwarder, root or TLD server takes the same as an authoritative one's or none. */
function softwareFor(keyword: string, p: ReadBlock): NonNullable<Device['software']>[] {
  switch (keyword) {
    case 'host': return p.first('listen') ? ['curl', 'chrome', 'nginx'] : ['curl', 'chrome'];
    case 'load-balancer': return ['nginx'];
    case 'dns-server': {
      const role = p.get<string>('role', 'authoritative');
      if (role === 'recursive') return ['unbound', 'bind'];
      if (role === 'forwarder') return ['unbound', 'bind'];
      return ['nsd', 'bind'];
    }
    default: return [];
  }
}

function article(keyword: string): string {
  return /^[aeiou]/.test(keyword) ? `an ${keyword}` : `a ${keyword}`;
}

function hint(name: string, known: Set<string> | undefined): string {
  const g = closest(name, known ?? []);
  return g ? ` Did you mean "${g}"?` : known && known.size ? '' : ' Define it first.';
}

/** IPv6 text as RFC 4291 2.2 writes it: eight groups of 1-4 hex digits, one "::" standing for
 * one or more zero groups, the last 32 bits optionally as dotted IPv4. */
export function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let width = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(last)) return false;
    all.pop();
    width += 1;
  }
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** A name written in a zone, made absolute (no trailing dot, lower case). */
export function absoluteName(name: string, origin: string): string {
  if (name === '@') return origin === '.' ? '' : origin;
  if (name.endsWith('.')) return name.slice(0, -1).toLowerCase();
  return (origin === '.' ? name : `${name}.${origin}`).toLowerCase();
}

/** The node's cni0 bridge holds the first address of its pod range (the pods' gateway). */
function ensureBridge(node: Device): Interface {
  let br = node.interfaces.find((i) => i.name === 'cni0');
  if (!br) {
    const cidr = node.node?.podCidr;
    br = { name: 'cni0', device: node.name, mac: bridgeMac(node), source: node.source, ...(cidr ? { address: (cidr.address + 1) >>> 0, prefix: cidr.prefix } : {}) };
    node.interfaces.push(br);
  }
  return br;
}

function bridgeMac(node: Device): string {
  const base = node.interfaces[0]?.mac ?? '02:00:00:00:00:00';
  return `0e:${base.slice(3)}`;
}

function vethMac(podMac: string): string {
  return `ee:${podMac.slice(3)}`;
}
