/**
 * Not a test: the trace-time measurement of issue #13 (real TLS must not more than double the
 * seed's trace time). Parse + model + simulate of the seed and tls12 examples, CPU time of this
 * process (user + system, so other processes on a shared machine disturb it less than wall
 * time), the first (cold) run and the median and minimum of N warm runs. Run it on two trees to
 * compare them:
 *   npx esbuild test/unit/tls/bench-trace.ts --bundle --platform=node --format=cjs --outfile=/tmp/bench-trace.js && node /tmp/bench-trace.js 60
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../../../src/core/model/build';
import { simulate } from '../../../src/core/sim/run';
import { resolveImportFromDisk } from '../../../src/node/files';

const n = Number(process.argv[2] ?? 60);
const examples = path.resolve(process.argv[3] ?? path.join(process.cwd(), 'examples'));
for (const name of ['follow-a-packet.journey', 'tls12.journey']) {
  const file = path.join(examples, name);
  const src = fs.readFileSync(file, 'utf8');
  const once = (): number => {
    const c0 = process.cpuUsage();
    const r = simulate(buildNetwork(src, { file, resolveImport: resolveImportFromDisk }));
    if (!r.ok) throw new Error(r.error);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const cold = once();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(once());
  xs.sort((a, b) => a - b);
  console.log(`${name}: cold ${cold.toFixed(1)} ms, median ${xs[Math.floor(n / 2)].toFixed(2)} ms, min ${xs[0].toFixed(2)} ms CPU over ${n} warm runs`);
}
