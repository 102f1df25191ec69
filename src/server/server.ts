// The language server: an LSP adapter over the core. Every feature is a pure function of the
// analysis (core/services); this file only translates between LSP and the core, and owns the
// protocol's timing rules: incremental sync, debounced diagnostics that are never published for
// an older version, and requests that give up when cancelled or when the document moved on.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DiagnosticSeverity, ResponseError, LSPErrorCodes, ErrorCodes,
  CompletionItemKind, InsertTextFormat, MarkupKind, SymbolKind, FoldingRangeKind, CodeActionKind,
  type Connection, type Diagnostic as LspDiagnostic, type CancellationToken, type CompletionItem as LspCompletionItem,
  type Location as LspLocation, type Range, type TextEdit as LspTextEdit, type WorkspaceEdit, type DocumentSymbol,
  type CodeAction as LspCodeAction, type InitializeParams,
} from 'vscode-languageserver/node';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../core/language/diagnostics';
import { LineIndex, type Span } from '../core/language/range';
import type { Trace } from '../core/trace/types';
import {
  complete, hover, findDefinition, findReferences, prepareRename, rename, documentSymbols, foldingRanges, formatDocument,
  semanticTokens, codeActions, codeLenses, traceHoverSection, TOKEN_TYPES, TOKEN_MODIFIERS,
  type CompletionKind, type Location, type OutlineSymbol, type ServiceInput, type SymbolKind as CoreSymbolKind, type TextEdit,
} from '../core/services';
import { Analyzer, fileToUri, largeDocumentMessage, localPath, type Analysis } from './analysis';
import { TraceCompletedNotification, WorkspaceTrustNotification, type JourneyInitializationOptions } from './protocol';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** How long the server waits after a keystroke before validating: edits in between replace
 * the pending run, so only the newest version is ever analysed. */
const DEBOUNCE_MS = 150;

// ---------------------------------------------------------------- positions

/** Line indexes of the imported files of one analysis (the main file's is on the analysis). */
const importIndexes = new WeakMap<Analysis, Map<string, LineIndex>>();

function indexFor(a: Analysis, file: string): LineIndex {
  if (file === a.file) return a.index;
  let m = importIndexes.get(a);
  if (!m) { m = new Map(); importIndexes.set(a, m); }
  let idx = m.get(file);
  if (!idx) { idx = new LineIndex(a.result.documents.get(file)?.text ?? ''); m.set(file, idx); }
  return idx;
}

const toRange = (idx: LineIndex, span: Span): Range => ({ start: idx.position(span.start), end: idx.position(span.end) });
const uriOf = (a: Analysis, file: string): string => (file === a.file ? a.uri : fileToUri(file));
const toLocation = (a: Analysis, l: Location): LspLocation => ({ uri: uriOf(a, l.file), range: toRange(indexFor(a, l.file), l.span) });

function toWorkspaceEdit(a: Analysis, edits: readonly TextEdit[]): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) (changes[uriOf(a, e.file)] ??= []).push({ range: toRange(indexFor(a, e.file), e.span), newText: e.newText });
  return { changes };
}

/** A position from the client, defensively: anything malformed or past the end is clamped. */
function offsetOf(a: Analysis, pos: { line: number; character: number } | undefined): number {
  const line = Number(pos?.line);
  const character = Number(pos?.character);
  if (!Number.isFinite(line) || !Number.isFinite(character)) return a.text.length;
  return a.index.offset({ line: Math.trunc(line), character: Math.trunc(character) });
}

/** The main file's `import` statements, by the absolute file each one reads. */
function importsOf(a: Analysis): Map<string, Span> {
  const out = new Map<string, Span>();
  if (!path.isAbsolute(a.file)) return out;
  for (const s of a.result.documents.get(a.file)?.statements ?? []) {
    const arg = s.keyword === 'import' ? s.args[0] : undefined;
    if (arg) out.set(path.resolve(path.dirname(a.file), arg.value), arg.span);
  }
  return out;
}

