// Parsers for the literal values of the language. Each returns either the value or a message
// that tells the user what a correct value looks like.
import ipaddr from 'ipaddr.js';
import { MAX_URL_BYTES } from '../limits';
import { BoundedMap } from '../fifo';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = number;
export interface Cidr { address: Ipv4; prefix: number }
export interface Endpoint { address: Ipv4; port?: number }

export function parseIpv4(text: string): Parsed<Ipv4> {
  const a = addressOf(text);
  if (a < 0) return bad(`"${shown(text)}" is not an IPv4 address: write four numbers from 0 to 255 separated by dots, e.g. 192.168.0.10.`);
  return ok(a);
}

/** The address written in text[from, to), or -1. Only the dotted-quad form, each part 0 to 255
 * in decimal without leading zeros: the shorthand ("10.1") and octal ("010.0.0.1") forms that
 * inet_aton and ipaddr.js's parse() accept are typos in a network description. */
export function ipv4In(text: string, from: number, to: number): number {
  const s = from === 0 && to === text.length ? text : text.slice(from, to);
  // The shape first (what isValidFourPartDecimal checks), then ipaddr.js reads the octets and
  // their range once: isValidFourPartDecimal + parse would parse twice.
  if (s.length > 15 || !DOTTED_QUAD.test(s)) return -1;
  let o: number[];
  try { o = ipaddr.IPv4.parse(s).octets; } catch { return -1; } // an octet over 255
  return o[0] * 16777216 + (o[1] << 16) + (o[2] << 8) + o[3];
}

const DOTTED_QUAD = /^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/;

/** Addresses as packets carry them, read once per process (bounded): the simulation asks for
 * the same few dozen again and again (routes, ARP targets, its own addresses), and each reading
 * is a regular expression and ipaddr.js's objects. Longer texts are no address: not kept. */
const readAddresses = new BoundedMap<string, number>(4096);
function addressOf(text: string): number {
  const known = readAddresses.get(text);
  if (known !== undefined) return known;
  const a = ipv4In(text, 0, text.length);
  if (text.length <= 15) readAddresses.set(text, a);
  return a;
}

/** Size of an AddressMemo's table (a power of two). */
const MEMO_SLOTS = 256;

/** The addresses one reader has read, by a hash of their text: a network writes many addresses
 * more than once (a host's gateway is its router's address, and often its resolver; every
 * router routes via the same next hop), and ipaddr.js makes several objects for each address
 * it reads. Only addresses that were read are kept; a slot holds the last one that hashed to it. */
export class AddressMemo {
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(MEMO_SLOTS).fill(undefined);
  private readonly values: number[] = new Array<number>(MEMO_SLOTS).fill(0);

