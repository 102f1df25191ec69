// Checks statements against the schema and reads their arguments as typed values. Every problem
// becomes a diagnostic; callers get `undefined` for a value that could not be read and go on.
import type { Diagnostic } from '../language/diagnostics';
import { argCount, argEnd, argOffset, argStart, argValue, type Statement } from '../language/parser';
import type { Span } from '../language/range';
import { keywordsOf, type ArgSpec, type ContextName, type KeywordSpec, type RefKind, type ValueType } from '../language/schema';
import * as V from '../language/values';
import { closest } from './suggest';
import { MAX_DIAGNOSTICS_PER_FILE } from './diagnosticCap';

export type Value = string | number | V.Cidr | V.Endpoint | V.ParsedUrl;

export interface ReadArg { raw: string; span: Span; value: Value | undefined }

/** A statement's arguments by their spec name (what a `Map<string, ReadArg>` offered, without a
 * map per statement). */
export interface ReadArgs { get(name: string): ReadArg | undefined }

export interface ReadStatement {
  stmt: Statement;
  spec: KeywordSpec;
  /** Arguments by spec name; `rest` arguments are in `rest`. */
  args: ReadArgs;
  rest: ReadArg[];
}

export interface Reference { kind: RefKind; name: string; span: Span; file: string; /** for interface refs: the device part */ device?: string }
export interface Definition { kind: RefKind | 'zone' | 'link' | 'scenario' | 'cluster' | 'container' | 'listener'; name: string; span: Span; file: string; statement: Statement }

// References and definitions keep their place as offsets and make the span when asked for: a
// large file has thousands of each, and only the editor's navigation reads their spans. Each
// `toJSON` writes the fields in the order of the interfaces above.

class ReferenceRecord implements Reference {
  constructor(readonly kind: RefKind, readonly name: string, readonly device: string | undefined, readonly start: number, readonly end: number, readonly file: string) {}
  get span(): Span { return { start: this.start, end: this.end }; }
  toJSON(): Reference {
    const { kind, name, device, span, file } = this;
    return device === undefined ? { kind, name, span, file } : { kind, name, device, span, file };
  }
}

/** A reference to `name` written at [start, end) of `file`; `device` for interface references. */
export function reference(kind: RefKind, name: string, device: string | undefined, start: number, end: number, file: string): Reference {
  return new ReferenceRecord(kind, name, device, start, end, file);
}

class DefinitionRecord implements Definition {
  constructor(readonly kind: Definition['kind'], readonly name: string, readonly start: number, readonly end: number, readonly file: string, readonly statement: Statement) {}
  get span(): Span { return { start: this.start, end: this.end }; }
  toJSON(): Definition {
    const { kind, name, span, file, statement } = this;
    return { kind, name, span, file, statement };
  }
}

/** The definition of `name` by `statement`, its name written at [start, end) of `file`. */
export function definition(kind: Definition['kind'], name: string, start: number, end: number, file: string, statement: Statement): Definition {
  return new DefinitionRecord(kind, name, start, end, file, statement);
}

/** A read argument whose span is made when asked for, from the argument as written. */
class ArgRead implements ReadArg {
  constructor(readonly raw: string, readonly value: Value | undefined, readonly arg: Arg) {}
  get span(): Span { return this.arg.span; }
}

/** The same for the only argument of a statement, read through the parser's fields. */
class SingleArgRead implements ReadArg {
  constructor(readonly raw: string, readonly value: Value | undefined, readonly stmt: Statement) {}
  get span(): Span { return { start: argStart(this.stmt, 0), end: argEnd(this.stmt, 0) }; }
}

/** Where a read argument starts (its span's start, without making the span). */
export function startOf(a: ReadArg): number {
  if (a instanceof ArgRead) return argOffset(a.arg);
  if (a instanceof SingleArgRead) return argStart(a.stmt, 0);
  return a.span.start;
}

