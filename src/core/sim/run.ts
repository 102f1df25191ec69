// simulate(): one scenario of a built network -> one Trace.
import type { BuildResult } from '../model/build';
import { addressesOf, ip } from '../model/topology';
import { TraceBuilder } from '../trace/builder';
import { TRACE_VERSION, type Trace } from '../trace/types';
import { Sim, type Node } from './engine';
import type { SegmentNeighbours } from './arp-cache';
import { MAX_BODY_BYTES, SIM_BUDGET, type SimBudget } from '../limits';
import { H2_INITIAL_WINDOW } from './constants';
import type { Interface, Network, Scenario } from '../model/types';
import { Rng } from './rng';
import { Journey } from './journey';
import { extraDelay, failure } from './failures';
import { Browser } from './apps/browser';
import { startDnsServer } from './apps/dns';
import { startLoadBalancer } from './apps/lb';
import { startPod } from './apps/k8s';
import { startWebServer } from './apps/web';

export interface SimulateOptions {
  scenario?: string;
  /** What the run may spend (a number bounds the events only): a guard against runaway
   * topologies and huge transfers. Defaults to SIM_BUDGET. */
  budget?: number | Partial<SimBudget>;
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
  const tooBig = oversized(scenario);
  if (tooBig) return { ok: true, trace: refused(trace, net, scenario, tooBig) };
  const rng = new Rng(scenario.seed);
  const budget: SimBudget = { ...SIM_BUDGET, ...(typeof options.budget === 'number' ? { events: options.budget } : options.budget) };
  const sim = new Sim(net, scenario, trace, rng, budget, built.topology);
  const journey = new Journey(sim);
  const totals: number[] = [];
  try {
    start(sim, journey, scenario, host.name, totals);
    sim.run();
  } catch (e) {
    // A defect of the simulation, not of the file: end the journey with what the trace has and
    // say what went wrong, rather than lose the trace to an exception.
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    sim.stopped = `internal error at ${fmtTime(sim.now)} (${what}); please report it with the file`;
    trace.event(sim.now, { device: lastDevice(trace) || '-', direction: 'local', kind: 'error', layers: [], summary: `Simulation stopped: ${sim.stopped}.` });
  }

  const f = journey.failure;
  const stopped = sim.stopped;
  const payload = invariant(journey);
  const file = scenario.source.file;
  return {
    ok: true,
    trace: trace.finish({
      version: TRACE_VERSION, scenario: scenario.name, file, seed: scenario.seed,
      ...network(trace, net),
      payloadInvariant: payload,
      outcome: f
        ? { ok: false, symptom: f.symptom, stoppedAt: f.stoppedAt, detectWith: f.detectWith, totals }
        : totals.length < scenario.requests
          ? { ok: false, symptom: `${stopped ? `simulation stopped: ${stopped}` : 'the request never completed: the page keeps loading'}${sim.rootCause ? `; cause: ${sim.rootCause.what} (at ${sim.rootCause.device})` : ''}`, stoppedAt: sim.rootCause?.device ?? lastDevice(trace), detectWith: sim.rootCause?.detectWith ?? 'tcpdump on each hop: where does the packet stop?', totals }
          : slowOutcome(sim, totals),
    }),
  };
}

/** A journey that completed: what made it slower, if anything did, and the tool that shows it. */
function slowOutcome(sim: Sim, totals: number[]): Trace['outcome'] {
  const slow = [...sim.slowdowns, ...slowApplications(sim)];
  if (sim.retransmissions.size) slow.unshift({ what: [...sim.retransmissions].map(([l, k]) => `${k} link-layer retransmission(s) on ${l}`).join(', '), device: '', detectWith: 'iw dev wlan0 station dump (tx retries, signal), ping -i 0.2 (jitter)' });
  if (!slow.length) return { ok: true, totals };
  return { ok: true, totals, symptom: `slower than it should be: ${slow.map((x) => x.what).join('; ')}`, detectWith: slow.map((x) => x.detectWith).join('; ') };
}

/** `fail slow-server` and `fail db-slow`: the delay each adds and where. */
function slowApplications(sim: Sim): { what: string; device: string; detectWith: string }[] {
  const out: { what: string; device: string; detectWith: string }[] = [];
  const devices = [...sim.net.devices.values()];
  if (failure(sim, 'slow-server')) {
    const app = devices.find((d) => d.pod?.containers.some((c) => c.role === 'app')) ?? devices.find((d) => d.host?.web);
    out.push({ what: `the application on ${app?.name ?? 'the server'} took ${extraDelay(sim, 'slow-server')} ms longer to answer each request (fail slow-server)`, device: app?.name ?? '', detectWith: `curl -w '%{time_connect} %{time_appconnect} %{time_starttransfer}\n' (the wait is between the request and the first byte); the application's own timing logs` });
  }
  if (failure(sim, 'db-slow')) {
    const db = devices.find((d) => d.postgres || d.pod?.containers.some((c) => c.role === 'postgres'));
    out.push({ what: `each query to PostgreSQL on ${db?.name ?? 'the database'} took ${extraDelay(sim, 'db-slow')} ms longer (fail db-slow)`, device: db?.name ?? '', detectWith: 'EXPLAIN ANALYZE of the query; pg_stat_statements (mean_exec_time); log_min_duration_statement' });
  }
  return out;
}

