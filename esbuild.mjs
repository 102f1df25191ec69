// One build for every entry point: the extension host, the language server, the CLI, the
// benchmark (node, cjs, `vscode` external) and the webview (browser).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = { bundle: true, minify: !watch, sourcemap: true, logLevel: 'warning', target: 'es2022' };
const node = { ...common, platform: 'node', format: 'cjs', external: ['vscode'] };

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/main.ts' }, outdir: 'dist' },
  // The simulation off the extension host's thread (a worker_threads Worker of the extension).
  { ...node, entryPoints: { traceWorker: 'src/extension/traceWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { server: 'src/server/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { bench: 'bench/main.ts' }, outdir: 'dist' },
  // The panel: one script and one style sheet (webview/main.ts imports its CSS), loaded by the
  // webview by URI and inlined by the HTML report. iife: the CSP admits one nonce'd script.
  { ...common, platform: 'browser', format: 'iife', entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist', tsconfig: 'webview/tsconfig.json' },
];
const existing = (await import('node:fs')).existsSync;
const wanted = builds.filter((b) => Object.values(b.entryPoints).every((p) => existing(p)));
if (watch) {
  for (const b of wanted) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(wanted.map((b) => esbuild.build(b)));
}
