// Node-side adapters the core deliberately lacks: reading imported files from disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImportResolver } from '../core/model/build';

/** Largest file the tools read; bigger ones get a diagnostic instead of a slow parse. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface ImportPolicy {
  /** The folder imports must stay inside (the workspace folder, or the CLI's --root).
   * Undefined: the importing file's own folder. */
  root: string | undefined;
  /** False in VS Code's Restricted Mode: imports are refused. */
  trusted: boolean;
}

/** An import resolver bound to a workspace boundary. */
export function makeImportResolver(policy: ImportPolicy): ImportResolver {
  return (importPath, from) => {
    if (!policy.trusted) return { error: 'imports are off in Restricted Mode: trust this workspace to read imported files.' };
    const root = path.resolve(policy.root ?? path.dirname(from));
    const file = path.resolve(path.dirname(from), importPath);
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return { error: `"${importPath}" is outside the workspace (${root}): imports stay inside it.` };
    return resolveImportFromDisk(importPath, from);
  };
}

export const resolveImportFromDisk: ImportResolver = (importPath, from) => {
  const file = path.resolve(path.dirname(from), importPath);
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { error: `"${importPath}" is not a file.` };
    if (stat.size > MAX_FILE_BYTES) return { error: `"${importPath}" is larger than ${MAX_FILE_BYTES / 1048576} MiB.` };
    return { file, text: fs.readFileSync(file, 'utf8') };
  } catch {
    return { error: `Cannot read "${importPath}" (looked for ${file}): check the path, relative to this file.` };
  }
};