const CODE_FOR: Partial<Record<ValueType['type'], string>> = {
  ipv4: 'bad-ipv4', cidr: 'bad-cidr', mac: 'bad-mac', port: 'bad-port', endpoint: 'bad-endpoint', duration: 'bad-duration',
  seconds: 'bad-duration', size: 'bad-size', bandwidth: 'bad-bandwidth', integer: 'bad-number', percent: 'bad-number',
  url: 'bad-url', date: 'bad-date', domain: 'bad-domain', enum: 'bad-value', 'field-name': 'bad-header', 'field-value': 'bad-header',
};

/** Shared by every statement that has no `rest` arguments; nothing writes to it. */
const NO_ARGS: ReadArg[] = Object.freeze([]) as unknown as ReadArg[];
const NO_STATEMENTS: ReadStatement[] = Object.freeze([]) as unknown as ReadStatement[];
const NO_STMTS: readonly Statement[] = Object.freeze([]);
const NO_KEPT: readonly Kept[] = Object.freeze([]);

/** A statement of a single-argument keyword (most of them), read: made by ReadBlock when a
 * search returns it, from the value the reader kept; the argument record is made only when
 * asked for. */
class SingleRead implements ReadStatement, ReadArgs {
  // The spec and argument name come from the keyword's info, shared by every statement of that
  // keyword.
  constructor(readonly stmt: Statement, private readonly info: KeywordInfo, readonly value: Value | undefined) {}
  get spec(): KeywordSpec { return this.info.spec; }
  get args(): ReadArgs { return this; }
  get rest(): ReadArg[] { return NO_ARGS; }
  get(name: string): ReadArg | undefined {
    if (name !== this.info.singleName) return undefined;
    return new SingleArgRead(argValue(this.stmt, 0), this.value, this.stmt);
  }
}

type Arg = Statement['args'][number];

/** Any other statement, read. Its arguments sit by their position in the spec, each as the
 * argument written and its value, side by side in one list (`slots`: argument at 2k, value at
 * 2k + 1; empty when none was read); a name written twice in a spec answers with the last one
 * read, as a map filled in order would. */
class MultiRead implements ReadStatement, ReadArgs {
  constructor(readonly stmt: Statement, readonly spec: KeywordSpec, private readonly slots: readonly (Arg | Value | undefined)[], readonly rest: ReadArg[]) {}
  get args(): ReadArgs { return this; }
  get(name: string): ReadArg | undefined {
    const specs = this.spec.args;
    for (let k = (this.slots.length >> 1) - 1; k >= 0; k--) {
      const arg = this.slots[2 * k] as Arg | undefined;
      if (arg !== undefined && specs[k].name === name) return new ArgRead(arg.value, this.slots[2 * k + 1] as Value | undefined, arg);
    }
    return undefined;
  }
  /** The value of the argument read first. */
  firstValue(): Value | undefined {
    for (let k = 0; 2 * k < this.slots.length; k++) if (this.slots[2 * k] !== undefined) return this.get(this.spec.args[k].name)?.value;
    return undefined;
  }
}
const NO_SLOTS: readonly (Arg | Value | undefined)[] = Object.freeze([]);

/** What the reader needs of a keyword's spec, in one shape: the schema's entries are object
 * literals of many shapes, and reading their optional fields for every statement of a large
 * file is slow. */
class KeywordInfo {
  readonly keyword: string;
  readonly repeatable: boolean;
  readonly hasBlock: boolean;
  readonly blockRequired: boolean;
  /** The only argument, when the keyword takes exactly one plain one (most do). */
  readonly single: ArgInfo | undefined;
  /** The name of that only argument ('' when there is none). */
  readonly singleName: string;
  constructor(readonly spec: KeywordSpec) {
    this.keyword = spec.keyword;
    this.repeatable = !!spec.repeatable;
    this.hasBlock = !!spec.block;
    this.blockRequired = !!spec.blockRequired;
    const a = spec.args.length === 1 ? spec.args[0] : undefined;
    this.single = a && !a.rest && !a.optional ? argInfo(a) : undefined;
    this.singleName = this.single ? this.single.spec.name : '';
  }
}

type ValueReader = (text: string) => V.Parsed<Value> | undefined;
type FastReader = (text: string) => Value | undefined;

