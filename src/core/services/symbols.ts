// The outline: a tree of what the file defines. Devices hold their interfaces (and zones,
// listeners, target groups), clusters hold nodes, pods and services, pods their containers;
// scenarios their request and response. Property statements are left out: an outline is for
// finding things, not for reading every line.
import type { Statement } from '../language/parser';
import type { Span } from '../language/range';
import { DEVICE_KINDS } from '../language/schema';
import { mainDocument, type ServiceInput } from './context';

export type SymbolKind = 'device' | 'interface' | 'link' | 'scenario' | 'cluster' | 'node' | 'pod' | 'service' | 'container' | 'certificate' | 'zone' | 'listener' | 'target-group' | 'block' | 'import';

export interface OutlineSymbol {
  name: string;
  /** The keyword (e.g. `router`), or a short description. */
  detail: string;
  kind: SymbolKind;
  span: Span;
  selection: Span;
  children: OutlineSymbol[];
}

const DEVICE_SET: ReadonlySet<string> = new Set(DEVICE_KINDS);
const KINDS: Record<string, SymbolKind> = {
  interface: 'interface', link: 'link', scenario: 'scenario', cluster: 'cluster', node: 'node', pod: 'pod', service: 'service',
  container: 'container', certificate: 'certificate', zone: 'zone', listener: 'listener', 'target-group': 'target-group', import: 'import',
};

export function documentSymbols(input: ServiceInput): OutlineSymbol[] {
  return symbolsOf(mainDocument(input).statements, true);
}

function symbolsOf(statements: readonly Statement[], top: boolean): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const s of statements) {
    // Only blocks and imports are things worth navigating to.
    if (!s.block && s.keyword !== 'import') continue;
    if (s.keyword === 'import' && !top) continue;
    const kind: SymbolKind = top && DEVICE_SET.has(s.keyword) ? 'device' : KINDS[s.keyword] ?? 'block';
    const name = s.args.length ? s.args.map((a) => a.value).join(' ') : s.keyword;
    const selection = s.args[0]?.span ?? s.keywordSpan;
    let detail = s.keyword;
    if (s.keyword === 'link') {
      const between = s.block?.statements.find((x) => x.keyword === 'between');
      if (between) detail = between.args.map((a) => a.value).join(' <-> ');
    }
    out.push({ name, detail, kind, span: s.span, selection, children: s.block ? symbolsOf(s.block.statements, false) : [] });
  }
  return out;
}
