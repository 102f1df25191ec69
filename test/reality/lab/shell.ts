// Small helpers to run programs, in a namespace or not, for the reality labs.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const sh = (...args: string[]): string => execFileSync(args[0], args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
export const inNs = (ns: string, ...args: string[]): string => sh('ip', 'netns', 'exec', ns, ...args);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Why the lab cannot run here (not root, a program missing, no namespaces), or undefined. */
export function labMissing(tools: readonly string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  for (const tool of tools) if (!has(tool)) return `${tool} is not installed (apt-get install it; see docs/reality.md)`;
  const probe = `pjprobe${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe]);
  spawnSync('ip', ['netns', 'del', probe]);
  return r.status === 0 ? undefined : `cannot create a network namespace here (${r.stderr.toString().trim()})`;
}

/**
 * A long-running program in a namespace, in its own process group so that stopping it also
 * stops the children it forks (nsd, nginx workers).
 */
export function daemon(ns: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

export const exited = (child: ChildProcess, ms: number): Promise<void> => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
  const t = setTimeout(() => { stop(child, 'SIGKILL'); resolve(); }, ms);
  child.on('exit', () => { clearTimeout(t); resolve(); });
});

/** Polls `check` until it holds or `ms` passed; says what was awaited when it never held. */
export async function waitFor(what: string, check: () => boolean, ms = 10000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (check()) return;
  throw new Error(`timed out waiting for ${what}`);
}
