// The JSON export writes snapshots by hand for speed: for every example and a long transfer it
// must be byte for byte JSON.stringify of the trace with every snapshot's views made.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { traceJsonLines } from '../../../src/core/export/json';
import { simulate } from '../../../src/core/sim/run';
import type { Trace } from '../../../src/core/trace/types';
import { ROOT, build } from '../helpers';

function traceFile(file: string, edit: (text: string) => string = (t) => t): Trace {
  const b = build(edit(fs.readFileSync(file, 'utf8')), file);
  const r = simulate(b);
  if (!r.ok) throw new Error(r.error);
  return r.trace;
}

const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.journey') && f !== 'broken.journey');

describe('export: the streamed JSON is JSON.stringify of the materialised trace', () => {
  for (const name of examples) {
    it(`${name}`, () => {
      const streamed = [...traceJsonLines(traceFile(path.join(ROOT, 'examples', name)))].join('\n');
      // a second trace, every snapshot read through its getters, as the panel would
      const t = traceFile(path.join(ROOT, 'examples', name));
      assert.ok(t.packets.length > 0, 'the example sends packets');
      assert.equal(streamed, JSON.stringify(t, null, 2));
    });
  }

  it('a 1 MB response (thousands of segments, snapshots streamed before and after being read)', function () {
    this.timeout(60_000);
    const file = path.join(ROOT, 'examples', 'follow-a-packet.journey');
    const big = (text: string): string => text.replace(/body 256B/, 'body 1MB').replace(/requests 2\b/, 'requests 1');
    const t = traceFile(file, big);
    assert.ok(t.packets.length > 5000, `${t.packets.length} packets`);
    const before = [...traceJsonLines(t)].join('\n');
    const whole = JSON.stringify(t, null, 2);
    assert.equal(before, whole);
    assert.equal([...traceJsonLines(t)].join('\n'), whole, 'the same once the views are kept');
  });

  it('a trace read back from JSON streams the same text', () => {
    const t = JSON.parse(JSON.stringify(traceFile(path.join(ROOT, 'examples', 'tls12.journey')))) as Trace;
    assert.equal([...traceJsonLines(t)].join('\n'), JSON.stringify(t, null, 2));
  });
});
