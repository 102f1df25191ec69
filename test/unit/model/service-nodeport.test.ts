// Issue #15: a Service reached only through its NodePort (no cluster-ip, as the reality lab's
// hand-written DNAT rule on node-3) needs no ClusterIP port; it must still say the pods' port.
import { strict as assert } from 'node:assert';
import { labJourney } from '../../reality/lab/journey';
import { build } from '../helpers';
import { traceOf } from '../sim/helpers';

const LAB = labJourney({ issuer: 'Packet Journey Lab' });
const errors = (text: string): string[] => build(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

describe('model: a NodePort-only Service', () => {
  it('checks clean without cluster-ip and port, and traces the same packets as with them', () => {
    assert.match(LAB, /service web \{\n    target-port 8080\n    node-port 30080\n/);
    assert.deepEqual(errors(LAB), []);
    const withClusterIp = LAB.replace('service web {\n', 'service web {\n    cluster-ip 10.96.0.50\n    port 80\n');
    assert.deepEqual(errors(withClusterIp), []);
    const bytes = (text: string) => traceOf(text).packets.map((p) => p.bytes);
    assert.deepEqual(bytes(LAB), bytes(withClusterIp));
  });

  it('asks for the pods\' port when there is neither port nor target-port', () => {
    assert.deepEqual(errors(LAB.replace('    target-port 8080\n', '')), ['Service "web" has only a NodePort: add "target-port <number>", the pods\' port.']);
  });

  it('asks for a port when there is a cluster-ip, or no node-port', () => {
    assert.deepEqual(errors(LAB.replace('service web {\n', 'service web {\n    cluster-ip 10.96.0.50\n')), ['Service "web" needs a port: add "port <number>".']);
    assert.deepEqual(errors(LAB.replace('    node-port 30080\n', '')), ['Service "web" needs a port: add "port <number>".']);
  });
});
