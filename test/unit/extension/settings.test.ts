// package.json's settings and the one table the extension reads them through (settings.ts)
// must agree: a setting declared but never read does nothing, and one read but not declared
// has no description and no default in the Settings editor.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_SECTION, SETTINGS, clamp, oneOf, subsetOf } from '../../../src/extension/settings';
import { ROOT } from '../helpers';

interface ManifestSetting {
  type: string;
  default: unknown;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: { type: string; enum?: unknown[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ManifestSetting> } };
};
const declared = manifest.contributes.configuration.properties;

describe('settings: package.json and src/extension/settings.ts', () => {
  it('declare the same keys', () => {
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTINGS).map((k) => `${CONFIG_SECTION}.${k}`).sort());
  });

  for (const [key, spec] of Object.entries(SETTINGS)) {
    it(`${key}: same type, default and allowed values, with a description`, () => {
      const m = declared[`${CONFIG_SECTION}.${key}`];
      assert.ok(m, `package.json lacks ${CONFIG_SECTION}.${key}`);
      assert.equal(m.type, spec.type);
      assert.deepEqual(m.default, spec.default);
      assert.ok((m.description ?? m.markdownDescription ?? '').length > 20, 'a description that says what it does');
      switch (spec.type) {
        case 'string':
          assert.deepEqual(m.enum, [...spec.enum]);
          assert.ok((spec.enum as readonly string[]).includes(spec.default), 'the default is one of the values');
          break;
        case 'number':
          assert.equal(m.minimum, spec.minimum);
          assert.equal(m.maximum, spec.maximum);
          assert.ok(spec.default >= spec.minimum && spec.default <= spec.maximum);
          break;
        case 'array':
          assert.equal(m.items?.type, 'string');
          assert.deepEqual(m.items?.enum, [...spec.items]);
          break;
        case 'boolean':
          break;
      }
    });
  }
});

describe('settings: reading hand-edited values', () => {
  it('an unknown value falls back to the default', () => {
    assert.equal(oneOf('seconds', ['ms', 'us'], 'ms'), 'ms');
    assert.equal(oneOf('us', ['ms', 'us'], 'ms'), 'us');
    assert.equal(oneOf(undefined, ['1.2', '1.3'], '1.3'), '1.3');
  });

  it('a number is clamped to its range; not a number gives the default', () => {
    assert.equal(clamp(-5, 0, 5000, 300), 0);
    assert.equal(clamp(1e9, 0, 5000, 300), 5000);
    assert.equal(clamp('fast', 0, 5000, 300), 300);
    assert.equal(clamp(Number.NaN, 0, 5000, 300), 300);
  });

  it('a list of views keeps the known ones, once each, in the panel order', () => {
    const all = ['path', 'events', 'bytes'] as const;
    assert.deepEqual(subsetOf(['bytes', 'nonsense', 'path', 'bytes'], all, all), ['path', 'bytes']);
    assert.deepEqual(subsetOf('path', all, all), [...all]);
    assert.deepEqual(subsetOf([], all, all), []);
  });
});