/** An argument spec with its value readers chosen once. */
class ArgInfo {
  /** The parser: the value, or the message that says what is wrong; undefined for a type that
   * takes any word (references, plain words and strings). */
  readonly read: ValueReader;
  /** The value when the text is valid, built without a result object (only for the types a
   * large topology is made of); undefined sends the text to `read` for its message. */
  readonly fast: FastReader | undefined;
  readonly checked: boolean;
  /** For references: what they name. */
  readonly refTo: RefKind | undefined;
  /** An address (ipv4) or an address with its prefix (cidr): read with the reader's memo. */
  readonly address: boolean;
  constructor(readonly spec: ArgSpec) {
    const t = spec.value;
    this.read = readerOf(t);
    this.fast = fastReaderOf(t);
    this.checked = !(t.type === 'ref' || t.type === 'string' || t.type === 'word');
    this.refTo = t.type === 'ref' ? t.to : undefined;
    this.address = t.type === 'ipv4' || t.type === 'cidr';
  }
}


function fastReaderOf(t: ValueType): FastReader | undefined {
  switch (t.type) {
    case 'ipv4': return V.readIpv4;
    case 'cidr': return V.readCidr;
    case 'mac': return V.readMac;
    case 'duration': return (text) => V.readDuration(text, t);
    case 'bandwidth': return V.readBandwidth;
    case 'enum': return (text) => (t.values.includes(text) ? text : undefined);
    case 'name': return (text) => (V.isName(text) ? text : undefined);
    case 'domain': return V.readDomain;
    default: return undefined;
  }
}

const argInfos = new WeakMap<ArgSpec, ArgInfo>();
function argInfo(spec: ArgSpec): ArgInfo {
  let info = argInfos.get(spec);
  if (!info) { info = new ArgInfo(spec); argInfos.set(spec, info); }
  return info;
}

function readerOf(t: ValueType): ValueReader {
  switch (t.type) {
    case 'ipv4': return V.parseIpv4;
    case 'cidr': return V.parseCidr;
    case 'mac': return V.parseMac;
    case 'port': return (text) => V.parsePort(text, t);
    case 'endpoint': return V.parseEndpoint;
    case 'duration': return (text) => V.parseDuration(text, t);
    case 'seconds': return V.parseSeconds;
    case 'size': return (text) => V.parseSize(text, t);
    case 'bandwidth': return V.parseBandwidth;
    case 'percent': return V.parsePercent;
    case 'integer': return (text) => V.parseInteger(text, t.min, t.max);
    case 'url': return V.parseUrl;
    case 'date': return V.parseDate;
    case 'domain': return V.parseDomain;
    case 'field-name': return V.parseFieldName;
    case 'field-value': return V.parseFieldValue;
    case 'enum': return (text) => (t.values.includes(text) ? { ok: true, value: text } : { ok: false, message: `"${text}" is not a valid value here: use one of ${t.values.join(', ')}.` });
    case 'literal': return (text) => (text === t.word ? { ok: true, value: text } : { ok: false, message: `Expected "${t.word}" here, found "${text}".` });
    case 'name': return (text) => (V.isName(text) ? { ok: true, value: text } : { ok: false, message: `"${text}" is not a valid name: start with a letter and use letters, digits, "-" and "_".` });
    default: return () => undefined;
  }
}

/** Each context's keywords by name, made once per schema table instead of a search per
 * statement. */
const specIndex = new Map<ContextName, { list: readonly KeywordSpec[]; byKeyword: Map<string, KeywordInfo> }>();
function specsOf(context: ContextName): Map<string, KeywordInfo> {
  const list = keywordsOf(context);
  const known = specIndex.get(context);
  if (known && known.list === list) return known.byKeyword;
  const byKeyword = new Map<string, KeywordInfo>();
  for (const k of list) if (!byKeyword.has(k.keyword)) byKeyword.set(k.keyword, new KeywordInfo(k));
  specIndex.set(context, { list, byKeyword });
  return byKeyword;
}

