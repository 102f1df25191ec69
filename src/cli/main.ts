// `journey`: the command-line twin of the extension, over the same core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../core/model/build';
import { LineIndex } from '../core/language/range';
import type { Diagnostic } from '../core/language/diagnostics';
import { makeImportResolver, readRegularFile } from '../node/files';
import type { ImportResolver } from '../core/model/build';
import { simulate } from '../core/sim/run';
import { traceTextLines } from '../core/export/text';
import { traceToMermaid } from '../core/export/mermaid';
import { traceKeyLog, traceLinks, traceToPcapngBlocks } from '../core/export/trace-pcap';
import { scenarioCertificates } from '../core/export/certificates';
import { readPanelBundle, renderHtmlReport } from '../node/htmlReport';
import { traceJsonLines } from '../core/export/json';

const USAGE = `usage: journey <command> [options]

commands:
  check FILE... [--root DIR]
                     report every diagnostic as file:line:col: severity code: message
                     (exit 1 when there are errors)
  trace FILE [--scenario NAME] [--format text|json|mermaid] [--details] [--pcap OUT.pcapng [--link NAME]]
             [--pcap-dir DIR] [--keylog FILE] [--certs DIR] [--html OUT.html] [--root DIR]
                     simulate the scenario and print the journey (exit 1 when it fails)

  --pcap OUT.pcapng  every link in one capture (one interface per link), with the TLS session
                     keys embedded: Wireshark and tshark decrypt it with no key file
  --link NAME        --pcap holds only this link (what a tap on that cable would record)
  --pcap-dir DIR     one capture per link, DIR/LINK.pcapng
  --keylog FILE      the TLS session secrets as an SSLKEYLOGFILE (NSS key log format)
  --certs DIR        the certificates the servers present, their root CAs and ca.pem (all roots),
                     as PEM files: openssl verify -CAfile DIR/ca.pem DIR/NAME.pem

  --root DIR         imports are read only inside DIR (default: the current directory);
                     absolute paths, ".." escapes and symbolic links leaving it are refused
  lsp --stdio        run the language server (for editors other than VS Code)
  help               show this text`;

/** `outLong`, when the output can push back: a long trace waits for it, piece by piece. */
export interface Io { out: (s: string) => void; err: (s: string) => void; outLong?: (s: string) => Promise<void> }
const stdio: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  // A pipe (`journey trace ... | jq`) takes 64 KB and then queues every later write in memory:
  // a long transfer's JSON then grew the heap until it ran out. Waiting for 'drain' keeps one
  // piece in flight.
  outLong: (s) => (process.stdout.write(s + '\n') ? Promise.resolve() : new Promise((resolve) => process.stdout.once('drain', resolve))),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check': return check(rest, io);
    case 'trace': return await trace(rest, io);
    case 'lsp': return lsp();
    case undefined: case 'help': case '--help': case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`journey: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

/** Reads a source file named on the command line: regular files only, checked before opening
 * (a FIFO would hang, /dev/zero would fill memory). */
function readSource(file: string, io: Io): string | undefined {
  const r = readRegularFile(file);
  if ('error' in r) { io.err(`${file}: ${r.error}`); return undefined; }
  return r.text;
}

/** The import boundary of check and trace: --root DIR, or the current directory. */
function importsUnder(root: string | undefined, io: Io): ImportResolver | undefined {
  const dir = path.resolve(root ?? process.cwd());
  let ok = false;
  try { ok = fs.statSync(dir).isDirectory(); } catch { ok = false; }
  if (!ok) { io.err(`journey: --root ${root ?? dir}: not a directory`); return undefined; }
  return makeImportResolver({ root: dir, trusted: true });
}

export function formatDiagnostic(d: Diagnostic, file: string, index: LineIndex): string {
  const p = index.position(d.span.start);
  return `${file}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

