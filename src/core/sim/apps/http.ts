// HTTP message building shared by the browser, the load balancer and the pods: HTTP/2 frames
// with a per-connection HPACK context, HTTP/1.x messages, and response bodies of a given size.
import { H2_FLAG, H2_SETTING, Hpack, headersFrame, utf8, type Header, type Http1Message, type Http2Frame, type Http2Frames } from '../../wire';
import { CURL_H2_SETTINGS, H2_INITIAL_WINDOW, H2_MAX_FRAME_SIZE, NGINX } from '../constants';

/** What a client sends in its first HTTP/2 flight: its SETTINGS and the connection window
 * increment; `headersApart` when it writes its first HEADERS separately from the preface. */
export interface H2ClientProfile { settings: readonly { id: number; value: number }[]; connectionWindowIncrement: number; headersApart?: boolean; pseudoOrder?: readonly string[] }

/** What a browser sends in its first HTTP/2 flight (Chromium's SETTINGS and connection window). */
export const BROWSER_H2 = {
  settings: [
    { id: H2_SETTING.HEADER_TABLE_SIZE, value: 65536 },
    { id: H2_SETTING.ENABLE_PUSH, value: 0 },
    { id: H2_SETTING.INITIAL_WINDOW_SIZE, value: 6291456 },
    { id: H2_SETTING.MAX_HEADER_LIST_SIZE, value: 262144 },
  ],
  connectionWindowIncrement: 15663105,
} as const;

/** curl's first flight (nghttp2): the preface with SETTINGS and WINDOW_UPDATE in one write, the
 * request's HEADERS in the next. */
export const CURL_H2: H2ClientProfile = {
  settings: [
    { id: H2_SETTING.MAX_CONCURRENT_STREAMS, value: CURL_H2_SETTINGS.maxConcurrentStreams },
    { id: H2_SETTING.INITIAL_WINDOW_SIZE, value: CURL_H2_SETTINGS.initialWindow },
    { id: H2_SETTING.ENABLE_PUSH, value: 0 },
  ],
  connectionWindowIncrement: CURL_H2_SETTINGS.connectionWindow - H2_INITIAL_WINDOW,
  headersApart: true,
  pseudoOrder: [':method', ':path', ':scheme', ':authority'],
};

/** nginx's server preface: SETTINGS from its defaults, then a WINDOW_UPDATE opening the
 * connection window from the initial 65535 to 2^31-1. */
export function nginxServerPreface(): Http2Frame[] {
  return [
    { kind: 'settings', streamId: 0, settings: [
      { id: H2_SETTING.MAX_CONCURRENT_STREAMS, value: NGINX.h2MaxConcurrentStreams },
      { id: H2_SETTING.INITIAL_WINDOW_SIZE, value: NGINX.h2InitialWindow },
      { id: H2_SETTING.MAX_FRAME_SIZE, value: NGINX.h2MaxFrameSize },
    ] },
    { kind: 'window_update', streamId: 0, increment: NGINX.h2ConnectionWindow - H2_INITIAL_WINDOW },
  ];
}

/** RFC 9113 defaults a server advertises when it sets nothing else. */
export const SERVER_H2 = {
  settings: [
    { id: H2_SETTING.MAX_CONCURRENT_STREAMS, value: 128 },
    { id: H2_SETTING.INITIAL_WINDOW_SIZE, value: 65536 },
  ],
  maxFrameSize: H2_MAX_FRAME_SIZE,
} as const;

export interface HttpRequest { method: string; authority: string; path: string; scheme: string; headers: [string, string][]; bodySize: number }
export interface HttpResponse { status: number; headers: [string, string][]; body: Uint8Array }

const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
export const reason = (status: number): string => REASONS[status] ?? 'Status';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'host', 'content-length']);

/** One HTTP/2 connection end: its HPACK encoder and the next stream id it may open. */
export class H2Conn {
  readonly hpack = new Hpack();
  nextStream = 1;
  prefaceSent = false;
  constructor(readonly client: H2ClientProfile = BROWSER_H2) {}
}

