// The first run: the walkthrough's steps as the manifest declares them, New Journey with each
// template (traced as created, with the versions the settings ask for), the seed example broken
// on purpose, and "open the trace as text instead of the panel".
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Trace } from '../../src/core/trace/types';
import { NEW_JOURNEY_COMMAND, SEED_ID } from '../../src/extension/newJourney';
import { TEMPLATES } from '../../src/extension/templates';
import { EXTENSION_ID, waitFor } from './helpers';

const TRACE = 'packetJourney.tracePacket';

interface Step { id: string; title: string; description: string; completionEvents?: string[]; media: { markdown?: string; image?: string } }

async function closeUntitled(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('packetJourney').update(key, value, vscode.ConfigurationTarget.Global);
}

const summaries = (t: Trace): string => t.events.map((e) => e.summary).join('\n');

describe('First run', function () {
  afterEach(async function () {
    for (const key of ['newFile.tlsVersion', 'newFile.httpVersion', 'trace.openIn']) await setting(key, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('declares a walkthrough whose every step has a completion event and its markdown', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const walkthroughs = (ext.packageJSON as { contributes: { walkthroughs: { id: string; steps: Step[] }[] } }).contributes.walkthroughs;
    assert.strictEqual(walkthroughs.length, 1);
    const steps = walkthroughs[0].steps;
    assert.deepStrictEqual(steps.map((s) => s.id), ['openExample', 'tracePacket', 'stepThrough', 'injectFailure', 'newJourney']);
    for (const s of steps) {
      assert.ok(s.completionEvents?.length, `${s.id} has no completion event`);
      for (const e of s.completionEvents) assert.match(e, /^(onCommand|onContext):packetJourney\./);
      assert.ok(s.media.markdown, `${s.id} has no markdown`);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, s.media.markdown)));
      assert.match(text, /^# /, `${s.media.markdown} starts with a heading`);
    }
    // The links run commands that exist.
    const all = new Set(await vscode.commands.getCommands(true));
    for (const s of steps) for (const m of s.description.matchAll(/\(command:([\w.]+)/g)) assert.ok(all.has(m[1]), `${s.id} links to unknown ${m[1]}`);
  });

  for (const t of TEMPLATES) {
    it(`New Journey "${t.label}" opens a file that traces to a response`, async function () {
      const doc = await vscode.commands.executeCommand<vscode.TextDocument>(NEW_JOURNEY_COMMAND, t.id);
      assert.ok(doc, 'New Journey returns the new document');
      try {
        assert.strictEqual(doc.languageId, 'journey');
        assert.strictEqual(doc.uri.scheme, 'untitled', 'nothing is written until the user saves');
        assert.strictEqual(vscode.window.activeTextEditor?.document, doc, 'the new file is shown');
        const trace = await vscode.commands.executeCommand<Trace>(TRACE, doc.uri.toString());
        assert.ok(trace, 'Trace Packet returns the trace');
        assert.strictEqual(trace.outcome.ok, true, trace.outcome.symptom);
      } finally {
        await closeUntitled(doc);
      }
    });
  }

  it('New Journey writes the default TLS and HTTP versions of the settings', async function () {
    await setting('newFile.tlsVersion', '1.2');
    await setting('newFile.httpVersion', '1.1');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(NEW_JOURNEY_COMMAND, TEMPLATES[0].id);
    assert.ok(doc);
    try {
      assert.match(doc.getText(), /request \{[^}]*\n\s*http 1\.1\n\s*tls 1\.2\n/);
      const trace = await vscode.commands.executeCommand<Trace>(TRACE, doc.uri.toString());
      assert.ok(trace?.outcome.ok);
      assert.match(summaries(trace), /TLS 1\.2 (established|ready)/);
      assert.match(summaries(trace), /speak HTTP\/1\.1/);
    } finally {
      await closeUntitled(doc);
    }
  });

  it('the example opens, traces, and a `fail nxdomain` in its scenario makes the journey fail', async function () {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(NEW_JOURNEY_COMMAND, SEED_ID);
    assert.ok(doc);
    try {
      const ok = await vscode.commands.executeCommand<Trace>(TRACE, doc.uri.toString());
      assert.strictEqual(ok?.outcome.ok, true);
      const from = doc.getText().split('\n').findIndex((l) => l.trim() === 'from laptop');
      assert.ok(from > 0);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(from + 1, 0), '  fail nxdomain\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const failed = await waitFor('the failing trace', async () => {
        const t = await vscode.commands.executeCommand<Trace>(TRACE, doc.uri.toString());
        return t && !t.outcome.ok ? t : undefined;
      }, 20_000, 300);
      assert.match(failed.outcome.symptom ?? '', /NXDOMAIN/);
    } finally {
      await closeUntitled(doc);
    }
  });

  it('with trace.openIn = text, Trace Packet opens the trace as text instead of the panel', async function () {
    await setting('trace.openIn', 'text');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(NEW_JOURNEY_COMMAND, TEMPLATES[1].id);
    assert.ok(doc);
    try {
      const trace = await vscode.commands.executeCommand<Trace>(TRACE, doc.uri.toString());
      assert.ok(trace?.outcome.ok);
      const view = await waitFor('the trace as text', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'journey-trace' && d.uri.query === doc.uri.toString()));
      assert.match(view.getText(), /Outcome: the response reached the browser/);
      const panels = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
      assert.strictEqual(panels.length, 0, 'no panel opens');
    } finally {
      await closeUntitled(doc);
    }
  });
});
