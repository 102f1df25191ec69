// The command line's capture and key exports (issue #13): --pcap embeds the secrets, --link
// restricts it to one link, --pcap-dir writes one file per link, --keylog an SSLKEYLOGFILE,
// --certs the PEM files.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { SECRETS_TYPE_TLS_KEY_LOG } from '../../../src/core/export/decryptionSecrets';
import { ROOT } from '../helpers';

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const seed = path.relative(process.cwd(), path.join(ROOT, 'examples', 'follow-a-packet.journey'));

/** The pcapng's block types in order and the interface names (little-endian, as written). */
function blocks(file: string): { types: number[]; interfaces: string[]; secrets: string } {
  const b = fs.readFileSync(file);
  const types: number[] = [];
  const interfaces: string[] = [];
  let secrets = '';
  for (let o = 0; o < b.length; o += b.readUInt32LE(o + 4)) {
    const type = b.readUInt32LE(o);
    types.push(type);
    if (type === 1) {
      // options after linktype, reserved, snaplen: if_name is option 2
      for (let p = o + 16; b.readUInt16LE(p) !== 0; p += 4 + ((b.readUInt16LE(p + 2) + 3) & ~3)) {
        if (b.readUInt16LE(p) === 2) interfaces.push(b.toString('utf8', p + 4, p + 4 + b.readUInt16LE(p + 2)));
      }
    }
    if (type === 0x0a) {
      assert.equal(b.readUInt32LE(o + 8), SECRETS_TYPE_TLS_KEY_LOG);
      secrets = b.toString('utf8', o + 16, o + 16 + b.readUInt32LE(o + 12));
    }
  }
  return { types, interfaces, secrets };
}

describe('journey trace: TLS captures, key log and certificates', function () {
  this.timeout(20000);
  let dir = '';
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-cli-tls-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--pcap: the Decryption Secrets Block follows the interface descriptions and precedes every packet; --keylog holds the same lines', async () => {
    const pcap = path.join(dir, 'all.pcapng');
    const keylog = path.join(dir, 'keys.log');
    const r = await run('trace', seed, '--pcap', pcap, '--keylog', keylog);
    assert.equal(r.code, 0, r.err.join('\n'));
    const { types, secrets } = blocks(pcap);
    const dsb = types.indexOf(0x0a);
    assert.ok(dsb > 1 && types.slice(1, dsb).every((t) => t === 1) && types.slice(dsb + 1).every((t) => t === 6), `block order: ${types.slice(0, dsb + 2).join(',')}`);
    const lines = fs.readFileSync(keylog, 'utf8');
    assert.equal(secrets, lines);
    assert.match(lines, /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64}\n/);
    assert.equal(lines.split('\n').filter(Boolean).length, 4);
  });

  it('--link NAME: one interface, only that link\'s packets; an unknown link is a clear error', async () => {
    const pcap = path.join(dir, 'wifi.pcapng');
    const r = await run('trace', seed, '--pcap', pcap, '--link', 'wifi');
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.deepEqual(blocks(pcap).interfaces, ['wifi']);
    const bad = await run('trace', seed, '--pcap', path.join(dir, 'x.pcapng'), '--link', 'no-such-link');
    assert.equal(bad.code, 2);
    assert.match(bad.err.join('\n'), /--link no-such-link: no packet of this trace crossed a link of that name \(links: wifi, home-lan, /);
    assert.equal(fs.existsSync(path.join(dir, 'x.pcapng')), false, 'nothing written');
    const alone = await run('trace', seed, '--link', 'wifi');
    assert.equal(alone.code, 2);
    assert.match(alone.err.join('\n'), /--link chooses the link of the --pcap file/);
  });

  it('--pcap-dir DIR: one capture per link, named after it, each with the secrets', async () => {
    const out = path.join(dir, 'links');
    const r = await run('trace', seed, '--pcap-dir', out);
    assert.equal(r.code, 0, r.err.join('\n'));
    const files = fs.readdirSync(out).sort();
    assert.ok(files.includes('wifi.pcapng') && files.includes('long-haul.pcapng') && files.includes('lo-web-7d9f.pcapng'), files.join(', '));
    for (const f of files) {
      const b = blocks(path.join(out, f));
      assert.equal(b.interfaces.length, 1, f);
      assert.equal(`${b.interfaces[0].replace(/[^A-Za-z0-9._-]+/g, '-')}.pcapng`, f);
      assert.ok(b.secrets.includes('SERVER_TRAFFIC_SECRET_0'), f);
    }
    assert.match(r.err.join('\n'), new RegExp(`wrote ${files.length} captures \\(one per link`));
  });

  it('--certs DIR: the servers\' certificates, their roots and ca.pem', async () => {
    const out = path.join(dir, 'certs');
    const r = await run('trace', seed, '--certs', out);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.deepEqual(fs.readdirSync(out).sort(), ['api-cert.pem', 'ca-Amazon-Root-CA-1.pem', 'ca.pem']);
    assert.match(fs.readFileSync(path.join(out, 'api-cert.pem'), 'utf8'), /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
  });
});
