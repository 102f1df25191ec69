// Failures injected with `fail KIND [args]` in a scenario. Each one changes the behaviour of
// the device where it happens; the journey then stops wherever the real network would, and
// the outcome names the symptom and the tool that would show it.
import type { Failure, FailureKind } from '../model/types';
import type { Sim } from './engine';
import { parseDuration, parseInteger } from '../language/values';

export function failure(sim: Sim, kind: FailureKind): Failure | undefined {
  return sim.scenario.failures.find((f) => f.kind === kind);
}

/** Extra time a `slow-server 2s` or `db-slow 500ms` adds (default 5 s). */
export function extraDelay(sim: Sim, kind: 'slow-server' | 'db-slow'): number {
  const f = failure(sim, kind);
  if (!f) return 0;
  const d = f.args[0] ? parseDuration(f.args[0]) : undefined;
  return d?.ok ? d.value : 5000;
}

/** The status an `http-status 503` makes the application answer (default 500). */
export function forcedStatus(sim: Sim): number | undefined {
  const f = failure(sim, 'http-status');
  if (!f) return undefined;
  const s = f.args[0] ? parseInteger(f.args[0], 100, 599) : undefined;
  return s?.ok ? s.value : 500;
}

export function injected(sim: Sim, kind: FailureKind, device: string, summary: string): void {
  const f = failure(sim, kind);
  sim.trace.event(sim.now, { device, direction: 'local', kind: 'error', layers: [], summary: `fail ${kind}: ${summary}`, source: f?.source });
}
