/**
 * Reads back the certificates x509Build writes (and any ECDSA P-256 or Ed25519 certificate): the fields a
 * browser checks (subject, SANs, issuer, validity, CA flag) and whether the issuer's key signed it.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, Name, SubjectAlternativeName, id_ce_basicConstraints, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { OID } from './x509Build';
import { KeyType, verifyEcdsaSha256, verifyEd25519 } from './signing';
import { memoizeByBytes } from './memo';

export interface ParsedCertificate {
  subjectCN: string | undefined;
  issuerCN: string | undefined;
  sans: string[];
  serial: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** the subject's public key bits (for P-256: the 65-byte uncompressed point) */
  publicKey: Uint8Array;
  publicKeyAlgorithm: string;
  signatureAlgorithm: string;
  /** the exact DER of tbsCertificate, as signed */
  tbs: Uint8Array;
  signature: Uint8Array;
}

function commonName(n: Name): string | undefined {
  for (const rdn of n) for (const atv of rdn) if (atv.type === OID.commonName) return atv.value.toString();
  return undefined;
}

/** Throws when the bytes are not a DER certificate. ASN.1 parsing costs about a millisecond
 * and a re-trace of the same seed receives the same certificate, so results are cached. */
export const parseCertificate: (der: Uint8Array) => ParsedCertificate = memoizeByBytes(64, (der) => ['', der], parse, (c) => ({
  ...c, sans: [...c.sans], serial: c.serial.slice(), notBefore: new Date(c.notBefore.getTime()), notAfter: new Date(c.notAfter.getTime()),
  publicKey: c.publicKey.slice(), tbs: c.tbs.slice(), signature: c.signature.slice(),
}));

function parse(der: Uint8Array): ParsedCertificate {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  let sans: string[] = [];
  let isCa = false;
  for (const e of tbs.extensions ?? []) {
    if (e.extnID === id_ce_subjectAltName) {
      sans = Array.from(AsnConvert.parse(e.extnValue, SubjectAlternativeName)).flatMap((g) => (g.dNSName !== undefined ? [g.dNSName] : []));
    } else if (e.extnID === id_ce_basicConstraints) {
      isCa = AsnConvert.parse(e.extnValue, BasicConstraints).cA;
    }
  }
  if (!cert.tbsCertificateRaw) throw new RangeError('certificate without its signed bytes');
  return {
    subjectCN: commonName(tbs.subject),
    issuerCN: commonName(tbs.issuer),
    sans,
    serial: new Uint8Array(tbs.serialNumber),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    isCa,
    publicKey: new Uint8Array(tbs.subjectPublicKeyInfo.subjectPublicKey),
    publicKeyAlgorithm: tbs.subjectPublicKeyInfo.algorithm.algorithm,
    signatureAlgorithm: cert.signatureAlgorithm.algorithm,
    tbs: new Uint8Array(cert.tbsCertificateRaw),
    signature: new Uint8Array(cert.signatureValue),
  };
}

/** The key type of a parsed subjectPublicKeyInfo; undefined for any other algorithm (RSA...). */
export function keyTypeOf(publicKeyAlgorithm: string): KeyType | undefined {
  return publicKeyAlgorithm === OID.ecPublicKey ? 'ecdsa-p256' : publicKeyAlgorithm === OID.ed25519 ? 'ed25519' : undefined;
}

/** True when issuerPublicKey made this certificate's signature: ecdsa-with-SHA256, or Ed25519
 * over the TBSCertificate itself (RFC 8410 6). */
export function verifyCertificateSignature(cert: ParsedCertificate, issuerPublicKey: Uint8Array): boolean {
  if (cert.signatureAlgorithm === OID.ed25519) return verifyEd25519(issuerPublicKey, cert.tbs, cert.signature);
  return cert.signatureAlgorithm === OID.ecdsaWithSHA256 && verifyEcdsaSha256(issuerPublicKey, cert.tbs, cert.signature);
}
