/** The TLS 1.3 handshake of handshake13.ts as one TCP stream in a pcapng, with its key log in a DSB. */
import { decryptionSecretsBlock } from '../../../src/core/export/decryptionSecrets';
import { writePcapng } from '../../../src/core/export/pcapng';
import { Flight, buildHandshake13 } from './handshake13';
import { buildHandshake12 } from './handshake12';
import { TcpEnd, tcpFrame } from './frames';

const SYN = 0x02, ACK = 0x10, PSH_ACK = 0x18;

/** The Decryption Secrets Block goes right after the IDB, before any packet it decrypts; withSecrets=false is the control. */
export function capture(withSecrets = true, version: '1.3' | '1.2' = '1.3'): { pcap: Uint8Array } {
  const h: { flights: Flight[]; keyLog: string } = version === '1.3' ? buildHandshake13() : buildHandshake12();
  const client: TcpEnd = { mac: [2, 0, 0, 0, 0, 1], ip: [10, 0, 0, 1], port: 50000, seq: 1000 };
  const server: TcpEnd = { mac: [2, 0, 0, 0, 0, 2], ip: [10, 0, 0, 2], port: 443, seq: 5000 };
  const frames: Uint8Array[] = [
    tcpFrame(client, server, SYN, new Uint8Array(0), 0),
    tcpFrame(server, client, SYN | ACK, new Uint8Array(0), ++client.seq),
  ];
  server.seq++;
  frames.push(tcpFrame(client, server, ACK, new Uint8Array(0), server.seq));
  for (const f of h.flights) {
    const [a, b] = f.from === 'client' ? [client, server] : [server, client];
    frames.push(tcpFrame(a, b, PSH_ACK, f.bytes, b.seq));
    a.seq += f.bytes.length;
  }
  const ifaces = [{ name: 'eth0' }];
  const head = writePcapng(ifaces, []).length;
  const body = writePcapng(ifaces, frames.map((bytes, i) => ({ interface: 0, timeMicros: i * 1000, bytes })));
  const dsb = withSecrets ? decryptionSecretsBlock(h.keyLog) : new Uint8Array(0);
  const pcap = new Uint8Array(body.length + dsb.length);
  pcap.set(body.subarray(0, head));
  pcap.set(dsb, head);
  pcap.set(body.subarray(head), head + dsb.length);
  return { pcap };
}

