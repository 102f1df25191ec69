// Checks statements against the schema and reads their arguments as typed values. Every problem
// becomes a diagnostic; callers get `undefined` for a value that could not be read and go on.
import type { Diagnostic } from '../language/diagnostics';
import type { Statement } from '../language/parser';
import type { Span } from '../language/range';
import { findKeyword, keywordsOf, type ArgSpec, type ContextName, type KeywordSpec, type RefKind, type ValueType } from '../language/schema';
import * as V from '../language/values';
import { closest } from './suggest';
import { MAX_DIAGNOSTICS_PER_FILE } from './diagnosticCap';

export type Value = string | number | V.Cidr | V.Endpoint | V.ParsedUrl;

export interface ReadArg { raw: string; span: Span; value: Value | undefined }

export interface ReadStatement {
  stmt: Statement;
  spec: KeywordSpec;
  /** Arguments by spec name; `rest` arguments are in `rest`. */
  args: Map<string, ReadArg>;
  rest: ReadArg[];
}

export interface Reference { kind: RefKind; name: string; span: Span; file: string; /** for interface refs: the device part */ device?: string }
export interface Definition { kind: RefKind | 'zone' | 'link' | 'scenario' | 'cluster' | 'container' | 'listener'; name: string; span: Span; file: string; statement: Statement }

const CODE_FOR: Partial<Record<ValueType['type'], string>> = {
  ipv4: 'bad-ipv4', cidr: 'bad-cidr', mac: 'bad-mac', port: 'bad-port', endpoint: 'bad-endpoint', duration: 'bad-duration',
  seconds: 'bad-duration', size: 'bad-size', bandwidth: 'bad-bandwidth', integer: 'bad-number', percent: 'bad-number',
  url: 'bad-url', date: 'bad-date', domain: 'bad-domain', enum: 'bad-value', 'field-name': 'bad-header', 'field-value': 'bad-header',
};

export class Reader {
  readonly references: Reference[] = [];
  constructor(readonly file: string, readonly diagnostics: Diagnostic[]) {}

  /** Diagnostics found past MAX_DIAGNOSTICS_PER_FILE: counted, not built (an unknown keyword's
   * message lists every allowed one; a million of them would be hundreds of megabytes). */
  suppressed = 0;
  private reported = 0;

  report(code: string, message: string, span: Span, extra: Partial<Diagnostic> = {}, severity: Diagnostic['severity'] = 'error'): void {
    if (this.reported >= MAX_DIAGNOSTICS_PER_FILE) { this.suppressed++; return; }
    this.reported++;
    this.diagnostics.push({ code, severity, message, span, file: this.file, ...extra });
  }

  /** Reads the statements of a block in `context`. Unknown keywords, bad arity and values, and
   * repeated non-repeatable properties are reported here once, for every context alike. */
  block(statements: readonly Statement[] | undefined, context: ContextName): ReadBlock {
    const out: ReadStatement[] = [];
    const seen = new Map<string, Statement>();
    for (const stmt of statements ?? []) {
      const spec = findKeyword(context, stmt.keyword);
      if (!spec) {
        const options = keywordsOf(context).map((k) => k.keyword);
        const guess = closest(stmt.keyword, options);
        this.report('unknown-keyword', `"${stmt.keyword}" is not allowed here.${guess ? ` Did you mean "${guess}"?` : ''} Allowed: ${options.join(', ')}.`, stmt.keywordSpan, guess ? { data: { suggestion: guess } } : {});
        continue;
      }
      if (!spec.repeatable) {
        const first = seen.get(spec.keyword);
        if (first) {
          this.report('duplicate-property', `"${spec.keyword}" is already set in this block: keep one.`, stmt.keywordSpan, { related: [{ message: 'first set here', span: first.keywordSpan, file: this.file }] });
          continue;
        }
        seen.set(spec.keyword, stmt);
      }
      if (spec.blockRequired && !stmt.block) {
        this.report('missing-block', `"${spec.keyword}" needs a block: add { ... } with its properties.`, stmt.span);
      } else if (!spec.block && stmt.block) {
        this.report('unexpected-block', `"${spec.keyword}" takes no block: remove the braces.`, stmt.block.open);
      }
      out.push(this.args(stmt, spec));
    }
    return new ReadBlock(out);
  }

