// The Trace as pretty-printed JSON, line by line: the same text as JSON.stringify(trace, null, 2),
// but made one array element at a time, so a long transfer's trace (hundreds of thousands of
// frames, each with its hex) never has to exist as one string, which V8 caps at about 512 MB.
import { detachedSnapshot } from '../trace/builder';
import type { PacketSnapshot, Trace } from '../trace/types';

const indent = (text: string, pad: string): string => pad + text.replace(/\n/g, `\n${pad}`);

/** Yields the JSON in pieces of whole lines (no trailing newline on a piece). */
export function* traceJsonLines(t: Trace): Generator<string> {
  const record = t as unknown as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  yield '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = record[key];
    const comma = i < keys.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [`;
      for (let j = 0; j < value.length; j++) {
        const el: unknown = key === 'packets' ? detachedSnapshot(value[j] as PacketSnapshot) : value[j];
        yield indent(JSON.stringify(el, null, 2) ?? 'null', '    ') + (j < value.length - 1 ? ',' : '');
      }
      yield `  ]${comma}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ').slice(2)}${comma}`;
    }
  }
  yield '}';
}
