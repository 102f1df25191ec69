/**
 * NSS key log lines (the SSLKEYLOGFILE format Wireshark reads): the secrets of one connection,
 * labelled with its ClientHello.random. Both peers know them, so the simulation can export them.
 */
import { toHex } from './bytes';

export interface Tls13ConnectionSecrets {
  clientRandom: Uint8Array;
  clientHandshakeTrafficSecret: Uint8Array;
  serverHandshakeTrafficSecret: Uint8Array;
  clientApplicationTrafficSecret: Uint8Array;
  serverApplicationTrafficSecret: Uint8Array;
  exporterMasterSecret?: Uint8Array;
}

function line(label: string, clientRandom: Uint8Array, secret: Uint8Array): string {
  if (clientRandom.length !== 32) throw new RangeError('client random must be 32 bytes');
  return `${label} ${toHex(clientRandom)} ${toHex(secret)}`;
}

export function keyLogLines13(s: Tls13ConnectionSecrets): string[] {
  const lines = [
    line('CLIENT_HANDSHAKE_TRAFFIC_SECRET', s.clientRandom, s.clientHandshakeTrafficSecret),
    line('SERVER_HANDSHAKE_TRAFFIC_SECRET', s.clientRandom, s.serverHandshakeTrafficSecret),
    line('CLIENT_TRAFFIC_SECRET_0', s.clientRandom, s.clientApplicationTrafficSecret),
    line('SERVER_TRAFFIC_SECRET_0', s.clientRandom, s.serverApplicationTrafficSecret),
  ];
  if (s.exporterMasterSecret) lines.push(line('EXPORTER_SECRET', s.clientRandom, s.exporterMasterSecret));
  return lines;
}

/** TLS 1.2: the 48-byte master secret. */
export function keyLogLine12(clientRandom: Uint8Array, masterSecret: Uint8Array): string {
  if (masterSecret.length !== 48) throw new RangeError('TLS 1.2 master secret must be 48 bytes');
  return line('CLIENT_RANDOM', clientRandom, masterSecret);
}

/** The file text: one line per secret, each ending in a newline. */
export function keyLogText(lines: readonly string[]): string {
  return lines.map((l) => l + '\n').join('');
}
