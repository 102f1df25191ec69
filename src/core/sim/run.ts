// simulate(): one scenario of a built network -> one Trace.
import type { BuildResult } from '../model/build';
import { ip } from '../model/topology';
import { TraceBuilder } from '../trace/builder';
import { TRACE_VERSION, type Trace } from '../trace/types';
import { Sim, type Node } from './engine';
import type { Interface } from '../model/types';
import { Rng } from './rng';
import { Journey } from './journey';
import { Browser } from './apps/browser';
import { startDnsServer } from './apps/dns';
import { startLoadBalancer } from './apps/lb';
import { startPod } from './apps/k8s';
import { startWebServer } from './apps/web';

export interface SimulateOptions {
  scenario?: string;
  /** Upper bound on simulated events: a guard against runaway topologies. */
  budget?: number;
}

export type SimulateResult = { ok: true; trace: Trace } | { ok: false; error: string };

export function simulate(built: BuildResult, options: SimulateOptions = {}): SimulateResult {
  const net = built.network;
  const errors = built.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { ok: false, error: `the file has ${errors.length} error(s); fix them first (first: ${errors[0].code}: ${errors[0].message})` };
  // Without a name, the first scenario of the traced file itself (not of its imports).
  const main = [...built.documents.keys()][0];
  const scenario = options.scenario ? net.scenarios.find((s) => s.name === options.scenario) : net.scenarios.find((s) => s.source.file === main) ?? net.scenarios[0];
  if (!scenario) return { ok: false, error: options.scenario ? `no scenario named "${options.scenario}" (have: ${net.scenarios.map((s) => s.name).join(', ') || 'none'})` : 'the file has no scenario: add "scenario NAME { ... }"' };
  const host = net.devices.get(scenario.from);
  if (!host || host.kind !== 'host') return { ok: false, error: `scenario "${scenario.name}" starts from "${scenario.from}", which is not a host` };

  const texts = new Map([...built.documents].map(([f, d]) => [f, d.text]));
  const trace = new TraceBuilder(texts);
  const rng = new Rng(scenario.seed);
  const sim = new Sim(net, scenario, trace, rng, options.budget);
  const journey = new Journey(sim);
  warmArp(sim);
  for (const n of sim.nodes.values()) {
    if (n.d.dns || n.d.forwarder) startDnsServer(sim, n);
    if (n.d.lb) startLoadBalancer(journey, n);
    if (n.d.pod) startPod(journey, n);
    if (n.d.host?.web) startWebServer(journey, n);
  }
  describeSimplifications(trace);

  const browser = new Browser(journey, sim.node(host.name));
  const totals: number[] = [];
  const next = (k: number): void => {
    trace.request = k;
    const t0 = sim.now;
    browser.start(() => {
      totals.push(Math.round((sim.now - t0) * 1000) / 1000);
      if (k < scenario.requests && !journey.failure) sim.after(scenario.intervalMs, () => next(k + 1));
    });
  };
  sim.at(0, () => next(1));
  sim.run();

  const f = journey.failure;
  const stopped = sim.stopped;
  const payload = invariant(journey);
  const file = scenario.source.file;
  return {
    ok: true,
    trace: trace.finish({
      version: TRACE_VERSION, scenario: scenario.name, file, seed: scenario.seed,
      devices: [...net.devices.values()].map((d) => ({ name: d.name, kind: d.kind, source: trace.range(d.source) })),
      links: net.links.map((l) => ({ name: l.name, a: `${l.a.device}.${l.a.interface}`, b: `${l.b.device}.${l.b.interface}`, latencyMs: l.latencyMs, bandwidthBps: l.bandwidthBps, mtu: l.mtu, medium: l.medium })),
      payloadInvariant: payload,
      outcome: f
        ? { ok: false, symptom: f.symptom, stoppedAt: f.stoppedAt, detectWith: f.detectWith, totals }
        : totals.length < scenario.requests
          ? { ok: false, symptom: `${stopped ? `simulation stopped: ${stopped}` : 'the request never completed: the page keeps loading'}${sim.rootCause ? `; cause: ${sim.rootCause.what} (at ${sim.rootCause.device})` : ''}`, stoppedAt: sim.rootCause?.device ?? lastDevice(trace), detectWith: sim.rootCause?.detectWith ?? 'tcpdump on each hop: where does the packet stop?', totals }
          : sim.retransmissions.size
            ? { ok: true, totals, symptom: `slower than it should be: ${[...sim.retransmissions].map(([l, k]) => `${k} link-layer retransmission(s) on ${l}`).join(', ')}`, detectWith: 'iw dev wlan0 station dump (tx retries, signal), ping -i 0.2 (jitter)' }
            : { ok: true, totals },
    }),
  };
}

/** Infrastructure neighbours are assumed known (steady traffic keeps those caches warm); the
 * client's own ARP cache follows the scenario's `cache arp` setting. */
function warmArp(sim: Sim): void {
  const bySegment = new Map<string, { node: Node; iface: Interface }[]>();
  for (const n of sim.nodes.values()) {
    for (const i of n.d.interfaces) {
      if (i.address === undefined || i.bridge) continue;
      const seg = sim.topo.segment(i);
      const list = bySegment.get(seg) ?? [];
      list.push({ node: n, iface: i });
      bySegment.set(seg, list);
    }
  }
  for (const members of bySegment.values()) {
    for (const a of members) {
      for (const b of members) {
        if (a.node !== b.node && b.iface.address !== undefined) a.node.arp.set(ip(b.iface.address), { mac: b.iface.mac, iface: a.iface.name, since: 0 });
      }
    }
  }
  sim.trace.simplify('ARP caches of routers, servers and nodes start warm (steady traffic keeps them so); only the client\'s follows "cache arp".');
}

function describeSimplifications(trace: TraceBuilder): void {
  trace.simplify('Wi-Fi frames are captured as Ethernet II, the way the host\'s driver hands them to the stack; 802.11 medium access (DIFS, backoff, link ACK) is counted in the timing.');
  trace.simplify('Encrypted records carry random bytes of the right length; TLS keys are not computed, so captures cannot be decrypted.');
  trace.simplify('No segment is lost unless a failure says so; TCP data retransmission and congestion avoidance after slow start are not simulated.');
}

function invariant(j: Journey): Trace['payloadInvariant'] {
  const seen = j.seenRequests;
  const first = seen[0];
  const holds = seen.every((s) => first && s.method === first.method && s.path === first.path && s.bodySize === first.bodySize);
  return { holds, checkedHops: seen.length, note: first ? `${first.method} ${first.path} (${first.bodySize}-byte body) seen unchanged at: ${[...new Set(seen.map((s) => s.hop))].join(', ')}${holds ? '' : ' (CHANGED somewhere)'}; only the load balancer adds headers` : 'no request reached any hop' };
}

function lastDevice(trace: TraceBuilder): string {
  return trace.events[trace.events.length - 1]?.device ?? '';
}
