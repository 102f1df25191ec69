// The scenario's certificates as files: each `certificate` statement as the server presents it
// (PEM), each root that issued one, and ca.pem with every root, so that
// `openssl verify -CAfile ca.pem NAME.pem` checks a chain the way the simulated browser did.
import { authority, serverCredentials } from '../crypto/pki';
import { servedCertificate } from '../sim/tls';
import type { Network, Scenario } from '../model/types';

export interface CertificateFile {
  /** a file name (no directory) */
  name: string;
  pem: string;
  what: string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return out;
}

/** RFC 7468 textual encoding: base64 in lines of 64 characters. */
export function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const lines = base64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A file name from a certificate or CA name: letters, digits, dot, dash and underscore. */
function fileName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'certificate';
}

export function scenarioCertificates(net: Network, scenario: Scenario): CertificateFile[] {
  const all = [...net.certificates.values()];
  const files: CertificateFile[] = [];
  const roots = new Map<string, string>();
  for (const c of all) {
    const creds = serverCredentials(scenario.seed, servedCertificate(c, scenario));
    files.push({ name: `${fileName(c.name)}.pem`, pem: pem(creds.chain[0]), what: `certificate ${c.name} (${c.subject}, issued by "${c.issuer}")` });
    if (!roots.has(c.issuer)) roots.set(c.issuer, pem(authority(scenario.seed, c.issuer, all).der));
  }
  for (const [name, p] of roots) files.push({ name: `ca-${fileName(name)}.pem`, pem: p, what: `root CA "${name}" (self-signed)` });
  if (roots.size) files.push({ name: 'ca.pem', pem: [...roots.values()].join(''), what: `every root (${roots.size})` });
  return files;
}