function check(argv: string[], io: Io): number {
  const args = [...argv];
  const root = option(args, '--root');
  if (root === null) { io.err('journey check: --root needs a directory'); return 2; }
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) { io.err(`journey check: unknown option "${unknown}"\n${USAGE}`); return 2; }
  const files = args;
  if (files.length === 0) { io.err('journey check: name at least one .journey file'); return 2; }
  const resolveImport = importsUnder(root, io);
  if (!resolveImport) return 2;
  let errors = 0;
  for (const f of files) {
    const text = readSource(f, io);
    if (text === undefined) { errors++; continue; }
    const abs = path.resolve(f);
    let result: ReturnType<typeof buildNetwork>;
    try {
      result = buildNetwork(text, { file: abs, resolveImport });
    } catch (e) {
      io.err(`journey check: internal error while checking ${f} (please report it): ${(e as Error).stack ?? String(e)}`);
      errors++;
      continue;
    }
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

/** Takes `name VALUE` out of args: undefined when absent, null when the value is missing. */
function option(args: string[], name: string): string | undefined | null {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v === undefined || v.startsWith('--') ? null : v;
}

async function trace(argv: string[], io: Io): Promise<number> {
  const args = [...argv];
  const scenario = option(args, '--scenario');
  const formatOption = option(args, '--format');
  const pcap = option(args, '--pcap');
  const html = option(args, '--html');
  const root = option(args, '--root');
  const link = option(args, '--link');
  const pcapDir = option(args, '--pcap-dir');
  const keylog = option(args, '--keylog');
  const certs = option(args, '--certs');
  for (const [name, v] of [['--scenario', scenario], ['--format', formatOption], ['--pcap', pcap], ['--html', html], ['--root', root], ['--link', link], ['--pcap-dir', pcapDir], ['--keylog', keylog], ['--certs', certs]] as const) {
    if (v === null) { io.err(`journey trace: ${name} needs a value`); return 2; }
  }
  const format = formatOption ?? 'text';
  const details = args.includes('--details');
  const unknown = args.find((a) => a.startsWith('--') && a !== '--details');
  if (unknown) { io.err(`journey trace: unknown option "${unknown}"\n${USAGE}`); return 2; }
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) { io.err('journey trace: name exactly one .journey file'); return 2; }
  if (!['text', 'json', 'mermaid'].includes(format)) { io.err(`journey trace: unknown format "${format}" (text, json or mermaid)`); return 2; }
  if (typeof link === 'string' && typeof pcap !== 'string') { io.err('journey trace: --link chooses the link of the --pcap file; give --pcap OUT.pcapng too'); return 2; }
  const f = files[0];
  const text = readSource(f, io);
  if (text === undefined) return 2;
  const abs = path.resolve(f);
  const resolveImport = importsUnder(root ?? undefined, io);
  if (!resolveImport) return 2;
  let built: ReturnType<typeof buildNetwork>;
  try {
    built = buildNetwork(text, { file: abs, resolveImport });
  } catch (e) {
    io.err(`journey trace: internal error while checking ${f} (please report it): ${(e as Error).stack ?? String(e)}`);
    return 3;
  }
  const errors = built.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const idx = new LineIndex(text);
    for (const d of errors) io.err(formatDiagnostic(d, d.file && d.file !== abs ? path.relative(process.cwd(), d.file) : f, d.file && d.file !== abs ? new LineIndex(built.documents.get(d.file)?.text ?? '') : idx));
    io.err(`journey trace: ${f} has ${errors.length} error(s); run "journey check ${f}" and fix them first`);
    return 2;
  }
  let result: ReturnType<typeof simulate>;
  try {
    result = simulate(built, { scenario: scenario ?? undefined });
  } catch (e) {
    io.err(`journey trace: internal error while tracing (please report it): ${(e as Error).stack ?? String(e)}`);
    return 3;
  }
  if (!result.ok) { io.err(`journey trace: ${result.error}`); return 2; }
  const t = result.trace;
  // Every output is made lazily, piece by piece: a long transfer's JSON or capture is written
  // as it is made, never held whole. A failure while making one is ours (exit 3); a failure to
  // write a file is the user's to fix (exit 2).
  const outputs: { path?: string; pieces: () => Iterable<Uint8Array | string>; what: string; quiet?: boolean }[] = [
    { pieces: () => (format === 'json' ? batched(traceJsonLines(t)) : format === 'mermaid' ? [traceToMermaid(t)] : batched(traceTextLines(t, { details }))), what: `the ${format} output` },
  ];
  const links = traceLinks(t);
  if (typeof link === 'string' && !links.includes(link)) {
    io.err(`journey trace: --link ${link}: no packet of this trace crossed a link of that name (links: ${links.join(', ') || 'none'})`);
    return 2;
  }
  const keys = t.tlsKeyLog?.length ? `, ${t.tlsKeyLog.length} TLS secrets embedded` : '';
  if (typeof pcap === 'string') {
    const n = typeof link === 'string' ? t.packets.filter((p) => p.link === link).length : t.packets.length;
    outputs.push({ path: pcap, pieces: () => batchedBytes(traceToPcapngBlocks(t, typeof link === 'string' ? { link } : {})), what: `${n} packets on ${typeof link === 'string' ? `link ${link}` : `${links.length} links`}${keys}` });
  }
  if (typeof pcapDir === 'string') {
    try { fs.mkdirSync(pcapDir, { recursive: true }); } catch (e) { io.err(`journey trace: cannot create ${pcapDir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`); return 2; }
    for (const l of links) outputs.push({ path: path.join(pcapDir, `${safeFileName(l)}.pcapng`), pieces: () => batchedBytes(traceToPcapngBlocks(t, { link: l })), what: `${t.packets.filter((p) => p.link === l).length} packets on link ${l}${keys}`, quiet: true });
  }
  if (typeof keylog === 'string') outputs.push({ path: keylog, pieces: () => [traceKeyLog(t)], what: `${t.tlsKeyLog?.length ?? 0} TLS secrets (SSLKEYLOGFILE)` });
  const certNames: string[] = [];
  if (typeof certs === 'string') {
    try { fs.mkdirSync(certs, { recursive: true }); } catch (e) { io.err(`journey trace: cannot create ${certs} (${(e as NodeJS.ErrnoException).code ?? String(e)})`); return 2; }
    const sc = built.network.scenarios.find((s) => s.name === t.scenario);
    const files = sc ? scenarioCertificates(built.network, sc) : [];
    certNames.push(...files.map((c) => c.name));
    for (const c of files) outputs.push({ path: path.join(certs, c.name), pieces: () => [c.pem], what: c.what, quiet: true });
  }
  if (typeof html === 'string') outputs.push({ path: html, pieces: () => [renderHtmlReport(t, readPanelBundle(panelDistDir()))], what: 'the HTML report' });
  for (const out of outputs) {
    let fd: number | undefined;
    try {
      if (out.path !== undefined) fd = fs.openSync(out.path, 'w');
      for (const piece of out.pieces()) {
        if (fd === undefined) { if (io.outLong) await io.outLong(piece as string); else io.out(piece as string); }
        else if (typeof piece === 'string') fs.writeSync(fd, piece);
        else fs.writeSync(fd, piece);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code && out.path !== undefined) { io.err(`journey trace: cannot write ${out.path} (${code})`); return 2; }
      io.err(`journey trace: internal error while writing ${out.what} (please report it): ${(e as Error).stack ?? String(e)}`);
      return 3;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    if (out.path !== undefined && !out.quiet) io.err(`journey trace: wrote ${out.what} to ${out.path}`);
  }
  if (typeof pcapDir === 'string') io.err(`journey trace: wrote ${links.length} captures (one per link, LINK.pcapng${keys}) to ${pcapDir}`);
  if (typeof certs === 'string') io.err(`journey trace: wrote ${certNames.join(', ') || 'no certificates'} to ${certs}`);
  return t.outcome.ok ? 0 : 1;
}

