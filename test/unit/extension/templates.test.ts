// Every New Journey template traces cleanly as created, whatever TLS and HTTP versions the
// settings ask for: no error or warning, and the response reaches the browser.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../../../src/core/model/build';
import { simulate } from '../../../src/core/sim/run';
import { HTTP_VERSIONS, TLS_VERSIONS } from '../../../src/extension/settings';
import { TEMPLATES, fillTemplate } from '../../../src/extension/templates';
import { ROOT } from '../helpers';

const read = (file: string): string => fs.readFileSync(path.join(ROOT, 'media', 'templates', file), 'utf8');

describe('New Journey templates', () => {
  it('the table names every template file, and every file is in the table', () => {
    const files = fs.readdirSync(path.join(ROOT, 'media', 'templates')).filter((f) => f.endsWith('.journey')).sort();
    assert.deepEqual(TEMPLATES.map((t) => t.file).sort(), files);
    assert.equal(new Set(TEMPLATES.map((t) => t.id)).size, TEMPLATES.length);
  });

  for (const t of TEMPLATES) {
    for (const tls of TLS_VERSIONS) {
      for (const http of HTTP_VERSIONS) {
        it(`${t.id} with TLS ${tls} and HTTP ${http}: checks clean and traces to a response`, () => {
          const text = fillTemplate(read(t.file), { tls, http });
          const built = buildNetwork(text, { file: `/new/${t.file}` });
          const loud = built.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
          assert.deepEqual(loud.map((d) => `${d.severity} ${d.code}: ${d.message}`), []);
          const result = simulate(built);
          assert.ok(result.ok, result.ok ? '' : result.error);
          assert.equal(result.trace.outcome.ok, true, result.trace.outcome.symptom);
          // The versions asked for are the versions the client negotiated.
          const summaries = result.trace.events.map((e) => e.summary).join('\n');
          assert.match(summaries, new RegExp(`TLS ${tls.replace('.', '\\.')} (established|ready)`));
          assert.match(summaries, http === '2' ? /ALPN chose h2|speak HTTP\/2/ : /speak HTTP\/1\.1/);
        });
      }
    }
  }

  it('sets the versions of the request only, not a listener\'s offer', () => {
    const text = ['listener https 443 {', '  tls 1.2 1.3', '}', 'scenario s {', '  request {', '    http 2   # the client', '    tls 1.3', '  }', '}', 'tls 1.3'].join('\n');
    const out = fillTemplate(text, { tls: '1.2', http: '1.1' }).split('\n');
    assert.equal(out[1], '  tls 1.2 1.3');
    assert.equal(out[5], '    http 1.1   # the client');
    assert.equal(out[6], '    tls 1.2');
    assert.equal(out[9], 'tls 1.3');
  });

  it('leaves a template without versions as it is', () => {
    const text = 'scenario s {\n  request {\n    url "http://x/"\n  }\n}\n';
    assert.equal(fillTemplate(text, { tls: '1.2', http: '1.1' }), text);
  });
});
