// One analysis per open document and version: parse + model + diagnostics, computed on demand
// and reused by every request until the next edit.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { buildNetwork, type BuildResult, type ImportResolver } from '../core/model/build';
import { LineIndex } from '../core/language/range';
import { resolveImportFromDisk } from '../node/files';

export interface Analysis { uri: string; file: string; version: number; text: string; index: LineIndex; result: BuildResult }

export function uriToFile(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}
export function fileToUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).toString() : file;
}

export class Analyzer {
  private readonly cache = new Map<string, Analysis>();
  constructor(private readonly documents: TextDocuments<TextDocument>) {}

  /** Imports read the editor's unsaved text when the imported file is open. */
  private readonly resolve: ImportResolver = (importPath, from) => {
    const file = path.resolve(path.dirname(from), importPath);
    const open = this.documents.get(fileToUri(file));
    return open ? { file, text: open.getText() } : resolveImportFromDisk(importPath, from);
  };

  get(doc: TextDocument): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    const text = doc.getText();
    const file = uriToFile(doc.uri);
    const result = buildNetwork(text, { file, resolveImport: doc.uri.startsWith('file:') ? this.resolve : undefined });
    const a: Analysis = { uri: doc.uri, file, version: doc.version, text, index: new LineIndex(text), result };
    this.cache.set(doc.uri, a);
    return a;
  }

  forget(uri: string): void { this.cache.delete(uri); }
  /** Open documents whose last analysis read `uri` as an import. */
  dependentsOf(uri: string): string[] {
    const file = uriToFile(uri);
    return [...this.cache.values()].filter((a) => a.uri !== uri && a.result.documents.has(file)).map((a) => a.uri);
  }
  all(): Analysis[] { return [...this.cache.values()]; }
}
