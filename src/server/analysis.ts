// One analysis per open document and version: parse + model + diagnostics, computed on demand
// and reused by every request until the next edit.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { buildNetwork, type BuildResult } from '../core/model/build';
import { LineIndex } from '../core/language/range';
import { isInside, makeImportResolver, MAX_FILE_BYTES } from '../node/files';

/** Documents longer than this (in UTF-16 units) are not analysed as you type: building the model
 * of a 2 MB file takes seconds, and the server would spend every keystroke on it. */
export const LARGE_DOCUMENT = 256 * 1024;

export interface Analysis {
  uri: string;
  file: string;
  version: number;
  text: string;
  index: LineIndex;
  result: BuildResult;
  /** Set when the document is too large to analyse: every feature is off and one diagnostic
   * says why. */
  large?: { length: number };
}

/** The local path of a `file:` URI, or undefined for any other document (untitled:, a virtual
 * file system, a file on another host): those have no folder to read imports from. */
export function localPath(uri: string): string | undefined {
  let u: URL;
  try { u = new URL(uri); } catch { return undefined; }
  if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return undefined;
  try { return fileURLToPath(u); } catch { return undefined; }
}

/** The name the builder knows a document by: its path when it has one, else its URI. */
export function uriToFile(uri: string): string {
  return localPath(uri) ?? uri;
}
export function fileToUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).toString() : file;
}

/** Where imports may come from, and whether they may be read at all. */
export interface ImportBoundary {
  /** Workspace folders (local paths). Empty: each file's own folder bounds its imports. */
  roots: string[];
  /** False in VS Code's Restricted Mode. */
  trusted: boolean;
}

export class Analyzer {
  private readonly cache = new Map<string, Analysis>();
  constructor(private readonly documents: TextDocuments<TextDocument>, readonly boundary: ImportBoundary = { roots: [], trusted: true }) {}

  /** The workspace folder holding `file` (the innermost), or undefined when it is in none. */
  rootOf(file: string): string | undefined {
    return this.boundary.roots.filter((r) => isInside(r, file)).sort((a, b) => b.length - a.length)[0];
  }

  /** Whether an edit to `file` stays inside the workspace (rename). */
  editable(file: string): boolean {
    if (!path.isAbsolute(file)) return true; // an untitled or virtual document: the client owns it
    return this.boundary.roots.length === 0 ? false : this.rootOf(file) !== undefined;
  }

  get(doc: TextDocument): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    const text = doc.getText();
    const file = uriToFile(doc.uri);
    let a: Analysis;
    if (text.length > LARGE_DOCUMENT) {
      a = { uri: doc.uri, file, version: doc.version, text, index: new LineIndex(''), result: buildNetwork('', { file }), large: { length: text.length } };
    } else {
      const local = path.isAbsolute(file);
      const resolveImport = local ? makeImportResolver({
        root: this.rootOf(file), trusted: this.boundary.trusted,
        openText: (f) => this.documents.get(fileToUri(f))?.getText(),
      }) : undefined;
      const result = buildNetwork(text, { file, resolveImport });
      a = { uri: doc.uri, file, version: doc.version, text, index: new LineIndex(text), result };
    }
    this.cache.set(doc.uri, a);
    return a;
  }

  forget(uri: string): void { this.cache.delete(uri); }
  forgetAll(): void { this.cache.clear(); }
  /** Open documents whose last analysis read `uri` as an import. */
  dependentsOf(uri: string): string[] {
    const file = uriToFile(uri);
    return [...this.cache.values()].filter((a) => a.uri !== uri && a.result.documents.has(file)).map((a) => a.uri);
  }
  all(): Analysis[] { return [...this.cache.values()]; }
}

/** The one diagnostic of a document too large to analyse. */
export function largeDocumentMessage(length: number): string {
  const mb = (length / 1048576).toFixed(1);
  const limit = `${LARGE_DOCUMENT / 1024} KB`;
  return length > MAX_FILE_BYTES
    ? `This file is ${mb} MB, more than the ${MAX_FILE_BYTES / 1048576} MB the tools read: it is not checked. Split it into files that import each other.`
    : `This file is ${mb} MB: files over ${limit} are not checked as you type (it would take seconds per keystroke), so diagnostics, completion, hover and the outline are off. Run "journey check" on it, or split it into files that import each other.`;
}