/** At most this many errors of one imported file are repeated on its import statement. */
const MAX_IMPORTED_ERRORS = 10;

export function toLspDiagnostics(a: Analysis): LspDiagnostic[] {
  if (a.large) {
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, code: 'document-too-large', source: 'journey', message: largeDocumentMessage(a.large.length) }];
  }
  const out: LspDiagnostic[] = [];
  const imports = importsOf(a);
  const repeated = new Map<string, number>();
  for (const d of a.result.diagnostics) {
    const file = d.file ?? a.file;
    if (file !== a.file) {
      // Errors inside a file this one imports (a cycle, a typo) would otherwise be invisible
      // until that file is opened: repeat them on the import statement, with their place.
      const at = imports.get(file);
      const n = repeated.get(file) ?? 0;
      if (!at || d.severity !== 'error' || n >= MAX_IMPORTED_ERRORS) continue;
      repeated.set(file, n + 1);
      const p = indexFor(a, file).position(d.span.start);
      out.push({ range: toRange(a.index, at), severity: DiagnosticSeverity.Error, code: d.code, source: 'journey', message: `${path.basename(file)}:${p.line + 1}:${p.character + 1}: ${d.message}`,
        relatedInformation: [{ message: d.message, location: { uri: uriOf(a, file), range: toRange(indexFor(a, file), d.span) } }] });
      continue;
    }
    const diag: LspDiagnostic = { range: toRange(a.index, d.span), severity: SEVERITY[d.severity], code: d.code, source: 'journey', message: d.message };
    if (d.data) diag.data = d.data;
    if (d.related?.length) {
      diag.relatedInformation = d.related.map((r) => {
        const file = r.file ?? a.file;
        return { message: r.message, location: { uri: uriOf(a, file), range: toRange(indexFor(a, file), r.span) } };
      });
    }
    out.push(diag);
  }
  return out;
}

// ---------------------------------------------------------------- conversions

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword, type: CompletionItemKind.Class, property: CompletionItemKind.Property, enum: CompletionItemKind.EnumMember,
  value: CompletionItemKind.Value, reference: CompletionItemKind.Reference, snippet: CompletionItemKind.Snippet,
};

const SYMBOL_KIND: Record<CoreSymbolKind, SymbolKind> = {
  device: SymbolKind.Class, interface: SymbolKind.Interface, link: SymbolKind.Event, scenario: SymbolKind.Function, cluster: SymbolKind.Namespace,
  node: SymbolKind.Class, pod: SymbolKind.Module, service: SymbolKind.Interface, container: SymbolKind.Package, certificate: SymbolKind.Key,
  zone: SymbolKind.Namespace, listener: SymbolKind.Event, 'target-group': SymbolKind.Array, block: SymbolKind.Struct, import: SymbolKind.File,
};

function toDocumentSymbol(idx: LineIndex, s: OutlineSymbol): DocumentSymbol {
  return { name: s.name || s.detail, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: toRange(idx, s.span), selectionRange: toRange(idx, s.selection), children: s.children.map((c) => toDocumentSymbol(idx, c)) };
}

/** Semantic tokens in the LSP's relative encoding (line delta, start delta, length, type, modifiers). */
function encodeTokens(a: Analysis): number[] {
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const t of semanticTokens(serviceInput(a))) {
    const p = a.index.position(t.span.start);
    const end = a.index.position(t.span.end);
    const length = end.line === p.line ? end.character - p.character : a.index.lineText(p.line).length - p.character;
    if (length <= 0) continue;
    const mods = t.modifiers.reduce((m, x) => m | (1 << TOKEN_MODIFIERS.indexOf(x)), 0);
    data.push(p.line - prevLine, p.line === prevLine ? p.character - prevChar : p.character, length, TOKEN_TYPES.indexOf(t.type), mods);
    prevLine = p.line;
    prevChar = p.character;
  }
  return data;
}

