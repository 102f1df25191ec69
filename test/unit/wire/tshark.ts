/**
 * Runs tshark on bytes we generated, as an independent decoder. Shared by every test that wants
 * to prove our bytes are what Wireshark thinks they are.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tsharkAvailable(): { ok: true; version: string } | { ok: false; reason: string } {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { ok: false, reason: `tshark not runnable (${r.error?.message ?? `exit ${r.status}`}); install it with apt-get install -y tshark` };
  return { ok: true, version: r.stdout.split('\n')[0] };
}

export const CHECKSUM_PREFS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];

/** A tshark JSON packet: layers map field name -> string | nested object | array. */
export type TsharkLayers = Record<string, unknown>;

/** Writes the capture to a temp file and returns tshark's `-T json` packets (each packet's _source.layers). */
export function tsharkJson(pcap: Uint8Array, extraArgs: string[] = []): TsharkLayers[] {
  const dir = mkdtempSync(join(tmpdir(), 'pj-tshark-'));
  try {
    const file = join(dir, 'capture.pcapng');
    writeFileSync(file, pcap);
    const out = execFileSync('tshark', ['-r', file, '-T', 'json', '--no-duplicate-keys', ...CHECKSUM_PREFS, ...extraArgs], {
      encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const parsed = JSON.parse(out) as Array<{ _source: { layers: TsharkLayers } }>;
    return parsed.map((p) => p._source.layers);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every value of `key` anywhere in a packet's tree (tshark nests fields under subtrees). */
export function findAll(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) {
    for (const x of node) findAll(x, key, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) {
        if (Array.isArray(v)) out.push(...v);
        else out.push(v);
      }
      findAll(v, key, out);
    }
  }
  return out;
}

export const first = (node: unknown, key: string): string | undefined => {
  const v = findAll(node, key)[0];
  return typeof v === 'string' ? v : undefined;
};

/** Expert infos at error severity (and malformed markers), as readable strings. */
export function expertErrors(layers: TsharkLayers): string[] {
  const errs: string[] = [];
  if (findAll(layers, '_ws.malformed').length) errs.push('_ws.malformed present');
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      // 0x00800000 = PI_ERROR
      if (o['_ws.expert.severity'] === '8388608') errs.push(String(o['_ws.expert.message']));
      Object.values(o).forEach(walk);
    }
  };
  walk(layers);
  return errs;
}
