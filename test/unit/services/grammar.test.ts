// The grammar test files (run by vscode-tmgrammar-test) must assert every scope the grammar
// can produce, so a new rule cannot slip in untested.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers';

describe('TextMate grammar tests', () => {
  it('assert every scope name of media/journey.tmLanguage.json', () => {
    const grammar = fs.readFileSync(path.join(ROOT, 'media', 'journey.tmLanguage.json'), 'utf8');
    const scopes = [...new Set([...grammar.matchAll(/"name": "([a-z][^"]*\.journey)"/g)].map((m) => m[1]))];
    const dir = path.join(ROOT, 'test', 'grammar');
    const tests = fs.readdirSync(dir).filter((f) => f.endsWith('.journey')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const asserted = new Set(tests.flatMap((t) => [...t.matchAll(/^#\s*(?:\^+|<-+)\s+(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/))));
    assert.ok(scopes.length >= 25);
    assert.deepEqual(scopes.filter((s) => !asserted.has(s)), []);
  });
});