/** Neighbour caches start as the scenario says: `cache arp` for every device, `cache
 * infrastructure-arp` for all but the sending host. A cold cache makes the first packet to each
 * next hop wait for an ARP exchange, as on a network that just came up. */
function warmArp(sim: Sim, from: string): void {
  const sc = sim.scenario;
  const warm = (n: Node): boolean => (n.name === from ? sc.caches.arp : sc.caches['infrastructure-arp']) === 'warm';
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
    const neighbours: SegmentNeighbours = new Map();
    for (const b of members) for (const a of addressesOf(b.iface)) neighbours.set(ip(a.address), { mac: b.iface.mac, device: b.node.name });
    for (const a of members) if (warm(a.node)) a.node.arp.warmFrom(neighbours, a.iface.name);
  }
  if (sc.caches['infrastructure-arp'] === 'warm') sim.trace.simplify('ARP caches of routers, servers and nodes start warm ("cache infrastructure-arp warm"): their first packets need no ARP exchange.');
}

function describeSimplifications(trace: TraceBuilder): void {
  trace.simplify('Wi-Fi frames are captured as Ethernet II, the way the host\'s driver hands them to the stack; 802.11 medium access (DIFS, backoff, link ACK) is counted in the timing.');
  trace.simplify('TLS is real (keys from the seed; captures decrypt with the embedded key log), but the receiver takes application data from the plaintext carried beside the ciphertext instead of decrypting it again; no session resumption, 0-RTT or HelloRetryRequest.');
  trace.simplify('No segment is lost unless a failure says so; TCP data retransmission and congestion avoidance after slow start are not simulated.');
  trace.simplify('TCP receivers: applications read what arrives at once; a segment costs the receive buffer what Linux 6.18 charged for it in the reality lab (the frame copied into a buffer of the driver\'s own, as tun/tap does; real NIC drivers allocate differently), which sets the scaling ratio and how the window grows (tcp_grow_window); the receive buffer itself never grows (no autotuning by tcp_rcv_space_adjust), which long transfers would show.');
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

function fmtTime(ms: number): string {
  return `${Math.round(ms * 1000) / 1000} ms`;
}

/** A body the simulation cannot carry (the model normally refuses it first). */
function oversized(s: Scenario): string | undefined {
  const big = [['request', s.bodySize], ['response', s.response.bodySize]] as const;
  const over = big.find(([, n]) => n > MAX_BODY_BYTES);
  return over ? `the ${over[0]} body of ${over[1]} bytes is larger than the ${MAX_BODY_BYTES} bytes the simulation can carry (MAX_BODY_BYTES): make it smaller` : undefined;
}

/** The trace of a journey that never starts, with the reason as its outcome. */
function refused(trace: TraceBuilder, net: Network, scenario: Scenario, why: string): Trace {
  trace.event(0, { device: scenario.from, direction: 'local', kind: 'error', layers: [], summary: `Not simulated: ${why}.`, source: scenario.source });
  return trace.finish({
    version: TRACE_VERSION, scenario: scenario.name, file: scenario.source.file, seed: scenario.seed,
    ...network(trace, net),
    payloadInvariant: { holds: true, checkedHops: 0, note: 'no request was sent' },
    outcome: { ok: false, symptom: `not simulated: ${why}`, stoppedAt: scenario.from, detectWith: 'journey check', totals: [] },
  });
}

function network(trace: TraceBuilder, net: Network): Pick<Trace, 'devices' | 'links'> {
  return {
    devices: [...net.devices.values()].map((d) => ({ name: d.name, kind: d.kind, source: trace.range(d.source) })),
    links: net.links.map((l) => ({ name: l.name, a: `${l.a.device}.${l.a.interface}`, b: `${l.b.device}.${l.b.interface}`, latencyMs: l.latencyMs, bandwidthBps: l.bandwidthBps, mtu: l.mtu, medium: l.medium })),
  };
}

/** Warms the caches, starts every server and schedules the scenario's requests. */
function start(sim: Sim, journey: Journey, scenario: Scenario, from: string, totals: number[]): void {
  const trace = sim.trace;
  warmArp(sim, from);
  for (const n of sim.nodes.values()) {
    if (n.d.dns || n.d.forwarder) startDnsServer(sim, n);
    if (n.d.lb) startLoadBalancer(journey, n);
    if (n.d.pod) startPod(journey, n);
    if (n.d.host?.web) startWebServer(journey, n);
  }
  describeSimplifications(trace);
  if (scenario.http === '2' && Math.max(scenario.bodySize, scenario.response.bodySize) > H2_INITIAL_WINDOW) {
    trace.simplify(`HTTP/2 flow control is not simulated: a body over the ${H2_INITIAL_WINDOW}-byte initial window is sent as if the receiver returned WINDOW_UPDATE credit as fast as data arrives (browsers and nginx advertise large windows, so this rarely limits a transfer).`);
  }
  const browser = new Browser(journey, sim.node(from));
  const next = (k: number): void => {
    trace.request = k;
    const t0 = sim.now;
    browser.start(() => {
      totals.push(Math.round((sim.now - t0) * 1000) / 1000);
      if (k < scenario.requests && !journey.failure) sim.after(scenario.intervalMs, () => next(k + 1));
    });
  };
  sim.at(0, () => next(1));
}
