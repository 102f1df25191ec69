// The trace panel's host in a real extension host: the commands, the panel (its view type, one
// per file), the text view, re-tracing on edits, and the pure parts the host relies on (which
// statement the cursor is in, which panel messages it accepts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Trace } from '../../src/core/trace/types';
import { CONFIG_KEYS, CONFIG_SECTION } from '../../src/extension/config';
import { focusAt } from '../../src/extension/editorFocus';
import { parseFromPanel, parsePersistedState } from '../../src/extension/panelMessages';
import { exportBytes } from '../../src/extension/exports';
import { NEW_JOURNEY_COMMAND } from '../../src/extension/newJourney';
import { EXPORT_COMMANDS, OPEN_TEXT_COMMAND } from '../../src/extension/traceCommands';
import { TRACE_VIEW_TYPE } from '../../src/extension/tracePanel';
import { EXTENSION_ID, examplesDir, waitFor } from './helpers';

const TRACE = 'packetJourney.tracePacket';

/** The open tabs showing a trace panel (a webview tab's viewType carries a prefix of VS Code's). */
function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(TRACE_VIEW_TYPE));
}

function textViews(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'journey-trace');
}

function lineOf(doc: vscode.TextDocument, start: string): number {
  const i = doc.getText().split('\n').findIndex((l) => l.startsWith(start));
  assert.ok(i >= 0, `no line starting with "${start}"`);
  return i;
}

