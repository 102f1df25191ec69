import type { CompareOptions, PacketRecord } from './types';

/**
 * Drops ignored fields and renames relational values by order of first appearance, so two
 * captures with different random choices become comparable.
 */
export function normalize(packets: readonly PacketRecord[], opts: CompareOptions): PacketRecord[] {
  const ignore = new Set(opts.ignore ?? []);
  const relational = new Set(opts.relational ?? []);
  const keep = opts.keep ?? (() => false);
  const scopes = opts.scopes ?? {};
  // One numbering per link and side, shared by all relational fields: a port seen first as a
  // source and later as a destination gets the same name.
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  return packets.map((p) => {
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(p)) {
      if (ignore.has(field)) continue;
      if (relational.has(field) && !keep(field, value)) {
        const k = `${relationalGroup(field)}=${value}`;
        let name = names.get(k);
        if (name === undefined) {
          const scope = (scopes[field] ?? []).map((f) => p[f] ?? '').join(' ');
          const group = `${relationalGroup(field)} ${scope}`;
          const n = (counts.get(group) ?? 0) + 1;
          counts.set(group, n);
          name = scope ? `${scope}#${n}` : `#${n}`;
          names.set(k, name);
        }
        out[field] = name;
      } else {
        out[field] = value;
      }
    }
    return out;
  });
}

/** Ports share one numbering (src and dst are the same kind of thing); other fields their own. */
function relationalGroup(field: string): string {
  return /port$/.test(field) ? `${field.split('.').slice(0, -1).join('.')}.port` : field;
}
