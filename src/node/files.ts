// Node-side adapters the core deliberately lacks: reading imported files and source files from
// disk, inside a boundary. An import is text from elsewhere on the machine that ends up in
// diagnostics and hovers, so it is refused before anything is opened unless it is a .journey
// file inside the workspace: no absolute paths, no ".." escapes, no symlinks that lead out.
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
  /** Unsaved text of a file open in the editor, by absolute path (the language server). It is
   * consulted only after the boundary checks, so it cannot widen them. */
  openText?: (file: string) => string | undefined;
}

type Refusal = { error: string; code: string };
const refuse = (code: string, error: string): Refusal => ({ code, error });

/** Whether `file` is `root` or below it (both absolute and normalised). */
export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function realpath(p: string): string | undefined {
  try { return fs.realpathSync.native(p); } catch { return undefined; }
}

/** An import resolver bound to a workspace boundary. */
export function makeImportResolver(policy: ImportPolicy): ImportResolver {
  return (importPath, from) => {
    if (!policy.trusted) return refuse('import-untrusted', `Imports are off in Restricted Mode: "${importPath}" was not read. Trust this workspace to read imported files.`);
    // Both conventions, whatever the platform: a Windows path in a file shared with a Linux user
    // is just as much a way out.
    if (path.isAbsolute(importPath) || path.win32.isAbsolute(importPath) || /^[a-zA-Z]:/.test(importPath)) {
      return refuse('import-outside-workspace', `"${importPath}" is an absolute path: imports are written relative to this file and stay inside the workspace.`);
    }
    if (importPath.includes('\0')) return refuse('import-not-found', 'An import path cannot contain a NUL character.');
    if (path.extname(importPath) !== '.journey') return refuse('import-not-journey', `"${importPath}" is not a .journey file: only .journey files can be imported.`);
    const rootGiven = path.resolve(policy.root ?? path.dirname(from));
    const root = realpath(rootGiven);
    if (!root) return refuse('import-not-found', `The workspace folder ${rootGiven} cannot be read, so "${importPath}" was not read.`);
    const file = path.resolve(path.dirname(from), importPath);
    const outside = refuse('import-outside-workspace', `"${importPath}" is outside the workspace (${rootGiven}): imports stay inside it.`);
    if (!isInside(rootGiven, file) && !isInside(root, file)) return outside;
    const open = policy.openText?.(file);
    if (open !== undefined) {
      // An open, unsaved file is still a file on disk (or to be): its place decides, not its text.
      const real = realpath(file);
      if (real && !isInside(root, real)) return outside;
      return { file, text: open };
    }
    const real = realpath(file);
    if (!real) return refuse('import-not-found', `Cannot read "${importPath}" (looked for ${file}): check the path, relative to this file.`);
    // A symlink inside the workspace may point anywhere: the real path decides.
    if (!isInside(root, real)) return refuse('import-outside-workspace', `"${importPath}" leads outside the workspace (${rootGiven}) through a symbolic link: imports stay inside it.`);
    if (path.extname(real) !== '.journey') return refuse('import-not-journey', `"${importPath}" leads to a file that is not a .journey file: only .journey files can be imported.`);
    const read = readRegularFile(real);
    if ('error' in read) return refuse('import-not-found', `Cannot import "${importPath}": ${read.error}.`);
    return { file, text: read.text };
  };
}

/** Imports bound to the importing file's own folder, always on: for tests and benchmarks over
 * files the project ships. */
export const resolveImportFromDisk: ImportResolver = makeImportResolver({ root: undefined, trusted: true });

/** Reads a file only when it is a regular file no larger than MAX_FILE_BYTES, checked before it
 * is opened: a FIFO would block forever, /dev/zero would never end. */
export function readRegularFile(file: string): { text: string } | { error: string } {
  let stat: fs.Stats;
  try { stat = fs.statSync(file); } catch (e) { return { error: `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})` }; }
  if (stat.isDirectory()) return { error: 'a directory, not a file' };
  if (!stat.isFile()) return { error: 'not a regular file (a device, FIFO or socket), not read' };
  if (stat.size > MAX_FILE_BYTES) return { error: `larger than ${MAX_FILE_BYTES / 1048576} MiB, not read` };
  let fd: number | undefined;
  try {
    // O_NONBLOCK: should the file have been swapped for a FIFO since the check, opening it does
    // not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const again = fs.fstatSync(fd);
    if (!again.isFile() || again.size > MAX_FILE_BYTES) return { error: 'changed while being read into something that is not a small regular file' };
    const buf = Buffer.alloc(again.size);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { text: buf.subarray(0, got).toString('utf8') };
  } catch (e) {
    return { error: `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
