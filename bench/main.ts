// `npm run bench`: prints the simulation and language-server figures. Medians and p95 over
// repeated in-process runs; no figure here is asserted by a test.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runExportBench, runSimBench } from './sim';
import { runLspBench } from './lsp';
import { measureKeystrokes } from './lsp-large';

// hpack.js's dependency calls the deprecated Buffer() once: hide that one warning, as
// bin/journey.js and the extension's trace worker do.
process.removeAllListeners('warning');
process.on('warning', (w: NodeJS.ErrnoException) => { if (w.code !== 'DEP0005') console.error(`${w.name}: ${w.message}`); });

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  console.log(`Packet Journey benchmark (node ${process.version}, ${new Date().toISOString()})`);
  console.log('\n# Simulation');
  for (const l of runSimBench(root)) console.log(l);
  console.log('\n# Exports of a long transfer (in-process, into byte-counting sinks)');
  for (const l of runExportBench(root)) console.log(l);
  console.log('\n# Language server work (in-process)');
  for (const l of await runLspBench()) console.log(l);
  // Activation is measured inside a real VS Code by the e2e run; the bench reports its last figure.
  const activation = path.join(root, 'test-results', 'e2e', 'activation.json');
  console.log('\n# Extension activation (from the last `npm run test:e2e`)');
  if (fs.existsSync(activation)) {
    const a = JSON.parse(fs.readFileSync(activation, 'utf8')) as { ms?: number; vscodeVersion?: string; uiKind?: string };
    console.log(`activate() through the language server's start: ${a.ms} ms (VS Code ${a.vscodeVersion}, ${a.uiKind}; written ${fs.statSync(activation).mtime.toISOString()})`);
  } else console.log('no figure: run `npm run test:e2e` first (it writes test-results/e2e/activation.json)');
  console.log('\n# Language server over stdio: a keystroke in a 10 MiB document (degraded features)');
  for (const l of await measureKeystrokes(root, 10, 9)) console.log(l);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
