// `journey`: the command-line twin of the extension, over the same core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../core/model/build';
import { LineIndex } from '../core/language/range';
import type { Diagnostic } from '../core/language/diagnostics';
import { resolveImportFromDisk, MAX_FILE_BYTES } from '../node/files';
import { simulate } from '../core/sim/run';
import { traceToText } from '../core/export/text';
import { traceToMermaid } from '../core/export/mermaid';
import { traceToPcapng } from '../core/export/trace-pcap';

const USAGE = `usage: journey <command> [options]

commands:
  check FILE...      report every diagnostic as file:line:col: severity code: message
                     (exit 1 when there are errors)
  trace FILE [--scenario NAME] [--format text|json|mermaid] [--details] [--pcap OUT.pcapng]
                     simulate the scenario and print the journey (exit 1 when it fails)
  lsp --stdio        run the language server (for editors other than VS Code)
  help               show this text`;

export interface Io { out: (s: string) => void; err: (s: string) => void }
const stdio: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check': return check(rest, io);
    case 'trace': return trace(rest, io);
    case 'lsp': return lsp();
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

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

function trace(argv: string[], io: Io): number {
  const args = [...argv];
  const scenario = option(args, '--scenario');
  const format = option(args, '--format') ?? 'text';
  const pcap = option(args, '--pcap');
  const details = args.includes('--details');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) { io.err('journey trace: name exactly one .journey file'); return 2; }
  if (!['text', 'json', 'mermaid'].includes(format)) { io.err(`journey trace: unknown format "${format}" (text, json or mermaid)`); return 2; }
  const f = files[0];
  const text = readSource(f, io);
  if (text === undefined) return 2;
  const abs = path.resolve(f);
  const built = buildNetwork(text, { file: abs, resolveImport: resolveImportFromDisk });
  const errors = built.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const idx = new LineIndex(text);
    for (const d of errors) io.err(formatDiagnostic(d, d.file && d.file !== abs ? path.relative(process.cwd(), d.file) : f, d.file && d.file !== abs ? new LineIndex(built.documents.get(d.file)?.text ?? '') : idx));
    io.err(`journey trace: ${f} has ${errors.length} error(s); run "journey check ${f}" and fix them first`);
    return 2;
  }
  let result: ReturnType<typeof simulate>;
  try {
    result = simulate(built, { scenario });
  } catch (e) {
    io.err(`journey trace: internal error while tracing (please report it): ${(e as Error).stack ?? String(e)}`);
    return 3;
  }
  if (!result.ok) { io.err(`journey trace: ${result.error}`); return 2; }
  const t = result.trace;
  if (format === 'json') io.out(JSON.stringify(t, null, 2));
  else if (format === 'mermaid') io.out(traceToMermaid(t));
  else io.out(traceToText(t, { details }));
  if (pcap) {
    fs.writeFileSync(pcap, traceToPcapng(t));
    io.err(`journey trace: wrote ${t.packets.length} packets on ${new Set(t.packets.map((p) => p.link)).size} links to ${pcap}`);
  }
  return t.outcome.ok ? 0 : 1;
}

async function lsp(): Promise<number> {
  const { runStdioServer } = await import('../server/server');
  runStdioServer();
  return new Promise<number>(() => undefined);
}