  /** ipv4In(text, 0, end), from the table when text[0, end) was read before. */
  ipv4In(text: string, end: number): number {
    let h = end;
    for (let i = 0; i < end; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    const slot = h & (MEMO_SLOTS - 1);
    const known = this.texts[slot];
    if (known !== undefined && known.length === end && text.startsWith(known)) return this.values[slot];
    const a = ipv4In(text, 0, end);
    if (a >= 0) {
      this.texts[slot] = end === text.length ? text : text.slice(0, end);
      this.values[slot] = a;
    }
    return a;
  }
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

/** Whether `address` is on the subnet `net`/`prefix` (inSubnet without a Cidr to build). */
export function inPrefix(address: Ipv4, net: Ipv4, prefix: number): boolean {
  const m = prefixMask(prefix);
  return ((address & m) >>> 0) === ((net & m) >>> 0);
}

export function parseCidr(text: string): Parsed<Cidr> {
  if (text === 'default') return ok({ address: 0, prefix: 0 });
  const slash = text.indexOf('/');
  if (slash < 0) return bad(`"${shown(text)}" needs a prefix length: write it as address/prefix, e.g. ${text}/24.`);
  const address = ipv4In(text, 0, slash);
  if (address < 0) return bad((parseIpv4(text.slice(0, slash)) as { message: string }).message);
  const prefix = prefixIn(text, slash + 1);
  if (prefix < 0) return bad(`"/${text.slice(slash + 1)}" is not a prefix length: use a number from 0 to 32.`);
  return ok({ address, prefix });
}

/** One or two digits from `from` to the end, at most 32; or -1. */
function prefixIn(text: string, from: number): number {
  const len = text.length - from;
  if (len < 1 || len > 2) return -1;
  let v = 0;
  for (let i = from; i < text.length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v > 32 ? -1 : v;
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.address)}/${c.prefix}`;
}

export function parseMac(text: string): Parsed<string> {
  if (!isMac(text)) {
    return bad(`"${shown(text)}" is not a MAC address: write six pairs of hex digits separated by colons, e.g. 02:00:00:00:00:01.`);
  }
  return ok(hasUpper(text) ? text.toLowerCase() : text);
}

/** Six pairs of hex digits separated by colons. */
function isMac(text: string): boolean {
  if (text.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const c = text.charCodeAt(i);
    if (i % 3 === 2) { if (c !== 0x3a) return false; continue; }
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function hasUpper(text: string): boolean {
  for (let i = 0; i < text.length; i++) { const c = text.charCodeAt(i); if (c >= 0x41 && c <= 0x5a) return true; }
  return false;
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

type Units = Readonly<Record<string, number>>;

function numberWithUnit(text: string, units: Units, what: string, example: string): Parsed<number> {
  const numberEnd = numberEndOf(text);
  if (numberEnd < 0) return bad(`"${shown(text)}" is not a ${what}: write a number and a unit (${unitNames(units).join(', ')}), e.g. ${example}.`);
  const unit = numberEnd === text.length ? '' : text.slice(numberEnd);
  if (unit === '' && !('' in units)) return bad(`"${shown(text)}" needs a unit (${unitNames(units).join(', ')}), written without a space, e.g. ${example}.`);
  // `in`, as a lookup in the table: the prototype's names ("toString") are found too, and
  // their value is no number, which the check below turns into a message.
  if (!(unit in units)) return bad(`"${unit || '(none)'}" is not a unit of ${what}: use one of ${unitNames(units).join(', ')}, e.g. ${example}.`);
  const v = Number(numberEnd === text.length ? text : text.slice(0, numberEnd)) * units[unit];
  // Hundreds of digits read as Infinity, which would print as "Infinity" or "NaN" in a trace.
  if (!Number.isFinite(v)) return bad(`"${shown(text)}" is too large a ${what}.`);
  return ok(v);
}

/** Where the number of a value with a unit ends ("12.5ms": 4), or -1 unless the text is digits,
 * optionally a dot and digits, then letters or "%" (/^(\d+(?:\.\d+)?)([a-zA-Z%]*)$/). */
function numberEndOf(text: string): number {
  const n = text.length;
  let i = 0;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (i === 0) return -1;
  let end = i;
  if (i < n && text.charCodeAt(i) === 0x2e && i + 1 < n && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    end = i;
  }
  while (i < n && isUnitChar(text.charCodeAt(i))) i++;
  return i === n ? end : -1;
}

/** The value numberWithUnit would read, or NaN for anything it would refuse. The unit is
 * matched in place against `names`, the table's own: no string is cut for it, and a name only
 * found on the prototype ("toString"), whose value is no number, gives NaN either way. */
function unitNumber(text: string, units: Units, names: readonly string[]): number {
  const end = numberEndOf(text);
  if (end < 0) return NaN;
  const length = text.length - end;
  let factor = NaN;
  for (let k = 0; k < names.length; k++) {
    const name = names[k];
    if (name.length === length && text.startsWith(name, end)) { factor = units[name]; break; }
  }
  if (Number.isNaN(factor)) return NaN;
  const v = Number(length === 0 ? text : text.slice(0, end)) * factor;
  return Number.isFinite(v) ? v : NaN;
}


const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isUnitChar = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x25;
const unitNames = (units: Units): string[] => Object.keys(units).filter((u) => u !== '');

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

const DURATION_UNITS: Units = { us: 0.001, ms: 1, s: 1000, m: 60000, h: 3600000 };
const SECONDS_UNITS: Units = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
const SIZE_UNITS: Units = { '': 1, B: 1, KB: 1000, KiB: 1024, MB: 1e6, MiB: 1048576 };
const BANDWIDTH_UNITS: Units = { bps: 1, Kbps: 1e3, Mbps: 1e6, Gbps: 1e9 };
const PERCENT_UNITS: Units = { '%': 1 };
const DURATION_NAMES = Object.keys(DURATION_UNITS);
const BANDWIDTH_NAMES = Object.keys(BANDWIDTH_UNITS);

/** A duration in milliseconds. */
export function parseDuration(text: string, bounds: Bounds = {}): Parsed<number> {
  const r = numberWithUnit(text, DURATION_UNITS, 'duration', '12ms');
  return inRange(r, text, bounds.min ?? 0, Math.min(bounds.max ?? MAX_DURATION_MS, MAX_DURATION_MS), describeMs, 'duration here');
}

/** Fast readers for the values a large topology is made of: the value when the matching parser
 * would accept the text (the same value), undefined otherwise (the parser then says why). They
 * build no result object and no message. */
export function readDuration(text: string, bounds: Bounds = {}): number | undefined {
  const v = unitNumber(text, DURATION_UNITS, DURATION_NAMES);
  return v >= (bounds.min ?? 0) && v <= Math.min(bounds.max ?? MAX_DURATION_MS, MAX_DURATION_MS) ? v : undefined;
}
export function readBandwidth(text: string): number | undefined {
  const v = unitNumber(text, BANDWIDTH_UNITS, BANDWIDTH_NAMES);
  return v >= 1 && v <= MAX_BANDWIDTH_BPS ? v : undefined;
}
export function readIpv4(text: string, memo?: AddressMemo): Ipv4 | undefined {
  const a = memo ? memo.ipv4In(text, text.length) : ipv4In(text, 0, text.length);
  return a < 0 ? undefined : a;
}
export function readCidr(text: string, memo?: AddressMemo): Cidr | undefined {
  if (text === 'default') return { address: 0, prefix: 0 };
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = memo ? memo.ipv4In(text, slash) : ipv4In(text, 0, slash);
  const prefix = address < 0 ? -1 : prefixIn(text, slash + 1);
  return prefix < 0 ? undefined : { address, prefix };
}
export function readMac(text: string): string | undefined {
  if (!isMac(text)) return undefined;
  return hasUpper(text) ? text.toLowerCase() : text;
}

/** A TTL or timeout in whole seconds: a bare number counts as seconds, as in zone files. */
export function parseSeconds(text: string): Parsed<number> {
  const r = numberWithUnit(text, SECONDS_UNITS, 'time in seconds', '300');
  if (r.ok && (!Number.isInteger(r.value) || r.value > 0x7fffffff)) return bad(`"${shown(text)}" must be a whole number of seconds below 2^31.`);
  return r;
}

/** A size in bytes. */
export function parseSize(text: string, bounds: Bounds = {}): Parsed<number> {
  const r = numberWithUnit(text, SIZE_UNITS, 'size', '256B');
  if (r.ok && !Number.isInteger(r.value)) return bad(`"${shown(text)}" must be a whole number of bytes.`);
  return inRange(r, text, bounds.min ?? 0, Math.min(bounds.max ?? MAX_SIZE_BYTES, MAX_SIZE_BYTES), describeBytes, 'size here');
}

/** A rate in bits per second. Zero would make serialisation instantaneous (an infinitely fast
 * link), so the slowest rate is 1 bit/s. */
export function parseBandwidth(text: string): Parsed<number> {
  const r = numberWithUnit(text, BANDWIDTH_UNITS, 'bandwidth', '100Mbps');
  if (r.ok && r.value < 1) return bad(`"${shown(text)}" is not a usable rate: a link carries at least 1bps (serialisation delay = bits / rate). Leave "bandwidth" out for the default 1Gbps.`);
  return inRange(r, text, 1, MAX_BANDWIDTH_BPS, (x) => `${x / 1e9}Gbps`, 'bandwidth');
}

export function parsePercent(text: string): Parsed<number> {
  const r = numberWithUnit(text, PERCENT_UNITS, 'percentage', '5%');
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

/** A calendar date (midnight UTC) or, with a time, a moment in UTC: YYYY-MM-DD or
 * YYYY-MM-DDTHH:MM:SSZ (ISO 8601). */
export function parseDate(text: string): Parsed<number> {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/.exec(text);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC reads years 0-99 as 1900-1999; a date before the epoch is a typo here anyway.
  if (m && Number(m[1]) < 1970) return bad(`"${shown(text)}" is before 1970: write a year from 1970 to 9999.`);
  if (!m || Number.isNaN(t) || new Date(t).getUTCDate() !== Number(m[3])) return bad(`"${shown(text)}" is not a date: write YYYY-MM-DD, e.g. 2027-01-31, or a moment in UTC as YYYY-MM-DDTHH:MM:SSZ, e.g. 2027-01-31T09:30:00Z.`);
  if (m[4] === undefined) return ok(t);
  const [h, min, sec] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (h > 23 || min > 59 || sec > 59) return bad(`"${shown(text)}" is not a time of day: hours go from 00 to 23, minutes and seconds from 00 to 59.`);
  return ok(t + ((h * 60 + min) * 60 + sec) * 1000);
}

export function parseDomain(text: string): Parsed<string> {
  const name = readDomain(text);
  if (name === undefined) return bad(`"${shown(text)}" is not a domain name: use labels of letters, digits and hyphens separated by dots, e.g. www.example.org.`);
  return ok(name);
}

/** The name parseDomain would give (lower case, without the trailing dot), or undefined where
 * it reports an error: no list of labels and no regular expression per label, as zone records
 * and URLs are read on every build. */
export function readDomain(text: string): string | undefined {
  if (text === '.') return '.';
  const end = text.endsWith('.') ? text.length - 1 : text.length;
  if (end > 253) return undefined;
  let start = 0;
  for (let i = 0; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 0x2e) continue;
    if (!isLabel(text, start, i, start === 0)) return undefined;
    start = i + 1;
  }
  const name = end === text.length ? text : text.slice(0, end);
  return hasUpper(name) ? name.toLowerCase() : name;
}

/** Whether text[from, to) is a DNS label: 1 to 63 letters, digits and hyphens, not starting or
 * ending with a hyphen; the first label may be "*" or "@". */
function isLabel(text: string, from: number, to: number, first: boolean): boolean {
  const len = to - from;
  if (first && len === 1 && (text.charCodeAt(from) === 0x2a || text.charCodeAt(from) === 0x40)) return true;
  if (len < 1 || len > 63 || text.charCodeAt(from) === 0x2d || text.charCodeAt(to - 1) === 0x2d) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!(isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d)) return false;
  }
  return true;
}

/** A name as the language writes them: a letter or "_", then letters, digits, "_" and "-"
 * (/^[A-Za-z_][A-Za-z0-9_-]*$/, read without a regular expression). */
export function isName(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) continue;
    if (i > 0 && (isDigit(c) || c === 0x2d)) continue;
    return false;
  }
  return true;
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
