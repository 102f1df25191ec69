// Bundles this suite for an extension host: one CommonJS file (mocha included, `vscode` external)
// that VS Code loads as extensionTestsPath. Used by runTest.ts; test/e2e/run.mjs does the same.
import * as esbuild from 'esbuild';
import * as path from 'path';

export async function buildSuite(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'index.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // mocha's parallel mode (unused here) resolves files next to itself; harmless once bundled.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return outfile;
}
