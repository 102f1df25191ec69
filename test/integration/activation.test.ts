// The extension's activation time as the extension host sees it: from `activate()` to the
// language server started (main.ts awaits the client). Run first, before any .journey file is
// open; the e2e run writes the figure to test-results/e2e/activation.json for `npm run bench`.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';
import { results } from './reporter';

describe('Activation', function () {
  it('activates, and says how long it took', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    const alreadyActive = ext.isActive;
    const t0 = performance.now();
    await ext.activate();
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    assert.ok(ext.isActive);
    results.activation = { ms, alreadyActive, measuredAt: new Date().toISOString() };
    console.log(`[integration] activation: ${alreadyActive ? 'already active (no figure)' : `${ms} ms`}`);
  });
});
