// Completion: what may be written at the cursor, read from the schema. At the start of a
// statement: the keywords of the enclosing block (device kinds at top level), with their
// templates; after a keyword: the values its next argument takes (enum members, a literal, or the
// names of defined things of the right kind).
import { DEVICE_KINDS, keywordsOf, findKeyword, type ArgSpec, type KeywordSpec, type RefKind } from '../language/schema';
import type { Span } from '../language/range';
import type { Statement } from '../language/parser';
import { blockAt, clampOffset, linePrefix, mainDocument, nextArgSpecs, type ServiceInput } from './context';
import { generatedSnippet, snippetFor } from './snippets';
import { deviceSummaryLine, keywordMarkdown } from './hover';

export type CompletionKind = 'keyword' | 'type' | 'property' | 'enum' | 'value' | 'reference' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; a snippet (with placeholders) when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
  /** The text the item replaces: the half-typed word, or an empty span at the cursor. */
  replace: Span;
  sortText?: string;
  filterText?: string;
}

export interface CompletionOptions {
  /** The character that triggered completion automatically (e.g. " " or "."). After a space only
   * argument values are offered, so indenting a new line does not pop up keywords. */
  triggerCharacter?: string;
}

const DEVICE_KIND_SET: ReadonlySet<string> = new Set(DEVICE_KINDS);
const DEVICE_KEYWORDS: ReadonlySet<string> = new Set([...DEVICE_KINDS, 'node']);

export function complete(input: ServiceInput, rawOffset: number, options: CompletionOptions = {}): CompletionItem[] {
  const offset = clampOffset(input, rawOffset);
  const doc = mainDocument(input);
  const prefix = linePrefix(input.text, offset);
  if (prefix.inert) return [];
  const where = blockAt(doc, offset);
  if (!where.context) return [];
  const replace = prefix.partial ? { start: prefix.partial.start, end: prefix.partial.end } : { start: offset, end: offset };
  const index = prefix.partial ? prefix.words.length - 1 : prefix.words.length;
  if (index === 0) {
    if (options.triggerCharacter === ' ' || options.triggerCharacter === '.') return [];
    return keywordItems(where.context === 'file' ? 'file' : where.context, where.siblings, offset, replace);
  }
  const keyword = prefix.words[0].value;
  const spec = findKeyword(where.context, keyword);
  if (!spec) return [];
  const before = prefix.words.slice(1, index).map((w) => w.value);
  const items: CompletionItem[] = [];
  // Concatenated, not push(...items): a huge file can offer more names than a call has arguments.
  for (const a of nextArgSpecs(spec, before)) for (const item of valueItems(input, spec, a, before, where.parents, replace)) items.push(item);
  if (options.triggerCharacter === '.') return items.filter((i) => i.kind === 'reference');
  return items;
}

function keywordItems(context: Parameters<typeof keywordsOf>[0], siblings: readonly Statement[], offset: number, replace: Span): CompletionItem[] {
  // A property that may appear once and is already set elsewhere in this block is not offered.
  const used = new Set(siblings.filter((s) => !(s.keywordSpan.start <= offset && offset <= s.span.end)).map((s) => s.keyword));
  const items: CompletionItem[] = [];
  for (const spec of keywordsOf(context)) {
    if (!spec.repeatable && used.has(spec.keyword)) continue;
    const kind: CompletionKind = context === 'file' && DEVICE_KIND_SET.has(spec.keyword) ? 'type' : spec.block ? 'keyword' : 'property';
    const documentation = keywordMarkdown(spec);
    items.push({ label: spec.keyword, kind, detail: usage(spec), documentation, insertText: generatedSnippet(spec), snippet: true, replace, sortText: `1 ${spec.keyword}` });
    const full = snippetFor(spec);
    if (full) {
      const what = DEVICE_KEYWORDS.has(spec.keyword) ? 'device' : spec.keyword === 'scenario' ? 'skeleton' : 'template';
      items.push({ label: `${spec.keyword} (${what})`, kind: 'snippet', detail: `${spec.keyword}: full ${what}`, documentation: `${documentation}\n\n\`\`\`journey\n${plain(full)}\n\`\`\``, insertText: full, snippet: true, replace, filterText: spec.keyword, sortText: `2 ${spec.keyword}` });
    }
  }
  return items;
}

