// Names and their uses: go to definition, find references and rename. The model's builder already
// records every definition and reference (with the file it is in); this module groups them into
// symbols. Zones are the exception: nothing refers to a zone by name, but every domain name that
// falls inside it (a URL's host, a certificate subject, an absolute record name) does, so those
// are found here by suffix.
import type { Definition, Reference } from '../model/reader';
import type { RefKind } from '../language/schema';
import type { Span } from '../language/range';
import { parseDomain, parseUrl } from '../language/values';
import { walkStatements, argSpecs, clampOffset, contains, type Location, type ServiceInput, type TextEdit } from './context';

export type Namespace = 'device' | 'interface' | 'certificate' | 'target-group' | 'service' | 'zone' | 'link' | 'scenario' | 'cluster' | 'container' | 'listener';

/** Devices, nodes and pods share one namespace: a link or a target may name any of them. */
export function namespaceOfDefinition(kind: Definition['kind']): Namespace {
  return kind === 'node' || kind === 'pod' || kind === 'host' ? 'device' : kind;
}
export function namespaceOfReference(kind: RefKind): Namespace {
  return kind === 'host' || kind === 'node' || kind === 'pod' ? 'device' : kind;
}

const keyOf = (ns: Namespace, name: string): string => `${ns} ${name}`;
const refName = (r: Reference): string | undefined => (r.kind === 'interface' ? (r.device === undefined ? undefined : `${r.device}.${r.name}`) : r.name);

export interface SymbolAt {
  namespace: Namespace;
  /** The symbol's key: `device.interface` for interfaces, the origin for zones. */
  name: string;
  /** The text under the cursor that names it (for an interface: only the interface part). */
  span: Span;
  file: string;
  isDefinition: boolean;
}

interface ZoneUse { zone: string; file: string; /** the part of the text that spells the origin */ span: Span }

interface Index {
  defs: Map<string, Definition[]>;
  refs: Map<string, Reference[]>;
  zones: ZoneUse[];
}

// One index per build: the build is immutable, so hover, references and rename on the same
// version share it.
const indexes = new WeakMap<ServiceInput['result'], Index>();

function indexOf(input: ServiceInput): Index {
  const hit = indexes.get(input.result);
  if (hit) return hit;
  const defs = new Map<string, Definition[]>();
  const seen = new Set<string>();
  for (const d of input.result.definitions) {
    const id = `${d.file}:${d.span.start}:${d.kind}`;
    if (seen.has(id)) continue; // a name recorded twice for the same statement
    seen.add(id);
    const k = keyOf(namespaceOfDefinition(d.kind), d.name);
    const list = defs.get(k);
    if (list) list.push(d); else defs.set(k, [d]);
  }
  const refs = new Map<string, Reference[]>();
  for (const r of input.result.references) {
    const n = refName(r);
    if (n === undefined) continue;
    const k = keyOf(namespaceOfReference(r.kind), n);
    const list = refs.get(k);
    if (list) list.push(r); else refs.set(k, [r]);
  }
  const index: Index = { defs, refs, zones: zoneUses(input) };
  indexes.set(input.result, index);
  return index;
}

/** Domain names inside a zone: each belongs to the longest zone origin it ends with. */
function zoneUses(input: ServiceInput): ZoneUse[] {
  const origins = input.result.definitions.filter((d) => d.kind === 'zone' && d.name !== '.' && d.name !== '').map((d) => d.name);
  if (origins.length === 0) return [];
  const owner = (name: string): string | undefined => {
    let best: string | undefined;
    for (const o of origins) if ((name === o || name.endsWith(`.${o}`)) && (!best || o.length > best.length)) best = o;
    return best;
  };
  const out: ZoneUse[] = [];
  // `host` is the text of a domain name starting at offset `at`, maybe with a trailing dot.
  const consider = (file: string, host: string, at: number): void => {
    const bare = host.endsWith('.') ? host.slice(0, -1) : host;
    if (!bare || /^\d+(\.\d+){3}$/.test(bare)) return;
    const z = owner(bare.toLowerCase());
    if (z) out.push({ zone: z, file, span: { start: at + bare.length - z.length, end: at + bare.length } });
  };
  for (const [file, doc] of input.result.documents) {
    walkStatements(doc, file, ({ stmt, spec, context }) => {
      if (!spec || stmt.keyword === 'zone') return; // a zone's own origin is its definition
      const specs = argSpecs(spec, stmt.args.map((a) => a.value));
      stmt.args.forEach((arg, i) => {
        const t = specs[i]?.value.type;
        const quoted = arg.kind === 'string';
        // Only plain strings: an escape would shift offsets, and no domain needs one.
        if (quoted && arg.text !== `"${arg.value}"`) return;
        const base = arg.span.start + (quoted ? 1 : 0);
        if (t === 'domain') consider(file, arg.value, base);
        else if (t === 'url') {
          const u = parseUrl(arg.value);
          if (u.ok) consider(file, u.value.host, base + arg.value.indexOf('://') + 3);
        } else if (context === 'zone' && stmt.keyword === 'record' && arg.value.endsWith('.') && (specs[i]?.name === 'name' || specs[i]?.name === 'value')) {
          consider(file, arg.value, base);
        }
      });
    });
  }
  return out;
}

