// Simulation benchmark: the seed journey (median of many in-process runs); a 1 MB and a 10 MB
// response through the seed network (time and the memory the trace keeps); 100 and 1,000
// hosts on one switch; a layer-2 loop; and a generated chain of 10, 100 and 1,000 routers
// between a client and a web server, to show how the cost grows with hops x requests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { buildNetwork } from '../src/core/model/build';
import { simulate } from '../src/core/sim/run';
import { resolveImportFromDisk } from '../src/node/files';
import { traceJsonLines } from '../src/core/export/json';
import { traceTextLines } from '../src/core/export/text';
import { traceToPcapngBlocks } from '../src/core/export/trace-pcap';

const hex = (n: number): string => n.toString(16).padStart(2, '0');
const mac = (n: number, p: number): string => `02:${hex((n >> 8) & 255)}:${hex(n & 255)}:${hex(p)}:00:01`;
/** The /30 between router i and i+1, as a.b.c.d base. */
const p2p = (i: number): [string, string] => { const b = 4 * i; return [`100.${64 + (b >> 16)}.${(b >> 8) & 255}.${(b & 255) + 1}`, `100.${64 + (b >> 16)}.${(b >> 8) & 255}.${(b & 255) + 2}`]; };

/** The longest path the benchmark routes through: IPv4's TTL of 64 cannot cross more. */
const MAX_PATH = 50;

/** Client -- r0 -- ... -- r(k-1) -- server on a path of k = min(n, 50) routers, with routes both
 * ways at every router; the other n - k routers hang off the path as stubs, each with a LAN
 * and a host, so the topology has n routers while the packet still fits in one TTL. */
export function chain(total: number, requests: number): string {
  const routers = Math.min(total, MAX_PATH);
  const out: string[] = [];
  out.push('host client {', '  interface eth0 {', `    mac ${mac(0xffff, 1)}`, '    ip 192.168.0.10/24', '  }', '  gateway 192.168.0.1', '  render 1ms', '}');
  out.push('host server {', '  interface eth0 {', `    mac ${mac(0xfffe, 1)}`, '    ip 198.18.0.10/24', '  }', '  gateway 198.18.0.1', '  listen 80', '  processing 1ms', '}');
  for (let i = 0; i < routers; i++) {
    out.push(`router r${i} {`);
    if (i === 0) out.push('  interface lan {', `    mac ${mac(i, 1)}`, '    ip 192.168.0.1/24', '  }');
    else out.push('  interface left {', `    mac ${mac(i, 1)}`, `    ip ${p2p(i - 1)[1]}/30`, '  }');
    if (i === routers - 1) out.push('  interface wan {', `    mac ${mac(i, 2)}`, '    ip 198.18.0.1/24', '  }');
    else out.push('  interface right {', `    mac ${mac(i, 2)}`, `    ip ${p2p(i)[0]}/30`, '  }');
    for (let j = routers + i; j < total; j += routers) out.push(`  interface s${j} {`, `    mac ${mac(j, 2)}`, `    ip ${p2p(100000 + j)[0]}/30`, '  }');
    if (i < routers - 1) out.push(`  route 198.18.0.0/24 via ${p2p(i)[1]}`);
    if (i > 0) out.push(`  route 192.168.0.0/24 via ${p2p(i - 1)[0]}`);
    out.push('  processing 10us', '}');
  }
  for (let j = routers; j < total; j++) {
    const at = j % routers;
    const [a, b] = p2p(100000 + j);
    out.push(`router r${j} {`, '  interface up {', `    mac ${mac(j, 1)}`, `    ip ${b}/30`, '  }', `  gateway ${a}`, '  processing 10us', '}');
    out.push(`link stub${j} {`, `  between r${at}.s${j} r${j}.up`, '  latency 1ms', '}');
  }
  out.push('link access {', '  between client.eth0 r0.lan', '  latency 100us', '}');
  for (let i = 0; i < routers - 1; i++) out.push(`link l${i} {`, `  between r${i}.right r${i + 1}.left`, '  latency 1ms', '}');
  out.push('link dc {', `  between r${routers - 1}.wan server.eth0`, '  latency 100us', '}');
  out.push('scenario bench {', '  from client', '  request {', '    url "http://198.18.0.10/"', '    http 1.1', '  }', '  response {', '    status 200', '    body 1KB', '  }', `  requests ${requests}`, '  interval 10ms', '}');
  return out.join('\n') + '\n';
}

/** `hosts` hosts and a web server on one switch; the first host fetches a page from the
 * server: the layer-2 path search must not grow with ports x frames. */
