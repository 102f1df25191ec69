import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reference } from '../../scripts/gen-language-reference';
import { SCHEMA } from '../../src/core/language/schema';
import { ROOT } from './helpers';

describe('documentation and grammar follow the schema', () => {
  it('docs/language.md ends with the reference generated from the schema', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'language.md'), 'utf8');
    assert.ok(doc.endsWith(reference()), 'run: npx tsx scripts/gen-language-reference.ts');
  });
  it('the TextMate grammar highlights every block keyword as a declaration', () => {
    const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'media', 'journey.tmLanguage.json'), 'utf8')) as { repository: { declaration: { match: string } } };
    const declared = new Set(/\(([a-z|-]+)\)/.exec(grammar.repository.declaration.match)?.[1].split('|'));
    const blockKeywords = Object.values(SCHEMA).flat().filter((k) => k.block && k.args[0]?.value.type === 'name').map((k) => k.keyword);
    for (const k of blockKeywords) assert.ok(declared.has(k), `grammar misses ${k}`);
  });
});
