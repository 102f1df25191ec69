// Builds the lab from network namespaces (one per device), links of TAP pairs joined by relay.py
// (a fixed delay per link), a veth into the pod, bridges (the VPC fabric and node-5's cni0) and VXLAN devices (the overlay between node-3 and node-5), starts the real
// servers, captures every link with dumpcap and fetches the page with curl.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { albConf, appPy, nsdConf, rootHints, sidecarConf, unboundConf, zoneFile } from './configs';
import { CNI_MAC, DEVICES, DOMAIN, IP, LINK_DELAY_US, LINKS, NODE_PORT, PATH, POD, POD_MTU, POD_PORT, SWITCH, VNI, VXLAN_PORT, ZONES, vtepMac } from './path';
import { daemon, exited, inNs, sh, sleep, stop, waitFor } from './shell';

export const LAB_TOOLS = ['ip', 'bridge', 'iptables', 'dumpcap', 'tshark', 'curl', 'python3', 'openssl', 'nsd', 'unbound', 'nginx', 'ss'];

export interface Lab {
  id: string;
  dir: string;
  ns: (device: string) => string;
  daemons: ChildProcess[];
  captures: { link: string; file: string; child: ChildProcess }[];
  keylog: string;
  /** the server's certificate (nginx serves it) and the root that issued it (curl trusts it) */
  cert: string;
  ca: string;
}

/** The root CA the lab's certificate comes from; the journey's `certificate` names it as issuer
 * and the laptop trusts it, as the lab's curl trusts the real one. */
export const LAB_ISSUER = 'Packet Journey Lab';

const LINUX_TCP_RMEM = '4096 131072 6291456';
const ROUTERS = ['home-router', 'isp-router', 'aws-igw', 'node-3', 'node-5'];

export function newLab(dir: string): Lab {
  const id = String(process.pid % 100000);
  return { id, dir, ns: (d) => `pj${id}-${d}`, daemons: [], captures: [], keylog: path.join(dir, 'tls-keys.log'), cert: path.join(dir, 'cert.pem'), ca: path.join(dir, 'ca.pem') };
}

const allNs = (lab: Lab): string[] => [...DEVICES.map((d) => lab.ns(d.name)), lab.ns(POD.name)];

/** Starts relay.py with a TAP pair per link; resolves once the devices exist. */
/** `argv` at a real-time priority (SCHED_FIFO), where the machine grants it: the process runs as
 * soon as it is woken and is not preempted by the lab's other programs, whose CPU time would
 * otherwise decide the timing of what it does (on 2 CPUs, by hundreds of microseconds). */
function realtime(argv: string[]): string[] {
  canRealtime ??= spawnSync('chrt', ['-f', '10', 'true']).status === 0;
  return canRealtime ? ['chrt', '-f', '10', ...argv] : argv;
}
let canRealtime: boolean | undefined;

async function startRelay(lab: Lab, links: string[]): Promise<void> {
  // real-time: the wire's timing should not depend on the load of the programs it joins
  const [cmd, ...args] = realtime(['python3', path.join(__dirname, 'relay.py'), String(LINK_DELAY_US), ...links]);
  const relay = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  lab.daemons.push(relay);
  let out = '';
  let err = '';
  relay.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  relay.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  await waitFor('relay.py to create the links', () => {
    if (relay.exitCode !== null) throw new Error(`relay.py exited: ${err.trim()}`);
    return out.includes('ready');
  });
}

