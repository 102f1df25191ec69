// Parsers for the literal values of the language. Each returns either the value or a message
// that tells the user what a correct value looks like.
import ipaddr from 'ipaddr.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = number;
export interface Cidr { address: Ipv4; prefix: number }
export interface Endpoint { address: Ipv4; port?: number }

export function parseIpv4(text: string): Parsed<Ipv4> {
  // ipaddr.js accepts shorthand forms like "10.1" and octal; a network tool must not.
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || !ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return bad(`"${text}" is not an IPv4 address: write four numbers from 0 to 255 separated by dots, e.g. 192.168.0.10.`);
  }
  const b = ipaddr.IPv4.parse(text).toByteArray();
  return ok(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0);
}

export function formatIpv4(a: Ipv4): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function inSubnet(address: Ipv4, net: Cidr): boolean {
  const m = prefixMask(net.prefix);
  return ((address & m) >>> 0) === ((net.address & m) >>> 0);
}

export function parseCidr(text: string): Parsed<Cidr> {
  if (text === 'default') return ok({ address: 0, prefix: 0 });
  const slash = text.indexOf('/');
  if (slash < 0) return bad(`"${text}" needs a prefix length: write it as address/prefix, e.g. ${text}/24.`);
  const addr = parseIpv4(text.slice(0, slash));
  if (!addr.ok) return addr;
  const p = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return bad(`"/${p}" is not a prefix length: use a number from 0 to 32.`);
  return ok({ address: addr.value, prefix: Number(p) });
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.address)}/${c.prefix}`;
}

export function parseMac(text: string): Parsed<string> {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) {
    return bad(`"${text}" is not a MAC address: write six pairs of hex digits separated by colons, e.g. 02:00:00:00:00:01.`);
  }
  return ok(text.toLowerCase());
}

export function parsePort(text: string): Parsed<number> {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) return bad(`"${text}" is not a port: use a number from 1 to 65535.`);
  return ok(Number(text));
}

export function parseEndpoint(text: string): Parsed<Endpoint> {
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    const a = parseIpv4(text);
    return a.ok ? ok({ address: a.value }) : a;
  }
  const a = parseIpv4(text.slice(0, colon));
  if (!a.ok) return a;
  const p = parsePort(text.slice(colon + 1));
  if (!p.ok) return p;
  return ok({ address: a.value, port: p.value });
}

function numberWithUnit(text: string, units: Record<string, number>, what: string, example: string): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z%]*)$/.exec(text);
  const names = Object.keys(units).filter((u) => u !== '');
  if (!m) return bad(`"${text}" is not a ${what}: write a number and a unit (${names.join(', ')}), e.g. ${example}.`);
  const unit = m[2];
  if (unit === '' && !('' in units)) return bad(`"${text}" needs a unit (${names.join(', ')}), written without a space, e.g. ${example}.`);
  if (!(unit in units)) return bad(`"${unit || '(none)'}" is not a unit of ${what}: use one of ${names.join(', ')}, e.g. ${example}.`);
  return ok(Number(m[1]) * units[unit]);
}

/** A duration in milliseconds. */
export function parseDuration(text: string): Parsed<number> {
  return numberWithUnit(text, { us: 0.001, ms: 1, s: 1000, m: 60000, h: 3600000 }, 'duration', '12ms');
}

/** A TTL or timeout in whole seconds: a bare number counts as seconds, as in zone files. */
export function parseSeconds(text: string): Parsed<number> {
  const r = numberWithUnit(text, { '': 1, s: 1, m: 60, h: 3600, d: 86400 }, 'time in seconds', '300');
  if (r.ok && (!Number.isInteger(r.value) || r.value > 0x7fffffff)) return bad(`"${text}" must be a whole number of seconds below 2^31.`);
  return r;
}

/** A size in bytes. */
export function parseSize(text: string): Parsed<number> {
  const r = numberWithUnit(text, { '': 1, B: 1, KB: 1000, KiB: 1024, MB: 1e6, MiB: 1048576 }, 'size', '256B');
  if (r.ok && (!Number.isInteger(r.value) || r.value > 1e9)) return bad(`"${text}" must be a whole number of bytes up to 1GB.`);
  return r;
}

/** A rate in bits per second. */
export function parseBandwidth(text: string): Parsed<number> {
  return numberWithUnit(text, { bps: 1, Kbps: 1e3, Mbps: 1e6, Gbps: 1e9 }, 'bandwidth', '100Mbps');
}

export function parsePercent(text: string): Parsed<number> {
  const r = numberWithUnit(text, { '%': 1 }, 'percentage', '5%');
  if (r.ok && r.value > 100) return bad(`"${text}" is more than 100%.`);
  return r;
}

export function parseInteger(text: string, min = 0, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return bad(`"${text}" must be a whole number from ${min} to ${max}.`);
  return ok(Number(text));
}

export function parseDate(text: string): Parsed<number> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).getUTCDate() !== Number(m[3])) return bad(`"${text}" is not a date: write YYYY-MM-DD, e.g. 2027-01-31.`);
  return ok(t);
}

const LABEL = /^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$/;

export function parseDomain(text: string): Parsed<string> {
  if (text === '.') return ok('.');
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = name.split('.');
  const okLabels = labels.every((l, i) => LABEL.test(l) || (i === 0 && (l === '*' || l === '@')));
  if (!okLabels || name.length > 253) return bad(`"${text}" is not a domain name: use labels of letters, digits and hyphens separated by dots, e.g. www.example.org.`);
  return ok(name.toLowerCase());
}

export interface ParsedUrl { scheme: 'http' | 'https' | 'postgres'; host: string; port: number; path: string; explicitPort: boolean }

const DEFAULT_PORTS: Record<ParsedUrl['scheme'], number> = { http: 80, https: 443, postgres: 5432 };

export function parseUrl(text: string): Parsed<ParsedUrl> {
  const m = /^([a-z]+):\/\/([^/:?#\s]+)(?::(\d+))?([^\s]*)$/i.exec(text);
  if (!m) return bad(`"${text}" is not a URL: write scheme://host[:port]/path, e.g. https://www.example.org/items/7.`);
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'postgres') return bad(`Scheme "${m[1]}" is not supported: use https, http or postgres.`);
  const isAddress = /^\d+(\.\d+){3}$/.test(m[2]);
  const host = isAddress ? parseIpv4(m[2]) : parseDomain(m[2]);
  if (!host.ok) return host;
  let port = DEFAULT_PORTS[scheme];
  if (m[3] !== undefined) {
    const p = parsePort(m[3]);
    if (!p.ok) return p;
    port = p.value;
  }
  const rawPath = m[4] || '/';
  if (!rawPath.startsWith('/') && !rawPath.startsWith('?')) return bad(`The path of "${text}" must start with "/".`);
  return ok({ scheme, host: isAddress ? m[2] : (host.value as string), port, path: rawPath.split('#')[0] || '/', explicitPort: m[3] !== undefined });
}
