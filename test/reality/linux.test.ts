// The simulation against the real Linux stack: the same small topology (a client, a NAT
// router, a web server) is built from network namespaces and veth pairs, a real curl fetches
// a page, tshark captures both sides of the router, and the handshake is compared field by
// field with the simulation's trace of the equivalent .journey file.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNetwork } from '../../src/core/model/build';
import { simulate } from '../../src/core/sim/run';
import type { PacketSnapshot, Trace } from '../../src/core/trace/types';
import { tsharkJson, first, findAll, type TsharkLayers } from '../unit/wire/tshark';
import { labMissing, sh } from './lab/shell';

const CLIENT = { mac: '02:00:00:00:0c:01', ip: '192.168.0.10' };
const LAN = { mac: '02:00:00:00:0c:fe', ip: '192.168.0.1' };
const WAN = { mac: '02:00:00:00:0d:fe', ip: '198.51.100.2' };
const SERVER = { mac: '02:00:00:00:0d:10', ip: '198.51.100.10' };
// The client's receive buffers differ from the server's (which keeps Linux's defaults), so the
// two ends must derive different window scales from their own settings.
const CLIENT_RMEM = [4096, 131072, 33554432];
const DEFAULT_RMEM = [4096, 131072, 6291456];

const JOURNEY = `
host client {
  interface eth0 {
    mac ${CLIENT.mac}
    ip ${CLIENT.ip}/24
  }
  gateway ${LAN.ip}
  tcp-rmem ${CLIENT_RMEM.join(' ')}
}
router gw {
  interface lan {
    mac ${LAN.mac}
    ip ${LAN.ip}/24
  }
  interface wan {
    mac ${WAN.mac}
    ip ${WAN.ip}/24
  }
  nat masquerade {
    out wan
  }
}
host server {
  interface eth0 {
    mac ${SERVER.mac}
    ip ${SERVER.ip}/24
  }
  listen 80
}
link lan {
  between client.eth0 gw.lan
  latency 50us
}
link wan {
  between gw.wan server.eth0
  latency 50us
}
scenario fetch {
  from client
  request {
    url "http://${SERVER.ip}/"
    http 1.1
  }
  response {
    status 200
    body 64B
  }
}
`;

