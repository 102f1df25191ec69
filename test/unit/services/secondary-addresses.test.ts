// Issue #15: the editor services on an interface with several `ip` lines: hover lists them all,
// the outline shows the interface once, the gateway fix offers a router's secondary address.
import { strict as assert } from 'node:assert';
import { buildNetwork } from '../../../src/core/model/build';
import { codeActions, documentSymbols, hover, type ServiceInput } from '../../../src/core/services';

const FILE = '/virtual/secondary.journey';
const TEXT = [
  'router r {', '  interface lan {', '    mac 02:00:00:00:00:01', '    ip 192.168.1.1/24', '    ip 192.168.2.1/24', '  }', '}',
  'host h {', '  interface eth0 {', '    mac 02:00:00:00:00:02', '    ip 192.168.2.20/24', '  }', '  gateway 192.168.9.1', '}',
  'link l {', '  between r.lan h.eth0', '  latency 1ms', '}',
].join('\n');
const input = (text: string): ServiceInput => ({ file: FILE, text, result: buildNetwork(text, { file: FILE }) });

describe('services: several addresses on one interface (issue #15)', () => {
  const net = input(TEXT);

  it('hover on the interface lists its addresses, the primary first', () => {
    const h = hover(net, TEXT.indexOf('lan {') + 1)?.markdown ?? '';
    assert.match(h, /^- addresses `192\.168\.1\.1\/24` \(primary\), `192\.168\.2\.1\/24` \(secondary\)$/m);
    const one = hover(net, TEXT.indexOf('eth0 {') + 1)?.markdown ?? '';
    assert.match(one, /^- address `192\.168\.2\.20\/24`$/m, 'one address reads as before');
  });

  it('hover on the device shows every address in its table, and a secondary address names its interface', () => {
    assert.match(hover(net, TEXT.indexOf('router r') + 7)?.markdown ?? '', /\| lan \| 02:00:00:00:00:01 \| 192\.168\.1\.1\/24, 192\.168\.2\.1\/24 \|/);
    const gwText = TEXT.replace('gateway 192.168.9.1', 'gateway 192.168.2.1');
    assert.match(hover(input(gwText), gwText.indexOf('gateway 192.168.2.1') + 10)?.markdown ?? '', /the address of `r\.lan`/);
  });

  it('the outline shows the interface once, whatever its number of addresses', () => {
    assert.deepEqual(documentSymbols(net).map((s) => [s.name, s.children.map((c) => c.name)]), [['r', ['lan']], ['h', ['eth0']], ['l', []]]);
  });

  it('a gateway off every subnet is fixed with the router address on the host\'s subnet, a secondary one', () => {
    const diags = net.result.diagnostics.filter((d) => d.code === 'gateway-unreachable');
    assert.equal(diags.length, 1);
    const fixes = codeActions(net, diags);
    assert.deepEqual(fixes.map((f) => f.title), ['Use gateway 192.168.2.1 (r.lan)']);
    const fixed = TEXT.slice(0, fixes[0].edits[0].span.start) + fixes[0].edits[0].newText + TEXT.slice(fixes[0].edits[0].span.end);
    assert.deepEqual(buildNetwork(fixed, { file: FILE }).diagnostics.map((d) => d.code), []);
  });
});
