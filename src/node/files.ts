// Node-side adapters the core deliberately lacks: reading imported files from disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImportResolver } from '../core/model/build';

/** Largest file the tools read; bigger ones get a diagnostic instead of a slow parse. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

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
