// Editor features through the real VS Code API: completion, hover, the Trace Packet command
// and the hop hover it enables, and the code lens.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { examplesDir, waitFor } from './helpers';

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('Packet Journey editor features in the extension host', function () {
  let doc: vscode.TextDocument;

  before(async function () {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(examplesDir(), 'follow-a-packet.journey')));
    await vscode.window.showTextDocument(doc);
  });

  it('completes device names after "between "', async function () {
    const line = doc.getText().split('\n').findIndex((l) => l.includes('between laptop.wlan0 home-ap.radio'));
    const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('laptop'));
    const list = await waitFor('device names in completion', async () => {
      const r = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
      const labels = r.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return labels.some((l) => l.startsWith('home-router')) ? labels : undefined;
    });
    assert.ok(list.some((l) => l.startsWith('laptop')), list.join(', '));
  });

  it('shows a device summary when hovering its name', async function () {
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('router home-router'));
    const pos = new vscode.Position(line, 'router '.length + 2);
    const text = await waitFor('a hover on home-router', async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
      return t.includes('home-router') ? t : undefined;
    });
    assert.match(text, /192\.168\.1\.1/);
    assert.match(text, /73\.45\.22\.100/);
  });

  it('offers "Trace Packet" as a code lens above the scenario', async function () {
    const lenses = await waitFor('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l?.length ? l : undefined;
    });
    assert.ok(lenses.some((l) => l.command?.command === 'packetJourney.tracePacket'));
  });

  it('traces the scenario, and then hovers show a hop\'s headers', async function () {
    const trace = await vscode.commands.executeCommand<{ outcome: { ok: boolean; totals: number[] }; scenario: string }>('packetJourney.tracePacket', doc.uri.toString(), 'first-visit');
    assert.ok(trace, 'the command returns the trace');
    assert.equal(trace.outcome.ok, true);
    assert.equal(trace.outcome.totals.length, 2);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('router home-router'));
    const pos = new vscode.Position(line, 'router '.length + 2);
    const text = await waitFor('packet headers in the hover', async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
      return /Last packet/i.test(t) ? t : undefined;
    });
    assert.match(text, /ttl|TTL/);
  });
});
