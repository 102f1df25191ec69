import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildNetwork } from '../../../src/core/model/build';
import { Topology } from '../../../src/core/model/topology';
import type { Interface } from '../../../src/core/model/types';

const examples = path.resolve(__dirname, '../../../examples');

describe('topology: segments made on demand', () => {
  it('finds each neighbour on the asking interface\'s segment, the first owner of the address when it is there', () => {
    let checked = 0;
    for (const f of fs.readdirSync(examples).filter((x) => x.endsWith('.journey'))) {
      const net = buildNetwork(fs.readFileSync(path.join(examples, f), 'utf8'), { file: path.join(examples, f) }).network;
      const all: Interface[] = [...net.devices.values()].flatMap((d) => d.interfaces);
      const addresses = [...new Set(all.map((i) => i.address).filter((a): a is number => a !== undefined))];
      for (const from of all) {
        for (const address of addresses) {
          // A fresh topology each time: the answer must not depend on what was asked before.
          const got = new Topology(net).neighbour(from, address);
          const topo = new Topology(net);
          const owner = all.find((i) => i.address === address);
          const onSegment = all.filter((i) => i.address === address && topo.segment(i) === topo.segment(from));
          if (owner && onSegment.includes(owner)) assert.equal(got, owner, `${f}: ${from.device}.${from.name}`);
          else assert.equal(got, onSegment[0], `${f}: ${from.device}.${from.name}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 1000, `checked ${checked}`);
  });

  it('names the links that close layer-2 loops whether or not segments were asked for first', () => {
    const text = [
      'switch a {', '  interface p0 { mac 02:00:00:00:01:00 }', '  interface p1 { mac 02:00:00:00:01:01 }', '  interface p2 { mac 02:00:00:00:01:02 }', '}',
      'switch b {', '  interface p0 { mac 02:00:00:00:02:00 }', '  interface p1 { mac 02:00:00:00:02:01 }', '}',
      'link one {', '  between a.p0 b.p0', '  latency 1ms', '}', 'link two {', '  between a.p1 b.p1', '  latency 1ms', '}', 'link self {', '  between a.p2 a.p0', '  latency 1ms', '}',
    ].join('\n');
    const net = buildNetwork(text).network;
    const lazy = new Topology(net).loops.map((l) => l.name);
    const eager = new Topology(net);
    eager.segment(net.devices.values().next().value?.interfaces[0] as Interface);
    assert.deepEqual(lazy, ['two', 'self']);
    assert.deepEqual(eager.loops.map((l) => l.name), lazy);
  });
});