export function lan(hosts: number): string {
  const out: string[] = [];
  const ip = (i: number): string => `10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`;
  out.push('switch sw {');
  for (let i = 0; i <= hosts; i++) out.push(`  interface p${i} { mac ${mac(0x8000 + i, 9)} }`);
  out.push('}');
  out.push('host server {', '  interface eth0 {', `    mac ${mac(0x7fff, 1)}`, '    ip 10.255.255.254/8', '  }', '  listen 80', '  processing 1ms', '}');
  out.push('link to-server {', `  between sw.p${hosts} server.eth0`, '  latency 50us', '}');
  for (let i = 0; i < hosts; i++) {
    out.push(`host h${i} {`, '  interface eth0 {', `    mac ${mac(i, 1)}`, `    ip ${ip(i)}/8`, '  }', '}');
    out.push(`link l${i} {`, `  between h${i}.eth0 sw.p${i}`, '  latency 50us', '}');
  }
  out.push('scenario fetch {', '  from h0', '  request {', '    url "http://10.255.255.254/"', '    http 1.1', '  }', '  response {', '    status 200', '    body 1KB', '  }', '  cache arp cold', '}');
  return out.join('\n') + '\n';
}

/** Two hosts on a switch whose ports p2 and p3 are cabled to each other: a layer-2 loop. */
export function l2Loop(): string {
  return `host a {
  interface eth0 {
    mac 02:00:00:00:00:0a
    ip 10.0.0.10/24
  }
}
host b {
  interface eth0 {
    mac 02:00:00:00:00:0b
    ip 10.0.0.11/24
  }
  listen 80
}
switch sw {
  interface p0 { mac 02:00:00:00:01:00 }
  interface p1 { mac 02:00:00:00:01:01 }
  interface p2 { mac 02:00:00:00:01:02 }
  interface p3 { mac 02:00:00:00:01:03 }
}
link la {
  latency 50us
  between a.eth0 sw.p0
}
link lb {
  latency 50us
  between b.eth0 sw.p1
}
link loop {
  latency 50us
  between sw.p2 sw.p3
}
scenario fetch {
  from a
  request {
    url "http://10.0.0.11/"
    http 1.1
  }
  cache arp cold
}
`;
}

/** The seed journey with a response body of `size` (e.g. "10MB"), one request. */
export function bigResponse(seed: string, size: string): string {
  return seed.replace(/body 256B/, `body ${size}`).replace(/requests 2\b/, 'requests 1');
}

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}

function time(runs: number, f: () => void, warmUp = 1): { median: number; p95: number } {
  for (let i = 0; i < warmUp; i++) f();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); f(); xs.push(performance.now() - t); }
  return stats(xs);
}

/** The collector, when V8 lets us have it: memory figures are taken after a full collection. */
function collector(): () => void {
  try {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return () => (gc as () => void)();
  } catch {
    // fall through: figures without a forced collection are noisier but still medians
  }
  return () => undefined;
}

const MB = 1024 * 1024;
const fmtMb = (b: number): string => `${(b / MB).toFixed(0)} MB`;

/** Median wall time and the median growth of heap (+ array buffers) a kept trace costs. */
function measure(runs: number, f: () => unknown): { median: number; p95: number; heap: number } {
  const gc = collector();
  const used = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const xs: number[] = [];
  const heaps: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const h0 = used();
    const t = performance.now();
    let kept: unknown = f();
    xs.push(performance.now() - t);
    gc();
    heaps.push(used() - h0);
    kept = undefined;
    void kept;
  }
  return { ...stats(xs), heap: stats(heaps).median };
}

