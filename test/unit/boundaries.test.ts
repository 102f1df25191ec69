import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('architecture boundaries', () => {
  it('src/core imports nothing from vscode, the language server, node built-ins or the DOM', () => {
    const bad = /from\s+['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|node:[^'"]+|fs|path|os|child_process|net|dgram|http|https|crypto|buffer|url)['"]|require\(['"](vscode|fs|path|os|crypto)['"]\)|\b(document|window)\.[a-z]/;
    const offenders = files(path.join(ROOT, 'src', 'core')).filter((f) => bad.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f));
    assert.deepEqual(offenders, []);
  });
});
