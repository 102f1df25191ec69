/**
 * The checks a browser makes on a server's certificate (RFC 5280 6.1 reduced to one issuer,
 * RFC 6125 6.4 for the name), on parsed certificates, each failure named so the simulation can
 * explain why a handshake was refused.
 */
import { OID } from './x509Build';
import { ParsedCertificate, keyTypeOf, verifyCertificateSignature } from './x509Parse';

export type CertificateProblem = 'issuer-mismatch' | 'issuer-not-ca' | 'bad-signature' | 'not-yet-valid' | 'expired' | 'name-mismatch';

/** RFC 6125 6.4.3: a wildcard only as the whole leftmost label, matching exactly one label. */
export function dnsNameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

/** An issuer's key signs with one algorithm only: a P-256 key cannot have made an Ed25519
 * signature even if its bytes happened to verify as one. */
function signatureFitsKey(signatureAlgorithm: string, issuerKeyAlgorithm: string): boolean {
  const type = keyTypeOf(issuerKeyAlgorithm);
  return type === 'ed25519' ? signatureAlgorithm === OID.ed25519 : type === 'ecdsa-p256' && signatureAlgorithm === OID.ecdsaWithSHA256;
}

/** Problems found, in the order a browser meets them; empty when the certificate is acceptable. */
export function checkServerCertificate(leaf: ParsedCertificate, issuer: ParsedCertificate, hostname: string, atMs: number): CertificateProblem[] {
  const problems: CertificateProblem[] = [];
  if (leaf.issuerCN !== issuer.subjectCN) problems.push('issuer-mismatch');
  if (!issuer.isCa) problems.push('issuer-not-ca');
  if (!signatureFitsKey(leaf.signatureAlgorithm, issuer.publicKeyAlgorithm) || !verifyCertificateSignature(leaf, issuer.publicKey)) problems.push('bad-signature');
  if (atMs < leaf.notBefore.getTime()) problems.push('not-yet-valid');
  if (atMs > leaf.notAfter.getTime()) problems.push('expired');
  // browsers ignore the subject CN since 2017 (Chrome 58): only subjectAltName counts
  if (!leaf.sans.some((s) => dnsNameMatches(s, hostname))) problems.push('name-mismatch');
  return problems;
}
