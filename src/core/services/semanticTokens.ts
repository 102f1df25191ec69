// Semantic tokens: the token stream classified with the schema, so highlighting follows meaning
// rather than regexes: a device kind is a type, a defined name a variable declaration, a use of
// a name a variable, a property keyword a property, an enum value an enum member, a typed value
// (address, duration, port...) a number. The TextMate grammar stays the fallback.
import { DEVICE_KINDS, type ValueType } from '../language/schema';
import type { Span } from '../language/range';
import { argSpecs, mainDocument, walkStatements, type ServiceInput } from './context';

/** The legend, in the order the indices refer to. */
export const TOKEN_TYPES = ['keyword', 'type', 'variable', 'property', 'enumMember', 'number', 'string', 'comment'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken { span: Span; type: TokenType; modifiers: TokenModifier[] }

const DEVICE_SET: ReadonlySet<string> = new Set([...DEVICE_KINDS, 'node', 'pod']);
const NUMERIC: ReadonlySet<ValueType['type']> = new Set(['ipv4', 'cidr', 'mac', 'port', 'endpoint', 'duration', 'seconds', 'size', 'bandwidth', 'integer', 'percent', 'date']);

/** Tokens in document order, never overlapping, each on one line. */
export function semanticTokens(input: ServiceInput): SemanticToken[] {
  const doc = mainDocument(input);
  const out: SemanticToken[] = [];
  for (const c of doc.comments) out.push({ span: { start: c.start, end: c.end }, type: 'comment', modifiers: [] });
  walkStatements(doc, input.file, ({ stmt, spec, context }) => {
    if (!spec) return; // unknown keyword: leave it to the grammar (and the diagnostic)
    const kwType: TokenType = (context === 'file' || context === 'cluster') && DEVICE_SET.has(stmt.keyword) && spec.block ? 'type' : spec.block ? 'keyword' : 'property';
    out.push({ span: stmt.keywordSpan, type: kwType, modifiers: [] });
    const specs = argSpecs(spec, stmt.args.map((a) => a.value));
    stmt.args.forEach((arg, i) => {
      const v = specs[i]?.value;
      if (arg.kind === 'string') { out.push({ span: arg.span, type: 'string', modifiers: [] }); return; }
      if (!v) return;
      if (v.type === 'name') out.push({ span: arg.span, type: 'variable', modifiers: ['declaration'] });
      else if (v.type === 'ref') {
        // `device.interface`: both parts are names; the dot is punctuation.
        const dot = arg.value.indexOf('.');
        if (v.to === 'interface' && dot > 0) {
          out.push({ span: { start: arg.span.start, end: arg.span.start + dot }, type: 'variable', modifiers: [] });
          out.push({ span: { start: arg.span.start + dot + 1, end: arg.span.end }, type: 'variable', modifiers: [] });
        } else out.push({ span: arg.span, type: 'variable', modifiers: [] });
      } else if (v.type === 'enum') out.push({ span: arg.span, type: 'enumMember', modifiers: ['readonly'] });
      else if (v.type === 'literal') out.push({ span: arg.span, type: 'keyword', modifiers: [] });
      else if (NUMERIC.has(v.type)) out.push({ span: arg.span, type: 'number', modifiers: [] });
      else if (v.type === 'domain' && stmt.keyword === 'zone') out.push({ span: arg.span, type: 'variable', modifiers: ['declaration'] });
    });
    // A route's `dev IF` and NAT's `out IF` name an interface of the device.
    if ((stmt.keyword === 'route' && stmt.args[1]?.value === 'dev' && stmt.args[2]) || (stmt.keyword === 'out' && stmt.args[0])) {
      const a = stmt.keyword === 'out' ? stmt.args[0] : stmt.args[2];
      out.push({ span: a.span, type: 'variable', modifiers: [] });
    }
  });
  out.sort((a, b) => a.span.start - b.span.start);
  // A string can hold a newline only when unterminated; such a token ends at the line end anyway.
  return out.filter((t, i) => t.span.end > t.span.start && (i === 0 || t.span.start >= out[i - 1].span.end));
}
