// Small helpers shared by the e2e scripts: paths, timed steps, child processes with timeouts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = process.env.E2E_CACHE_DIR
  ? path.resolve(process.env.E2E_CACHE_DIR)
  : path.join(repoRoot, '.e2e-cache');
export const CODE_SERVER_VERSION = '4.100.3';
export const codeServerPrefix = path.join(cacheDir, 'code-server');
export const codeServerBin = path.join(codeServerPrefix, 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function log(msg) {
  process.stdout.write(`[e2e] ${msg}\n`);
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs `fn` as a named step, printing its duration; records it in `timings` when given. */
export async function step(name, fn, timings) {
  const t0 = Date.now();
  log(`▶ ${name}`);
  try {
    const result = await fn();
    const ms = Date.now() - t0;
    log(`✔ ${name} (${seconds(ms)})`);
    timings?.push({ name, ms, ok: true });
    return result;
  } catch (err) {
    const ms = Date.now() - t0;
    log(`✘ ${name} (${seconds(ms)}): ${err?.message ?? err}`);
    timings?.push({ name, ms, ok: false });
    throw err;
  }
}

/** Process groups of `run()` commands still going: a watchdog or Ctrl+C stops them. */
export const running = new Set();

/**
 * Runs a command to completion with inherited output, no stdin, and a hard timeout; rejects on a
 * non-zero exit. The child gets its own process group so a timeout kills its children too.
 */
export function run(cmd, args, { cwd = repoRoot, env = process.env, timeoutMs = 10 * 60_000, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env,
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
      detached: true,
    });
    running.add(child.pid);
    let out = '';
    if (quiet) {
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
    }
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${seconds(timeoutMs)}\n${out}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n${quiet ? out : ''}`));
    });
  });
}

/** Kills a whole process group started with `detached: true`; ignores a group already gone. */
export function killGroup(pid, signal = 'SIGTERM') {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

export function isGroupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM a process group, then SIGKILL it if it is still there after `graceMs`. */
export async function stopGroup(pid, graceMs = 3000) {
  if (!pid || !isGroupAlive(pid)) return;
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isGroupAlive(pid)) await sleep(100);
  if (isGroupAlive(pid)) killGroup(pid, 'SIGKILL');
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** An error that makes `waitFor` give up at once instead of retrying until its timeout. */
export function abort(message) {
  return Object.assign(new Error(message), { abort: true });
}

/**
 * Polls `probe` until it returns a truthy value or the timeout passes. A probe that throws is
 * retried (a server not listening yet), unless it throws an `abort(...)` error.
 */
export async function waitFor(what, probe, { timeoutMs, intervalMs = 200 }) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      if (e?.abort) throw e;
      lastErr = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** What `.installed` records: code-server's native addons are built for one Node ABI. */
export function installStamp() {
  return `code-server@${CODE_SERVER_VERSION} node-abi=${process.versions.modules} ${process.platform}-${process.arch}`;
}

export function codeServerInstalled() {
  const marker = path.join(codeServerPrefix, '.installed');
  if (!existsSync(codeServerBin) || !existsSync(marker)) return false;
  return readFileSync(marker, 'utf8').split('\n')[0].trim() === installStamp();
}

/**
 * Environment for a process that must not write into the real home folder: config, data, cache
 * and temporary files all go under `root`.
 */
export function isolatedEnv(root, extra = {}) {
  const base = { ...process.env };
  // Inside a VS Code terminal these make code-server's CLI talk to that other instance.
  for (const k of Object.keys(base)) if (k.startsWith('VSCODE_')) delete base[k];
  return {
    ...base,
    XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
    XDG_RUNTIME_DIR: path.join(root, 'xdg-runtime'),
    TMPDIR: path.join(root, 'tmp'),
    ...extra,
  };
}
