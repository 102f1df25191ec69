// The extension in a real extension host: language registration, activation, and diagnostics from
// the language server, on open and as the user types.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  codeOf,
  describeDiagnostics,
  diagnosticsChanged,
  errorsOf,
  examplesDir,
  EXTENSION_ID,
  LANGUAGE_ID,
  linesContaining,
  open,
  waitFor,
} from './helpers';

const UNKNOWN_NAME_MARKER = '# error: unknown-name';
// Generous: the first publication includes starting the language server in a cold extension host.
const FIRST_DIAGNOSTICS_MS = 45_000;
const EDIT_DIAGNOSTICS_MS = 20_000;

describe('Packet Journey in the extension host', function () {
  let examples: string;
  let broken: vscode.Uri;
  let valid: vscode.Uri;
  const scratch: string[] = [];

  before(function () {
    examples = examplesDir();
    broken = vscode.Uri.file(path.join(examples, 'broken.journey'));
    valid = vscode.Uri.file(path.join(examples, 'follow-a-packet.journey'));
    assert.ok(fs.existsSync(valid.fsPath), `missing ${valid.fsPath}`);
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of scratch) fs.rmSync(f, { recursive: true, force: true });
  });

  it('is installed and activates when a .journey file opens', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
    const editor = await open(broken.fsPath);
    assert.strictEqual(editor.document.languageId, LANGUAGE_ID);
    await waitFor(`${EXTENSION_ID} to activate`, () => ext.isActive, 30_000);
  });

  it('reports unknown-name as an Error on the marked line of broken.journey', async function () {
    const doc = await vscode.workspace.openTextDocument(broken);
    assert.strictEqual(doc.languageId, LANGUAGE_ID);
    const markerLines = linesContaining(doc, UNKNOWN_NAME_MARKER);
    assert.ok(markerLines.length > 0, `broken.journey has no line with "${UNKNOWN_NAME_MARKER}"`);

    const unknown = await waitFor(
      () => `an Error with code unknown-name on ${broken.fsPath}; have:\n${describeDiagnostics(broken)}`,
      () => {
        const found = errorsOf(broken).filter((d) => codeOf(d) === 'unknown-name');
        return found.length > 0 ? found : undefined;
      },
      FIRST_DIAGNOSTICS_MS,
    );
    const lines = unknown.map((d) => d.range.start.line);
    for (const line of markerLines) {
      assert.ok(
        lines.includes(line),
        `expected unknown-name on line ${line + 1} ("${doc.lineAt(line).text.trim()}"), got lines ${lines.map((l) => l + 1).join(', ')}\n${describeDiagnostics(broken)}`,
      );
    }
    for (const d of unknown) assert.ok(d.message.length > 0, 'an unknown-name diagnostic has an empty message');
  });

  it('reports the other deliberate errors of broken.journey too', async function () {
    // broken.journey holds more than the unknown name (a syntax error at least); by the file's own
    // convention each line ending in "# error: code [code...]" has a diagnostic with each code there.
    const doc = await vscode.workspace.openTextDocument(broken);
    await waitFor(
      () => `a second Error on broken.journey; have:\n${describeDiagnostics(broken)}`,
      () => errorsOf(broken).some((d) => codeOf(d) !== 'unknown-name'),
      EDIT_DIAGNOSTICS_MS,
    );
    const missing: string[] = [];
    const all = vscode.languages.getDiagnostics(broken);
    for (let line = 0; line < doc.lineCount; line++) {
      const m = /#\s*error:\s*(.+)$/.exec(doc.lineAt(line).text);
      if (!m) continue;
      for (const code of m[1].trim().split(/\s+/)) {
        if (!all.some((d) => d.range.start.line === line && String(codeOf(d)) === code)) missing.push(`${code} on line ${line + 1}`);
      }
    }
    assert.deepStrictEqual(missing, [], `marked errors not reported:\n${describeDiagnostics(broken)}`);
  });

  it('reports no Error on follow-a-packet.journey', async function () {
    // Runs after broken.journey had its diagnostics, so the server is up: the publication for this
    // file follows its opening quickly (an empty list still fires onDidChangeDiagnostics).
    const published = diagnosticsChanged(valid, EDIT_DIAGNOSTICS_MS);
    const editor = await open(valid.fsPath);
    assert.strictEqual(editor.document.languageId, LANGUAGE_ID);
    const sawPublication = await published;
    if (!sawPublication) console.warn('[integration] no diagnostics publication seen for follow-a-packet.journey');
    assert.deepStrictEqual(
      errorsOf(valid).map((d) => `${codeOf(d)} @${d.range.start.line + 1}: ${d.message}`),
      [],
      `follow-a-packet.journey should have no Error diagnostics:\n${describeDiagnostics(valid)}`,
    );
  });

  it('reports a new error as a bad line is typed, and clears it when the line goes', async function () {
    // A copy of the valid example outside the workspace, edited in memory and never saved.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-integration-'));
    const file = path.join(dir, 'edited.journey');
    fs.copyFileSync(valid.fsPath, file);
    scratch.push(file, dir);
    const uri = vscode.Uri.file(file);

    const published = diagnosticsChanged(uri, EDIT_DIAGNOSTICS_MS);
    const editor = await open(file);
    assert.strictEqual(editor.document.languageId, LANGUAGE_ID);
    await published;
    const before = errorsOf(uri).length;
    assert.strictEqual(before, 0, `copy of follow-a-packet.journey has errors:\n${describeDiagnostics(uri)}`);

    const badLine = 'bogus-keyword x\n';
    const insert = new vscode.WorkspaceEdit();
    insert.insert(uri, new vscode.Position(0, 0), badLine);
    assert.ok(await vscode.workspace.applyEdit(insert), 'applyEdit (insert) failed');
    assert.ok(editor.document.isDirty);
    const added = await waitFor(
      () => `an Error on line 1 after inserting "${badLine.trim()}"; have:\n${describeDiagnostics(uri)}`,
      () => errorsOf(uri).find((d) => d.range.start.line === 0),
      EDIT_DIAGNOSTICS_MS,
    );
    assert.ok(added.message.length > 0);

    const remove = new vscode.WorkspaceEdit();
    remove.delete(uri, new vscode.Range(0, 0, 1, 0));
    assert.ok(await vscode.workspace.applyEdit(remove), 'applyEdit (delete) failed');
    await waitFor(
      () => `the errors to clear after deleting the bad line; have:\n${describeDiagnostics(uri)}`,
      () => errorsOf(uri).length === 0,
      EDIT_DIAGNOSTICS_MS,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
