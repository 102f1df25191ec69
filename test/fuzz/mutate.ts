// The mutation side of the fuzzer: takes the shipped .journey files and changes them in ways that
// reach deep into the model and the simulation (schema-aware values and injected statements),
// not only into the parser. Deterministic: a (seed, index) pair always gives the same case.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA, FAILURE_KINDS, CACHE_NAMES, DEVICE_KINDS, contextOf, type ContextName, type KeywordSpec, type ValueType } from '../../src/core/language/schema';
import { Rng, caseSeed } from './prng';

export const REPO = path.resolve(__dirname, '..', '..');

export interface CorpusDir { dir: string; files: Map<string, string> }
export interface Corpus { dirs: CorpusDir[]; entries: { dir: CorpusDir; name: string }[] }

/** examples/*.journey and test/lsp/fixtures/*.journey: each case copies its folder, so imports work. */
export function loadCorpus(): Corpus {
  const dirs: CorpusDir[] = [];
  for (const rel of ['examples', 'test/lsp/fixtures']) {
    const dir = path.join(REPO, rel);
    if (!fs.existsSync(dir)) continue;
    const files = new Map<string, string>();
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.journey')) files.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
    if (files.size) dirs.push({ dir: rel, files });
  }
  const entries: Corpus['entries'] = [];
  for (const d of dirs) for (const name of d.files.keys()) {
    // The richest files get more weight: they reach the most of the simulation.
    // cycle-a/b only report an import cycle: they stay as neighbours, not as starting points.
    const weight = d.dir === 'examples' ? (name === 'follow-a-packet.journey' ? 6 : name === 'broken.journey' ? 1 : 3) : name.startsWith('cycle-') ? 0 : name === 'net.journey' ? 2 : 1;
    for (let i = 0; i < weight; i++) entries.push({ dir: d, name });
  }
  return { dirs, entries };
}

export interface FuzzCase {
  index: number;
  seed: number;
  /** Corpus folder and file the case started from. */
  base: string;
  /** Every file of the case folder (the mutated main file and its untouched neighbours). */
  files: Map<string, string>;
  main: string;
  mutations: string[];
  /** Extra arguments of `journey trace` (format, --details, --pcap PCAP, --scenario). */
  traceArgs: string[];
}

/** Placeholder in traceArgs for the pcap output path inside the case folder. */
export const PCAP = '<PCAP>';

// ---------------------------------------------------------------- analysis of a file

interface Tok { text: string; start: number; end: number }
interface Frame { keyword: string; name?: string; line: number }
interface LineInfo { toks: Tok[]; ctx: ContextName | undefined; parents: Frame[] }
interface BlockInfo { start: number; end: number; keyword: string; inner: ContextName | undefined }

export interface Facts {
  lines: string[];
  info: LineInfo[];
  blocks: BlockInfo[];
  names: Map<string, string[]>;
  devices: string[];
  interfaces: string[];
  addresses: string[];
  macs: string[];
  ports: string[];
}

function tokenizeLine(line: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#') break;
    if (c === '{' || c === '}' || c === ';') { out.push({ text: c, start: i, end: i + 1 }); i++; continue; }
    const start = i;
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      i = Math.min(line.length, i + 1);
    } else {
      while (i < line.length && !' \t\r{};"'.includes(line[i])) i++;
    }
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

const DEVICE_KEYWORDS = new Set<string>([...DEVICE_KINDS, 'node', 'pod']);

function specFor(ctx: ContextName | undefined, keyword: string): KeywordSpec | undefined {
  if (ctx) { const s = SCHEMA[ctx].find((k) => k.keyword === keyword); if (s) return s; }
  for (const c of Object.keys(SCHEMA) as ContextName[]) { const s = SCHEMA[c].find((k) => k.keyword === keyword); if (s) return s; }
  return undefined;
}

export function analyse(text: string): Facts {
  const lines = text.split('\n');
  const info: LineInfo[] = [];
  const blocks: BlockInfo[] = [];
  const names = new Map<string, string[]>();
  const addName = (kind: string, n: string): void => { const l = names.get(kind) ?? []; if (!l.includes(n)) l.push(n); names.set(kind, l); };
  const devices: string[] = [], interfaces: string[] = [], addresses: string[] = [], macs: string[] = [], ports: string[] = [];
  const stack: Frame[] = [];
  lines.forEach((line, li) => {
    const toks = tokenizeLine(line);
    info.push({ toks, ctx: contextOf(stack), parents: [...stack] });
    let stmt: Tok[] = [];
    for (const t of toks) {
      if (t.text === '{') {
        const kw = stmt[0]?.text ?? '';
        stack.push({ keyword: kw, name: stmt[1]?.text, line: li });
        stmt = [];
      } else if (t.text === '}') {
        const f = stack.pop();
        if (f && f.line !== li) blocks.push({ start: f.line, end: li, keyword: f.keyword, inner: contextOf([...stack, f]) });
        stmt = [];
      } else if (t.text === ';') stmt = [];
      else {
        stmt.push(t);
        if (stmt.length === 2) {
          const kw = stmt[0].text;
          const ctx = contextOf(stack);
          const spec = ctx ? SCHEMA[ctx].find((k) => k.keyword === kw) : undefined;
          const a0 = spec?.args[0]?.value;
          if (a0?.type === 'name') {
            addName(a0.defines, t.text);
            if (DEVICE_KEYWORDS.has(kw) && ctx !== 'pod') devices.push(t.text);
            if (kw === 'interface') { const owner = [...stack].reverse().find((f) => f.name && DEVICE_KEYWORDS.has(f.keyword)); if (owner?.name) interfaces.push(`${owner.name}.${t.text}`); }
            if (kw === 'router' || kw === 'internet-gateway') addName('router', t.text);
          }
        }
        const ip = /^(\d{1,3}(?:\.\d{1,3}){3})(?:[/:]\d+)?$/.exec(t.text);
        if (ip) addresses.push(ip[1]);
        if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(t.text)) macs.push(t.text);
        if (stmt.length === 2 && /^(listen|port|target-port|node-port)$/.test(stmt[0].text)) ports.push(t.text);
      }
    }
  });
  return { lines, info, blocks, names, devices, interfaces, addresses, macs, ports };
}

