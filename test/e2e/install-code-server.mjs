#!/usr/bin/env node
// Installs code-server (VS Code OSS served to a browser) into <repo>/.e2e-cache/code-server,
// offline apart from the npm registry and Debian's packages. Idempotent: does nothing when the
// cache is already there. Usage: node test/e2e/install-code-server.mjs [--force]
//
// What it needs, and why (see shared/DESIGN.md, "Testing in a real VS Code on this machine"):
// - apt: libkrb5-dev (kerberos addon), libsecret-1-dev (keytar), ripgrep (search, and the tarball
//   below), chromium (the browser the UI tests drive). apt-get update runs only when installing.
// - @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here; it first
//   looks in <os.tmpdir()>/vscode-ripgrep-cache-<ver>/ for the tarball, so we pack Debian's rg there.
// - npm_config_unsafe_perm=true (its postinstall refuses root otherwise) and npm_config_yes=true
//   (node-pty runs `npx node-gyp`, which this machine's `yes=false` npm config would cancel).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  cacheDir,
  CODE_SERVER_VERSION,
  codeServerBin,
  codeServerInstalled,
  codeServerPrefix,
  installStamp,
  isolatedEnv,
  log,
  run,
  seconds,
  which,
} from './lib.mjs';

export const APT_PACKAGES = ['libkrb5-dev', 'libsecret-1-dev', 'ripgrep', 'chromium'];
// The versions @vscode/ripgrep (as pinned by code-server 4.100.3) asks for.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_BIN_VERSION = 'v13.0.0-10';

function aptMissing() {
  return APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

async function ensureApt() {
  const missing = aptMissing();
  if (missing.length === 0) {
    log(`apt prerequisites present: ${APT_PACKAGES.join(' ')}`);
    return;
  }
  log(`apt prerequisites missing: ${missing.join(' ')}; installing`);
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : which('sudo') ? ['sudo', '-n'] : null;
  if (sudo === null) throw new Error(`not root and no sudo: install by hand: apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (sudo.length ? run(sudo[0], [...sudo.slice(1), 'apt-get', ...args], { env }) : run('apt-get', args, { env }));
  let t = Date.now();
  await apt(['update', '-q']);
  log(`apt-get update (${seconds(Date.now() - t)})`);
  t = Date.now();
  await apt(['install', '-y', '-q', ...missing]);
  log(`apt-get install ${missing.join(' ')} (${seconds(Date.now() - t)})`);
  const still = aptMissing();
  if (still.length) throw new Error(`apt packages still missing after install: ${still.join(' ')}`);
}

function ripgrepTarget() {
  switch (process.arch) {
    case 'x64':
      return 'x86_64-unknown-linux-musl';
    case 'arm64':
      return 'aarch64-unknown-linux-musl';
    default:
      throw new Error(`no ripgrep target known for arch ${process.arch}`);
  }
}

/** Packs Debian's /usr/bin/rg as the tarball @vscode/ripgrep would download, in `tmpDir`. */
async function seedRipgrepCache(tmpDir) {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) not found after apt install');
  const cache = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const tarball = path.join(cache, `ripgrep-${RIPGREP_BIN_VERSION}-${ripgrepTarget()}.tar.gz`);
  if (existsSync(tarball)) return tarball;
  const staging = path.join(tmpDir, 'rg-staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  mkdirSync(cache, { recursive: true });
  copyFileSync(rg, path.join(staging, 'rg'));
  chmodSync(path.join(staging, 'rg'), 0o755);
  await run('tar', ['-czf', tarball, '-C', staging, 'rg'], { quiet: true });
  rmSync(staging, { recursive: true, force: true });
  log(`ripgrep cache seeded: ${tarball}`);
  return tarball;
}

export async function installCodeServer({ force = false } = {}) {
  const t0 = Date.now();
  if (!force && !codeServerInstalled() && existsSync(codeServerBin)) {
    log('code-server cache incomplete or built for another Node: reinstalling');
    force = true;
  }
  if (!force && codeServerInstalled()) {
    await ensureApt(); // cheap check; chromium may be gone on a machine that kept the cache
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${codeServerPrefix}`);
    return codeServerBin;
  }
  await ensureApt();

  if (force) rmSync(codeServerPrefix, { recursive: true, force: true });
  const tmpDir = path.join(cacheDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  mkdirSync(codeServerPrefix, { recursive: true });
  await seedRipgrepCache(tmpDir);

  // Its own package.json, so npm treats this folder as the project (not the repository above).
  writeFileSync(
    path.join(codeServerPrefix, 'package.json'),
    JSON.stringify({ name: 'packet-journey-e2e-code-server', private: true, description: 'test tool cache; not part of the extension' }, null, 2) + '\n',
  );
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  log(`npm install code-server@${CODE_SERVER_VERSION} into ${codeServerPrefix} (about a minute, ~300 MB)`);
  const t = Date.now();
  await run('npm', ['install', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerPrefix,
    env,
    timeoutMs: 15 * 60_000,
  });
  log(`npm install (${seconds(Date.now() - t)})`);

  if (!existsSync(codeServerBin)) throw new Error(`code-server binary missing after install: ${codeServerBin}`);
  const rgBin = path.join(codeServerPrefix, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!existsSync(rgBin)) log(`warning: ${rgBin} is missing; search in code-server will not work`);
  // Even --version writes a config file and logs into the home folder: keep it in the cache.
  const scratch = path.join(tmpDir, 'version-check');
  const vEnv = isolatedEnv(scratch);
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'TMPDIR']) mkdirSync(vEnv[k], { recursive: true });
  delete vEnv.XDG_RUNTIME_DIR;
  const out = await run(codeServerBin, ['--version'], { quiet: true, env: vEnv });
  rmSync(scratch, { recursive: true, force: true });
  const version = out.split('\n').find((l) => /^\d+\.\d+\.\d+ /.test(l.trim()))?.trim() ?? out.trim();
  if (!version.startsWith(CODE_SERVER_VERSION)) throw new Error(`unexpected code-server version: ${version}`);
  writeFileSync(path.join(codeServerPrefix, '.installed'), `${installStamp()}\n${version}\n`);
  log(`code-server ${version} installed in ${seconds(Date.now() - t0)}`);
  return codeServerBin;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = Date.now();
  installCodeServer({ force: process.argv.includes('--force') })
    .then(() => log(`install-code-server done (${seconds(Date.now() - t0)})`))
    .catch((e) => {
      console.error(`[e2e] install-code-server failed: ${e?.stack ?? e}`);
      process.exit(1);
    });
}

