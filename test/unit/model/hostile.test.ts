// Files that `journey check` used to accept and `journey trace` could not simulate (issue #11):
// every value the simulation needs in a range is a diagnostic at its line.
import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../src/core/language/range';
import { MAX_DIAGNOSTICS_PER_FILE } from '../../../src/core/model/diagnosticCap';
import { MAX_BODY_BYTES, MAX_HEADER_COUNT, MAX_HEADER_FIELD_BYTES, MAX_HEADER_LIST_BYTES, MAX_REQUESTS } from '../../../src/core/limits';
import { describeBytes } from '../../../src/core/language/values';
import { build, example } from '../helpers';

const SEED = example('follow-a-packet.journey');

/** The seed example with `find` replaced; the diagnostics as "line code" with their messages. */
function edited(find: string, replace: string): { at: string[]; messages: string[] } {
  assert.ok(SEED.includes(find), `the example holds ${find}`);
  const text = SEED.replace(find, replace);
  const r = build(text);
  const idx = new LineIndex(text);
  const ds = r.diagnostics;
  return { at: ds.map((d) => `${idx.position(d.span.start).line + 1} ${d.severity} ${d.code}`), messages: ds.map((d) => d.message) };
}
const line = (find: string): number => SEED.slice(0, SEED.indexOf(find)).split('\n').length;

