// The language server: an LSP adapter over the core. Every feature is a pure function of the
// analysis (core/services); this file only translates between LSP and the core.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DiagnosticSeverity,
  type Connection, type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../core/language/diagnostics';
import { LineIndex } from '../core/language/range';
import { Analyzer, fileToUri, type Analysis } from './analysis';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** How long the server waits after a keystroke before validating: edits in between replace
 * the pending run, so only the newest version is ever analysed. */
const DEBOUNCE_MS = 150;

export function toLspDiagnostics(a: Analysis): LspDiagnostic[] {
  const out: LspDiagnostic[] = [];
  const indexes = new Map<string, LineIndex>();
  const indexOf = (file: string): LineIndex | undefined => {
    if (file === a.file) return a.index;
    if (!indexes.has(file)) {
      indexes.set(file, new LineIndex(a.result.documents.get(file)?.text ?? ''));
    }
    return indexes.get(file);
  };
  for (const d of a.result.diagnostics) {
    const here = (d.file ?? a.file) === a.file;
    const range = here ? { start: a.index.position(d.span.start), end: a.index.position(d.span.end) } : undefined;
    if (!range) continue; // problems inside an imported file are shown when that file is open
    const diag: LspDiagnostic = { range, severity: SEVERITY[d.severity], code: d.code, source: 'journey', message: d.message };
    if (d.data) diag.data = d.data;
    if (d.related?.length) {
      diag.relatedInformation = d.related.map((r) => {
        const file = r.file ?? a.file;
        const idx = file === a.file ? a.index : indexOf(file) ?? a.index;
        return { message: r.message, location: { uri: fileToUri(file), range: { start: idx.position(r.span.start), end: idx.position(r.span.end) } } };
      });
    }
    out.push(diag);
  }
  return out;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const analyzer = new Analyzer(documents);
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
    },
    serverInfo: { name: 'journey-language-server', version: '0.1.0' },
  }));

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
    }
  };
  const schedule = (uri: string, delay: number): void => {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => { pending.delete(uri); validate(uri); }, delay));
  };

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => schedule(e.document.uri, DEBOUNCE_MS));
  documents.onDidClose((e) => {
    clearTimeout(pending.get(e.document.uri));
    analyzer.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
