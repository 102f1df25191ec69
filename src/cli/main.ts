// `journey`: the command-line twin of the extension, over the same core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../core/model/build';
import { LineIndex } from '../core/language/range';
import type { Diagnostic } from '../core/language/diagnostics';
import { resolveImportFromDisk, MAX_FILE_BYTES } from '../node/files';

const USAGE = `usage: journey <command> [options]

commands:
  check FILE...      report every diagnostic as file:line:col: severity code: message
                     (exit 1 when there are errors)
  help               show this text`;

export interface Io { out: (s: string) => void; err: (s: string) => void }
const stdio: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check': return check(rest, io);
    case undefined: case 'help': case '--help': case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`journey: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

function readSource(file: string, io: Io): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) { io.err(`${file}: larger than ${MAX_FILE_BYTES / 1048576} MiB, not read`); return undefined; }
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

export function formatDiagnostic(d: Diagnostic, file: string, index: LineIndex): string {
  const p = index.position(d.span.start);
  return `${file}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

function check(files: string[], io: Io): number {
  if (files.length === 0) { io.err('journey check: name at least one .journey file'); return 2; }
  let errors = 0;
  for (const f of files) {
    const text = readSource(f, io);
    if (text === undefined) { errors++; continue; }
    const abs = path.resolve(f);
    const result = buildNetwork(text, { file: abs, resolveImport: resolveImportFromDisk });
    const indexes = new Map<string, LineIndex>([[abs, new LineIndex(text)]]);
    const sorted = [...result.diagnostics].sort((a, b) => (a.file ?? abs).localeCompare(b.file ?? abs) || a.span.start - b.span.start);
    for (const d of sorted) {
      const dfile = d.file ?? abs;
      let idx = indexes.get(dfile);
      if (!idx) { idx = new LineIndex(result.documents.get(dfile)?.text ?? ''); indexes.set(dfile, idx); }
      io.out(formatDiagnostic(d, dfile === abs ? f : path.relative(process.cwd(), dfile), idx));
      if (d.severity === 'error') errors++;
    }
  }
  return errors > 0 ? 1 : 0;
}