export function runSimBench(root: string): string[] {
  const lines: string[] = [];
  const file = path.join(root, 'examples', 'follow-a-packet.journey');
  const text = fs.readFileSync(file, 'utf8');
  const built = buildNetwork(text, { file, resolveImport: resolveImportFromDisk });
  const r = simulate(built);
  if (!r.ok) throw new Error(r.error);
  // The editor traces again and again in one long-lived process: the seed figures are of warm
  // code (10 runs first, so the JIT has compiled the parser, the model and the simulation).
  const seed = time(60, () => { simulate(buildNetwork(text, { file, resolveImport: resolveImportFromDisk })); }, 10);
  lines.push(`trace the seed example (parse + model + simulate, ${r.trace.packets.length} packets, ${r.trace.events.length} events): median ${seed.median.toFixed(2)} ms, p95 ${seed.p95.toFixed(2)} ms over 60 warm runs`);
  // V8 keeps optimising for a hundred traces or so more: the same figure once it has settled,
  // as in an editor that has been tracing for a while.
  const settled = time(60, () => { simulate(buildNetwork(text, { file, resolveImport: resolveImportFromDisk })); }, 120);
  lines.push(`  same, after 200 traces (the JIT settled): median ${settled.median.toFixed(2)} ms, p95 ${settled.p95.toFixed(2)} ms over 60 runs`);
  const seedSim = time(60, () => { simulate(built); }, 10);
  lines.push(`simulate the seed example alone (model built once): median ${seedSim.median.toFixed(2)} ms, p95 ${seedSim.p95.toFixed(2)} ms over 60 warm runs`);
  const seedJson = time(30, () => { JSON.stringify(simulate(built)); });
  lines.push(`simulate the seed example and serialise the trace to JSON (every snapshot's bytes made): median ${seedJson.median.toFixed(2)} ms over 30 runs`);

  for (const size of ['1MB', '10MB']) {
    const b = buildNetwork(bigResponse(text, size), { file, resolveImport: resolveImportFromDisk });
    const once = simulate(b);
    if (!once.ok || !once.trace.outcome.ok) throw new Error(`${size} response failed: ${once.ok ? once.trace.outcome.symptom : once.error}`);
    const counts = `${once.trace.packets.length} packets, ${once.trace.events.length} events`;
    const m = measure(size === '10MB' ? 5 : 9, () => simulate(b));
    lines.push(`${size.padStart(4)} response through the seed network (${counts}): median ${m.median.toFixed(0)} ms (p95 ${m.p95.toFixed(0)}), heap + buffers the trace keeps ${fmtMb(m.heap)} (median)`);
  }

  for (const hosts of [100, 1000]) {
    const src = lan(hosts);
    const tb = time(5, () => { buildNetwork(src, { file: `lan-${hosts}.journey` }); });
    const b = buildNetwork(src, { file: `lan-${hosts}.journey` });
    const check = simulate(b);
    if (!check.ok || !check.trace.outcome.ok) throw new Error(`lan of ${hosts} failed: ${check.ok ? check.trace.outcome.symptom : check.error}`);
    const s = time(5, () => { simulate(b); });
    lines.push(`${String(hosts).padStart(4)} hosts on one switch: build median ${tb.median.toFixed(0)} ms, simulate median ${s.median.toFixed(0)} ms (p95 ${s.p95.toFixed(0)}), ${check.trace.packets.length} packets`);
  }

  const loop = buildNetwork(l2Loop(), { file: 'l2-loop.journey' });
  const lr = simulate(loop);
  if (!lr.ok || lr.trace.outcome.ok) throw new Error('the layer-2 loop did not stop with a storm');
  const ls = measure(20, () => simulate(loop));
  lines.push(`layer-2 loop (a switch cabled to itself): stopped after ${lr.trace.packets.length} packets with "${(lr.trace.outcome.symptom ?? '').slice(0, 60)}...": median ${ls.median.toFixed(2)} ms, ${fmtMb(ls.heap)} kept`);

  let perHop: number | undefined;
  for (const n of [10, 100, 1000]) {
    for (const requests of [1, 4]) {
      const src = chain(n, requests);
      const b = buildNetwork(src, { file: `chain-${n}.journey` });
      const errors = b.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) throw new Error(`generated chain has errors: ${errors[0].message}`);
      const check = simulate(b);
      if (!check.ok || !check.trace.outcome.ok) throw new Error(`chain of ${n} failed: ${check.ok ? check.trace.outcome.symptom : check.error}`);
      const runs = n >= 1000 ? 5 : 20;
      const s = time(runs, () => { simulate(b); });
      const unit = s.median / (Math.min(n, MAX_PATH) * requests);
      perHop ??= unit;
      lines.push(`${String(n).padStart(4)} routers (path of ${Math.min(n, MAX_PATH)} hops) x ${requests} request(s): ${String(check.trace.packets.length).padStart(6)} packets, median ${s.median.toFixed(1).padStart(8)} ms (p95 ${s.p95.toFixed(1)}), ${(unit * 1000).toFixed(1)} us per hop-request, ${(unit / perHop).toFixed(2)}x the 10-router figure (${runs} runs)`);
    }
  }
  lines.push(`process peak RSS so far: ${fmtMb(process.resourceUsage().maxRSS * 1024)}`);
  return lines;
}

/** Writing a 10 MB response's trace out, as `journey trace --format json|text` and `--pcap`
 * do, into sinks that only count bytes (the disk is not what is measured). */
export function runExportBench(root: string, size = '10MB', runs = 3): string[] {
  const file = path.join(root, 'examples', 'follow-a-packet.journey');
  const b = buildNetwork(bigResponse(fs.readFileSync(file, 'utf8'), size), { file, resolveImport: resolveImportFromDisk });
  const r = simulate(b);
  if (!r.ok) throw new Error(r.error);
  const t = r.trace;
  const utf8Length = (s: string): number => Buffer.byteLength(s) + 1;
  const sinks: [string, () => number][] = [
    ['pcapng (--pcap)', () => { let n = 0; for (const blk of traceToPcapngBlocks(t)) n += blk.length; return n; }],
    ['JSON (--format json)', () => { let n = 0; for (const s of traceJsonLines(t)) n += utf8Length(s); return n; }],
    ['text with details (--format text --details)', () => { let n = 0; for (const s of traceTextLines(t, { details: true })) n += utf8Length(s); return n; }],
  ];
  const lines: string[] = [];
  for (const [what, write] of sinks) {
    let bytes = 0;
    const m = time(runs, () => { bytes = write(); });
    lines.push(`${size} response (${t.packets.length} packets, ${t.events.length} events) written as ${what}: median ${m.median.toFixed(0)} ms over ${runs} runs, ${fmtMb(bytes)}`);
  }
  return lines;
}
