// The headers of a request or response, checked against what a server accepts (RFC 9110,
// RFC 9113 and nginx's limits): a header the simulation could not put on the wire, or would put
// there twice, is a diagnostic at its line instead of a crash or a false trace.
import { MAX_HEADER_COUNT, MAX_HEADER_FIELD_BYTES, MAX_HEADER_LIST_BYTES } from '../limits';
import type { Reader, ReadBlock } from './reader';

/** Headers the simulation writes itself, from the statement that decides them. */
const DERIVED_HEADERS: Readonly<Record<string, string>> = {
  'content-length': 'the simulation derives it from "body" (a second, different one makes the message ambiguous, RFC 9112 6.3).',
  'transfer-encoding': 'the simulation sends bodies with a length, not chunked; with a Content-Length as well, the message would be ambiguous (RFC 9112 6.1).',
  host: 'it comes from the URL (":authority" in HTTP/2); a second Host header makes a server answer 400 (RFC 9112 3.2).',
};
/** Connection-specific headers (RFC 9113 8.2.2). */
const CONNECTION_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) { const c = ch.codePointAt(0) ?? 0; n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }
  return n;
}

/** The headers of a request or response block, checked against what a server accepts: a
 * header the simulation could not put on the wire is a diagnostic here, not a crash there. */
export function readHeaders(r: Reader, b: ReadBlock, request: boolean, http: string): [string, string][] {
  const out: [string, string][] = [];
  let listBytes = 0;
  for (const h of b.all('header')) {
    const name = h.args.get('name');
    const value = h.args.get('value');
    if (name?.value === undefined || value?.value === undefined) continue;
    const n = String(name.value);
    const v = String(value.value);
    const lower = n.toLowerCase();
    const derived = DERIVED_HEADERS[lower];
    if (derived && (request || lower !== 'host')) {
      r.report('header-derived', `${n} is not written by hand: ${derived} Remove this header.`, name.span);
      continue;
    }
    if (CONNECTION_HEADERS.has(lower) && http === '2') {
      r.report('header-derived', `${n} is a connection-specific header, which HTTP/2 forbids (RFC 9113 8.2.2): the message would be malformed. Remove it, or use "http 1.1".`, name.span);
      continue;
    }
    const fieldBytes = n.length + 2 + utf8Length(v);
    if (fieldBytes > MAX_HEADER_FIELD_BYTES) {
      r.report('header-too-large', `Header "${n}" is ${fieldBytes} bytes; servers accept at most ${MAX_HEADER_FIELD_BYTES} bytes per header line (nginx answers 400): shorten the value.`, value.span);
      continue;
    }
    if (out.length >= MAX_HEADER_COUNT) {
      r.report('too-many-headers', `More than ${MAX_HEADER_COUNT} headers: remove some (this one and those after it are not sent).`, h.stmt.keywordSpan);
      break;
    }
    // RFC 9113 6.5.2 counts name + value + 32 bytes per field.
    listBytes += n.length + utf8Length(v) + 32;
    if (listBytes > MAX_HEADER_LIST_BYTES) {
      r.report('header-too-large', `The headers reach ${listBytes} bytes here (name + value + 32 each, RFC 9113 6.5.2); a server accepts at most ${MAX_HEADER_LIST_BYTES} (431 Request Header Fields Too Large): remove or shorten some.`, h.stmt.keywordSpan);
      break;
    }
    out.push([n, v]);
  }
  return out;
}
