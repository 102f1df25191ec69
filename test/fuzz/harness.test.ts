// The fuzz harness itself: the pool and the property must classify each kind of misbehaviour of
// the CLI (an exception, exit 3, a hang, running out of memory, check/trace disagreeing), and
// the mutator must be deterministic for a seed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from './pool';
import { signature } from './property';
import { loadCorpus, makeCase } from './mutate';

describe('fuzz harness: pool and property', function () {
  this.timeout(60_000);
  let pool: Pool;
  let dir: string;
  before(() => {
    pool = new Pool({ size: 2, timeoutMs: 3000, heapMb: 64, cli: path.join(__dirname, 'fake-cli.ts'), loadScaling: false, absoluteFactor: 3 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-fuzz-harness-'));
  });
  after(async () => { await pool.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  const run = (behaviour: string) => {
    const file = path.join(dir, `${behaviour}.journey`);
    fs.writeFileSync(file, '');
    return pool.run({ file, traceArgs: [] });
  };

  it('passes a well-behaved CLI and a refused file', async () => {
    assert.deepEqual([(await run('fine')).ok, (await run('errors')).ok], [true, true]);
  });
  it('reports an exception and exit 3 as crashes, with a class', async () => {
    const [thrown, exit3] = await Promise.all([run('throw'), run('exit3')]);
    assert.equal(thrown.kind, 'crash');
    assert.match(thrown.message ?? '', /TypeError: fake failure/);
    assert.equal(exit3.kind, 'crash');
    assert.equal(signature(exit3), 'crash: WireError: fake @ core/wire/fake.ts encode');
  });
  it('stops a hang at the timeout and keeps working', async () => {
    const v = await run('hang');
    assert.equal(v.kind, 'hang');
    assert.ok(v.ms >= 3000, `after ${v.ms} ms`);
    assert.equal((await run('fine')).ok, true);
  });
  it('lets a case that keeps writing run past the idle bound, up to the absolute bound', async () => {
    const [streams, chatter] = await Promise.all([run('streams'), run('chatter')]);
    assert.equal(streams.ok, true, streams.message);
    assert.ok(streams.ms >= 4500, `the stream ran ${streams.ms} ms`);
    assert.equal(chatter.kind, 'hang');
    assert.match(chatter.message ?? '', /still writing after 9000 ms/);
  });
  it('reports running out of memory and keeps working', async () => {
    const v = await run('oom');
    assert.equal(v.kind, 'oom', v.message);
    assert.equal((await run('fine')).ok, true);
  });
  it('flags trace refusing what check accepted, and an exit without a message', async () => {
    const [refuse, silent] = await Promise.all([run('refuse'), run('silent')]);
    assert.equal(refuse.kind, 'property');
    assert.match(refuse.message ?? '', /check accepted the file but trace refused it/);
    assert.equal(silent.kind, 'property');
  });
});

describe('fuzz harness: mutator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const corpus = loadCorpus();
    const a = Array.from({ length: 20 }, (_, i) => makeCase(7, i, corpus));
    const b = Array.from({ length: 20 }, (_, i) => makeCase(7, i, corpus));
    const c = Array.from({ length: 20 }, (_, i) => makeCase(8, i, corpus));
    assert.deepEqual(a.map((k) => [k.mutations, k.files.get(k.main)]), b.map((k) => [k.mutations, k.files.get(k.main)]));
    assert.notDeepEqual(a.map((k) => k.mutations), c.map((k) => k.mutations));
    assert.ok(a.every((k) => k.mutations.length > 0 && k.files.get(k.main) !== undefined));
  });
});