describe('model: what the simulation cannot carry is a diagnostic at its line', () => {
  const header = '    header Accept "application/json"\n';
  for (const [name, bad] of [['a space', '"X Y"'], ['"/"', 'a/b'], ['"@"', 'me@host'], ['an emoji', 'X-😀']]) {
    it(`a header name with ${name}`, () => {
      const r = edited(header, `    header ${bad} "v"\n`);
      assert.deepEqual(r.at, [`${line(header)} error bad-header`]);
      assert.match(r.messages[0], /is not a header name.*RFC 9110/);
    });
  }

  it('a header value with a line break; a non-ASCII value is fine', () => {
    assert.deepEqual(edited(header, '    header X-A "a\\nb"\n').at, [`${line(header)} error bad-header`]);
    assert.deepEqual(edited(header, '    header X-A "naïve 😀"\n').at, []);
  });

  it('oversized headers, and a header section over the limit', () => {
    assert.deepEqual(edited(header, `    header X-Big "${'a'.repeat(MAX_HEADER_FIELD_BYTES)}"\n`).at, [`${line(header)} error header-too-large`]);
    // RFC 9113 6.5.2 counts name + value + 32 bytes per field; these come first in the request.
    let bytes = 0;
    let crossing = -1;
    const many = Array.from({ length: MAX_HEADER_COUNT + 10 }, (_, i) => {
      bytes += `X-${i}`.length + 1 + 32;
      if (crossing < 0 && (bytes > MAX_HEADER_LIST_BYTES || i >= MAX_HEADER_COUNT)) crossing = i;
      return `    header X-${i} "v"\n`;
    }).join('');
    const r = edited(header, many);
    assert.equal(r.at.length, 1, r.at.join('\n'));
    assert.match(r.at[0], new RegExp(`^${line(header) + crossing} error (header-too-large|too-many-headers)$`));
  });

  it('headers the simulation derives, and connection-specific ones in HTTP/2, are errors', () => {
    for (const h of ['Content-Length "5"', 'Transfer-Encoding "chunked"', 'Host "evil.example"', 'Connection "close"', 'Upgrade "h2c"']) {
      assert.deepEqual(edited(header, `    header ${h}\n`).at, [`${line(header)} error header-derived`], h);
    }
    assert.deepEqual(edited('    http 2\n', '    http 1.1\n    header Connection "close"\n').at, []);
  });

  it('record names and targets are domain names', () => {
    const rec = '    record api A 52.20.30.40 ttl 300\n';
    assert.deepEqual(edited(rec, `${rec}    record a\`b CNAME api ttl 300\n`).at, [`${line(rec) + 1} error bad-domain`]);
    assert.deepEqual(edited(rec, `${rec}    record www CNAME c\`d ttl 300\n`).at, [`${line(rec) + 1} error bad-domain`]);
  });

  it('a body larger than the simulation carries', () => {
    const r = edited('    body 256B\n', `    body ${MAX_BODY_BYTES + 1}B\n`);
    assert.deepEqual(r.at, [`${line('    body 256B\n')} error bad-size`]);
    assert.match(r.messages[0], new RegExp(`at most ${describeBytes(MAX_BODY_BYTES)}`));
    assert.deepEqual(edited('    body 256B\n', `    body ${MAX_BODY_BYTES}B\n`).at, []);
  });

  it('bandwidth 0 and 400-digit durations', () => {
    assert.deepEqual(edited('  bandwidth 25Gbps\n', '  bandwidth 0bps\n').at, [`${line('  bandwidth 25Gbps\n')} error bad-bandwidth`]);
    const r = edited('  interval 1s\n', `  interval ${'9'.repeat(400)}ms\n`);
    assert.deepEqual(r.at, [`${line('  interval 1s\n')} error bad-duration`]);
    assert.doesNotMatch(r.messages[0], /Infinity|NaN/);
  });

  it('ranges of counts, ports, seeds, TTL-like timeouts and statuses', () => {
    assert.deepEqual(edited('  requests 2\n', `  requests ${MAX_REQUESTS + 1}\n`).at, [`${line('  requests 2\n')} error bad-number`]);
    assert.deepEqual(edited('  seed 42\n', '  seed 4294967296\n').at, [`${line('  seed 42\n')} error bad-number`]);
    assert.deepEqual(edited('    status 200\n', '    status 101\n').at, [`${line('    status 200\n')} error bad-number`]);
    assert.deepEqual(edited('    udp-timeout 30s\n', '    udp-timeout 10ms\n').at, [`${line('    udp-timeout 30s\n')} error bad-duration`]);
    assert.deepEqual(edited('      rows 1\n', '      rows 2000000\n').at, [`${line('      rows 1\n')} error bad-number`]);
  });

  it('fail http-status abc and bad mtu-blackhole arguments are errors, not silent defaults', () => {
    const at = line('  interval 1s\n') + 1;
    const status = edited('  interval 1s\n', '  interval 1s\n  fail http-status abc\n');
    assert.deepEqual(status.at, [`${at} error bad-number`]);
    const mtu = edited('  interval 1s\n', '  interval 1s\n  fail mtu-blackhole no-such-link 20\n');
    assert.deepEqual(mtu.at.sort(), [`${at} error bad-number`, `${at} error unknown-name`]);
    assert.deepEqual(edited('  interval 1s\n', '  interval 1s\n  fail mtu-blackhole long-haul 1200\n').at, []);
    assert.deepEqual(edited('  interval 1s\n', '  interval 1s\n  fail slow-server 2\n').at, [`${at} error bad-duration`]);
    assert.deepEqual(edited('  interval 1s\n', '  interval 1s\n  fail rst now\n').at, [`${at} error extra-argument`]);
    assert.deepEqual(edited('  interval 1s\n', '  interval 1s\n  fail routing-loop nowhere\n').at, [`${at} error unknown-name`]);
  });

  it('a layer-2 loop is a warning naming the loop: two ports of one switch, or two switches linked twice', () => {
    const ports = edited('# ---------------------------------------------------------------- the request\n', 'link self {\n  between vpc-fabric.p5 vpc-fabric.p7\n  latency 1us\n}\n');
    assert.ok(ports.at.includes(`${line('# ---------------------------------------------------------------- the request\n')} warning l2-loop`), ports.at.join('\n'));
    assert.match(ports.messages[ports.at.findIndex((a) => a.endsWith('l2-loop'))], /vpc-fabric to itself/);
    const twice = edited('# ---------------------------------------------------------------- the request\n', [
      'switch s2 {', '  interface a { mac 02:bb:00:00:00:01 }', '  interface b { mac 02:bb:00:00:00:02 }', '}',
      'link one {', '  between vpc-fabric.p5 s2.a', '  latency 1us', '}', 'link two {', '  between vpc-fabric.p7 s2.b', '  latency 1us', '}', ''].join('\n'));
    const i = twice.at.findIndex((a) => a.endsWith('l2-loop'));
    assert.ok(i >= 0, twice.at.join('\n'));
    assert.match(twice.messages[i], /Link "two" closes a layer-2 loop \((vpc-fabric -> s2 -> vpc-fabric|s2 -> vpc-fabric -> s2)\)/);
  });

  it('a DNS forwarder whose upstream chain leads back to itself is an error naming the loop', () => {
    const net = (up: string, other: string): string => [
      'router r1 {', '  interface lan { mac 02:00:00:00:00:01', '    ip 192.0.2.1/24 }', `  dns-forwarder { upstream ${up} }`, '}',
      'router r2 {', '  interface lan { mac 02:00:00:00:00:02', '    ip 192.0.2.2/24 }', `  dns-forwarder { upstream ${other} }`, '}',
      'link l {', '  between r1.lan r2.lan', '  latency 1ms', '}', ''].join('\n');
    const self = build(net('192.0.2.1', '192.0.2.9')).diagnostics.filter((d) => d.code === 'dns-forward-loop');
    assert.equal(self.length, 1);
    assert.match(self[0].message, /r1 -> r1/);
    const mutual = build(net('192.0.2.2', '192.0.2.1')).diagnostics.filter((d) => d.code === 'dns-forward-loop');
    assert.equal(mutual.length, 2, 'both forwarders are on the loop');
    assert.match(mutual[0].message, /r1 -> r2 -> r1/);
    assert.equal(build(net('192.0.2.2', '192.0.2.9')).diagnostics.filter((d) => d.code === 'dns-forward-loop').length, 0);
  });

  it('a file of thousands of mistakes gets at most the cap, the last one saying how many more', () => {
    const r = build('host a {\n  nonsense 1\n}\n'.repeat(2000));
    assert.equal(r.diagnostics.length, MAX_DIAGNOSTICS_PER_FILE);
    const last = r.diagnostics[r.diagnostics.length - 1];
    assert.equal(last.code, 'too-many-diagnostics');
    // 2,000 unknown keywords and 1,999 duplicate names.
    const shown = r.diagnostics.length - 1;
    assert.match(last.message, new RegExp(`^${3999 - shown} more problems`), last.message);
  });
});