/** Namespaces, links, addresses, routes, NAT and the overlay. */
export async function buildNetwork(lab: Lab): Promise<void> {
  for (const n of allNs(lab)) {
    sh('ip', 'netns', 'add', n);
    inNs(n, 'ip', 'link', 'set', 'dev', 'lo', 'up');
    // No IPv6: its router solicitations and MLD reports would be noise the simulation never sends.
    inNs(n, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
    // Linux's default buffers (new namespaces copy this machine's, which may differ): the
    // window scale derives from them, and the simulation models the defaults.
    inNs(n, 'sysctl', '-qw', `net.ipv4.tcp_rmem=${LINUX_TCP_RMEM}`);
  }
  inNs(lab.ns(SWITCH), 'ip', 'link', 'add', 'br0', 'type', 'bridge');
  inNs(lab.ns(SWITCH), 'ip', 'link', 'set', 'dev', 'br0', 'up');
  const iface = (device: string, name: string) => {
    const i = DEVICES.find((d) => d.name === device)?.ifaces.find((x) => x.name === name);
    if (!i) throw new Error(`no interface ${device}.${name}`);
    return i;
  };
  const taps = LINKS.map((_, n) => [`pj${lab.id}a${n}`, `pj${lab.id}b${n}`] as const);
  await startRelay(lab, LINKS.flatMap((l, n) => [...taps[n], String(l.bandwidthBps ?? 0)]));
  LINKS.forEach((l, n) => {
    const [ta, tb] = taps[n];
    for (const [end, tmp] of [[l.a, ta], [l.b, tb]] as const) {
      const [device, name] = end;
      const n2 = lab.ns(device);
      sh('ip', 'link', 'set', 'dev', tmp, 'netns', n2);
      const i = iface(device, name);
      inNs(n2, 'ip', 'link', 'set', 'dev', tmp, 'name', name);
      if (device === SWITCH) inNs(n2, 'ip', 'link', 'set', 'dev', name, 'master', 'br0');
      else inNs(n2, 'ip', 'link', 'set', 'dev', name, 'address', i.mac);
      if (i.cidr) inNs(n2, 'ip', 'addr', 'add', i.cidr, 'dev', name);
      if (i.mtu) inNs(n2, 'ip', 'link', 'set', 'dev', name, 'mtu', String(i.mtu));
      inNs(n2, 'ip', 'link', 'set', 'dev', name, 'up');
    }
  });
  for (const d of DEVICES) {
    const n = lab.ns(d.name);
    if (d.gateway) inNs(n, 'ip', 'route', 'add', 'default', 'via', d.gateway);
    for (const r of d.routes ?? []) inNs(n, 'ip', 'route', 'add', r.to, 'via', r.via);
    if (ROUTERS.includes(d.name)) inNs(n, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  }
  inNs(lab.ns('home-router'), 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE');
  inNs(lab.ns('aws-igw'), 'iptables', '-t', 'nat', '-A', 'PREROUTING', '-d', IP.publicAlb, '-j', 'DNAT', '--to-destination', IP.alb);
  overlay(lab);
  // kube-proxy's NodePort: DNAT to the pod, and masquerade what leaves for another node.
  const n3 = lab.ns('node-3');
  inNs(n3, 'iptables', '-t', 'nat', '-A', 'PREROUTING', '-p', 'tcp', '--dport', String(NODE_PORT), '-j', 'DNAT', '--to-destination', `${IP.pod}:8080`);
  inNs(n3, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'vxlan0', '-j', 'MASQUERADE');
  // The laptop's /etc/resolv.conf (ip netns exec bind-mounts /etc/netns/NAME/ over /etc/).
  fs.mkdirSync(`/etc/netns/${lab.ns('laptop')}`, { recursive: true });
  fs.writeFileSync(`/etc/netns/${lab.ns('laptop')}/resolv.conf`, `nameserver ${IP.resolver}\n`);
}

/** flannel's VXLAN backend by hand: a VTEP per node, static neighbours and FDB, a cni0 bridge. */
function overlay(lab: Lab): void {
  const nodes = [
    { name: 'node-3', ip: IP.node3, vtep: IP.vtep3, cidr: '10.244.1.0/24' },
    { name: 'node-5', ip: IP.node5, vtep: IP.vtep5, cidr: '10.244.2.0/24' },
  ];
  const macOf = (device: string): string => DEVICES.find((d) => d.name === device)?.ifaces[0].mac ?? '';
  for (const me of nodes) {
    const n = lab.ns(me.name);
    inNs(n, 'ip', 'link', 'add', 'vxlan0', 'type', 'vxlan', 'id', String(VNI), 'dstport', String(VXLAN_PORT), 'local', me.ip, 'dev', 'eth0', 'nolearning');
    inNs(n, 'ip', 'link', 'set', 'dev', 'vxlan0', 'address', vtepMac(macOf(me.name)), 'mtu', String(POD_MTU));
    inNs(n, 'ip', 'addr', 'add', `${me.vtep}/32`, 'dev', 'vxlan0');
    inNs(n, 'ip', 'link', 'set', 'dev', 'vxlan0', 'up');
    for (const peer of nodes.filter((x) => x !== me)) {
      inNs(n, 'ip', 'route', 'add', peer.cidr, 'via', peer.vtep, 'dev', 'vxlan0', 'onlink');
      inNs(n, 'ip', 'neigh', 'add', peer.vtep, 'lladdr', vtepMac(macOf(peer.name)), 'dev', 'vxlan0', 'nud', 'permanent');
      inNs(n, 'bridge', 'fdb', 'append', vtepMac(macOf(peer.name)), 'dev', 'vxlan0', 'dst', peer.ip);
    }
  }
  const n5 = lab.ns(POD.node);
  const pod = lab.ns(POD.name);
  // No multicast snooping: its IGMP report for 224.0.0.106 is noise the simulation never sends.
  inNs(n5, 'ip', 'link', 'add', 'cni0', 'type', 'bridge', 'mcast_snooping', '0');
  sh('ip', 'link', 'add', `pj${lab.id}p`, 'netns', pod, 'type', 'veth', 'peer', 'name', 'vethweb', 'netns', n5);
  inNs(n5, 'ip', 'link', 'set', 'dev', 'vethweb', 'master', 'cni0', 'mtu', String(POD_MTU), 'up');
  // Set after the port joins: a bridge otherwise takes its lowest port's MAC.
  inNs(n5, 'ip', 'link', 'set', 'dev', 'cni0', 'address', CNI_MAC, 'mtu', String(POD_MTU), 'up');
  inNs(n5, 'ip', 'addr', 'add', '10.244.2.1/24', 'dev', 'cni0');
  inNs(pod, 'ip', 'link', 'set', 'dev', `pj${lab.id}p`, 'name', 'eth0');
  inNs(pod, 'ip', 'link', 'set', 'dev', 'eth0', 'address', POD.mac, 'mtu', String(POD_MTU), 'up');
  inNs(pod, 'ip', 'addr', 'add', `${IP.pod}/24`, 'dev', 'eth0');
  inNs(pod, 'ip', 'route', 'add', 'default', 'via', IP.cni5);
}

const listening = (ns: string, proto: 't' | 'u', port: number): boolean =>
  spawnSync('ip', ['netns', 'exec', ns, 'ss', `-Hln${proto}`, `sport = :${port}`], { encoding: 'utf8' }).stdout.trim() !== '';

/** unbound, three nsd, two nginx and the app; resolves once they all listen. */
export async function startServers(lab: Lab): Promise<void> {
  const sub = (name: string): string => { const d = path.join(lab.dir, name); fs.mkdirSync(d, { recursive: true }); return d; };
  const key = path.join(lab.dir, 'key.pem');
  // A root and a leaf it issues, shaped as the simulation's PKI issues them (crypto/x509Build.ts):
  // Ed25519 keys (the journey's `key ed25519`), a 16-byte serial, the same extensions. Ed25519
  // signatures are 64 bytes, so the Certificate and nginx's CertificateVerify have the
  // simulation's sizes in every run (an ECDSA signature's DER is 70-72 bytes, at random).
  const caKey = path.join(lab.dir, 'ca-key.pem');
  sh('openssl', 'req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', caKey, '-out', lab.ca,
    '-days', '3650', '-subj', `/CN=${LAB_ISSUER}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const csr = path.join(lab.dir, 'cert.csr');
  sh('openssl', 'req', '-new', '-newkey', 'ed25519', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${DOMAIN}`);
  const extFile = path.join(lab.dir, 'cert.ext');
  fs.writeFileSync(extFile, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid', 'extendedKeyUsage=serverAuth', `subjectAltName=DNS:${DOMAIN}`, ''].join('\n'));
  // a positive 16-byte serial with the top bit clear, as the simulated certificate of the lab's journey has
  const serial = Buffer.from(Array.from({ length: 16 }, (_, i) => (i === 0 ? 0x40 : 0) | Math.floor(Math.random() * (i === 0 ? 0x40 : 256)))).toString('hex');
  sh('openssl', 'x509', '-req', '-in', csr, '-CA', lab.ca, '-CAkey', caKey, '-set_serial', `0x${serial}`, '-days', '30', '-extfile', extFile, '-out', lab.cert);
  const u = sub('unbound');
  fs.writeFileSync(path.join(u, 'root.hints'), rootHints);
  fs.writeFileSync(path.join(u, 'unbound.conf'), unboundConf(u));
  lab.daemons.push(daemon(lab.ns('isp-resolver'), ['unbound', '-d', '-c', path.join(u, 'unbound.conf')]));
  const ipOf = (device: string): string => DEVICES.find((d) => d.name === device)?.ifaces[0].cidr?.split('/')[0] ?? '';
  for (const [zone, z] of Object.entries(ZONES)) {
    const d = sub(z.server);
    fs.writeFileSync(path.join(d, 'zone'), zoneFile(zone));
    fs.writeFileSync(path.join(d, 'nsd.conf'), nsdConf(d, ipOf(z.server), zone));
    lab.daemons.push(daemon(lab.ns(z.server), ['nsd', '-d', '-c', path.join(d, 'nsd.conf')]));
  }
  const alb = sub('alb');
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) sub(`alb/${t}`);
  fs.writeFileSync(path.join(alb, 'nginx.conf'), albConf(alb, lab.cert, key));
  // real-time: nginx answers the client's Finished in 0.2-0.4 ms, but preempted on a busy machine
  // it took 1.5 ms in some runs, and read the client's next segments along with it
  lab.daemons.push(daemon(lab.ns('alb'), realtime(['nginx', '-p', alb, '-c', path.join(alb, 'nginx.conf'), '-g', 'daemon off;'])));
  const side = sub('sidecar');
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) sub(`sidecar/${t}`);
  fs.writeFileSync(path.join(side, 'nginx.conf'), sidecarConf(side));
  lab.daemons.push(daemon(lab.ns(POD.name), ['nginx', '-p', side, '-c', path.join(side, 'nginx.conf'), '-g', 'daemon off;']));
  fs.writeFileSync(path.join(lab.dir, 'app.py'), appPy);
  // real-time: the app writes its response and closes in one go, as the simulation's app does;
  // preempted between the two (by the sidecar it just woke), its FIN would trail by 50-500 us
  // and the sidecar would close first in some runs.
  lab.daemons.push(daemon(lab.ns(POD.name), realtime(['python3', path.join(lab.dir, 'app.py')])));
  const checks: [string, 't' | 'u', number][] = [
    ['isp-resolver', 'u', 53], ['root-server', 'u', 53], ['com-tld', 'u', 53], ['example-ns', 'u', 53],
    ['alb', 't', 443], [POD.name, 't', 8080], [POD.name, 't', 3000],
  ];
  for (const [device, proto, port] of checks) await waitFor(`${device} to listen on ${port}/${proto === 't' ? 'tcp' : 'udp'}`, () => listening(lab.ns(device), proto, port));
  warmUp(lab);
}

/** A request to each server from its own namespace, over loopback, before the captures start,
 * as a real server has served requests before (the simulation's take no time at all). Cold,
 * the Python app took 22 ms over its first request (its modules load on first use), long
 * enough for the ALB's delayed-ACK timer (40 ms) to fire before the response some runs; the
 * ALB's nginx took up to 1.6 ms over its first session tickets (OpenSSL 3 fetches ciphers and
 * MACs on first use). The pod's request goes through the sidecar to the app; the ALB's is
 * answered by nginx itself (`/warm-up`), so no upstream, ARP cache or conntrack table is
 * touched. */
function warmUp(lab: Lab): void {
  sh('ip', 'netns', 'exec', lab.ns(POD.name), 'curl', '-s', '-o', '/dev/null', '--max-time', '5', `http://127.0.0.1:${POD_PORT}/warm-up`);
  sh('ip', 'netns', 'exec', lab.ns('alb'), 'curl', '-s', '-k', '--http2', '-o', '/dev/null', '--max-time', '5',
    '--resolve', `${DOMAIN}:443:${IP.alb}`, `https://${DOMAIN}/warm-up`);
}

/** One dumpcap per link, at the end the description names, plus the pod's loopback. */
export async function startCaptures(lab: Lab): Promise<void> {
  const points: [string, string, string][] = [
    ...LINKS.map((l): [string, string, string] => { const [d, i] = l[l.capture]; return [l.name, d, i]; }),
    [POD.link, POD.name, 'eth0'],
    [POD.lo, POD.name, 'lo'],
  ];
  for (const [link, device, iface] of points) {
    const file = path.join(lab.dir, `${link.replace(/[^\w-]/g, '_')}.pcapng`);
    lab.captures.push({ link, file, child: daemon(lab.ns(device), ['dumpcap', '-q', '-i', iface, '-w', file]) });
  }
  // dumpcap writes the section header once it is capturing.
  await waitFor('every dumpcap to start', () => lab.captures.every((c) => fs.existsSync(c.file) && fs.statSync(c.file).size > 0), 20000);
  await sleep(300);
}

export interface Fetch { status: string; httpVersion: string; bodyBytes: number; stderr: string }

/** curl on the laptop, as a browser would: resolve, connect, TLS 1.3 with ALPN, HTTP/2 GET. */
export function fetchPage(lab: Lab, http: '2' | '1.1' = '2'): Fetch {
  const body = path.join(lab.dir, 'body');
  // No -4: curl asks getaddrinfo for both families, so glibc sends A and AAAA as it does by default.
  const r = spawnSync('ip', ['netns', 'exec', lab.ns('laptop'), 'curl', '-s', '-S', '--max-time', '10', '--cacert', lab.ca, ...(http === '1.1' ? ['--http1.1'] : []),
    '-o', body, '-w', '%{http_code} %{http_version}', `https://${DOMAIN}${PATH}`], { encoding: 'utf8', env: { ...process.env, SSLKEYLOGFILE: lab.keylog } });
  const [status = '', httpVersion = ''] = r.stdout.trim().split(' ');
  return { status, httpVersion, bodyBytes: fs.existsSync(body) ? fs.statSync(body).size : 0, stderr: r.stderr };
}

export async function stopCaptures(lab: Lab): Promise<void> {
  // Late ACKs and FINs still cross the links a moment after curl returns.
  await sleep(500);
  for (const c of lab.captures) stop(c.child, 'SIGINT');
  await Promise.all(lab.captures.map((c) => exited(c.child, 5000)));
}

/** Stops everything the lab started and removes it; safe to call at any point, and twice. */
export async function teardown(lab: Lab): Promise<void> {
  const all = [...lab.captures.map((c) => c.child), ...lab.daemons];
  for (const c of all) stop(c);
  await Promise.all(all.map((c) => exited(c, 3000)));
  for (const n of allNs(lab)) spawnSync('ip', ['netns', 'del', n]);
  fs.rmSync(`/etc/netns/${lab.ns('laptop')}`, { recursive: true, force: true });
}