export function h2Request(c: H2Conn, r: HttpRequest): { frames: Http2Frames; stream: number } {
  const stream = c.nextStream;
  c.nextStream += 2;
  const pseudo: Record<string, string> = { ':method': r.method, ':authority': r.authority, ':scheme': r.scheme, ':path': r.path };
  const order = c.client.pseudoOrder ?? [':method', ':authority', ':scheme', ':path'];
  const list: [string, string][] = [];
  for (const k of order) list.push([k, pseudo[k]]);
  for (const [k, v] of r.headers) list.push([k.toLowerCase(), v]);
  const frames: Http2Frame[] = [];
  const preface = !c.prefaceSent;
  if (preface) {
    c.prefaceSent = true;
    frames.push({ kind: 'settings', streamId: 0, settings: c.client.settings.map((s) => ({ ...s })) });
    frames.push({ kind: 'window_update', streamId: 0, increment: c.client.connectionWindowIncrement });
  }
  frames.push(headersFrame(c.hpack, stream, list, { endStream: r.bodySize === 0 }));
  if (r.bodySize > 0) frames.push(...dataFrames(stream, body(r.bodySize, 'request')));
  return { frames: { proto: 'http2', preface, frames }, stream };
}

/** Response frames: HEADERS, then DATA frames of at most the peer's max frame size. */
export function h2Response(c: H2Conn, stream: number, r: HttpResponse, withSettings: boolean): Http2Frames[] {
  const list: [string, string][] = [[':status', String(r.status)]];
  for (const [k, v] of r.headers) {
    const name = k.toLowerCase();
    if (!HOP_BY_HOP.has(name)) list.push([name, v]);
  }
  list.push(['content-length', String(r.body.length)]);
  const first: Http2Frame[] = [];
  if (withSettings) first.push({ kind: 'settings', streamId: 0, settings: SERVER_H2.settings.map((s) => ({ ...s })) }, { kind: 'settings', streamId: 0, flags: H2_FLAG.ACK, settings: [] });
  first.push(headersFrame(c.hpack, stream, list, { endStream: r.body.length === 0 }));
  const out: Http2Frames[] = [{ proto: 'http2', frames: first }];
  if (r.body.length) out.push({ proto: 'http2', frames: dataFrames(stream, r.body) });
  return out;
}

/** A body as DATA frames of at most SETTINGS_MAX_FRAME_SIZE bytes, END_STREAM on the last; each
 * frame's data is a view into the one body buffer. */
function dataFrames(stream: number, data: Uint8Array): Http2Frame[] {
  const frames: Http2Frame[] = [];
  for (let o = 0; o < data.length; o += H2_MAX_FRAME_SIZE) {
    const last = o + H2_MAX_FRAME_SIZE >= data.length;
    frames.push({ kind: 'data', streamId: stream, flags: last ? H2_FLAG.END_STREAM : 0, data: data.subarray(o, o + H2_MAX_FRAME_SIZE) });
  }
  return frames;
}

export function http1Request(r: HttpRequest, version: 'HTTP/1.1' | 'HTTP/1.0', extra: [string, string][], afterHost: [string, string][] = []): Http1Message {
  const headers: [string, string][] = [['Host', r.authority], ...afterHost, ...r.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())), ...extra];
  if (r.bodySize > 0) headers.push(['Content-Length', String(r.bodySize)]);
  return { proto: 'http1', kind: 'request', method: r.method, target: r.path, version, headers, ...(r.bodySize > 0 ? { body: body(r.bodySize, 'request') } : {}) };
}

export function http1Response(r: HttpResponse, extra: [string, string][] = []): Http1Message {
  const headers: [string, string][] = [...r.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())), ['Content-Length', String(r.body.length)], ...extra];
  return { proto: 'http1', kind: 'response', version: 'HTTP/1.1', status: r.status, reason: reason(r.status), headers, body: r.body };
}

/** A request's frames as the client writes them: one write, or, for a client that sends its
 * HEADERS apart (curl), the connection preface first and the stream's frames second. */
export function h2RequestWrites(c: H2Conn, r: HttpRequest): { writes: Http2Frames[]; stream: number } {
  const { frames, stream } = h2Request(c, r);
  const cut = frames.frames.findIndex((f) => f.kind === 'headers');
  if (!frames.preface || !c.client.headersApart || cut <= 0) return { writes: [frames], stream };
  return { writes: [{ proto: 'http2', preface: true, frames: frames.frames.slice(0, cut) }, { proto: 'http2', frames: frames.frames.slice(cut) }], stream };
}

