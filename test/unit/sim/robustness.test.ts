import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { buildNetwork } from '../../../src/core/model/build';
import { simulate } from '../../../src/core/sim/run';
import { FAILURE_KINDS } from '../../../src/core/language/schema';
import { SEED } from './helpers';

// Whatever a user writes, a trace either runs to an outcome or says why it cannot: it never
// throws and never runs away (the event budget bounds it).
describe('simulation: robustness on edited files (property)', function () {
  this.timeout(120000);
  const lines = SEED.split('\n');

  it('deleting lines, changing figures or adding a failure never makes the simulation throw', () => {
    const numberLines = lines.map((l, i) => (/\d/.test(l) && !l.trim().startsWith('#') ? i : -1)).filter((i) => i >= 0);
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), line: fc.nat(lines.length - 1) }),
      fc.record({ kind: fc.constant('number' as const), line: fc.constantFrom(...numberLines), value: fc.constantFrom('0', '1', '7', '64', '576', '1500', '65535', '9000', '99999') }),
      fc.record({ kind: fc.constant('fail' as const), failure: fc.constantFrom(...FAILURE_KINDS) }),
    );
    let traced = 0;
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
      const ls = [...lines];
      for (const e of edits) {
        if (e.kind === 'delete') ls[e.line] = '';
        else if (e.kind === 'number') ls[e.line] = ls[e.line].replace(/\d+/, e.value);
        else ls.splice(ls.findIndex((l) => l.startsWith('  requests ')), 0, `  fail ${e.failure}`);
      }
      const built = buildNetwork(ls.join('\n'), { file: 'mutated.journey' });
      const r = simulate(built, { budget: 100000 });
      if (r.ok) {
        traced++;
        assert.ok(Array.isArray(r.trace.events) && r.trace.outcome.totals.every((t) => Number.isFinite(t)));
      } else {
        assert.ok(r.error.length > 10);
      }
    }), { numRuns: 150, seed: 4242 });
    console.log(`      ${traced} of 150 edited files traced; the others got an error that names the problem`);
    assert.ok(traced > 30, `only ${traced} of 150 edits could be traced`);
  });
});
