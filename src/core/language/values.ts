// Parsers for the literal values of the language. Each returns either the value or a message
// that tells the user what a correct value looks like.
import ipaddr from 'ipaddr.js';
import { MAX_URL_BYTES } from '../limits';

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
    return bad(`"${shown(text)}" is not an IPv4 address: write four numbers from 0 to 255 separated by dots, e.g. 192.168.0.10.`);
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
  if (slash < 0) return bad(`"${shown(text)}" needs a prefix length: write it as address/prefix, e.g. ${text}/24.`);
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
    return bad(`"${shown(text)}" is not a MAC address: write six pairs of hex digits separated by colons, e.g. 02:00:00:00:00:01.`);
  }
  return ok(text.toLowerCase());
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
  if (!m) return bad(`"${shown(text)}" is not a ${what}: write a number and a unit (${names.join(', ')}), e.g. ${example}.`);
  const unit = m[2];
  if (unit === '' && !('' in units)) return bad(`"${shown(text)}" needs a unit (${names.join(', ')}), written without a space, e.g. ${example}.`);
  if (!(unit in units)) return bad(`"${unit || '(none)'}" is not a unit of ${what}: use one of ${names.join(', ')}, e.g. ${example}.`);
  const v = Number(m[1]) * units[unit];
  // Hundreds of digits read as Infinity, which would print as "Infinity" or "NaN" in a trace.
  if (!Number.isFinite(v)) return bad(`"${shown(text)}" is too large a ${what}.`);
  return ok(v);
}

/** Checks a value read with a unit against the range the simulation can use; `show` writes a
 * bound back in the user's terms (e.g. "10 days"). */
function inRange(r: Parsed<number>, text: string, min: number, max: number, show: (x: number) => string, what: string): Parsed<number> {
  if (!r.ok) return r;
  if (r.value < min) return bad(`"${shown(text)}" is too small: a ${what} must be at least ${show(min)}.`);
  if (r.value > max) return bad(`"${shown(text)}" is too large: a ${what} must be at most ${show(max)}.`);
  return r;
}

export interface Bounds { min?: number; max?: number }

/** Longest duration: Linux's longest default conntrack timeout (established TCP, 5 days) with
 * room to spare. Longer waits only push the trace's clock past anything it can show. */
export const MAX_DURATION_MS = 10 * 86_400_000;
/** Fastest link: 1.6 Tbit/s is the fastest Ethernet in standardisation; a rate beyond it is a typo. */
export const MAX_BANDWIDTH_BPS = 1.6e12;
/** Largest size any statement takes; narrower limits (bodies) come from the schema. */
export const MAX_SIZE_BYTES = 1e9;