  private args(stmt: Statement, spec: KeywordSpec): ReadStatement {
    const args = new Map<string, ReadArg>();
    const rest: ReadArg[] = [];
    let i = 0;
    const usage = `${spec.keyword} ${spec.args.map((a) => (a.value.type === 'literal' ? a.value.word : `<${a.name}>`) + (a.rest ? '...' : '')).join(' ')}`.trim();
    for (const a of spec.args) {
      if (a.rest) {
        while (i < stmt.args.length) rest.push(this.value(stmt.args[i++], a));
        if (rest.length === 0 && !a.optional) this.report('missing-argument', `"${spec.keyword}" needs at least one ${a.name}: ${usage}.`, stmt.keywordSpan);
        continue;
      }
      const arg = stmt.args[i];
      if (!arg) {
        if (!a.optional) this.report('missing-argument', `"${spec.keyword}" is missing its ${a.name}: ${usage}.`, stmt.span);
        continue;
      }
      if (a.optional && a.value.type === 'literal' && arg.value !== a.value.word) continue;
      i++;
      args.set(a.name, this.value(arg, a));
    }
    if (i < stmt.args.length) {
      const extra = stmt.args[i];
      this.report('extra-argument', `"${spec.keyword}" takes no more arguments here: remove "${extra.text}" (usage: ${usage}).`, { start: extra.span.start, end: stmt.args[stmt.args.length - 1].span.end });
    }
    return { stmt, spec, args, rest };
  }

  /** Reads one argument as `spec` says (used for arguments whose type depends on another, like
   * those of `fail KIND`). */
  value(arg: Statement['args'][number], spec: ArgSpec): ReadArg {
    const read = this.parseValue(arg.value, spec.value);
    if (read !== undefined && !read.ok) {
      const code = CODE_FOR[spec.value.type] ?? 'bad-value';
      const guess = spec.value.type === 'enum' ? closest(arg.value, spec.value.values) : undefined;
      this.report(code, read.message, arg.span, guess ? { data: { suggestion: guess } } : {});
      return { raw: arg.value, span: arg.span, value: undefined };
    }
    if (spec.value.type === 'ref') this.references.push(refOf(spec.value.to, arg.value, arg.span, this.file));
    return { raw: arg.value, span: arg.span, value: read?.ok ? read.value : arg.value };
  }

  private parseValue(text: string, t: ValueType): V.Parsed<Value> | undefined {
    switch (t.type) {
      case 'ipv4': return V.parseIpv4(text);
      case 'cidr': return V.parseCidr(text);
      case 'mac': return V.parseMac(text);
      case 'port': return V.parsePort(text, t);
      case 'endpoint': return V.parseEndpoint(text);
      case 'duration': return V.parseDuration(text, t);
      case 'seconds': return V.parseSeconds(text);
      case 'size': return V.parseSize(text, t);
      case 'bandwidth': return V.parseBandwidth(text);
      case 'percent': return V.parsePercent(text);
      case 'integer': return V.parseInteger(text, t.min, t.max);
      case 'url': return V.parseUrl(text);
      case 'date': return V.parseDate(text);
      case 'domain': return V.parseDomain(text);
      case 'field-name': return V.parseFieldName(text);
      case 'field-value': return V.parseFieldValue(text);
      case 'enum': return t.values.includes(text) ? { ok: true, value: text } : { ok: false, message: `"${text}" is not a valid value here: use one of ${t.values.join(', ')}.` };
      case 'literal': return text === t.word ? { ok: true, value: text } : { ok: false, message: `Expected "${t.word}" here, found "${text}".` };
      case 'name': return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(text) ? { ok: true, value: text } : { ok: false, message: `"${text}" is not a valid name: start with a letter and use letters, digits, "-" and "_".` };
      default: return undefined;
    }
  }
}

/** A reference to `device.interface` counts as a use of both names. */
export function refOf(kind: RefKind, text: string, span: Span, file: string): Reference {
  if (kind === 'interface') {
    const dot = text.indexOf('.');
    return { kind, name: dot < 0 ? text : text.slice(dot + 1), device: dot < 0 ? undefined : text.slice(0, dot), span: dot < 0 ? span : { start: span.start + dot + 1, end: span.end }, file };
  }
  return { kind, name: text, span, file };
}

export class ReadBlock {
  constructor(readonly statements: ReadStatement[]) {}
  all(keyword: string): ReadStatement[] { return this.statements.filter((s) => s.spec.keyword === keyword); }
  first(keyword: string): ReadStatement | undefined { return this.statements.find((s) => s.spec.keyword === keyword); }
  /** The typed value of a single-argument property, or the fallback. */
  get<T extends Value>(keyword: string, fallback: T): T;
  get<T extends Value>(keyword: string): T | undefined;
  get<T extends Value>(keyword: string, fallback?: T): T | undefined {
    const s = this.first(keyword);
    const v = s ? [...s.args.values()][0]?.value : undefined;
    return (v as T | undefined) ?? fallback;
  }
}