/** The named thing under the cursor: a definition, a reference, or a domain inside a zone. */
export function symbolAt(input: ServiceInput, rawOffset: number): SymbolAt | undefined {
  const offset = clampOffset(input, rawOffset);
  for (const d of input.result.definitions) {
    if (d.file !== input.file || !contains(d.span, offset)) continue;
    const ns = namespaceOfDefinition(d.kind);
    if (ns === 'zone') {
      const origin = d.name;
      if (origin === '.' || origin === '') return undefined;
      return { namespace: 'zone', name: origin, span: { start: d.span.start, end: d.span.start + origin.length }, file: d.file, isDefinition: true };
    }
    return { namespace: ns, name: d.name, span: d.span, file: d.file, isDefinition: true };
  }
  for (const r of input.result.references) {
    if (r.file !== input.file || !contains(r.span, offset)) continue;
    const n = refName(r);
    if (n === undefined) continue;
    return { namespace: namespaceOfReference(r.kind), name: n, span: r.span, file: r.file, isDefinition: false };
  }
  for (const z of indexOf(input).zones) {
    if (z.file === input.file && contains(z.span, offset)) return { namespace: 'zone', name: z.zone, span: z.span, file: z.file, isDefinition: false };
  }
  return undefined;
}

export function definitionsOf(input: ServiceInput, ns: Namespace, name: string): Definition[] {
  return indexOf(input).defs.get(keyOf(ns, name)) ?? [];
}

function defSpan(d: Definition): Span {
  // A zone written `example.org.` is named without its trailing dot.
  return d.kind === 'zone' ? { start: d.span.start, end: d.span.start + d.name.length } : d.span;
}

export function findDefinition(input: ServiceInput, offset: number): Location[] {
  const sym = symbolAt(input, offset);
  if (!sym) return [];
  return definitionsOf(input, sym.namespace, sym.name).map((d) => ({ file: d.file, span: defSpan(d) }));
}

/** Every place the symbol's name is written: definitions (optionally) and uses. */
export function occurrences(input: ServiceInput, sym: Pick<SymbolAt, 'namespace' | 'name'>, includeDeclaration: boolean): Location[] {
  const idx = indexOf(input);
  const out: Location[] = [];
  if (includeDeclaration) for (const d of definitionsOf(input, sym.namespace, sym.name)) out.push({ file: d.file, span: defSpan(d) });
  if (sym.namespace === 'zone') {
    for (const z of idx.zones) if (z.zone === sym.name) out.push({ file: z.file, span: z.span });
  } else {
    for (const r of idx.refs.get(keyOf(sym.namespace, sym.name)) ?? []) out.push({ file: r.file, span: r.span });
  }
  const seen = new Set<string>();
  return out.filter((l) => { const k = `${l.file}:${l.span.start}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((a, b) => (a.file === b.file ? a.span.start - b.span.start : a.file < b.file ? -1 : 1));
}

export function findReferences(input: ServiceInput, offset: number, includeDeclaration = true): Location[] {
  const sym = symbolAt(input, offset);
  return sym ? occurrences(input, sym, includeDeclaration) : [];
}

export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const WHAT: Record<Namespace, string> = {
  device: 'device', interface: 'interface', certificate: 'certificate', 'target-group': 'target group', service: 'service',
  zone: 'zone', link: 'link', scenario: 'scenario', cluster: 'cluster', container: 'container', listener: 'listener',
};

export type RenameCheck = { span: Span; placeholder: string } | { error: string };

export function prepareRename(input: ServiceInput, offset: number): RenameCheck | undefined {
  const sym = symbolAt(input, offset);
  if (!sym) return undefined;
  if (definitionsOf(input, sym.namespace, sym.name).length === 0) return { error: `No ${WHAT[sym.namespace]} "${sym.name}" is defined: there is nothing to rename.` };
  return { span: sym.span, placeholder: input.text.slice(sym.span.start, sym.span.end) };
}

export type RenameResult = { edits: TextEdit[] } | { error: string };

export function rename(input: ServiceInput, offset: number, rawNewName: string): RenameResult {
  const check = prepareRename(input, offset);
  if (!check) return { error: 'Nothing that can be renamed is at this position.' };
  if ('error' in check) return check;
  const sym = symbolAt(input, offset) as SymbolAt;
  const newName = rawNewName.trim();
  let newKey: string;
  if (sym.namespace === 'zone') {
    const d = parseDomain(newName);
    if (!d.ok || newName === '.' || newName.endsWith('.')) return { error: `"${newName}" is not a zone name: use labels of letters, digits and hyphens separated by dots, e.g. example.org.` };
    newKey = d.value;
  } else {
    if (!NAME_PATTERN.test(newName)) return { error: `"${newName}" is not a valid name: start with a letter or "_" and use only letters, digits, "-" and "_".` };
    newKey = sym.namespace === 'interface' ? `${sym.name.slice(0, sym.name.lastIndexOf('.'))}.${newName}` : newName;
  }
  if (newKey === sym.name) return { edits: [] };
  if (definitionsOf(input, sym.namespace, newKey).length > 0) return { error: `A ${WHAT[sym.namespace]} named "${newName}" already exists: choose another name.` };
  const edits = occurrences(input, sym, true).map((l) => ({ file: l.file, span: l.span, newText: newName }));
  return { edits };
}