/** The template with placeholders replaced by their defaults, for the documentation preview. */
function plain(snippet: string): string {
  return snippet.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '').replace(/\t/g, '  ');
}

export function usage(spec: KeywordSpec): string {
  const args = spec.args.map((a) => {
    const w = a.value.type === 'literal' ? a.value.word : `<${a.name}>`;
    return (a.optional ? `[${w}]` : w) + (a.rest ? '...' : '');
  });
  return [spec.keyword, ...args, ...(spec.block ? ['{ ... }'] : [])].join(' ');
}

function valueItems(input: ServiceInput, spec: KeywordSpec, a: ArgSpec, before: readonly string[], parents: readonly Statement[], replace: Span): CompletionItem[] {
  const v = a.value;
  const detail = `${spec.keyword} <${a.name}>`;
  const documentation = keywordMarkdown(spec);
  switch (v.type) {
    case 'enum': {
      const used = a.rest ? new Set(before) : new Set<string>();
      return v.values.filter((x) => !used.has(x)).map((x, i) => ({ label: x, kind: 'enum' as const, detail, documentation, insertText: x, replace, sortText: String(i).padStart(3, '0') }));
    }
    case 'literal':
      return [{ label: v.word, kind: 'keyword', detail, documentation, insertText: v.word, replace }];
    case 'ref':
      return refItems(input, v.to, replace);
    case 'word': {
      // `route X dev IF` and `nat { out IF }` name an interface of the device they are in.
      const device = enclosingDevice(parents);
      const isDev = spec.keyword === 'route' && a.name === 'next-hop-or-interface' && before[1] === 'dev';
      if (device && (isDev || (spec.keyword === 'out' && a.name === 'interface'))) {
        return ownInterfaces(input, device).map((name) => ({ label: name, kind: 'reference' as const, detail: `interface of ${device}`, insertText: name, replace }));
      }
      return [];
    }
    default:
      return [];
  }
}

function enclosingDevice(parents: readonly Statement[]): string | undefined {
  for (let i = parents.length - 1; i >= 0; i--) if (DEVICE_KEYWORDS.has(parents[i].keyword) && parents[i].args[0]) return parents[i].args[0].value;
  return undefined;
}

function ownInterfaces(input: ServiceInput, device: string): string[] {
  return input.result.definitions.filter((d) => d.kind === 'interface' && d.name.startsWith(`${device}.`)).map((d) => d.name.slice(device.length + 1));
}

function refItems(input: ServiceInput, to: RefKind, replace: Span): CompletionItem[] {
  const net = input.result.network;
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const add = (label: string, detail: string, documentation?: string): void => {
    if (seen.has(label)) return;
    seen.add(label);
    items.push({ label, kind: 'reference', detail, ...(documentation ? { documentation } : {}), insertText: label, replace });
  };
  switch (to) {
    case 'device': case 'host': case 'node': case 'pod':
      for (const d of net.devices.values()) {
        if (to !== 'device' && d.kind !== to) continue;
        add(d.name, d.kind, deviceSummaryLine(input, d.name));
      }
      break;
    case 'interface':
      for (const d of input.result.definitions) {
        if (d.kind !== 'interface') continue;
        const dev = net.devices.get(d.name.slice(0, d.name.indexOf('.')));
        const i = dev?.interfaces.find((x) => `${dev.name}.${x.name}` === d.name);
        add(d.name, `interface${dev ? ` of ${dev.kind} ${dev.name}` : ''}${i?.link ? ` (on link ${i.link})` : ''}`);
      }
      break;
    case 'certificate':
      for (const c of net.certificates.values()) add(c.name, `certificate for ${c.subject}`);
      break;
    case 'target-group':
      for (const d of input.result.definitions) if (d.kind === 'target-group') add(d.name, 'target group');
      break;
    case 'service':
      for (const s of net.services.values()) add(s.name, `service in cluster ${s.cluster}`);
      break;
  }
  return items;
}
