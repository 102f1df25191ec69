// What the applications of one journey share: the simulation, phase marks per request, the
// record of the HTTP request as each hop saw it (to check the payload is never changed), and
// how the journey ended.
import type { Sim } from './engine';
import type { Source } from '../model/types';

export interface Failure { symptom: string; stoppedAt: string; detectWith: string; time: number; source?: Source }

export class Journey {
  /** Per request: when the load balancer had the request and sent the response's first byte. */
  readonly marks = new Map<number, { lbIn?: number; lbOut?: number; dbStart?: number; dbEnd?: number }>();
  readonly seenRequests: { hop: string; method: string; path: string; bodySize: number }[] = [];
  failure?: Failure;
  constructor(readonly sim: Sim) {}

  get request(): number { return this.sim.trace.request; }
  mark(k: 'lbIn' | 'lbOut' | 'dbStart' | 'dbEnd'): void {
    const m = this.marks.get(this.request) ?? {};
    if (m[k] === undefined) m[k] = this.sim.now;
    this.marks.set(this.request, m);
  }
  sawRequest(hop: string, method: string, path: string, bodySize: number): void {
    this.seenRequests.push({ hop, method, path, bodySize });
  }
  fail(f: Omit<Failure, 'time'>): void {
    if (this.failure) return;
    // What the user sees comes from where the journey stopped; why, from the injected fault.
    const cause = this.sim.rootCause;
    if (cause) f = { ...f, symptom: `${f.symptom}; cause: ${cause.what} (at ${cause.device})`, detectWith: `${cause.detectWith}; ${f.detectWith}` };
    this.failure = { ...f, time: this.sim.now };
    this.sim.trace.event(this.sim.now, { device: f.stoppedAt, direction: 'local', kind: 'error', layers: [], summary: `Journey stops: ${f.symptom}`, details: [`Detect with: ${f.detectWith}`], source: f.source });
  }
}
