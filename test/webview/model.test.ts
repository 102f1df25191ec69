// The panel's trace indexes, without a browser: the path, the failure, the state at a moment,
// the next packet of a flow and the fields a hop changed all come from the trace as it is.
import * as assert from 'node:assert/strict';
import { TraceModel } from '../../webview/model';
import { exampleTrace, failureTrace } from './fixtures';

describe('panel trace model', () => {
  const trace = exampleTrace();
  const model = new TraceModel(trace);

  it('follows the request from the browser through the load balancer to the pod, and back', () => {
    const req = model.requestPath.map((s) => s.device);
    assert.equal(req[0], 'laptop');
    assert.equal(req.at(-1), 'web-7d9f');
    assert.ok(req.indexOf('alb') > req.indexOf('aws-igw'), 'the load balancer comes after the internet gateway');
    for (const s of model.requestPath.slice(1)) {
      const link = trace.links.find((l) => l.name === s.link);
      assert.ok(link && [link.a, link.b].some((end) => end.startsWith(`${s.device}.`)), `${s.link} reaches ${s.device}`);
    }
    const resp = model.responsePath.map((s) => s.device);
    assert.deepEqual([resp[0], resp.at(-1)], ['web-7d9f', 'laptop']);
    assert.ok(resp.includes('alb'));
    assert.equal(model.backendPath.at(-1)?.device, 'postgres-0');
  });

  it('gives the latest table of each device at a moment', () => {
    const t = trace.state[5].time;
    for (const st of model.stateAt(t)) {
      const later = trace.state.filter((x) => x.device === st.device && x.table === st.table && x.time <= t);
      assert.equal(st, later.at(-1));
    }
    assert.deepEqual(model.stateAt(-1), []);
  });

  it('finds the next packet of the same flow, and lists a hop\'s changes once', () => {
    const syn = trace.events.find((e) => e.kind === 'send' && /SYN/.test(e.summary) && e.device === 'laptop');
    assert.ok(syn);
    const next = model.nextInFlow(syn.seq);
    assert.ok(next !== undefined && next > syn.seq);
    assert.notEqual(trace.events[next].packetId, syn.packetId);
    const snat = trace.events.find((e) => e.kind === 'nat' && e.changes.some((c) => c.field === 'ip.src'));
    assert.ok(snat);
    const shown = model.snapshotOfEvent(snat);
    assert.ok(shown !== undefined && trace.packets[shown].from === snat.device, 'a rewrite shows the frame as the device sends it');
    const changes = model.changesFor(shown);
    const keys = changes.map((c) => `${c.field} ${c.before} ${c.after}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(changes.some((c) => c.field === 'ip.src'));
  });

  it('locates a failure: the last error, at the device where the journey stopped', () => {
    const failed = new TraceModel(failureTrace());
    assert.equal(failed.failedDevice, 'web-7d9f');
    assert.equal(failed.trace.events[failed.failureSeq ?? -1]?.kind, 'error');
    assert.match(failed.rootCause() ?? '', /db-refused/);
    assert.equal(model.failureSeq, undefined);
  });
});
