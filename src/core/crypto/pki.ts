/**
 * The scenario's public key infrastructure: every `certificate` of the file becomes a real
 * X.509 certificate (ECDSA P-256, or Ed25519 with `key ed25519`) issued by a self-signed root
 * named after its issuer; a root has the key type of the certificates it issues. Keys,
 * serials and signatures derive from the scenario's seed and the certificate's fields alone, so
 * the same file and seed give the same bytes, and a client holding the root of a name it trusts
 * verifies the server's certificate with that root's public key.
 */
import { sha256 } from '@noble/hashes/sha2';
import { KeyType, SigningKey, deriveSigningKey } from './signing';
import { issueCertificate, selfSignedCa } from './x509Build';
import { utf8 } from './bytes';
import { memoize } from './memo';

/** What a `certificate` statement says (a subset of the model's Certificate). */
export interface CertificateFields {
  subject: string;
  sans: readonly string[];
  issuer: string;
  /** ms since the epoch */
  validFrom: number;
  validUntil: number;
  /** default ecdsa-p256 */
  key?: KeyType;
}

export interface Authority {
  name: string;
  key: SigningKey;
  der: Uint8Array;
}

export interface ServerCredentials {
  /** the chain the server sends: its certificate (roots are not sent, RFC 8446 4.4.2) */
  chain: Uint8Array[];
  key: SigningKey;
  /** the name of the root that signed it */
  issuer: string;
}

const YEAR_MS = 365 * 86400000;
const UTC_TIME_FLOOR = Date.UTC(1950, 0, 1);

/** A 16-byte positive serial as public CAs use (CA/B Forum: at least 64 random bits). */
function serial(seed: number, what: string): Uint8Array {
  const s = sha256(utf8(`packet-journey serial/${seed}/${what}`)).slice(0, 16);
  s[0] = (s[0] & 0x7f) | 0x01;
  return s;
}

function leafName(c: CertificateFields): string {
  // P-256 leaves keep the name they had before key types existed, so their bytes do not change
  const type = c.key === 'ed25519' ? '/ed25519' : '';
  return `leaf:${JSON.stringify([c.subject, c.sans, c.issuer, c.validFrom, c.validUntil])}${type}`;
}

/** A root uses the key type of the certificates it issues in the file (the model's checks
 * report a root whose certificates disagree); ECDSA P-256 when it issues none. */
export function authorityKeyType(issuer: string, certificates: Iterable<CertificateFields>): KeyType {
  for (const c of certificates) if (c.issuer === issuer) return c.key ?? 'ecdsa-p256';
  return 'ecdsa-p256';
}

/**
 * A root lives longer than anything it signs: from 5 years before the earliest certificate of
 * the file it issued to 10 years after the latest (roots are typically valid 20-25 years).
 */
export function authorityValidity(issuer: string, certificates: Iterable<CertificateFields>): { notBefore: number; notAfter: number } {
  let from = Infinity;
  let until = -Infinity;
  for (const c of certificates) {
    if (c.issuer !== issuer) continue;
    from = Math.min(from, c.validFrom);
    until = Math.max(until, c.validUntil);
  }
  if (from === Infinity) return { notBefore: Date.UTC(2020, 0, 1), notAfter: Date.UTC(2045, 0, 1) };
  const notBefore = Math.max(from - 5 * YEAR_MS, UTC_TIME_FLOOR);
  return { notBefore, notAfter: Math.max(until, from, notBefore) + 10 * YEAR_MS };
}

/** The key of the root of a name: all a server needs to be issued a certificate, and all a
 * client needs to verify one (no need to build the root's own certificate for either). */
export function authorityKey(seed: number, name: string, type: KeyType = 'ecdsa-p256'): SigningKey {
  return deriveSigningKey(seed, `ca:${name}`, type);
}

/** The root certificate authority of a name (the client's trust store holds the same one). */
export function authority(seed: number, name: string, certificates: Iterable<CertificateFields>): Authority {
  const key = authorityKey(seed, name, authorityKeyType(name, certificates));
  const v = authorityValidity(name, certificates);
  return { name, key, der: selfSignedCa(name, key, serial(seed, `ca:${name}`), v.notBefore, v.notAfter) };
}

/** The server's key and certificate for one `certificate` statement, signed by its issuer's root.
 * Every TLS server of every trace asks for its credentials, and they are a function of the seed
 * and the statement's fields alone: made once (the keys and the certificate were cached, but
 * finding them again cost a hash and a JSON text of the request each time). */
export const serverCredentials: (seed: number, cert: CertificateFields) => ServerCredentials = memoize(
  256,
  // leafName holds every field but the key type, which the suffix adds
  (seed, cert) => `${seed}/${leafName(cert)}/${cert.key ?? ''}`,
  computeServerCredentials,
  (c) => ({ chain: c.chain.map((d) => d.slice()), key: { type: c.key.type, privateKey: c.key.privateKey.slice(), publicKey: c.key.publicKey.slice() }, issuer: c.issuer }),
);

function computeServerCredentials(seed: number, cert: CertificateFields): ServerCredentials {
  // its root has its key type (authorityKeyType), so the certificate alone says which root key signs
  const caKey = authorityKey(seed, cert.issuer, cert.key);
  const name = leafName(cert);
  const key = deriveSigningKey(seed, name, cert.key);
  // The encoder writes UTCTime up to 2049 without switching to GeneralizedTime before 1950, so
  // an earlier date would read back a century late: no certificate starts before 1950. A
  // certificate whose dates are reversed cannot be encoded; one millisecond keeps it parseable
  // and still expired or not yet valid, as the file says.
  const notBefore = Math.max(cert.validFrom, UTC_TIME_FLOOR);
  const notAfter = cert.validUntil > notBefore ? cert.validUntil : notBefore + 1;
  const der = issueCertificate({
    subjectCN: cert.subject, sans: cert.sans, subjectPublicKey: key.publicKey, subjectKeyType: key.type, issuerCN: cert.issuer, issuerKey: caKey,
    serial: serial(seed, name), notBefore, notAfter,
  });
  return { chain: [der], key, issuer: cert.issuer };
}
