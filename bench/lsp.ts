// Editor-side benchmark: how fast the language server's work is on a large, realistic file.
// Everything runs in-process over the pure core (the same functions the server calls), so the
// figures measure our code, not JSON-RPC. `runLspBench` returns the lines to print.
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import { buildNetwork } from '../src/core/model/build';
import { LineIndex } from '../src/core/language/range';
import { complete } from '../src/core/services/completion';
import { hover } from '../src/core/services/hover';
import type { ServiceInput } from '../src/core/services/context';

const mac = (n: number, port: number): string => `02:${[(n >> 16) & 255, (n >> 8) & 255, n & 255, port, 1].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
const net = (n: number): string => `10.${(n >> 8) & 255}.${n & 255}`;
const PORTS = 48;

/** A chain of routers, each with a host on its LAN and a link to the next router: the shape of
 * a long multi-hop path, written the way a person writes it. Returns at least `lines` lines. */
export function generateTopology(lines: number): string {
  const out: string[] = ['# Generated benchmark topology: a chain of routers with a host on each LAN.', ''];
  let n = 0;
  for (; out.length < lines - 40; n++) {
    out.push(
      `router r${n} {`,
      `  interface lan {`, `    mac ${mac(n, 1)}`, `    ip ${net(n)}.1/24`, `  }`,
      `  interface up {`, `    mac ${mac(n, 2)}`, `    ip 172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${(n & 255)}/16`, `  }`,
      `  route 10.0.0.0/8 via 172.${16 + ((n >> 16) & 15)}.0.1`,
      `  processing 20us`,
      `}`, '',
      `host h${n} {`,
      `  interface eth0 {`, `    mac ${mac(n, 3)}`, `    ip ${net(n)}.10/24`, `  }`,
      `  gateway ${net(n)}.1`, `  resolver ${net(n)}.1`,
      `}`, '',
      `link lan-${n} {`, `  between h${n}.eth0 r${n}.lan`, `  latency 200us`, `  bandwidth 1Gbps`, `}`, '',
      `link up-${n} {`, `  between r${n}.up core-${Math.floor(n / PORTS)}.p${n % PORTS}`, `  latency 1ms`, `  bandwidth 10Gbps`, `}`, '',
    );
    // Every PORTS routers share an aggregation switch, written once they are all defined.
    if (n % PORTS === PORTS - 1 || out.length >= lines - 40) {
      const g = Math.floor(n / PORTS);
      out.push(`switch core-${g} {`);
      for (let p = 0; p <= n % PORTS; p++) out.push(`  interface p${p} { mac ${mac(n - (n % PORTS) + p, 9)} }`);
      out.push('}', '');
    }
  }
  out.push('scenario bench {', '  from h0', '  request {', '    url "https://10.0.0.1/"', '  }', '}');
  while (out.length < lines) out.push('# padding');
  return out.join('\n') + '\n';
}

/** The same topology as YAML, to compare our parser with a mainstream one on equal content. */
export function generateYaml(lines: number): string {
  const out: string[] = ['devices:'];
  for (let n = 0; out.length < lines; n++) {
    out.push(
      `  - kind: router`, `    name: r${n}`, `    interfaces:`,
      `      - name: lan`, `        mac: "${mac(n, 1)}"`, `        ip: ${net(n)}.1/24`,
      `      - name: up`, `        mac: "${mac(n, 2)}"`, `        ip: 172.16.0.${n & 255}/16`,
      `    routes:`, `      - { to: 10.0.0.0/8, via: 172.16.0.1 }`, `    processing: 20us`,
      `  - kind: host`, `    name: h${n}`, `    interfaces:`, `      - name: eth0`, `        mac: "${mac(n, 3)}"`, `        ip: ${net(n)}.10/24`,
      `    gateway: ${net(n)}.1`, `    resolver: ${net(n)}.1`,
      `  - kind: link`, `    name: lan-${n}`, `    between: [h${n}.eth0, r${n}.lan]`, `    latency: 200us`, `    bandwidth: 1Gbps`,
    );
  }
  return out.join('\n') + '\n';
}

function stats(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}

function time(reps: number, f: (i: number) => void): { median: number; p95: number } {
  f(0); // warm-up: JIT and caches
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f(i);
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;

export async function runLspBench(): Promise<string[]> {
  const LINES = 10_000;
  const text = generateTopology(LINES);
  const yamlText = generateYaml(LINES);
  const file = '/bench/bench.journey';
  const build = (t: string): ServiceInput => ({ file, text: t, result: buildNetwork(t, { file }) });
  const base = build(text);
  const lines: string[] = [`LSP on a ${text.split('\n').length - 1}-line topology (${(text.length / 1024).toFixed(0)} KiB, ${base.result.network.devices.size} devices, ${base.result.network.links.length} links)`];

  const full = time(30, () => { buildNetwork(text, { file }); });
  lines.push(`  parse + validate:        median ${ms(full.median)}  p95 ${ms(full.p95)}`);

  // An edit in the middle of the file: change one latency, then rebuild to get its diagnostics.
  const at = text.indexOf('latency 200us', Math.floor(text.length / 2));
  const edit = time(30, (i) => {
    const t = text.slice(0, at) + `latency ${200 + (i % 50)}us` + text.slice(at + 'latency 200us'.length);
    buildNetwork(t, { file }).diagnostics.length;
  });
  lines.push(`  edit -> new diagnostics: median ${ms(edit.median)}  p95 ${ms(edit.p95)}`);

  const index = new LineIndex(text);
  const mid = index.offset({ line: Math.floor(LINES / 2), character: 0 });
  const between = text.indexOf('between ', mid) + 'between '.length;
  const comp = time(200, () => { complete(base, between); });
  lines.push(`  completion (device.if):  median ${ms(comp.median)}  p95 ${ms(comp.p95)}`);
  const hv = text.indexOf('router r', mid) + 'router '.length;
  const hov = time(200, () => { hover(base, hv); });
  lines.push(`  hover (device summary):  median ${ms(hov.median)}  p95 ${ms(hov.p95)}`);

  const y = time(30, () => { parseYaml(yamlText); });
  lines.push(`  yaml parse only (${yamlText.split('\n').length - 1} lines): median ${ms(y.median)}  p95 ${ms(y.p95)}`);
  lines.push(`  parse + validate / yaml parse: ${(full.median / y.median).toFixed(2)}x`);
  return lines;
}