describe('The trace panel host', function () {
  let scratch: string;
  let doc: vscode.TextDocument;

  before(async function () {
    // Panels another suite left open (features.test traces too) would be counted as ours.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('no trace panel left open', () => panelTabs().length === 0, 10_000);
    // A copy of the example, so edits never touch the workspace the other suites read.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-panel-'));
    const file = path.join(scratch, 'follow-a-packet.journey');
    fs.copyFileSync(path.join(examplesDir(), 'follow-a-packet.journey'), file);
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { preview: false });
  });

  after(async function () {
    // The copy was edited and never saved: revert it, or closing would ask whether to save.
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('registers Trace Packet, Open Trace as Text and the four exports', async function () {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of [TRACE, OPEN_TEXT_COMMAND, NEW_JOURNEY_COMMAND, ...Object.keys(EXPORT_COMMANDS)]) assert.ok(all.has(id), `command ${id} is not registered`);
  });

  it('declares in package.json every command, setting and the panel activation it uses', function () {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      activationEvents: string[];
      capabilities: { untrustedWorkspaces: { supported: unknown; description?: string } };
      contributes: { commands: { command: string }[]; configuration: { properties: Record<string, unknown> }; keybindings: { command: string; key: string }[] };
    };
    assert.ok(pkg, 'the extension is not installed');
    const declared = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepStrictEqual(declared, [TRACE, OPEN_TEXT_COMMAND, NEW_JOURNEY_COMMAND, ...Object.keys(EXPORT_COMMANDS)].sort());
    assert.deepStrictEqual(Object.keys(pkg.contributes.configuration.properties).sort(), CONFIG_KEYS.map((k) => `${CONFIG_SECTION}.${k}`).sort());
    assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${TRACE_VIEW_TYPE}`), 'no onWebviewPanel activation: a restored panel would stay blank');
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description ?? '', /import/i);
    assert.ok(pkg.contributes.keybindings.some((k) => k.command === TRACE && k.key === 'ctrl+alt+t'));
  });

  it('opens one trace panel beside the file, and tracing again reveals the same panel', async function () {
    const trace = await vscode.commands.executeCommand<Trace>(TRACE, doc.uri.toString(), 'first-visit');
    assert.ok(trace, 'Trace Packet returns the trace');
    assert.strictEqual(trace.scenario, 'first-visit');
    assert.strictEqual(trace.outcome.ok, true);
    const tabs = await waitFor('a trace panel tab', () => (panelTabs().length ? panelTabs() : undefined), 20_000);
    assert.strictEqual(tabs.length, 1);
    assert.match(tabs[0].label, /follow-a-packet\.journey/);
    const sourceColumn = vscode.window.visibleTextEditors.find((e) => e.document === doc)?.viewColumn;
    assert.ok(sourceColumn, 'the traced file stays visible');
    assert.notStrictEqual(tabs[0].group.viewColumn, sourceColumn, 'the panel opens beside the file, not over it');
    assert.strictEqual(vscode.window.activeTextEditor?.document, doc, 'the panel opens without taking the focus');

    await vscode.commands.executeCommand(TRACE, doc.uri.toString());
    const after = panelTabs();
    assert.strictEqual(after.length, 1, `a second Trace Packet on the same file opened a second panel: ${after.map((t) => `${t.label} in column ${t.group.viewColumn}`).join(', ')}`);
  });

  it('opens the same trace as text with "Open Trace as Text"', async function () {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand(OPEN_TEXT_COMMAND);
    const view = await waitFor('the trace text document', () => textViews().find((d) => d.uri.query === doc.uri.toString()), 20_000);
    assert.match(view.getText(), /Request 1: [\d.]+ ms/);
    assert.match(view.getText(), /first-visit/);
  });

  it('traces again when the file changes, and keeps the last trace while the file has errors', async function () {
    const view = () => textViews().find((d) => d.uri.query === doc.uri.toString());
    assert.ok(view(), 'the text view is open (previous test)');
    const latencyLine = lineOf(doc, 'link wifi') + 3;
    assert.match(doc.lineAt(latencyLine).text, /latency 1ms/);
    const before = view()!.getText();

    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, doc.lineAt(latencyLine).range, '  latency 40ms');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await waitFor('the text view to follow the edit', () => (view()!.getText() !== before ? view()!.getText() : undefined), 20_000);
    const total = (t: string) => Number(/Request 1: ([\d.]+) ms/.exec(t)?.[1]);
    assert.ok(total(after) > total(before) + 100, `request 1 took ${total(before)} ms, then ${total(after)} ms with a slower Wi-Fi`);

    const broken = new vscode.WorkspaceEdit();
    broken.insert(doc.uri, new vscode.Position(0, 0), 'bogus-keyword x\n');
    assert.ok(await vscode.workspace.applyEdit(broken));
    const stale = await waitFor('the text view to say the file cannot be traced', () => (view()!.getText().startsWith('(The file cannot be traced') ? view()!.getText() : undefined), 20_000);
    assert.match(stale, /Request 1: [\d.]+ ms/, 'the last good trace stays under the message');
  });

  it('works out which device, link, rule or scenario the cursor is in', async function () {
    const file = path.join(examplesDir(), 'follow-a-packet.journey');
    const example = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const trace = await vscode.commands.executeCommand<Trace>(TRACE, example.uri.toString());
    assert.ok(trace);
    const text = example.getText();
    const at = (line: number) => focusAt(text, line, trace, file);
    const router = lineOf(example, 'router home-router');
    assert.deepStrictEqual(at(router + 2), { kind: 'device', name: 'home-router', line: router });
    const wifi = lineOf(example, 'link wifi');
    assert.deepStrictEqual(at(wifi + 2), { kind: 'link', name: 'wifi', line: wifi });
    const nat = example.getText().split('\n').findIndex((l) => l.trim().startsWith('nat masquerade'));
    assert.deepStrictEqual(at(nat + 1), { kind: 'rule', name: 'nat masquerade', line: nat });
    const scenario = lineOf(example, 'scenario first-visit');
    assert.deepStrictEqual(at(scenario + 1), { kind: 'scenario', name: 'first-visit', line: scenario });
    assert.strictEqual(at(0), undefined, 'a comment is nothing the panel shows');
  });

  it('accepts only the panel messages of the protocol', function () {
    assert.deepStrictEqual(parseFromPanel({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseFromPanel({ type: 'export', format: 'html' }), { type: 'export', format: 'html' });
    const source = { file: '/a.journey', start: { line: 3, character: 2 }, end: { line: 3, character: 9 } };
    assert.deepStrictEqual(parseFromPanel({ type: 'reveal', source }), { type: 'reveal', source });
    for (const junk of [null, 'ready', [], { type: 'export', format: 'exe' }, { type: 'reveal', source: { file: '/a', start: { line: -1, character: 0 } } }, { type: 'eval', code: '1' }]) {
      assert.strictEqual(parseFromPanel(junk), undefined, `accepted ${JSON.stringify(junk)}`);
    }
    assert.deepStrictEqual(parsePersistedState({ file: 'file:///a.journey', selection: { event: 4, link: 'wifi', junk: 1 } }), { file: 'file:///a.journey', selection: { event: 4, link: 'wifi' } });
    assert.strictEqual(parsePersistedState({ selection: {} }), undefined);
  });

  it('exports the trace as pcapng, JSON, Mermaid and a self-contained HTML report', async function () {
    const trace = await vscode.commands.executeCommand<Trace>(TRACE, doc.uri.toString());
    assert.ok(trace);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const dist = vscode.Uri.joinPath(ext.extensionUri, 'dist').fsPath;
    const pcap = exportBytes(trace, 'pcapng', dist);
    assert.strictEqual(Buffer.from(pcap.subarray(0, 4)).toString('hex'), '0a0d0d0a', 'a pcapng file starts with a Section Header Block');
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    assert.deepStrictEqual(JSON.parse(decode(exportBytes(trace, 'json', dist))).outcome, trace.outcome);
    assert.match(decode(exportBytes(trace, 'mermaid', dist)), /^sequenceDiagram/m);
    const html = decode(exportBytes(trace, 'html', dist));
    assert.match(html, /<script type="application\/json" id="journey-trace">/);
    assert.match(html, /Content-Security-Policy/);
    assert.doesNotMatch(html, /<script[^>]+src=/, 'the report loads no script from elsewhere');
  });

  it('says plainly when a file cannot be traced, without opening a panel', async function () {
    const broken = vscode.Uri.file(path.join(examplesDir(), 'broken.journey'));
    const result = await vscode.commands.executeCommand<Trace | undefined>(TRACE, broken.toString());
    assert.strictEqual(result, undefined);
    // Only this file's panel matters: another test's panel may still be settling.
    const opened = panelTabs().filter((t) => t.label === 'Trace: broken.journey');
    assert.deepStrictEqual(opened.map((t) => t.label), [], 'no panel for a file that cannot be traced');
  });
});