function usageOf(spec: KeywordSpec): string {
  return `${spec.keyword} ${spec.args.map((a) => (a.value.type === 'literal' ? a.value.word : `<${a.name}>`) + (a.rest ? '...' : '')).join(' ')}`.trim();
}

export class Reader {
  readonly references: Reference[] = [];
  constructor(readonly file: string, readonly diagnostics: Diagnostic[]) {}

  /** Addresses this reader has read (see AddressMemo), made on the first one. */
  private addresses: V.AddressMemo | undefined;

  /** Diagnostics found past MAX_DIAGNOSTICS_PER_FILE: counted, not built (an unknown keyword's
   * message lists every allowed one; a million of them would be hundreds of megabytes). */
  suppressed = 0;
  private reported = 0;
  /** The non-repeatable keywords of the block being read, with their first statement: a few
   * entries at most (one per keyword of the context), searched in order; reused from block to
   * block (`block` reads one level and never calls itself). */
  private readonly seenKeywords: string[] = [];
  private readonly seenStatements: Statement[] = [];

  report(code: string, message: string, span: Span, extra: Partial<Diagnostic> = {}, severity: Diagnostic['severity'] = 'error'): void {
    if (this.reported >= MAX_DIAGNOSTICS_PER_FILE) { this.suppressed++; return; }
    this.reported++;
    this.diagnostics.push({ code, severity, message, span, file: this.file, ...extra });
  }

  /** Reads the statements of a block in `context`. Unknown keywords, bad arity and values, and
   * repeated non-repeatable properties are reported here once, for every context alike. */
  block(statements: readonly Statement[] | undefined, context: ContextName): ReadBlock {
    const specs = specsOf(context);
    if (!statements || statements.length === 0) return new ReadBlock(NO_STMTS, NO_KEPT, specs);
    // At most one entry per statement: sized once, trimmed at the end. The statements read are
    // the block's own list until one is skipped; then a list of those read is made.
    const kept = new Array<Kept>(statements.length);
    let read: Statement[] | undefined;
    let count = 0;
    const seenKeywords = this.seenKeywords;
    let seen = 0;
    for (let k = 0; k < statements.length; k++) {
      const stmt = statements[k];
      const info = specs.get(stmt.keyword);
      if (!info) {
        const options = keywordsOf(context).map((k) => k.keyword);
        const guess = closest(stmt.keyword, options);
        this.report('unknown-keyword', `"${stmt.keyword}" is not allowed here.${guess ? ` Did you mean "${guess}"?` : ''} Allowed: ${options.join(', ')}.`, stmt.keywordSpan, guess ? { data: { suggestion: guess } } : {});
        read ??= statements.slice(0, k);
        continue;
      }
      const keyword = info.keyword;
      if (!info.repeatable) {
        let j = 0;
        while (j < seen && seenKeywords[j] !== keyword) j++;
        if (j < seen) {
          const first = this.seenStatements[j];
          this.report('duplicate-property', `"${keyword}" is already set in this block: keep one.`, stmt.keywordSpan, { related: [{ message: 'first set here', span: first.keywordSpan, file: this.file }] });
          read ??= statements.slice(0, k);
          continue;
        }
        seenKeywords[seen] = keyword;
        this.seenStatements[seen++] = stmt;
      }
      const block = stmt.block;
      if (info.blockRequired && !block) {
        this.report('missing-block', `"${keyword}" needs a block: add { ... } with its properties.`, stmt.span);
      } else if (!info.hasBlock && block) {
        this.report('unexpected-block', `"${keyword}" takes no block: remove the braces.`, block.open);
      }
      kept[count++] = this.args(stmt, info);
      if (read) read.push(stmt);
    }
    if (count < kept.length) kept.length = count;
    return new ReadBlock(read ?? statements, kept, specs);
  }

