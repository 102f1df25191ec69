// The simulation on a worker thread, as the extension runs it (dist/traceWorker.js, built by
// `npm run build`): the trace comes back intact, a newer job cancels the running one, a job past
// its time is stopped with a message, and the worker prints no deprecation warning.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../../../src/core/model/build';
import { simulate } from '../../../src/core/sim/run';
import { TraceRunner } from '../../../src/extension/traceRunner';
import { ROOT, example } from '../helpers';

const WORKER = path.join(ROOT, 'dist', 'traceWorker.js');

describe('TraceRunner (the simulation on a worker thread)', function () {
  this.timeout(60_000);
  let runner: TraceRunner;
  const seed = example('follow-a-packet.journey');
  const file = path.join(ROOT, 'examples', 'follow-a-packet.journey');

  before(function () {
    if (!fs.existsSync(WORKER)) {
      console.log(`    (skipped: ${path.relative(ROOT, WORKER)} is not built; run npm run build first)`);
      this.skip();
    }
  });
  beforeEach(() => { runner = new TraceRunner(WORKER); });
  afterEach(() => runner.dispose());

  it('gives back the same trace as the simulation in process', async () => {
    const result = await runner.run({ text: seed, file }, 30_000);
    assert.ok(result?.ok, result && !result.ok ? result.error : 'cancelled');
    const direct = simulate(buildNetwork(seed, { file }));
    assert.ok(direct.ok);
    assert.deepEqual(result.trace, JSON.parse(JSON.stringify(direct.trace)));
  });

  it('a newer job cancels the running one; only the newer answers', async () => {
    const first = runner.run({ text: seed, file }, 30_000);
    const second = runner.run({ text: seed.replace('body 256B', 'body 512B'), file }, 30_000);
    assert.equal(await first, undefined);
    const r = await second;
    assert.ok(r?.ok);
    assert.ok(r.trace.events.some((e) => /512 bytes/.test(e.summary)));
  });

  it('stops a job that runs past its time, with a message that says what to do', async () => {
    const r = await runner.run({ text: seed, file }, 1);
    assert.ok(r && !r.ok);
    assert.match(r.error, /did not finish within .* and was stopped.*packetJourney\.trace\.timeoutSeconds/);
    // The runner still works after a stopped job.
    const again = await runner.run({ text: seed, file }, 30_000);
    assert.ok(again?.ok);
  });

  it('a file with errors gives the first one and its line', async () => {
    const r = await runner.run({ text: 'host a {\n  interface eth0 {\n', file: '/x/broken.journey' }, 30_000);
    assert.ok(r && !r.ok);
    assert.equal(typeof r.line, 'number');
    assert.ok(r.error.length > 10);
  });

  it('prints no DEP0005 (Buffer()) warning from the HTTP/2 code', async () => {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      const r = await runner.run({ text: seed, file }, 30_000);
      assert.ok(r?.ok);
      runner.dispose(); // the worker's stderr is flushed when it ends
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(written.filter((w) => /DEP0005|Buffer\(\) is deprecated/.test(w)), []);
  });
});

describe('TraceRunner with a long transfer', function () {
  this.timeout(300_000);
  it('an 8 MB body traces on the worker and arrives whole', async () => {
    const runner = new TraceRunner(WORKER);
    try {
      const file = path.join(ROOT, 'examples', 'follow-a-packet.journey');
      const text = example('follow-a-packet.journey').replace(/body 256B/, 'body 8MB').replace(/requests 2\b/, 'requests 1');
      const r = await runner.run({ text, file }, 280_000);
      assert.ok(r?.ok, r && !r.ok ? r.error : 'cancelled');
      assert.ok(r.trace.packets.length > 100_000);
      assert.equal(r.trace.packets.at(-1)?.id, r.trace.packets.length - 1);
      assert.equal(typeof r.trace.packets[5].bytes, 'string');
    } finally { runner.dispose(); }
  });
});