/** The response frames nginx writes: HEADERS and the whole body's DATA in one write (one TLS
 * record while it fits). */
export function nginxH2Response(c: H2Conn, stream: number, r: HttpResponse): Http2Frames {
  const [head, ...rest] = h2Response(c, stream, r, false);
  return { proto: 'http2', frames: [...head.frames, ...rest.flatMap((x) => x.frames)] };
}

/** An HTTP date (RFC 9110 5.6.7, IMF-fixdate) for `ms` since the epoch. */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

export function httpDate(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const day = DAYS[d.getUTCDay()];
  const mon = MONTHS[d.getUTCMonth()];
  return `${day}, ${p2(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

/** nginx's request to its upstream with the default proxy settings (proxy_http_version 1.0,
 * proxy_set_header Host $proxy_host, Connection close): the client's other headers follow in
 * their order; no X-Forwarded-* unless configured. */
export function nginxUpstreamRequest(r: HttpRequest, upstream: { address: string; port: number }): Http1Message {
  const host = upstream.port === 80 ? upstream.address : `${upstream.address}:${upstream.port}`;
  return http1Request({ ...r, authority: host }, 'HTTP/1.0', [], [['Connection', 'close']]);
}

/** The headers nginx puts on a response it serves or proxies: its own Server and Date (an
 * upstream's are not passed on), then the rest; `close` when the connection ends after it. */
export function nginxResponseHeaders(headers: [string, string][], nowMs: number, close = false): [string, string][] {
  const own = new Set(['server', 'date', 'connection']);
  return [['Server', `nginx/${NGINX.version}`], ['Date', httpDate(nowMs)], ...headers.filter(([k]) => !own.has(k.toLowerCase())), ...(close ? [['Connection', 'close'] as [string, string]] : [])];
}

/** Reads an HTTP request out of HTTP/2 frames or an HTTP/1 message. */
export function requestOf(h: Header, hpack?: Hpack): HttpRequest | undefined {
  if (h.proto === 'http1' && h.kind === 'request') {
    const host = h.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? '';
    const len = Number(h.headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? 0);
    return { method: h.method, authority: host, path: h.target, scheme: 'http', headers: h.headers.filter(([k]) => k.toLowerCase() !== 'host'), bodySize: len };
  }
  if (h.proto === 'http2' && hpack) {
    const hf = h.frames.find((f) => f.kind === 'headers');
    if (!hf || hf.kind !== 'headers') return undefined;
    const list = hpack.decode(hf.headerBlock);
    const get = (k: string): string => list.find(([n]) => n === k)?.[1] ?? '';
    const data = h.frames.filter((f) => f.kind === 'data').reduce((n, f) => n + (f.kind === 'data' ? f.data.length : 0), 0);
    return { method: get(':method'), authority: get(':authority'), path: get(':path'), scheme: get(':scheme'), headers: list.filter(([n]) => !n.startsWith(':')), bodySize: data };
  }
  return undefined;
}

export function responseOf(h: Header): HttpResponse | undefined {
  if (h.proto === 'http1' && h.kind === 'response') return { status: h.status, headers: h.headers, body: h.body ?? new Uint8Array(0) };
  return undefined;
}

/** A response or request body of exactly `size` bytes: JSON when there is room, else filler. */
export function body(size: number, what: string): Uint8Array {
  const out = new Uint8Array(size);
  const head = `{"${what}":"`;
  const tail = '"}';
  if (size < head.length + tail.length) { out.fill(0x78); return out; }
  out.set(utf8(head), 0);
  out.fill(0x78, head.length, size - tail.length);
  out.set(utf8(tail), size - tail.length);
  return out;
}

/** The error page a server sends with a status, in the shape nginx and most proxies use; its
 * size follows from the status line and the server's name. */
export function errorPage(status: number, server: string): HttpResponse {
  const title = `${status} ${reason(status)}`;
  const html = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`;
  return { status, headers: [['Content-Type', 'text/html']], body: utf8(html) };
}