  /** The statement's arguments read: a one-argument keyword's value, or a MultiRead. */
  private args(stmt: Statement, info: KeywordInfo): Kept {
    const spec = info.spec;
    // The common case, one plain argument written once: no slots to keep, and no argument
    // object to make.
    const single = info.single;
    if (single && argCount(stmt) === 1) return this.valueOf(argValue(stmt, 0), argStart(stmt, 0), argEnd(stmt, 0), single);
    const given = stmt.args;
    const specs = spec.args;
    let slots: (Arg | Value | undefined)[] | undefined;
    let rest = NO_ARGS;
    let i = 0;
    for (let k = 0; k < specs.length; k++) {
      const a = specs[k];
      if (a.rest) {
        if (rest === NO_ARGS && i < given.length) rest = [];
        const info = argInfo(a);
        for (; i < given.length; i++) rest.push(new ArgRead(given[i].value, this.valueOf(given[i].value, argStart(stmt, i), argEnd(stmt, i), info), given[i]));
        if (rest.length === 0 && !a.optional) this.report('missing-argument', `"${spec.keyword}" needs at least one ${a.name}: ${usageOf(spec)}.`, stmt.keywordSpan);
        continue;
      }
      const arg = given[i];
      if (!arg) {
        if (!a.optional) this.report('missing-argument', `"${spec.keyword}" is missing its ${a.name}: ${usageOf(spec)}.`, stmt.span);
        continue;
      }
      if (a.optional && a.value.type === 'literal' && arg.value !== a.value.word) continue;
      slots ??= new Array<Arg | Value | undefined>(2 * specs.length).fill(undefined);
      slots[2 * k] = arg;
      slots[2 * k + 1] = this.valueOf(arg.value, argStart(stmt, i), argEnd(stmt, i), argInfo(a));
      i++;
    }
    if (i < given.length) {
      const extra = given[i];
      this.report('extra-argument', `"${spec.keyword}" takes no more arguments here: remove "${extra.text}" (usage: ${usageOf(spec)}).`, { start: extra.span.start, end: given[given.length - 1].span.end });
    }
    return new MultiRead(stmt, spec, slots ?? NO_SLOTS, rest);
  }

  /** Reads one argument as `spec` says (used for arguments whose type depends on another, like
   * those of `fail KIND`). */
  value(arg: Statement['args'][number], spec: ArgSpec): ReadArg {
    const span = arg.span;
    return new ArgRead(arg.value, this.valueOf(arg.value, span.start, span.end, argInfo(spec)), arg);
  }

  /** The typed value of an argument written as `text` at [start, end); undefined, with a
   * diagnostic, when it cannot be read. */
  private valueOf(text: string, start: number, end: number, info: ArgInfo): Value | undefined {
    if (!info.checked) {
      if (info.refTo !== undefined) this.references.push(refOf(info.refTo, text, start, end, this.file));
      return text;
    }
    let fast: Value | undefined;
    if (info.address) {
      const memo = (this.addresses ??= new V.AddressMemo());
      fast = info.spec.value.type === 'ipv4' ? V.readIpv4(text, memo) : V.readCidr(text, memo);
    } else if (info.fast !== undefined) fast = info.fast(text);
    if (fast !== undefined) return fast;
    const read = info.read(text);
    if (read !== undefined && !read.ok) {
      const t = info.spec.value;
      const code = CODE_FOR[t.type] ?? 'bad-value';
      const guess = t.type === 'enum' ? closest(text, t.values) : undefined;
      this.report(code, read.message, { start, end }, guess ? { data: { suggestion: guess } } : {});
      return undefined;
    }
    return read !== undefined ? read.value : text;
  }
}

/** A reference to `device.interface` counts as a use of both names. */
export function refOf(kind: RefKind, text: string, start: number, end: number, file: string): Reference {
  if (kind === 'interface') {
    const dot = text.indexOf('.');
    return dot < 0 ? reference(kind, text, undefined, start, end, file) : reference(kind, text.slice(dot + 1), text.slice(0, dot), start + dot + 1, end, file);
  }
  return reference(kind, text, undefined, start, end, file);
}

/** What the reader keeps of each statement it read: the typed value of a one-argument keyword's
 * argument, or the statement read as a MultiRead. */
type Kept = Value | MultiRead | undefined;

