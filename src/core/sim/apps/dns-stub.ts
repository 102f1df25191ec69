// The stub resolver as glibc's getaddrinfo() runs it for curl: A and AAAA from one socket,
// back to back, each with its own random id, waiting for both; resolv.conf's timeout and
// attempts; the search list tried first for a name with fewer dots than `ndots` (RFC 1535:
// pods have `options ndots:5`), so each search domain that does not hold the name costs an
// NXDOMAIN exchange before the name itself is asked.
import type { DnsResourceRecord } from '../../wire';
import type { Node, Sim } from '../engine';
import { LINUX } from '../constants';
import { exchange, type AnswerOrError } from './dns-udp';

/** resolv.conf's defaults that are not already Linux timers (resolv.conf(5)). */
export const GLIBC = {
  /** options ndots:1 */
  ndots: 1,
  /** getaddrinfo with AF_UNSPEC asks both families (curl asks so unless told -4). */
  families: ['A', 'AAAA'],
} as const;

export interface ResolvConf { search: string[]; ndots: number }

export type StubResult =
  | { rcode: number; name: string; answers: DnsResourceRecord[]; addresses: string[]; ipv6: string[]; tried: string[] }
  | { error: string; tried: string[] };

/** The names glibc's res_search tries, in order (a trailing dot means the name alone). */
export function candidates(host: string, conf: ResolvConf): string[] {
  if (host.endsWith('.')) return [host.slice(0, -1)];
  const dots = host.split('.').length - 1;
  const searched = conf.search.map((s) => `${host}.${s.replace(/\.$/, '')}`);
  return dots >= conf.ndots ? [host, ...searched] : [...searched, host];
}

/** resolv.conf's `timeout` and `attempts` of this device (its timers, else glibc's defaults). */
export function stubTimeouts(n: Node): number[] {
  const timeout = n.d.timers?.resolverTimeoutMs ?? LINUX.resolverTimeoutMs;
  const attempts = Math.max(1, n.d.timers?.resolverAttempts ?? LINUX.resolverAttempts);
  const t: number[] = [];
  for (let i = 0; i < attempts; i++) t.push(timeout);
  return t;
}

/** Resolves `host` to its IPv4 addresses through `server`, as getaddrinfo does. */
export function resolveStub(sim: Sim, n: Node, server: string, host: string, o: { conf: ResolvConf; label: string }, done: (r: StubResult) => void): void {
  const names = candidates(host, o.conf);
  const tried: string[] = [];
  const next = (i: number): void => {
    const name = names[i];
    tried.push(name);
    exchange(sim, n, {
      server, questions: GLIBC.families.map((qtype) => ({ qname: name, qtype })), flags: { rd: true }, df: true,
      timeoutsMs: stubTimeouts(n), label: o.label,
    }, (answers: AnswerOrError[]) => {
      const [a] = answers;
      if (!a || 'error' in a) { done({ error: a?.error ?? 'no answer', tried }); return; }
      const addresses = a.answers.filter((r) => r.type === 'A').map((r) => String(r.data));
      const aaaa = answers[1];
      const ipv6 = aaaa && !('error' in aaaa) ? aaaa.answers.filter((r) => r.type === 'AAAA').map((r) => String(r.data)) : [];
      // res_search goes on to the next candidate after NXDOMAIN or NODATA, and stops at an answer
      const last = i + 1 >= names.length;
      if (addresses.length || last || (a.rcode !== 0 && a.rcode !== 3)) { done({ rcode: a.rcode, name, answers: a.answers, addresses, ipv6, tried }); return; }
      next(i + 1);
    });
  };
  next(0);
}
