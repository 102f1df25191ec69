/**
 * Shared by the TLS capture tests: trace an example while recording what each TLS endpoint
 * encrypted (the plaintext headers handed to TlsEndpoint.write, in order), and put tshark's
 * decoded HTTP/2 frames and HTTP/1.1 messages in the same normalised form.
 */
import * as path from 'node:path';
import { simulate } from '../../../src/core/sim/run';
import { TlsEndpoint } from '../../../src/core/sim/tls';
import type { Trace } from '../../../src/core/trace/types';
import type { Header } from '../../../src/core/wire';
import { ROOT, build, example } from '../helpers';
import { findAll, type TsharkLayers } from '../wire/tshark';

export interface Written { device: string; role: 'client' | 'server'; plain: Header[] }

/** Traces examples/NAME and returns the trace with every TLS application write, in order. */
export function traceRecordingTls(name: string, edit?: (text: string) => string): { trace: Trace; writes: Written[] } {
  const writes: Written[] = [];
  const original = TlsEndpoint.prototype.write;
  TlsEndpoint.prototype.write = function (this: TlsEndpoint, ...plain: Header[]): void {
    writes.push({ device: this.conn.node.name, role: this.role, plain });
    original.apply(this, plain);
  };
  try {
    const text = edit ? edit(example(name)) : example(name);
    const r = simulate(build(text, path.join(ROOT, 'examples', name)));
    if (!r.ok) throw new Error(r.error);
    return { trace: r.trace, writes };
  } finally {
    TlsEndpoint.prototype.write = original;
  }
}

/** One HTTP/2 frame or HTTP/1.1 message as both sides are compared. */
export type Message =
  | { h2: 'magic' }
  | { h2: number; stream: number; flags: number; length: number; headers?: [string, string][]; settings?: [number, number][]; increment?: number }
  | { http1: string; lines: string[]; bodyLength: number };

/** The frames and messages the simulation encrypted, in stream order. */
export function expectedMessages(writes: readonly Written[]): Message[] {
  const out: Message[] = [];
  for (const w of writes) {
    for (const h of w.plain) {
      if (h.proto === 'http2') {
        if (h.preface) out.push({ h2: 'magic' });
        for (const f of h.frames) {
          const length = f.kind === 'data' ? f.data.length + (f.padding ? f.padding.length + 1 : 0) : f.kind === 'headers' ? f.headerBlock.length : f.kind === 'settings' ? 6 * f.settings.length : f.kind === 'window_update' ? 4 : -1;
          const base = { stream: f.streamId, flags: f.flags ?? 0, length };
          if (f.kind === 'data') out.push({ h2: 0, ...base });
          else if (f.kind === 'headers') out.push({ h2: 1, ...base, headers: (f.headers ?? []).map(([n, v]) => [n, v]) });
          else if (f.kind === 'settings') out.push({ h2: 4, ...base, settings: f.settings.map((s) => [s.id, s.value]) });
          else if (f.kind === 'window_update') out.push({ h2: 8, ...base, increment: f.increment });
          else throw new Error(`frame kind ${f.kind} not compared by this test`);
        }
      } else if (h.proto === 'http1') {
        const first = h.kind === 'request' ? `${h.method} ${h.target} ${h.version ?? 'HTTP/1.1'}` : `${h.version ?? 'HTTP/1.1'} ${h.status} ${h.reason}`;
        out.push({ http1: first, lines: h.headers.map(([n, v]) => `${n}: ${v}`), bodyLength: h.body?.length ?? 0 });
      } else {
        throw new Error(`TLS carried ${h.proto}, not compared by this test`);
      }
    }
  }
  return out;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (o: Record<string, unknown>, k: string): string => String(o[k]);

/** The HTTP/2 frames and HTTP/1.1 messages tshark decoded from the packets one IP address sent. */
export function tsharkMessages(packets: readonly TsharkLayers[], srcIp: string): Message[] {
  const out: Message[] = [];
  for (const p of packets) {
    const ip = p.ip as Record<string, unknown> | undefined;
    if (!ip || ip['ip.src'] !== srcIp) continue;
    for (const layer of list(p.http2)) {
      for (const s of list((layer as Record<string, unknown>)['http2.stream'])) {
        const f = s as Record<string, unknown>;
        if (f['http2.magic'] !== undefined) { out.push({ h2: 'magic' }); continue; }
        const type = Number(f['http2.type']);
        const base = { stream: Number(f['http2.streamid']), flags: Number(f['http2.flags']), length: Number(f['http2.length']) };
        if (type === 1) {
          out.push({ h2: 1, ...base, headers: list(f['http2.header']).map((h) => [str(h as Record<string, unknown>, 'http2.header.name'), str(h as Record<string, unknown>, 'http2.header.value')]) });
        } else if (type === 4) {
          out.push({
            h2: 4, ...base,
            settings: list(f['http2.settings']).map((x) => {
              const e = x as Record<string, unknown>;
              const valueKey = Object.keys(e).find((k) => k !== 'http2.settings.id' && k.startsWith('http2.settings.'));
              return [Number(e['http2.settings.id']), Number(valueKey ? e[valueKey] : NaN)];
            }),
          });
        } else if (type === 8) out.push({ h2: 8, ...base, increment: Number(f['http2.window_update.window_size_increment']) });
        else out.push({ h2: type, ...base });
      }
    }
    for (const layer of list(p.http)) {
      const m = layer as Record<string, unknown>;
      const firstLine = Object.keys(m).find((k) => /^(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS|HTTP\/)/.test(k));
      if (!firstLine) continue;
      const lines = [...list(m['http.request.line']), ...list(m['http.response.line'])].map((l) => String(l).replace(/\r\n$/, ''));
      const body = findAll(m, 'http.file_data')[0];
      const bodyLength = m['http.content_length_header'] !== undefined ? Number(m['http.content_length_header']) : typeof body === 'string' ? body.length : 0;
      out.push({ http1: firstLine.replace(/\\r\\n$|\r\n$/, ''), lines, bodyLength });
    }
  }
  return out;
}

/**
 * Protected records, and how many tshark could not open. A TLS 1.3 record shows its outer type
 * (tls.record.opaque_type 23) and, once decrypted, the real one inside (tls.record.content_type):
 * a record with only the outer type stayed ciphertext. TLS 1.2 keeps the real type outside, so
 * its records are proved decrypted by the frame-for-frame comparison below (every frame of every
 * record is found, in order, with its length).
 */
export function recordSummary(packets: readonly TsharkLayers[]): { protected13: number; undecrypted: number } {
  let protected13 = 0;
  let undecrypted = 0;
  for (const p of packets) {
    for (const r of findAll(p.tls, 'tls.record')) {
      const rec = r as Record<string, unknown>;
      if (rec['tls.record.opaque_type'] === undefined) continue;
      protected13++;
      if (rec['tls.record.content_type'] === undefined) undecrypted++;
    }
  }
  return { protected13, undecrypted };
}
