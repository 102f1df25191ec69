// Shared test helpers: reading examples and checking a document's diagnostics.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork, type BuildResult } from '../../src/core/model/build';
import { resolveImportFromDisk } from '../../src/node/files';

export const ROOT = path.resolve(__dirname, '../..');
export const example = (name: string): string => fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');

export function build(text: string, file = path.join(ROOT, 'examples', 'inline.journey')): BuildResult {
  return buildNetwork(text, { file, resolveImport: resolveImportFromDisk });
}

export function errorsOf(r: BuildResult): string[] {
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}