async function lsp(): Promise<number> {
  const { runStdioServer } = await import('../server/server');
  runStdioServer();
  return new Promise<number>(() => undefined);
}

/** The built panel: next to the running bundle (dist/cli.js), or dist/ when run from source. */
function panelDistDir(): string {
  return fs.existsSync(path.join(__dirname, 'webview.js')) ? __dirname : path.resolve(__dirname, '../../dist');
}

/** A link name as a file name: letters, digits, dot, dash and underscore. */
function safeFileName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'link';
}

/** Joins blocks into pieces of about 256 KB: one write per piece, not per packet. A piece is a
 * view of one reused buffer, valid until the next is asked for: the loop above writes each
 * piece before it asks. */
function* batchedBytes(blocks: Iterable<Uint8Array>): Generator<Uint8Array> {
  const buf = new Uint8Array(256 * 1024);
  let n = 0;
  for (const b of blocks) {
    if (n + b.length > buf.length && n) { yield buf.subarray(0, n); n = 0; }
    if (b.length >= buf.length) { yield b; continue; }
    buf.set(b, n);
    n += b.length;
  }
  if (n) yield buf.subarray(0, n);
}

/** Joins lines into pieces of about 64 KB: one write per piece, not per line. */
function* batched(lines: Iterable<string>): Generator<string> {
  let piece = '';
  for (const line of lines) {
    piece = piece ? `${piece}\n${line}` : line;
    if (piece.length >= 65536) { yield piece; piece = ''; }
  }
  if (piece) yield piece;
}
