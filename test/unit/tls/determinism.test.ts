// A trace is reproducible with its TLS (issue #13): keys, certificates, signatures and records
// come from the scenario's seed, so the same file gives the same capture byte for byte, in one
// process (where results are cached) as in a fresh one, and another seed gives other keys.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { traceToPcapng } from '../../../src/core/export/trace-pcap';
import { ROOT } from '../helpers';
import { SEED, traceOf } from '../sim/helpers';

const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('TLS: the same seed gives the same keys, certificates and ciphertext', function () {
  this.timeout(30000);

  it('twice in one process: the same capture and key log; another seed: other secrets and ciphertext', () => {
    const a = traceOf(SEED);
    const b = traceOf(SEED);
    assert.deepEqual(a.tlsKeyLog, b.tlsKeyLog);
    assert.equal(digest(traceToPcapng(a)), digest(traceToPcapng(b)));
    const c = traceOf(SEED, ['seed 42', 'seed 43']);
    const secrets = (t: typeof a): string[] => (t.tlsKeyLog ?? []).map((l) => l.split(' ')[2]);
    assert.equal(secrets(c).length, 4);
    assert.ok(secrets(c).every((s) => !secrets(a).includes(s)), 'no secret in common');
  });

  it('in a fresh process (nothing cached): the same key log as here', () => {
    const here = traceOf(SEED).tlsKeyLog ?? [];
    const file = path.join(ROOT, 'examples', 'follow-a-packet.journey');
    const script = `const { buildNetwork } = require(${JSON.stringify(path.join(ROOT, 'src/core/model/build'))});
const { simulate } = require(${JSON.stringify(path.join(ROOT, 'src/core/sim/run'))});
const { resolveImportFromDisk } = require(${JSON.stringify(path.join(ROOT, 'src/node/files'))});
const fs = require('node:fs');
const r = simulate(buildNetwork(fs.readFileSync(${JSON.stringify(file)}, 'utf8'), { file: ${JSON.stringify(file)}, resolveImport: resolveImportFromDisk }));
process.stdout.write(JSON.stringify(r.ok ? r.trace.tlsKeyLog : r.error));`;
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.deepEqual(JSON.parse(out), here);
    assert.equal(here.length, 4);
  });
});