describe('the simulation against the real Linux stack (network namespaces)', function () {
  this.timeout(90000);
  const id = String(process.pid % 100000);
  const ns = { c: `pjc${id}`, r: `pjr${id}`, s: `pjs${id}` };
  const inNs = (n: string, ...args: string[]): string => sh('ip', 'netns', 'exec', n, ...args);
  const children: ChildProcess[] = [];
  let dir = '';
  let real: { lan: TsharkLayers[]; wan: TsharkLayers[] } | undefined;
  let sim: Trace;

  before(async function () {
    const why = labMissing(['ip', 'iptables', 'tshark', 'curl', 'python3']);
    if (why) { console.log(`      skipped: ${why}`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-reality-'));
    for (const n of Object.values(ns)) sh('ip', 'netns', 'add', n);
    sh('ip', 'link', 'add', `c${id}`, 'netns', ns.c, 'type', 'veth', 'peer', 'name', `rl${id}`, 'netns', ns.r);
    sh('ip', 'link', 'add', `rw${id}`, 'netns', ns.r, 'type', 'veth', 'peer', 'name', `s${id}`, 'netns', ns.s);
    const up = (n: string, dev: string, name: string, mac: string, cidr: string): void => {
      inNs(n, 'ip', 'link', 'set', dev, 'name', name);
      inNs(n, 'ip', 'link', 'set', name, 'address', mac);
      inNs(n, 'ip', 'addr', 'add', cidr, 'dev', name);
      inNs(n, 'ip', 'link', 'set', name, 'up');
      inNs(n, 'ip', 'link', 'set', 'lo', 'up');
    };
    up(ns.c, `c${id}`, 'eth0', CLIENT.mac, `${CLIENT.ip}/24`);
    up(ns.r, `rl${id}`, 'lan', LAN.mac, `${LAN.ip}/24`);
    up(ns.r, `rw${id}`, 'wan', WAN.mac, `${WAN.ip}/24`);
    up(ns.s, `s${id}`, 'eth0', SERVER.mac, `${SERVER.ip}/24`);
    // Set the buffers explicitly: this machine's own defaults may differ from Linux's.
    for (const n of [ns.r, ns.s]) inNs(n, 'sysctl', '-qw', `net.ipv4.tcp_rmem=${DEFAULT_RMEM.join(' ')}`);
    inNs(ns.c, 'sysctl', '-qw', `net.ipv4.tcp_rmem=${CLIENT_RMEM.join(' ')}`);
    inNs(ns.c, 'ip', 'route', 'add', 'default', 'via', LAN.ip);
    inNs(ns.r, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
    inNs(ns.r, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE');
    fs.writeFileSync(path.join(dir, 'index.html'), 'x'.repeat(64));
    const server = spawn('ip', ['netns', 'exec', ns.s, 'python3', '-m', 'http.server', '80', '--bind', SERVER.ip, '--directory', dir], { stdio: 'ignore' });
    children.push(server);
    // Each link is captured at its end host: the frames on the wire are the same at both ends.
    const capture = (netns: string, iface: string, name: string): Promise<string> => new Promise((resolve, reject) => {
      const file = path.join(dir, `${name}.pcapng`);
      const t = spawn('ip', ['netns', 'exec', netns, 'tshark', '-q', '-i', iface, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(t);
      const timer = setTimeout(() => reject(new Error(`tshark on ${iface} did not start`)), 20000);
      t.stderr?.on('data', (d: Buffer) => { if (/Capturing on/.test(d.toString())) { clearTimeout(timer); resolve(file); } });
    });
    const files = await Promise.all([capture(ns.c, 'eth0', 'lan'), capture(ns.s, 'eth0', 'wan')]);
    // tshark says "Capturing on" before its dumpcap has opened the file: wait for the file.
    for (let i = 0; i < 100 && !files.every((f) => fs.existsSync(f) && fs.statSync(f).size > 0); i++) await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 50; i++) {
      if (spawnSync('ip', ['netns', 'exec', ns.c, 'curl', '-s', '-o', '/dev/null', '--max-time', '2', `http://${SERVER.ip}/index.html`]).status === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const c of children.slice(1)) c.kill('SIGINT');
    await Promise.all(children.slice(1).map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r)))));
    real = { lan: tsharkJson(fs.readFileSync(files[0])), wan: tsharkJson(fs.readFileSync(files[1])) };
    const built = buildNetwork(JOURNEY, { file: 'reality.journey' });
    assert.deepEqual(built.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const r = simulate(built);
    assert.ok(r.ok, r.ok ? '' : r.error);
    sim = r.trace;
  });

  after(function () {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const n of Object.values(ns)) spawnSync('ip', ['netns', 'del', n]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // The first packet with these TCP flags on one side of the router, real and simulated.
  const flags = { syn: '0x0002', synack: '0x0012' } as const;
  const realPacket = (side: 'lan' | 'wan', f: keyof typeof flags): TsharkLayers => {
    const p = real?.[side].find((x) => first(x, 'tcp.flags') === flags[f]);
    assert.ok(p, `no real ${f} on ${side}`);
    return p;
  };
  const simPacket = (side: 'lan' | 'wan', f: keyof typeof flags): PacketSnapshot => {
    const want = f === 'syn' ? /\[SYN\]/ : /\[SYN,ACK\]/;
    const p = sim.packets.find((x) => x.link === side && x.layers.some((l) => l.proto === 'tcp' && want.test(l.summary)));
    assert.ok(p, `no simulated ${f} on ${side}`);
    return p;
  };
  const simField = (p: PacketSnapshot, proto: string, name: string): string | undefined => p.layers.find((l) => l.proto === proto)?.fields.find((f) => f.name === name)?.value;

  for (const side of ['lan', 'wan'] as const) {
    for (const f of ['syn', 'synack'] as const) {
      it(`${f.toUpperCase()} on the ${side} side: addresses, MACs, TTL, DF, window and options match`, function () {
        const r = realPacket(side, f);
        const s = simPacket(side, f);
        assert.equal(simField(s, 'ethernet', 'src'), first(r, 'eth.src'), 'Ethernet source');
        assert.equal(simField(s, 'ethernet', 'dst'), first(r, 'eth.dst'), 'Ethernet destination');
        assert.equal(simField(s, 'ipv4', 'src'), first(r, 'ip.src'), 'IP source');
        assert.equal(simField(s, 'ipv4', 'dst'), first(r, 'ip.dst'), 'IP destination');
        assert.equal(simField(s, 'ipv4', 'ttl'), first(r, 'ip.ttl'), 'TTL');
        assert.equal(/DF/.test(simField(s, 'ipv4', 'flags_fragment') ?? ''), first(r, 'ip.flags.df') === '1' || first(r, 'ip.flags.df') === 'True', 'DF');
        assert.equal(simField(s, 'tcp', 'window'), first(r, 'tcp.window_size_value'), 'window');
        assert.equal(simField(s, 'tcp', 'option[0].mss'), first(r, 'tcp.options.mss_val'), 'MSS');
        const realKinds = findAll(r, 'tcp.option_kind').map(String);
        const simKinds = s.layers.find((l) => l.proto === 'tcp')?.fields.filter((x) => x.name.startsWith('option[')).map((x) => ({ mss: '2', sack_perm: '4', timestamps: '8', nop: '1', wscale: '3' })[x.name.replace(/^option\[\d+\]\./, '')] ?? '?');
        assert.deepEqual(simKinds, realKinds, 'option kinds in order');
        assert.equal(simField(s, 'tcp', 'option[4].wscale')?.split(' ')[1], first(r, 'tcp.options.wscale.shift'), 'window scale');
      });
    }
  }

  it('the router masquerades the source and keeps the port, as conntrack does when it is free', function () {
    const lan = realPacket('lan', 'syn');
    const wan = realPacket('wan', 'syn');
    assert.equal(first(wan, 'ip.src'), WAN.ip);
    assert.equal(first(wan, 'tcp.srcport'), first(lan, 'tcp.srcport'));
    const s = simPacket('wan', 'syn');
    assert.equal(simField(s, 'tcp', 'src_port'), simField(simPacket('lan', 'syn'), 'tcp', 'src_port'));
  });

  it('the client\'s ACK advertises the same scaled window', function () {
    const ack = real?.lan.find((x) => first(x, 'tcp.flags') === '0x0010' && first(x, 'tcp.len') === '0');
    assert.ok(ack);
    const s = sim.packets.find((x) => x.link === 'lan' && x.from === 'client' && x.layers.some((l) => l.proto === 'tcp' && /\[ACK\]/.test(l.summary)));
    assert.ok(s);
    assert.equal(simField(s, 'tcp', 'window'), first(ack, 'tcp.window_size_value'));
  });
});