export class ReadBlock {
  // A read statement is made when a search returns it: most are only asked for their value
  // (`get`), and a large file has thousands.
  private list: ReadStatement[] | undefined;
  /** `stmts`: the statements read, in order; `kept`: what was read of each, at the same index;
   * `specs`: the infos of their keywords. */
  constructor(private readonly stmts: readonly Statement[], private readonly kept: readonly Kept[], private readonly specs: ReadonlyMap<string, KeywordInfo>) {}
  /** The statements read, in order. */
  get statements(): ReadStatement[] {
    if (this.list) return this.list;
    const list = new Array<ReadStatement>(this.stmts.length);
    for (let i = 0; i < list.length; i++) list[i] = this.at(i);
    return (this.list = list);
  }
  /** How many statements were read. */
  get size(): number { return this.stmts.length; }
  /** The keyword of statement `i`. */
  keywordAt(i: number): string { return this.stmts[i].keyword; }
  /** Statement `i` as written. */
  statementAt(i: number): Statement { return this.stmts[i]; }
  private at(i: number): ReadStatement {
    const v = this.kept[i];
    if (v instanceof MultiRead) return v;
    const stmt = this.stmts[i];
    return new SingleRead(stmt, this.specs.get(stmt.keyword) as KeywordInfo, v);
  }
  all(keyword: string): ReadStatement[] {
    // Counted first, so the list is made at its size: one grown by push from empty reserves
    // room for 17, and most answers hold one or two statements.
    const n = this.stmts.length;
    let count = 0;
    let first = -1;
    for (let i = 0; i < n; i++) if (this.keywordAt(i) === keyword) { if (count++ === 0) first = i; }
    if (count === 0) return NO_STATEMENTS;
    if (count === 1) return [this.at(first)];
    const out = new Array<ReadStatement>(count);
    for (let i = first, k = 0; k < count; i++) if (this.keywordAt(i) === keyword) out[k++] = this.at(i);
    return out;
  }
  /** The typed values of argument `name` of every `keyword` statement, those that could be read,
   * in order (what all(keyword).map(s => s.args.get(name)?.value) keeps of them, without the
   * lists and argument records in between). */
  values<T extends Value>(keyword: string, name: string): T[] {
    const n = this.stmts.length;
    let count = 0;
    for (let i = 0; i < n; i++) if (this.keywordAt(i) === keyword && this.valueAt(i, name) !== undefined) count++;
    if (count === 0) return [];
    const out = new Array<T>(count);
    for (let i = 0, k = 0; k < count; i++) {
      if (this.keywordAt(i) !== keyword) continue;
      const v = this.valueAt(i, name);
      if (v !== undefined) out[k++] = v as T;
    }
    return out;
  }
  private valueAt(i: number, name: string): Value | undefined {
    const v = this.kept[i];
    if (v instanceof MultiRead) return v.get(name)?.value;
    return name === (this.specs.get(this.stmts[i].keyword) as KeywordInfo).singleName ? v : undefined;
  }
  private indexOf(keyword: string): number {
    for (let i = 0; i < this.stmts.length; i++) if (this.keywordAt(i) === keyword) return i;
    return -1;
  }
  first(keyword: string): ReadStatement | undefined {
    const i = this.indexOf(keyword);
    return i < 0 ? undefined : this.at(i);
  }
  /** Whether a `keyword` statement was read (first(keyword) !== undefined). */
  has(keyword: string): boolean { return this.indexOf(keyword) >= 0; }
  /** How many `keyword` statements were read (all(keyword).length, without making the list). */
  count(keyword: string): number {
    let n = 0;
    for (let i = 0; i < this.stmts.length; i++) if (this.keywordAt(i) === keyword) n++;
    return n;
  }
  /** The typed value of a single-argument property, or the fallback. */
  get<T extends Value>(keyword: string, fallback: T): T;
  get<T extends Value>(keyword: string): T | undefined;
  get<T extends Value>(keyword: string, fallback?: T): T | undefined {
    const i = this.indexOf(keyword);
    if (i < 0) return fallback;
    const v = this.kept[i];
    return ((v instanceof MultiRead ? v.firstValue() : v) as T | undefined) ?? fallback;
  }
}
