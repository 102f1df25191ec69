// The Trace as pretty-printed JSON, line by line: the same text as JSON.stringify(trace, null, 2),
// but made one array element at a time, so a long transfer's trace (hundreds of thousands of
// frames, each with its hex) never has to exist as one string, which V8 caps at about 512 MB.
import { detachedSnapshot } from '../trace/builder';
import type { PacketSnapshot, Trace, TraceLayer } from '../trace/types';

const indent = (text: string, pad: string): string => pad + text.replace(/\n/g, `\n${pad}`);

/** Yields the JSON in pieces of whole lines (no trailing newline on a piece). */
export function* traceJsonLines(t: Trace): Generator<string> {
  const record = t as unknown as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  // the builder shares one copy of each repeated list (layers, reasons, changes) and source
  // range between events: their JSON is made once per copy
  const shared = new WeakMap<object, string>();
  yield '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = record[key];
    const comma = i < keys.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [`;
      for (let j = 0; j < value.length; j++) {
        const v: unknown = value[j];
        const el = key === 'packets' ? snapshotJson(detachedSnapshot(v as PacketSnapshot), '    ')
          : key === 'events' && isPlainObject(v) ? objectJson(v, '    ', shared)
          : indent(JSON.stringify(v, null, 2) ?? 'null', '    ');
        yield el + (j < value.length - 1 ? ',' : '');
      }
      yield `  ]${comma}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ').slice(2)}${comma}`;
    }
  }
  yield '}';
}

// A snapshot is most of a long trace's JSON (a 10 MB body makes over a gigabyte of it), so it
// is written by hand: the text JSON.stringify(s, null, 2) would make, already indented, without
// a second pass to indent it. The shapes are the Trace's (types.ts); any key this code does not
// know goes through JSON.stringify, so the output stays exact if the types grow.
const q = JSON.stringify;

/** The snapshot's JSON with every line prefixed by `pad` (the first line too). */
export function snapshotJson(s: PacketSnapshot, pad: string): string {
  const p1 = `${pad}  `;
  const record = s as unknown as Record<string, unknown>;
  let out = `${pad}{`;
  let first = true;
  for (const key in record) {
    const v = record[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out += `${first ? '' : ','}\n${p1}${q(key)}: `;
    first = false;
    if ((key === 'layers' || key === 'plaintext') && Array.isArray(v)) out += layersJson(v as TraceLayer[], p1);
    else out += valueJson(v, p1);
  }
  return first ? `${pad}{}` : `${out}\n${pad}}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A flat record (an event) as JSON.stringify(o, null, 2) with every line prefixed by `pad`;
 * its object and array values are written once per object, through `known`. */
function objectJson(o: Record<string, unknown>, pad: string, known: WeakMap<object, string>): string {
  const p1 = `${pad}  `;
  let out = `${pad}{`;
  let first = true;
  for (const key in o) {
    const v = o[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    let text: string | undefined;
    if (typeof v === 'object' && v !== null) {
      text = known.get(v);
      if (text === undefined) { text = valueJson(v, p1); known.set(v, text); }
    } else text = valueJson(v, p1);
    out += `${first ? '' : ','}\n${p1}${q(key)}: ${text}`;
    first = false;
  }
  return first ? `${pad}{}` : `${out}\n${pad}}`;
}

/** Any JSON value as JSON.stringify(v, null, 2) makes it, continuation lines prefixed by `pad`. */
function valueJson(v: unknown, pad: string): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return q(v);
  const text = q(v, null, 2);
  return text.includes('\n') ? text.replace(/\n/g, `\n${pad}`) : text;
}

function layersJson(layers: readonly TraceLayer[], pad: string): string {
  if (layers.length === 0) return '[]';
  const p1 = `${pad}  `;
  let out = '[';
  for (let i = 0; i < layers.length; i++) out += `${i ? ',' : ''}\n${p1}${layerJson(layers[i], p1)}`;
  return `${out}\n${pad}]`;
}

const LAYER_KEYS = ['proto', 'offset', 'length', 'fields', 'summary'];
const FIELD_KEYS = ['name', 'offset', 'length', 'value'];

/** True when `o` has exactly `keys`, in that order, each defined (the shape we write by hand). */
function hasShape(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i] || (o as Record<string, unknown>)[k] === undefined) return false;
    i++;
  }
  return i === keys.length;
}

function layerJson(l: TraceLayer, pad: string): string {
  if (!hasShape(l, LAYER_KEYS) || typeof l.summary !== 'string' || !Array.isArray(l.fields)) return valueJson(l, pad);
  const p1 = `${pad}  `;
  const p2 = `${p1}  `;
  const p3 = `${p2}  `;
  let fields = '[]';
  if (l.fields.length) {
    fields = '[';
    for (let i = 0; i < l.fields.length; i++) {
      const f = l.fields[i];
      const text = hasShape(f, FIELD_KEYS) && typeof f.offset === 'number' && typeof f.length === 'number'
        ? `{\n${p3}"name": ${q(f.name)},\n${p3}"offset": ${q(f.offset)},\n${p3}"length": ${q(f.length)},\n${p3}"value": ${q(f.value)}\n${p2}}`
        : valueJson(f, p2);
      fields += `${i ? ',' : ''}\n${p2}${text}`;
    }
    fields += `\n${p1}]`;
  }
  return `{\n${p1}"proto": ${q(l.proto)},\n${p1}"offset": ${q(l.offset)},\n${p1}"length": ${q(l.length)},\n${p1}"fields": ${fields},\n${p1}"summary": ${q(l.summary)}\n${pad}}`;
}