// ---------------------------------------------------------------- values

const DIGITS400 = '9'.repeat(400);
const HUGE = ['4294967296', '9007199254740993', '1' + '0'.repeat(30), DIGITS400];

/** Hostile string contents (unescaped). */
const HOSTILE_STRINGS = [
  '', ' ', '"', '\\', 'a"b', 'back\\slash', 'line1\nline2', 'tab\there', 'nul\u0000byte', '\u0000', 'emoji 😀🚀', '😀',
  '<script>alert(1)</script>', '\u202Eevil\u202C', '\u200F\u200E', '\uFEFFbom', 'cr\ronly', 'crlf\r\n', '${process.exit(1)}',
  '%s%n%x', '\u001b[31mred\u001b[0m', 'é ü ß', '\uD800', 'ｆｕｌｌ', 'Ω≈ç√', '../../etc/passwd', "'; DROP TABLE users; --",
  'x'.repeat(300), 'y'.repeat(70000), '{ }', '# not a comment', 'a;b', 'Bearer eyJ' + 'A'.repeat(5000),
];

function quote(s: string, rng: Rng): string {
  // Mostly escaped as the language wants; sometimes raw, so newlines and quotes break the line.
  if (rng.chance(0.15)) return `"${s}"`;
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function hostileWord(rng: Rng): string {
  return rng.pick(['a/b', '@', '😀', '-', '*', '..', '.', '1.1', 'x'.repeat(1000), 'a@b', 'Ü', '<b>', '%00', '\\', 'a\\"b', '-1', '0', DIGITS400, 'NaN', 'Infinity', '__proto__', 'constructor', 'toString', 'hasOwnProperty']);
}

function octet(rng: Rng): number { return rng.pick([0, 1, 2, 10, 127, 128, 168, 192, 254, 255, rng.int(0, 255)]); }
function randomIp(rng: Rng): string { return `${octet(rng)}.${octet(rng)}.${octet(rng)}.${octet(rng)}`; }

function ipv4(rng: Rng, f: Facts, valid: boolean): string {
  if (!valid) return rng.pick(['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', '-1.0.0.0', '1.2.3.4/24', '999.999.999.999', '1.2.3.' + DIGITS400, '::1', 'localhost', '1..2.3']);
  return rng.weighted([
    [4, () => (f.addresses.length ? rng.pick(f.addresses) : randomIp(rng))],
    [2, () => { const a = f.addresses.length ? rng.pick(f.addresses) : randomIp(rng); const p = a.split('.').map(Number); p[3] = (p[3] + rng.pick([1, 255, 2])) % 256; return p.join('.'); }],
    [2, () => rng.pick(['0.0.0.0', '255.255.255.255', '127.0.0.1', '224.0.0.251', '169.254.1.1', '10.0.0.1', '192.168.1.255', '8.8.8.8'])],
    [1, () => randomIp(rng)],
  ] as const)();
}

function prefix(rng: Rng, valid: boolean): string {
  return valid ? String(rng.pick([0, 1, 8, 16, 22, 24, 29, 30, 31, 32])) : rng.pick(['33', '-1', '99', '', '024', DIGITS400, '1.5']);
}

function mac(rng: Rng, f: Facts, valid: boolean): string {
  if (!valid) return rng.pick(['gg:00:00:00:00:00', '00:00:00:00:00', '00:00:00:00:00:00:00', '00-00-00-00-00-01', 'aa:bb:cc:dd:ee:0', '']);
  const hex = (): string => rng.int(0, 255).toString(16).padStart(2, '0');
  return rng.weighted([
    [3, () => (f.macs.length ? rng.pick(f.macs) : 'ff:ff:ff:ff:ff:ff')],
    [2, () => rng.pick(['ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '01:00:5e:00:00:fb', '33:33:00:00:00:01', 'FF:FF:FF:FF:FF:FF'])],
    [1, () => Array.from({ length: 6 }, hex).join(':')],
  ] as const)();
}

function port(rng: Rng, f: Facts, valid: boolean): string {
  if (!valid) return rng.pick(['0', '65536', '99999', '-1', DIGITS400, '80.5', 'http', '1e3']);
  return rng.pick([...(f.ports.length ? f.ports : ['80']), '1', '22', '53', '80', '443', '3000', '5432', '8080', '30080', '4789', '65535']);
}

function numberWithUnit(rng: Rng, valid: boolean, units: string[], wrongUnits: string[], good: string[]): string {
  if (!valid) {
    return rng.weighted([
      [2, () => `${rng.pick(good.map((g) => g.replace(/[^\d.]/g, '')))}${rng.pick(wrongUnits)}`],
      [1, () => `-1${rng.pick(units)}`],
      [1, () => `1e3${rng.pick(units)}`],
      [1, () => `${rng.pick(units)}`],
      [1, () => `1 ${rng.pick(units)}`],
      [1, () => `.5${rng.pick(units)}`],
      [1, () => `NaN${rng.pick(units)}`],
    ] as const)();
  }
  return rng.weighted([
    [4, () => rng.pick(good)],
    [1, () => `0${rng.pick(units)}`],
    [1, () => `${rng.pick(HUGE)}${rng.pick(units)}`],
    [1, () => `0.${rng.pick(['5', '001', '000001', '9999999999'])}${rng.pick(units)}`],
  ] as const)();
}

const DURATION_UNITS = ['us', 'ms', 's', 'm', 'h'];
const SIZE_UNITS = ['B', 'KB', 'KiB', 'MB', 'MiB', ''];
const BW_UNITS = ['bps', 'Kbps', 'Mbps', 'Gbps'];

function size(rng: Rng, valid: boolean): string {
  // The interesting sizes for the stack: TLS records (16 KiB), the 64 KiB IPv4 length, the
  // TCP window, tens of MB (the simulation must stay bounded), and rarely the 1 GB maximum.
  const good = ['0', '1B', '100B', '1399B', '1400B', '1460B', '1461B', '16383B', '16384B', '16385B', '65507B', '65535B', '65536B', '65537B', '70KB',
    '100KB', '256KiB', '1MB', '1MiB', '2MB', '5MB', '10MB', '20MB', '30MiB'];
  if (valid && rng.chance(0.01)) return rng.pick(['1000MB', '953MiB']);
  return numberWithUnit(rng, valid, SIZE_UNITS, ['ms', 'Mbps', '%', 'GB', 'kb', 'b', 'TB'], good);
}

function duration(rng: Rng, valid: boolean): string {
  const good = ['0us', '1us', '0.001us', '1ms', '12ms', '0.5ms', '1s', '5s', '30s', '2m', '1h', '24h', '1000h', '4294967296ms'];
  return numberWithUnit(rng, valid, DURATION_UNITS, ['MB', 'Mbps', '%', 'd', 'ns', 'sec', ''], good);
}

function seconds(rng: Rng, valid: boolean): string {
  const good = ['0', '1', '60', '300', '86400', '2147483647', '5m', '2d', '1h'];
  if (!valid) return rng.pick(['2147483648', DIGITS400, '1.5', '-1', '5ms', '1e3', 'forever']);
  return rng.pick(good);
}

function bandwidth(rng: Rng, valid: boolean): string {
  const good = ['0bps', '1bps', '8bps', '1Kbps', '56Kbps', '1Mbps', '100Mbps', '1Gbps', '100Gbps', '1000000Gbps', '0.5bps'];
  return numberWithUnit(rng, valid, BW_UNITS, ['MB', 'ms', 'Tbps', 'mbps', 'B', '%', ''], good);
}

function integer(rng: Rng, t: { min?: number; max?: number }, valid: boolean): string {
  const min = t.min ?? 0, max = t.max ?? Number.MAX_SAFE_INTEGER;
  if (!valid) return rng.pick([String(min - 1), String(max + 1), '-1', '1.5', DIGITS400, 'abc', '0x10', '1e3', '']);
  const mid = Math.floor((min + Math.min(max, min + 10)) / 2);
  return String(rng.pick([min, max, min + 1, Math.max(min, max - 1), mid, ...(max > 100 ? [100, 1000] : []), ...(max > 70000 ? [65536, 2147483647, 4294967296] : [])].filter((n) => n >= min && n <= max)));
}

function percent(rng: Rng, valid: boolean): string {
  return valid ? rng.pick(['0%', '1%', '50%', '99%', '99.999%', '100%', '0.0001%']) : rng.pick(['101%', '-1%', '50', '1e2%', DIGITS400 + '%', '%']);
}

function date(rng: Rng, valid: boolean): string {
  return valid ? rng.pick(['1970-01-01', '0001-01-01', '9999-12-31', '2028-02-29', '2026-11-24', '2027-06-30', '2027-07-01', '2026-05-31', '1949-12-31', '2050-01-01'])
    : rng.pick(['2026-02-29', '2026-13-01', '2026-00-10', '26-01-01', '2026/01/01', '99999-01-01', 'today']);
}

function domain(rng: Rng, valid: boolean): string {
  const label63 = 'a'.repeat(63);
  return valid ? rng.pick(['api.example.com', 'example.com', 'com', '.', '@', '*.example.com', 'API.EXAMPLE.COM', 'example.com.', `${label63}.${label63}.${label63}.${'b'.repeat(61)}`, 'xn--bcher-kva.example', 'a.b.c.d.e.f.g.h.example.com', 'localhost', 'nas.home.lan'])
    : rng.pick([`${'a'.repeat(64)}.com`, '-bad.com', 'a..b', 'ex ample.com', 'exämple.com', '*.*.com', `${label63}.`.repeat(5), '_dmarc.example.com', '😀.com']);
}

function url(rng: Rng, f: Facts, valid: boolean): string {
  if (!valid) return rng.pick(['htps://x.com/', 'https://', 'https:///path', 'https://x.com:0/', 'https://x.com:99999/', 'https://x.com/a b', 'ftp://x.com/', 'https://exa mple.com/', 'example.com/path', 'https://1.2.3.999/']);
  const scheme = rng.pick(['https', 'https', 'http', 'postgres']);
  const host = rng.pick(['api.example.com', 'example.com', 'nas.home.lan', 'unknown.example.org', 'postgres.default.svc.cluster.local', 'web.default.svc.cluster.local', ...(f.addresses.length ? [rng.pick(f.addresses)] : []), 'localhost']);
  const portPart = rng.chance(0.3) ? `:${port(rng, f, true)}` : '';
  const p = rng.pick(['/', '/users/42', '/users/', '/status', '?q=1', '/%00', '/a#frag', '/😀', '/' + 'a'.repeat(rng.pick([100, 9000, 70000])), '/users/*', '/<script>', '/a/../../b', '']);
  return `"${scheme}://${host}${portPart}${p}"`;
}

function refName(rng: Rng, f: Facts, to: string, valid: boolean): string {
  if (!valid) return rng.chance(0.5) ? hostileWord(rng) : `missing-${rng.int(0, 9)}`;
  const same = f.names.get(to) ?? (to === 'device' || to === 'host' ? f.devices : []);
  const pool = to === 'interface' ? f.interfaces : same;
  if (pool.length && rng.chance(0.75)) return rng.pick(pool);
  // A name of another kind: a router where a host is expected, a pod as a link end...
  const any = [...f.devices, ...f.interfaces, ...[...f.names.values()].flat()];
  return any.length ? rng.pick(any) : 'laptop';
}

/** A value for one argument of the given type; `valid` aims at values the checker accepts. */
export function valueFor(t: ValueType, rng: Rng, f: Facts, valid: boolean): string {
  // Types newer than this file (compared as strings, so the switch compiles either way).
  const kind = (t as { type: string }).type;
  if (kind === 'field-name') return headerName(rng, valid);
  if (kind === 'field-value') return headerValue(rng, valid);
  switch (t.type) {
    case 'name': return valid ? rng.pick([`fz-${rng.int(0, 99)}`, ...(f.names.get(t.defines) ?? []), 'a', 'A_b-9']) : hostileWord(rng);
    case 'ref': return refName(rng, f, t.to, valid);
    case 'ipv4': return ipv4(rng, f, valid);
    case 'cidr': return valid && rng.chance(0.1) ? 'default' : `${ipv4(rng, f, valid || rng.chance(0.5))}/${prefix(rng, valid)}`;
    case 'mac': return mac(rng, f, valid);
    case 'port': return port(rng, f, valid);
    case 'endpoint': return rng.chance(0.5) ? ipv4(rng, f, valid) : `${ipv4(rng, f, valid || rng.chance(0.5))}:${port(rng, f, valid)}`;
    case 'duration': return duration(rng, valid);
    case 'seconds': return seconds(rng, valid);
    case 'size': return size(rng, valid);
    case 'bandwidth': return bandwidth(rng, valid);
    case 'integer': return integer(rng, t, valid);
    case 'percent': return percent(rng, valid);
    case 'string': return quote(rng.chance(valid ? 0.4 : 0.9) ? rng.pick(HOSTILE_STRINGS) : rng.pick(['Amazon Root CA 1', 'Test Root CA', 'application/json', 'SELECT 1', 'x']), rng);
    case 'url': return url(rng, f, valid);
    case 'date': return date(rng, valid);
    case 'domain': return domain(rng, valid);
    case 'word': return valid ? rng.pick(['wan', 'lan', 'eth0', 'app=web', 'k8s-app=kube-dns', '/users/*', '*', '/', 'X-Fuzz', 'app=postgres', ...f.devices.slice(0, 5)]) : hostileWord(rng);
    case 'enum': return valid || rng.chance(0.3) ? rng.pick(t.values) : rng.pick(['3', 'HTTP/2', 'TLS1.3', 'WARM', 'none', 'yes', 'https', 'h3', 'GETT', '']);
    case 'literal': return valid ? t.word : rng.pick(['TO', 'ttl', 'to', '=']);
    default: return hostileWord(rng);
  }
}

function statementFor(spec: KeywordSpec, rng: Rng, f: Facts, valid: boolean): string {
  const parts = [spec.keyword];
  for (const a of spec.args) {
    if (a.optional && rng.chance(0.4)) continue;
    const n = a.rest ? rng.int(1, 3) : 1;
    for (let i = 0; i < n; i++) parts.push(valueFor(a.value, rng, f, valid || rng.chance(0.6)));
  }
  if (!valid && rng.chance(0.2)) parts.push(hostileWord(rng));
  if (spec.block && (spec.blockRequired || rng.chance(0.5))) parts.push('{ }');
  return parts.join(' ');
}

// ---------------------------------------------------------------- targeted scenario statements

function failStatement(rng: Rng, f: Facts): string {
  const kind = rng.chance(0.95) ? rng.pick(FAILURE_KINDS) : rng.pick(['meteor', 'FAIL', 'syn_drop']);
  const valid = rng.chance(0.7);
  const names = (k: string): string[] => f.names.get(k) ?? [];
  const nameOr = (pool: string[]): string => (valid && pool.length ? rng.pick(pool) : rng.chance(0.5) ? hostileWord(rng) : `missing-${rng.int(0, 9)}`);
  let args: string[] = [];
  switch (kind) {
    case 'http-status': args = [valid ? rng.pick(['100', '101', '204', '301', '304', '404', '418', '500', '503', '599']) : rng.pick(['abc', '0', '99', '600', '-1', DIGITS400, '200.5', '1e3'])]; break;
    case 'slow-server': case 'db-slow': args = [duration(rng, valid)]; break;
    case 'no-endpoints': args = [nameOr(names('service'))]; break;
    case 'wrong-port': args = [nameOr(names('service')), ...(rng.chance(0.5) ? [port(rng, f, valid)] : [])]; break;
    case 'conntrack-full': case 'nat-expiry': args = [nameOr(names('router'))]; break;
    case 'routing-loop': args = [nameOr(valid ? names('router') : f.devices)]; break;
    case 'weak-wifi': args = [percent(rng, valid)]; break;
    case 'mtu-blackhole': args = [nameOr(names('link')), ...(rng.chance(0.6) ? [valid ? rng.pick(['68', '576', '1280', '1400', '1499', '1500', '9000', '65535']) : rng.pick(['0', '-1', '67', '65536', DIGITS400, 'abc'])] : [])]; break;
    default: args = rng.chance(0.3) ? [hostileWord(rng)] : [];
  }
  if (rng.chance(0.2)) args = args.slice(0, rng.int(0, args.length));
  if (rng.chance(0.1)) args.push(hostileWord(rng));
  return ['fail', kind, ...args].join(' ');
}

function headerName(rng: Rng, valid: boolean): string {
  const longName = 'X-' + 'n'.repeat(rng.pick([100, 5000, 70000]));
  const good = ['X-Fuzz', 'Content-Length', 'content-length', 'Host', 'Transfer-Encoding', 'Connection', 'TE', 'Upgrade', 'Keep-Alive', 'Content-Type', 'Set-Cookie', 'x', longName];
  const bad = [':authority', ':path', ':status', 'a/b', '@', '😀', 'Ünïcode', '%', 'x:y', '(x)', 'a,b'];
  if (valid || rng.chance(0.5)) return rng.pick(valid ? good : bad);
  return quote(rng.pick(['X Y', 'a\nb', '', ' ', 'a\u0000b', 'x\r\ny: z', '😀', 'Content-Type']), rng);
}

function headerValue(rng: Rng, valid: boolean): string {
  if (!valid || rng.chance(0.3)) return quote(rng.pick(HOSTILE_STRINGS), rng);
  return quote(rng.pick(['application/json', '0', '-1', '99999999999', 'chunked', 'close', 'gzip, br', '', ' padded ', 'a'.repeat(rng.pick([100, 16384, 65536, 200000]))]), rng);
}

function headerStatement(rng: Rng): string {
  return `header ${headerName(rng, rng.chance(0.6))} ${headerValue(rng, rng.chance(0.6))}`;
}

function scenarioStatement(ctx: 'scenario' | 'request' | 'response', rng: Rng, f: Facts): string {
  const valid = rng.chance(0.85);
  if (ctx === 'request' || ctx === 'response') {
    return rng.weighted([
      [4, () => `body ${size(rng, valid)}`],
      [4, () => headerStatement(rng)],
      [1, () => (ctx === 'response' ? `status ${integer(rng, { min: 100, max: 599 }, valid)}` : `method ${rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'CONNECT', 'get'])}`)],
      [1, () => (ctx === 'request' ? `${rng.pick(['http', 'tls'])} ${rng.pick(['2', '1.1', '1.3', '1.2', '3', '1.0'])}` : headerStatement(rng))],
      [1, () => (ctx === 'request' ? `url ${url(rng, f, valid)}` : `body ${size(rng, valid)}`)],
    ] as const)();
  }
  return rng.weighted([
    [6, () => failStatement(rng, f)],
    [3, () => `requests ${valid ? rng.pick(['1', '2', '3', '10', '50', '100']) : rng.pick(['0', '101', '-1', DIGITS400, '1.5', 'two'])}`],
    [2, () => `cache ${rng.pick(CACHE_NAMES)} ${rng.pick(['warm', 'cold', 'hot'])}`],
    [1, () => `interval ${duration(rng, valid)}`],
    [1, () => `seed ${integer(rng, { min: 0 }, valid)}`],
    [1, () => `date ${date(rng, valid)}`],
    [1, () => `from ${refName(rng, f, 'host', valid)}`],
    [1, () => `request {\n    body ${size(rng, valid)}\n    ${headerStatement(rng)}\n  }`],
    [1, () => `response {\n    body ${size(rng, valid)}\n  }`],
  ] as const)();
}

function newScenario(rng: Rng, f: Facts): string {
  const hosts = f.names.get('host') ?? ['laptop'];
  return [`scenario fz-${rng.int(0, 99)} {`, `  from ${rng.pick(hosts.length ? hosts : ['laptop'])}`, '  request {', `    url ${url(rng, f, true)}`, `    http ${rng.pick(['2', '1.1'])}`, '  }',
    '  response {', `    body ${size(rng, true)}`, '  }', `  ${failStatement(rng, f)}`, '}'].join('\n');
}

// ---------------------------------------------------------------- mutations

type Mutation = (lines: string[], rng: Rng, f: Facts, c: MutationContext) => string | undefined;
interface MutationContext { main: string; neighbours: string[] }

const indentOf = (line: string | undefined): string => /^\s*/.exec(line ?? '')?.[0] ?? '';
const show = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

function randomRange(lines: string[], rng: Rng): [number, number] {
  const a = rng.int(0, Math.max(0, lines.length - 1));
  return [a, Math.min(lines.length, a + rng.weighted([[6, 1], [2, 2], [1, 4], [1, 8]] as const))];
}

const deleteLines: Mutation = (lines, rng) => { const [a, b] = randomRange(lines, rng); lines.splice(a, b - a); return `delete lines ${a + 1}-${b}`; };
const duplicateLines: Mutation = (lines, rng) => { const [a, b] = randomRange(lines, rng); lines.splice(b, 0, ...lines.slice(a, b)); return `duplicate lines ${a + 1}-${b}`; };
const swapLines: Mutation = (lines, rng) => {
  if (lines.length < 2) return undefined;
  const a = rng.int(0, lines.length - 1), b = rng.int(0, lines.length - 1);
  [lines[a], lines[b]] = [lines[b], lines[a]];
  return `swap lines ${a + 1} and ${b + 1}`;
};
const moveLines: Mutation = (lines, rng) => {
  const [a, b] = randomRange(lines, rng);
  const cut = lines.splice(a, b - a);
  const to = rng.int(0, lines.length);
  lines.splice(to, 0, ...cut);
  return `move lines ${a + 1}-${b} to ${to + 1}`;
};
const pickBlock = (f: Facts, rng: Rng): BlockInfo | undefined => (f.blocks.length ? rng.pick(f.blocks) : undefined);
const deleteBlock: Mutation = (lines, rng, f) => {
  const b = pickBlock(f, rng); if (!b) return undefined;
  lines.splice(b.start, b.end - b.start + 1);
  return `delete block ${b.keyword} (lines ${b.start + 1}-${b.end + 1})`;
};
const duplicateBlock: Mutation = (lines, rng, f) => {
  const b = pickBlock(f, rng); if (!b) return undefined;
  const copy = lines.slice(b.start, b.end + 1);
  const times = rng.weighted([[8, 1], [1, 5], [1, 60]] as const);
  for (let i = 0; i < times; i++) lines.splice(b.end + 1, 0, ...copy);
  return `duplicate block ${b.keyword} (lines ${b.start + 1}-${b.end + 1}) x${times}`;
};
const moveBlock: Mutation = (lines, rng, f) => {
  const b = pickBlock(f, rng); if (!b) return undefined;
  const cut = lines.splice(b.start, b.end - b.start + 1);
  const to = rng.int(0, lines.length);
  lines.splice(to, 0, ...cut);
  return `move block ${b.keyword} (lines ${b.start + 1}-${b.end + 1}) to line ${to + 1}`;
};
const truncate: Mutation = (lines, rng) => {
  const text = lines.join('\n');
  const at = rng.int(0, text.length);
  lines.splice(0, lines.length, ...text.slice(0, at).split('\n'));
  return `truncate at char ${at} of ${text.length}`;
};
const braces: Mutation = (lines, rng) => {
  const i = rng.int(0, Math.max(0, lines.length - 1));
  const line = lines[i] ?? '';
  const op = rng.pick(['insert {', 'insert }', 'delete brace', 'insert ;']);
  if (op === 'delete brace') {
    const at = [...line].map((ch, k) => (ch === '{' || ch === '}' ? k : -1)).filter((k) => k >= 0);
    if (!at.length) return undefined;
    const k = rng.pick(at);
    lines[i] = line.slice(0, k) + line.slice(k + 1);
  } else {
    const k = rng.int(0, line.length);
    lines[i] = line.slice(0, k) + op.slice(-1) + line.slice(k);
  }
  return `${op} on line ${i + 1}`;
};
const joinSplit: Mutation = (lines, rng) => {
  const i = rng.int(0, Math.max(0, lines.length - 2));
  if (rng.chance(0.5) && i + 1 < lines.length) { lines.splice(i, 2, `${lines[i]} ${lines[i + 1].trim()}`); return `join lines ${i + 1}-${i + 2}`; }
  const line = lines[i] ?? '';
  const spaces = [...line].map((ch, k) => (ch === ' ' && k > 0 ? k : -1)).filter((k) => k >= 0);
  if (!spaces.length) return undefined;
  const k = rng.pick(spaces);
  lines.splice(i, 1, line.slice(0, k), line.slice(k + 1));
  return `split line ${i + 1} at column ${k + 1}`;
};

/** Changes one argument of one statement to a value of its schema type (or a hostile one). */
const mutateValue: Mutation = (lines, rng, f) => {
  const candidates = f.info.map((inf, i) => ({ inf, i })).filter(({ inf }) => inf.toks.length >= 2 && !['{', '}', ';'].includes(inf.toks[0].text));
  if (!candidates.length) return undefined;
  const { inf, i } = rng.pick(candidates);
  const kw = inf.toks[0].text;
  const args = inf.toks.slice(1);
  const end = args.findIndex((t) => t.text === '{' || t.text === ';' || t.text === '}');
  const own = end < 0 ? args : args.slice(0, end);
  if (!own.length) return undefined;
  const k = rng.int(0, own.length - 1);
  const spec = specFor(inf.ctx, kw);
  let argSpec = spec?.args[k] ?? (spec?.args.length && spec.args[spec.args.length - 1].rest ? spec.args[spec.args.length - 1] : undefined);
  if (argSpec && spec && !spec.args[k] && !argSpec.rest) argSpec = undefined;
  const valid = rng.chance(0.8);
  const value = argSpec ? valueFor(argSpec.value, rng, f, valid) : valid ? own[k].text : hostileWord(rng);
  const tok = own[k];
  const line = lines[i];
  lines[i] = line.slice(0, tok.start) + value + line.slice(tok.end);
  return `value line ${i + 1} (${inf.ctx ?? '?'}/${kw}${argSpec ? ` ${argSpec.name}:${argSpec.value.type}` : ''}): ${show(tok.text)} -> ${show(value)}`;
};

/** The same change to every statement with a keyword: every link's bandwidth, every MTU... */
const mutateEvery: Mutation = (lines, rng, f) => {
  const kw = rng.pick(['latency', 'bandwidth', 'mtu', 'processing', 'body', 'loss', 'medium', 'row-size', 'rows', 'render', 'tcp-rmem', 'interval', 'requests', 'status']);
  const hits = f.info.map((inf, i) => ({ inf, i })).filter(({ inf }) => inf.toks[0]?.text === kw && inf.toks.length >= 2);
  const spec = specFor(hits[0]?.inf.ctx, kw);
  if (!hits.length || !spec) return undefined;
  const values = spec.args.map((a) => valueFor(a.value, rng, f, rng.chance(0.85)));
  for (const { inf, i } of [...hits].reverse()) {
    const own = inf.toks.slice(1, 1 + spec.args.length).filter((t) => !['{', '}', ';'].includes(t.text));
    let line = lines[i];
    for (let k = own.length - 1; k >= 0; k--) line = line.slice(0, own[k].start) + (values[k] ?? own[k].text) + line.slice(own[k].end);
    lines[i] = line;
  }
  return `every ${kw} -> ${show(values.join(' '))} (${hits.length} lines)`;
};

/** Puts a statement directly inside a block of context ctx (not inside a nested block). A
 * statement whose keyword the block already has and may not repeat replaces that line instead,
 * so the change reaches the simulation rather than stopping at duplicate-property. */
function insertInto(lines: string[], rng: Rng, f: Facts, ctx: ContextName | ContextName[], text: string): number | undefined {
  const want = Array.isArray(ctx) ? ctx : [ctx];
  const keyword = /^\s*(\S+)/.exec(text)?.[1] ?? '';
  if (want.includes('file')) {
    const tops = f.info.map((inf, i) => (inf.parents.length === 0 ? i : -1)).filter((i) => i >= 0);
    const at = rng.chance(0.7) || !tops.length ? lines.length : rng.pick(tops);
    lines.splice(at, 0, ...text.split('\n'));
    return at;
  }
  const blocks = f.blocks.filter((b) => b.inner && want.includes(b.inner));
  if (!blocks.length) return undefined;
  const b = rng.pick(blocks);
  const depth = f.info[b.start].parents.length + 1;
  const inside: number[] = [];
  for (let i = b.start + 1; i <= b.end; i++) if (f.info[i]?.parents.length === depth) inside.push(i);
  if (!inside.length) inside.push(b.end);
  const indent = indentOf(lines[b.start]) + '  ';
  const spec = b.inner ? SCHEMA[b.inner].find((k) => k.keyword === keyword) : undefined;
  const existing = inside.find((i) => f.info[i].toks[0]?.text === keyword && i !== b.end);
  if (spec && !spec.repeatable && existing !== undefined && !spec.block && !text.includes('\n') && rng.chance(0.9)) {
    lines[existing] = indent + text;
    return existing;
  }
  const at = rng.pick(inside);
  lines.splice(at, 0, ...text.split('\n').map((l) => indent + l));
  return at;
}

const injectStatement: Mutation = (lines, rng, f) => {
  const ctxs = [...new Set(f.blocks.map((b) => b.inner).filter((c): c is ContextName => !!c))];
  const ctx: ContextName = ctxs.length && rng.chance(0.85) ? rng.pick(ctxs) : 'file';
  const spec = rng.pick(SCHEMA[ctx]);
  const stmt = statementFor(spec, rng, f, rng.chance(0.8));
  const at = insertInto(lines, rng, f, ctx, stmt);
  return at === undefined ? undefined : `inject in ${ctx} at line ${at + 1}: ${show(stmt)}`;
};

const injectScenario: Mutation = (lines, rng, f) => {
  const ctx = rng.weighted([[5, 'scenario'], [2, 'request'], [3, 'response']] as const);
  if (!f.blocks.some((b) => b.inner === ctx) || rng.chance(0.05)) {
    const s = newScenario(rng, f);
    lines.push(...s.split('\n'));
    return `append scenario: ${show(s.replace(/\n\s*/g, '; '))}`;
  }
  const stmt = scenarioStatement(ctx, rng, f);
  const at = insertInto(lines, rng, f, ctx, stmt);
  return at === undefined ? undefined : `inject in ${ctx} at line ${at + 1}: ${show(stmt)}`;
};

const injectImport: Mutation = (lines, rng, _f, c) => {
  const target = rng.weighted([
    [3, () => (c.neighbours.length ? rng.pick(c.neighbours) : 'shared.journey')],
    [2, () => c.main],
    [1, () => './' + (c.neighbours[0] ?? 'x.journey')],
    [1, () => 'missing.journey'],
    [1, () => 'sub/dir/none.journey'],
    [1, () => '.'],
    [1, () => ''],
    [1, () => '../../../../../../etc/hostname'],
    [1, () => '/etc/passwd'],
    [1, () => '/dev/null'],
    [1, () => '/proc/self/status'],
    [1, () => path.join(REPO, 'examples', 'follow-a-packet.journey')],
    [1, () => '../' + path.basename(REPO) + '/package.json'],
    [1, () => 'C:\\Windows\\win.ini'],
    [1, () => '😀.journey'],
    [1, () => 'a'.repeat(5000) + '.journey'],
  ] as const)();
  const stmt = `import ${rng.chance(0.9) ? quote(target, rng) : target}`;
  const at = rng.chance(0.7) ? 0 : rng.int(0, lines.length);
  lines.splice(at, 0, stmt);
  return `inject at line ${at + 1}: ${show(stmt)}`;
};

const injectNesting: Mutation = (lines, rng, f) => {
  const depth = rng.weighted([[3, rng.int(2, 20)], [2, rng.int(100, 2000)], [2, rng.int(5000, 50000)]] as const);
  const kw = rng.pick(['scenario x', 'request', 'interface eth0', 'host h', 'rule', 'x', 'zone example.com']);
  const closed = rng.chance(0.7);
  const text = `${`${kw} {`.repeat(depth)}${closed ? '}'.repeat(depth) : ''}`;
  const ctxs: ContextName[] = ['file', 'scenario', 'request', 'host', 'interface', 'cluster', 'pod'];
  const ctx = rng.pick(ctxs);
  const at = insertInto(lines, rng, f, ctx, text) ?? insertInto(lines, rng, f, 'file', text);
  return `inject ${depth}-deep ${closed ? 'closed' : 'unclosed'} nesting of "${kw} {" in ${ctx} at line ${(at ?? 0) + 1}`;
};

/** Two new interfaces (on one switch: an L2 loop; or on two devices) joined by a new link. */
const injectFreshLink = (lines: string[], rng: Rng, f: Facts): string | undefined => {
  const devices = f.blocks.filter((b) => f.info[b.start].parents.length === 0 && DEVICE_KEYWORDS.has(b.keyword) && f.info[b.start].toks[1]);
  if (!devices.length) return undefined;
  const l2 = devices.filter((b) => b.keyword === 'switch' || b.keyword === 'access-point');
  const a = rng.pick(l2.length && rng.chance(0.7) ? l2 : devices);
  const b = rng.chance(0.5) ? a : rng.pick(devices);
  const n = rng.int(0, 999);
  const mac = (k: number): string => `02:fz:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${((n + k) & 255).toString(16).padStart(2, '0')}`.replace('fz', 'f0');
  // Insert into the later block first, so the earlier block's line numbers stay right.
  const ends = [...new Map([[a.start, 'x'], [b.start, 'y']]).keys()].sort((x, y) => y - x);
  for (const start of ends) {
    const names = start === a.start && start === b.start ? ['x', 'y'] : start === a.start ? ['x'] : ['y'];
    lines.splice(start + 1, 0, ...names.map((nm, k) => `${indentOf(lines[start])}  interface fz${nm}${n} { mac ${mac(k + (nm === 'y' ? 1 : 0))} }`));
  }
  const an = f.info[a.start].toks[1].text, bn = f.info[b.start].toks[1].text;
  const text = `link fz-link-${n} {\n  between ${an}.fzx${n} ${bn}.fzy${n}\n}`;
  lines.push(...text.split('\n'));
  return `fresh link ${an}.fzx${n} <-> ${bn}.fzy${n}${a === b ? ' (a loop on one device)' : ''}`;
};

const injectLink: Mutation = (lines, rng, f) => {
  if (rng.chance(0.5)) return injectFreshLink(lines, rng, f);
  if (!f.interfaces.length) return undefined;
  const a = rng.pick(f.interfaces);
  const dev = a.split('.')[0];
  const sameDevice = f.interfaces.filter((i) => i.startsWith(dev + '.'));
  const b = rng.weighted([[3, () => rng.pick(f.interfaces)], [2, () => rng.pick(sameDevice)], [1, () => a]] as const)();
  const valid = rng.chance(0.8);
  const body = [`between ${a} ${b}`, ...(rng.chance(0.7) ? [`latency ${duration(rng, valid)}`] : []), ...(rng.chance(0.5) ? [`bandwidth ${bandwidth(rng, valid)}`] : []),
    ...(rng.chance(0.3) ? [`mtu ${integer(rng, { min: 68, max: 65535 }, valid)}`] : []), ...(rng.chance(0.3) ? [`medium ${rng.pick(['wifi', 'ethernet'])}`] : []), ...(rng.chance(0.2) ? [`loss ${percent(rng, valid)}`] : [])];
  const text = `link fz-link-${rng.int(0, 999)} {\n${body.map((l) => '  ' + l).join('\n')}\n}`;
  lines.push(...text.split('\n'));
  return `append link: ${show(text.replace(/\n\s*/g, '; '))}`;
};

const encoding: Mutation = (lines, rng) => {
  const text = lines.join('\n');
  const op = rng.pick(['bom', 'cr-only', 'crlf', 'nul', 'unicode', 'tabs', 'no-indent', 'uppercase-keyword', 'lone-cr', 'ansi']);
  let out = text;
  switch (op) {
    case 'bom': out = '\uFEFF' + text; break;
    case 'cr-only': out = text.replace(/\n/g, '\r'); break;
    case 'crlf': out = text.replace(/\n/g, '\r\n'); break;
    case 'nul': { const k = rng.int(0, text.length); out = text.slice(0, k) + '\u0000' + text.slice(k); break; }
    case 'unicode': { const k = rng.int(0, text.length); out = text.slice(0, k) + rng.pick(['😀', '\u202E', '\u200B', '\uFFFD', '\uD800', 'é', '\u2028', '\u0085', '\u00A0']) + text.slice(k); break; }
    case 'tabs': out = text.replace(/ {2}/g, '\t'); break;
    case 'no-indent': out = text.replace(/^\s+/gm, ''); break;
    case 'uppercase-keyword': { const ls = text.split('\n'); const i = rng.int(0, ls.length - 1); ls[i] = ls[i].replace(/^(\s*)(\S+)/, (_m, s: string, w: string) => s + w.toUpperCase()); out = ls.join('\n'); break; }
    case 'lone-cr': { const k = rng.int(0, text.length); out = text.slice(0, k) + '\r' + text.slice(k); break; }
    case 'ansi': { const k = rng.int(0, text.length); out = text.slice(0, k) + '\u001b[2J' + text.slice(k); break; }
  }
  lines.splice(0, lines.length, ...out.split('\n'));
  return `encoding: ${op}`;
};

/** Values at and just past the limits the model enforces (src/core/limits.ts): header count and
 * sizes, URL length, requests; and small MTUs and buffers that multiply the segments of a body. */
const limits: Mutation = (lines, rng, f) => {
  const op = rng.pick(['headers', 'header-size', 'url-length', 'requests', 'small-mtu', 'small-rmem']);
  const edge = (n: number): number => n + rng.pick([-1, 0, 1]);
  let ctx: ContextName = 'request';
  let text = '';
  switch (op) {
    case 'headers': { const n = rng.pick([edge(256), 1000]); ctx = rng.pick(['request', 'response'] as const); text = Array.from({ length: n }, (_, i) => `header X-H${i} "${i}"`).join('\n'); break; }
    case 'header-size': ctx = rng.pick(['request', 'response'] as const); text = Array.from({ length: rng.int(1, 6) }, (_, i) => `header X-S${i} "${'v'.repeat(edge(8192) - 7 - String(i).length)}"`).join('\n'); break;
    case 'url-length': text = `url "https://api.example.com/${'p'.repeat(edge(8000) - 'https://api.example.com/'.length)}"`; break;
    case 'requests': ctx = 'scenario'; text = `requests ${rng.pick(['100', '99', '50'])}\ninterval ${rng.pick(['0us', '1ms', '1h'])}`; break;
    case 'small-mtu': ctx = 'link'; text = `mtu ${rng.pick(['68', '69', '100', '576'])}`; break;
    case 'small-rmem': ctx = rng.pick(['host', 'node'] as const); text = `tcp-rmem ${rng.pick(['4096 4096 4096', '1 1 1', '0 0 0', '4096 87380 6291456', '1GB 1GB 1GB'])}`; break;
  }
  if ((ctx === 'request' || ctx === 'response') && rng.chance(0.5)) text += `\n${rng.pick(['body 1MB', 'body 100KB', 'body 10MB'])}`;
  const at = insertInto(lines, rng, f, ctx, text);
  return at === undefined ? undefined : `limits ${op}: inject in ${ctx} at line ${at + 1}: ${show(text.replace(/\n/g, '; '))}`;
};

const MUTATIONS: readonly (readonly [number, string, Mutation])[] = [
  [3, 'delete', deleteLines], [2, 'duplicate', duplicateLines], [1, 'swap', swapLines], [1, 'move', moveLines],
  [2, 'delete-block', deleteBlock], [2, 'duplicate-block', duplicateBlock], [1, 'move-block', moveBlock],
  [1, 'truncate', truncate], [1, 'braces', braces], [1, 'join-split', joinSplit],
  [14, 'value', mutateValue], [4, 'every', mutateEvery], [7, 'inject', injectStatement], [14, 'scenario', injectScenario],
  [1, 'import', injectImport], [1, 'nesting', injectNesting], [2, 'link', injectLink], [1, 'encoding', encoding], [3, 'limits', limits],
];

/** Applies 1..n mutations to a text; returns the new text and their descriptions. */
export function mutateText(text: string, rng: Rng, c: MutationContext, count?: number): { text: string; mutations: string[] } {
  const n = count ?? rng.weighted([[7, 1], [4, 2], [2, 3], [1, 5]] as const);
  const mutations: string[] = [];
  let cur = text;
  for (let i = 0, tries = 0; i < n && tries < n * 5; tries++) {
    const lines = cur.split('\n');
    const [, label, m] = rng.weighted(MUTATIONS.map((e) => [e[0], e] as const));
    const d = m(lines, rng, analyse(cur), c);
    if (d === undefined) continue;
    cur = lines.join('\n');
    mutations.push(`${label}: ${d}`);
    i++;
  }
  return { text: cur, mutations };
}

export function makeCase(seed: number, index: number, corpus: Corpus): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const entry = rng.pick(corpus.entries);
  const files = new Map(entry.dir.files);
  const neighbours = [...files.keys()].filter((n) => n !== entry.name);
  const original = files.get(entry.name) ?? '';
  const { text, mutations } = mutateText(original, rng, { main: entry.name, neighbours });
  files.set(entry.name, text);
  // Sometimes the imported file is mutated too (big-response imports follow-a-packet...).
  const imports = [...original.matchAll(/^import\s+"([^"]+)"/gm)].map((m) => m[1]).filter((p) => files.has(p));
  if (imports.length && rng.chance(0.3)) {
    const dep = rng.pick(imports);
    const r = mutateText(files.get(dep) ?? '', rng, { main: dep, neighbours: [...files.keys()].filter((n) => n !== dep) }, 1);
    files.set(dep, r.text);
    mutations.push(...r.mutations.map((m) => `in ${dep}: ${m}`));
  }
  const traceArgs: string[] = [];
  const format = rng.weighted([[6, 'text'], [2, 'json'], [2, 'mermaid']] as const);
  if (format !== 'text') traceArgs.push('--format', format);
  if (rng.chance(0.3)) traceArgs.push('--details');
  if (rng.chance(0.25)) traceArgs.push('--pcap', PCAP);
  const scenarios = analyse(text).names.get('scenario') ?? [];
  if (scenarios.length > 1 && rng.chance(0.3)) traceArgs.push('--scenario', rng.pick(scenarios));
  return { index, seed, base: `${entry.dir.dir}/${entry.name}`, files, main: entry.name, mutations, traceArgs };
}