export function describeMs(ms: number): string {
  if (ms === 0) return '0ms';
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000} days`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return ms < 1 ? `${ms * 1000}us` : `${ms}ms`;
}
export function describeBytes(n: number): string {
  if (n >= 1e9 && n % 1e9 === 0) return `${n / 1e9}GB`;
  if (n >= 1048576 && n % 1048576 === 0) return `${n / 1048576}MiB`;
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}MB`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}KB`;
  return `${n}B`;
}

/** A duration in milliseconds. */
export function parseDuration(text: string, bounds: Bounds = {}): Parsed<number> {
  const r = numberWithUnit(text, { us: 0.001, ms: 1, s: 1000, m: 60000, h: 3600000 }, 'duration', '12ms');
  return inRange(r, text, bounds.min ?? 0, Math.min(bounds.max ?? MAX_DURATION_MS, MAX_DURATION_MS), describeMs, 'duration here');
}

/** A TTL or timeout in whole seconds: a bare number counts as seconds, as in zone files. */
export function parseSeconds(text: string): Parsed<number> {
  const r = numberWithUnit(text, { '': 1, s: 1, m: 60, h: 3600, d: 86400 }, 'time in seconds', '300');
  if (r.ok && (!Number.isInteger(r.value) || r.value > 0x7fffffff)) return bad(`"${shown(text)}" must be a whole number of seconds below 2^31.`);
  return r;
}

/** A size in bytes. */
export function parseSize(text: string, bounds: Bounds = {}): Parsed<number> {
  const r = numberWithUnit(text, { '': 1, B: 1, KB: 1000, KiB: 1024, MB: 1e6, MiB: 1048576 }, 'size', '256B');
  if (r.ok && !Number.isInteger(r.value)) return bad(`"${shown(text)}" must be a whole number of bytes.`);
  return inRange(r, text, bounds.min ?? 0, Math.min(bounds.max ?? MAX_SIZE_BYTES, MAX_SIZE_BYTES), describeBytes, 'size here');
}

/** A rate in bits per second. Zero would make serialisation instantaneous (an infinitely fast
 * link), so the slowest rate is 1 bit/s. */
export function parseBandwidth(text: string): Parsed<number> {
  const r = numberWithUnit(text, { bps: 1, Kbps: 1e3, Mbps: 1e6, Gbps: 1e9 }, 'bandwidth', '100Mbps');
  if (r.ok && r.value < 1) return bad(`"${shown(text)}" is not a usable rate: a link carries at least 1bps (serialisation delay = bits / rate). Leave "bandwidth" out for the default 1Gbps.`);
  return inRange(r, text, 1, MAX_BANDWIDTH_BPS, (x) => `${x / 1e9}Gbps`, 'bandwidth');
}

export function parsePercent(text: string): Parsed<number> {
  const r = numberWithUnit(text, { '%': 1 }, 'percentage', '5%');
  if (r.ok && r.value > 100) return bad(`"${shown(text)}" is more than 100%.`);
  return r;
}

export function parseInteger(text: string, min = 0, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return bad(`"${shown(text)}" must be a whole number from ${min} to ${max}.`);
  return ok(Number(text));
}

export function parsePort(text: string, bounds: Bounds = {}): Parsed<number> {
  const min = Math.max(1, bounds.min ?? 1);
  const max = Math.min(65535, bounds.max ?? 65535);
  if (!/^\d{1,5}$/.test(text) || Number(text) < min || Number(text) > max) return bad(`"${shown(text)}" is not a port${min !== 1 || max !== 65535 ? ' here' : ''}: use a number from ${min} to ${max}.`);
  return ok(Number(text));
}

export function parseDate(text: string): Parsed<number> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC reads years 0-99 as 1900-1999; a date before the epoch is a typo here anyway.
  if (m && Number(m[1]) < 1970) return bad(`"${shown(text)}" is before 1970: write a year from 1970 to 9999.`);
  if (!m || Number.isNaN(t) || new Date(t).getUTCDate() !== Number(m[3])) return bad(`"${shown(text)}" is not a date: write YYYY-MM-DD, e.g. 2027-01-31.`);
  return ok(t);
}

const LABEL = /^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$/;

export function parseDomain(text: string): Parsed<string> {
  if (text === '.') return ok('.');
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = name.split('.');
  const okLabels = labels.every((l, i) => LABEL.test(l) || (i === 0 && (l === '*' || l === '@')));
  if (!okLabels || name.length > 253) return bad(`"${shown(text)}" is not a domain name: use labels of letters, digits and hyphens separated by dots, e.g. www.example.org.`);
  return ok(name.toLowerCase());
}

export interface ParsedUrl { scheme: 'http' | 'https' | 'postgres'; host: string; port: number; path: string; explicitPort: boolean }

const DEFAULT_PORTS: Record<ParsedUrl['scheme'], number> = { http: 80, https: 443, postgres: 5432 };

export function parseUrl(text: string): Parsed<ParsedUrl> {
  if (text.length > MAX_URL_BYTES) return bad(`This URL is ${text.length} characters long; a server accepts at most ${MAX_URL_BYTES} (nginx answers 414 URI Too Long): shorten it.`);
  const odd = /^[a-z]+:\/\//i.test(text) ? /[^\x21-\x7e]/.exec(text) : null;
  if (odd) return bad(`The URL holds ${describeChar(odd[0])}, which a URL cannot carry as it is (RFC 3986): percent-encode it, e.g. "%20" for a space.`);
  const m = /^([a-z]+):\/\/([^/:?#\s]+)(?::(\d+))?([^\s]*)$/i.exec(text);
  if (!m) return bad(`"${shown(text)}" is not a URL: write scheme://host[:port]/path, e.g. https://www.example.org/items/7.`);
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
  if (!rawPath.startsWith('/') && !rawPath.startsWith('?')) return bad(`The path of "${shown(text)}" must start with "/".`);
  return ok({ scheme, host: isAddress ? m[2] : (host.value as string), port, path: rawPath.split('#')[0] || '/', explicitPort: m[3] !== undefined });
}

/** How a character the user cannot easily see is named in a message. */
export function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const u = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const names: Record<number, string> = { 0x20: 'a space', 0x0a: 'a line break (LF', 0x0d: 'a carriage return (CR', 0x00: 'a NUL character', 0x09: 'a tab', 0x7f: 'a DEL character' };
  const name = names[code];
  if (name) return name.endsWith('(LF') || name.endsWith('(CR') ? `${name}, ${u})` : `${name} (${u})`;
  return code < 0x20 ? `a control character (${u})` : `"${c}" (${u})`;
}

// RFC 9110 5.1: a field name is a token.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/u;

/** An HTTP header name: a token (RFC 9110 5.1, 5.6.2). */
export function parseFieldName(text: string): Parsed<string> {
  if (text === '') return bad('A header name cannot be empty.');
  for (const ch of text) {
    if (!TCHAR.test(ch)) return bad(`"${shown(text)}" is not a header name: it holds ${describeChar(ch)}. Header names are tokens: letters, digits and ! # $ % & ' * + - . ^ _ \` | ~, with no spaces or separators such as "/", "@" or ":" (RFC 9110 5.1).`);
  }
  return ok(text);
}

/** An HTTP header value: visible characters, spaces and tabs, and obs-text (any non-ASCII
 * character); no CR, LF, NUL or other control character (RFC 9110 5.5). */
export function parseFieldValue(text: string): Parsed<string> {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return bad(`This header value holds ${describeChar(ch)}: a header value cannot contain CR, LF, NUL or other control characters (RFC 9110 5.5); a line break would start a new header.`);
  }
  return ok(text);
}

/** A value as quoted back in a message: a 400-digit typo should not fill the screen. */
export function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