const serviceInput = (a: Analysis): ServiceInput => ({ file: a.file, text: a.text, result: a.result });

/** A trace sent by the extension, checked just enough that a malformed one cannot break hovers. */
function isTrace(x: unknown): x is Trace {
  const t = x as Partial<Trace> | null;
  return typeof t === 'object' && t !== null && Array.isArray(t.packets) && Array.isArray(t.events);
}

// ---------------------------------------------------------------- the server

/** The workspace folders a client names, as local paths (folders of other schemes hold no
 * file the server could read). */
function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.length ? params.workspaceFolders.map((f) => f?.uri) : [params.rootUri ?? undefined];
  const roots = uris.map((u) => (typeof u === 'string' ? localPath(u) : undefined)).filter((r): r is string => r !== undefined);
  if (roots.length === 0 && typeof params.rootPath === 'string' && path.isAbsolute(params.rootPath)) roots.push(params.rootPath);
  return roots.map((r) => path.resolve(r));
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const analyzer = new Analyzer(documents, { roots: [], trusted: true });
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const traces = new Map<string, Trace>();
  let snippetSupport = false;

  let folderEvents = false;
  connection.onInitialize((params: InitializeParams) => {
    snippetSupport = params.capabilities?.textDocument?.completion?.completionItem?.snippetSupport === true;
    folderEvents = params.capabilities?.workspace?.workspaceFolders === true;
    analyzer.boundary.roots = workspaceRoots(params);
    // Only an explicit false means Restricted Mode; a client without workspace trust sends nothing.
    const options = params.initializationOptions as JourneyInitializationOptions | undefined;
    analyzer.boundary.trusted = options?.workspaceTrusted !== false;
    return {
      capabilities: {
        ...(folderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', ' '], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'journey-language-server', version: '0.1.0' },
    };
  });

  const validate = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc) return;
    try {
      const a = analyzer.get(doc);
      // A newer edit may have arrived while analysing: its own run will publish.
      if (documents.get(uri)?.version !== a.version) return;
      void connection.sendDiagnostics({ uri, version: a.version, diagnostics: toLspDiagnostics(a) });
    } catch (e) {
      connection.console.error(`journey: analysis failed for ${uri}: ${(e as Error).stack ?? String(e)}`);
      // Say so in the file, rather than leaving stale or no diagnostics that look like "all good".
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: [{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, code: 'internal-error', source: 'journey',
        message: `The language server could not check this file (${(e as Error).message ?? String(e)}). Please report it with the file.`,
      }] });
    }
  };
  const schedule = (uri: string, delay: number): void => {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => { pending.delete(uri); validate(uri); }, delay));
  };
  /** Open documents that import `uri` see its unsaved text: re-check them too. */
  const scheduleDependents = (uri: string): void => {
    for (const uriOfDependent of analyzer.dependentsOf(uri)) { analyzer.forget(uriOfDependent); schedule(uriOfDependent, DEBOUNCE_MS); }
  };

  documents.onDidOpen((e) => { schedule(e.document.uri, 0); scheduleDependents(e.document.uri); });
  documents.onDidChangeContent((e) => { schedule(e.document.uri, DEBOUNCE_MS); scheduleDependents(e.document.uri); });
  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    pending.delete(e.document.uri);
    analyzer.forget(e.document.uri);
    traces.delete(e.document.uri);
    scheduleDependents(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** Imports changed meaning (trust granted, folders added): every open document again. */
  const reanalyseAll = (): void => {
    analyzer.forgetAll();
    for (const d of documents.all()) schedule(d.uri, 0);
  };
  connection.onNotification(WorkspaceTrustNotification, (p) => {
    if (typeof p?.trusted !== 'boolean') { connection.console.warn('journey: ignored a malformed journey/workspaceTrust notification'); return; }
    analyzer.boundary.trusted = p.trusted;
    reanalyseAll();
  });
  connection.onInitialized(() => {
    if (!folderEvents) return;
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => localPath(f.uri)).filter((x): x is string => !!x).map((r) => path.resolve(r)));
      const added = e.added.map((f) => localPath(f.uri)).filter((x): x is string => !!x).map((r) => path.resolve(r));
      analyzer.boundary.roots = [...analyzer.boundary.roots.filter((r) => !removed.has(r)), ...added];
      reanalyseAll();
    });
  });

  /** Runs a request against the current analysis of `uri`. It first yields for one turn of the
   * event loop (a timer, so the connection's queue, which runs on immediates, and the socket get
   * their turn): a cancellation or an edit sent right behind the request is then seen before any
   * work, and it answers with the protocol's errors when cancelled or when the document changed. */
  async function withAnalysis<T>(uri: string, token: CancellationToken | undefined, empty: T, f: (a: Analysis) => T): Promise<T | ResponseError<void>> {
    const doc = documents.get(uri);
    if (!doc) return empty;
    const version = doc.version;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled.');
    const now = documents.get(uri);
    if (!now) return empty;
    if (now.version !== version) return new ResponseError(LSPErrorCodes.ContentModified, 'The document changed: ask again.');
    try {
      const a = analyzer.get(now);
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled.');
      if (a.large) return empty; // too large to analyse: its diagnostic says so
      return f(a);
    } catch (e) {
      connection.console.error(`journey: request failed for ${uri}: ${(e as Error).stack ?? String(e)}`);
      return empty;
    }
  }

  connection.onCompletion((p, token) => withAnalysis(p.textDocument.uri, token, [] as LspCompletionItem[], (a) => {
    const trigger = p.context?.triggerCharacter;
    return complete(serviceInput(a), offsetOf(a, p.position), trigger ? { triggerCharacter: trigger } : {})
      .filter((i) => snippetSupport || i.kind !== 'snippet')
      .map((i): LspCompletionItem => {
        const range = toRange(a.index, i.replace);
        const asSnippet = snippetSupport && i.snippet === true;
        return {
          label: i.label, kind: COMPLETION_KIND[i.kind], ...(i.detail ? { detail: i.detail } : {}),
          ...(i.documentation ? { documentation: { kind: MarkupKind.Markdown, value: i.documentation } } : {}),
          textEdit: { range, newText: asSnippet ? i.insertText : i.label },
          insertTextFormat: asSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          ...(i.sortText ? { sortText: i.sortText } : {}), ...(i.filterText ? { filterText: i.filterText } : {}),
        };
      });
  }));

  connection.onHover((p, token) => withAnalysis(p.textDocument.uri, token, null, (a) => {
    const h = hover(serviceInput(a), offsetOf(a, p.position));
    if (!h) return null;
    let value = h.markdown;
    const trace = traces.get(a.uri);
    if (trace && h.symbol?.namespace === 'device') {
      const section = traceHoverSection(trace, h.symbol.name);
      if (section) value += `\n\n---\n\n${section}`;
    }
    return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(a.index, h.span) };
  }));

  connection.onDefinition((p, token) => withAnalysis(p.textDocument.uri, token, [] as LspLocation[], (a) =>
    findDefinition(serviceInput(a), offsetOf(a, p.position)).map((l) => toLocation(a, l))));

  connection.onReferences((p, token) => withAnalysis(p.textDocument.uri, token, [] as LspLocation[], (a) =>
    findReferences(serviceInput(a), offsetOf(a, p.position), p.context?.includeDeclaration !== false).map((l) => toLocation(a, l))));

  connection.onPrepareRename(async (p, token) => {
    const r = await withAnalysis(p.textDocument.uri, token, null, (a) => {
      const check = prepareRename(serviceInput(a), offsetOf(a, p.position));
      if (!check) return null;
      if ('error' in check) return new ResponseError(ErrorCodes.InvalidRequest, check.error);
      return { range: toRange(a.index, check.span), placeholder: check.placeholder };
    });
    if (r instanceof ResponseError) throw r;
    return r;
  });

  connection.onRenameRequest(async (p, token) => {
    const r = await withAnalysis(p.textDocument.uri, token, null, (a) => {
      const result = rename(serviceInput(a), offsetOf(a, p.position), String(p.newName ?? ''));
      if ('error' in result) return new ResponseError(ErrorCodes.InvalidRequest, result.error);
      // Never edit a file outside the workspace, even one this file imports.
      const outside = [...new Set(result.edits.map((e) => e.file))].filter((f) => f !== a.file && !analyzer.editable(f));
      if (outside.length) return new ResponseError(ErrorCodes.InvalidRequest, `Cannot rename: it would edit ${outside.map((f) => path.basename(f)).join(', ')}, outside the workspace folders.`);
      return toWorkspaceEdit(a, result.edits);
    });
    if (r instanceof ResponseError) throw r;
    return r;
  });

  connection.onDocumentSymbol((p, token) => withAnalysis(p.textDocument.uri, token, [] as DocumentSymbol[], (a) =>
    documentSymbols(serviceInput(a)).map((s) => toDocumentSymbol(a.index, s))));

  connection.onFoldingRanges((p, token) => withAnalysis(p.textDocument.uri, token, [], (a) =>
    foldingRanges(serviceInput(a), a.index).map((r) => ({ startLine: r.startLine, endLine: r.endLine, ...(r.kind ? { kind: r.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region } : {}) }))));

  connection.onDocumentFormatting((p, token) => withAnalysis(p.textDocument.uri, token, [] as LspTextEdit[], (a) =>
    formatDocument(serviceInput(a), { tabSize: p.options?.tabSize ?? 2, insertSpaces: p.options?.insertSpaces !== false })
      .map((e) => ({ range: toRange(a.index, e.span), newText: e.newText }))));

  connection.languages.semanticTokens.on((p, token) => withAnalysis(p.textDocument.uri, token, { data: [] as number[] }, (a) => ({ data: encodeTokens(a) })));

  connection.onCodeAction((p, token) => withAnalysis(p.textDocument.uri, token, [] as LspCodeAction[], (a) => {
    const given = (p.context?.diagnostics ?? []).filter((d) => d && typeof d.code === 'string' && d.range);
    const refs = given.map((d) => ({
      code: String(d.code), message: String(d.message ?? ''), span: { start: offsetOf(a, d.range.start), end: offsetOf(a, d.range.end) },
      ...(d.data && typeof d.data === 'object' ? { data: d.data as { suggestion?: string; replacement?: string } } : {}),
    }));
    // A fix that would edit a file outside the workspace (an imported one) is not offered.
    return codeActions(serviceInput(a), refs).filter((c) => c.edits.every((e) => e.file === a.file || analyzer.editable(e.file))).map((c): LspCodeAction => ({
      title: c.title, kind: CodeActionKind.QuickFix, diagnostics: [given[c.diagnostic]], edit: toWorkspaceEdit(a, c.edits), ...(c.isPreferred ? { isPreferred: true } : {}),
    }));
  }));

  connection.onCodeLens((p, token) => withAnalysis(p.textDocument.uri, token, [], (a) =>
    codeLenses(serviceInput(a)).map((l) => ({ range: toRange(a.index, l.span), command: { title: l.title, command: l.command, arguments: [a.uri, l.scenario] } }))));

  connection.onNotification(TraceCompletedNotification, (p) => {
    if (typeof p?.uri !== 'string' || !isTrace(p.trace)) {
      connection.console.warn('journey: ignored a malformed journey/traceCompleted notification');
      return;
    }
    traces.set(p.uri, p.trace);
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** Runs the server over this process's stdin/stdout: the entry of `journey lsp --stdio`. */
export function runStdioServer(): Connection {
  return startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}
