// The import boundary (src/node/files.ts) as the builder sees it: what is refused, with which
// code, and that nothing of a refused file reaches the result.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNetwork } from '../../../src/core/model/build';
import { makeImportResolver } from '../../../src/node/files';

describe('model: imports inside a workspace boundary', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pj-imports-')));
    fs.mkdirSync(path.join(dir, 'ws', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'secret.journey'), 'host leaked {\n}\n');
    fs.writeFileSync(path.join(dir, 'ws', 'sub', 'lib.journey'), 'host shared {\n}\n');
    fs.writeFileSync(path.join(dir, 'ws', 'lib.txt'), 'host txt {\n}\n');
  });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const check = (text: string, policy: Parameters<typeof makeImportResolver>[0]): { codes: string[]; devices: string[]; messages: string } => {
    const r = buildNetwork(text, { file: path.join(dir, 'ws', 'main.journey'), resolveImport: makeImportResolver(policy) });
    return { codes: r.diagnostics.map((d) => d.code), devices: [...r.network.devices.keys()], messages: r.diagnostics.map((d) => d.message).join('\n') };
  };

  it('reads a .journey file inside the root, even in a subfolder', () => {
    assert.deepEqual(check('import "sub/lib.journey"\n', { root: path.join(dir, 'ws'), trusted: true }).devices, ['shared']);
  });

  it('refuses "..", absolute paths and other extensions, each with its code, and reads none of them', () => {
    const root = path.join(dir, 'ws');
    for (const [imp, code] of [['../secret.journey', 'import-outside-workspace'], [path.join(dir, 'secret.journey'), 'import-outside-workspace'], ['C:\\\\x.journey', 'import-outside-workspace'], ['lib.txt', 'import-not-journey']]) {
      const r = check(`import "${imp}"\n`, { root, trusted: true });
      assert.deepEqual(r.codes, [code], imp);
      assert.deepEqual(r.devices, [], imp);
    }
  });

  it('untrusted: nothing is read, whatever the path', () => {
    const r = check('import "sub/lib.journey"\n', { root: path.join(dir, 'ws'), trusted: false });
    assert.deepEqual(r.codes, ['import-untrusted']);
    assert.match(r.messages, /Restricted Mode/);
    assert.deepEqual(r.devices, []);
  });

  it('without a root, the importing file\'s folder is the boundary', () => {
    assert.deepEqual(check('import "../secret.journey"\n', { root: undefined, trusted: true }).codes, ['import-outside-workspace']);
    assert.deepEqual(check('import "sub/lib.journey"\n', { root: undefined, trusted: true }).devices, ['shared']);
  });

  it('unsaved editor text is used only for files inside the boundary', () => {
    const openText = (f: string): string | undefined => (f.endsWith('.journey') ? 'host unsaved {\n}\n' : undefined);
    assert.deepEqual(check('import "sub/new.journey"\n', { root: path.join(dir, 'ws'), trusted: true, openText }).devices, ['unsaved']);
    assert.deepEqual(check('import "../secret.journey"\n', { root: path.join(dir, 'ws'), trusted: true, openText }).devices, []);
  });
});
