/**
 * X.509 v3 certificates signed for real with ECDSA P-256 / SHA-256 or Ed25519 (RFC 8410), built with
 * @peculiar/asn1-x509: a self-signed CA and the leaves it issues, so a capture's Certificate
 * message verifies in Wireshark and OpenSSL and the simulated browser can check the chain.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, AuthorityKeyIdentifier, BasicConstraints, Certificate,
  ExtendedKeyUsage, Extension, Extensions, GeneralName, KeyIdentifier, KeyUsage, KeyUsageFlags, Name,
  RelativeDistinguishedName, SubjectAlternativeName, SubjectKeyIdentifier, SubjectPublicKeyInfo, TBSCertificate,
  Validity, Version, id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage,
  id_ce_subjectAltName, id_ce_subjectKeyIdentifier, id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import { sha256 } from '@noble/hashes/sha2';
import { KeyType, SigningKey, sign } from './signing';
import { memoize } from './memo';
import { toHex } from './bytes';

export const OID = {
  commonName: '2.5.4.3',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  /** RFC 8410: one OID names both the key and the signature algorithm */
  ed25519: '1.3.101.112',
} as const;

export interface CertificateRequest {
  subjectCN: string;
  /** dNSName entries of subjectAltName; omitted when empty */
  sans?: readonly string[];
  /** the subject's public key: a 65-byte uncompressed P-256 point or a 32-byte Ed25519 key */
  subjectPublicKey: Uint8Array;
  /** which of the two subjectPublicKey is (default ecdsa-p256) */
  subjectKeyType?: KeyType;
  issuerCN: string;
  /** signs the certificate; for a self-signed CA, the subject's own key */
  issuerKey: SigningKey;
  /** a positive serial: a number or big-endian bytes */
  serial: number | Uint8Array;
  /** milliseconds since the epoch, or a Date */
  notBefore: number | Date;
  notAfter: number | Date;
  isCa?: boolean;
}

/** namedCurve parameters of id-ecPublicKey (RFC 5480): the OID 1.2.840.10045.3.1.7, DER-encoded */
const PRIME256V1_DER = Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);

/** RFC 7093 method 1: the leftmost 160 bits of SHA-256 of the public key bits. */
export function keyIdentifier(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).slice(0, 20);
}

function ab(b: Uint8Array): ArrayBuffer {
  return b.slice().buffer as ArrayBuffer;
}

export function nameOf(cn: string): Name {
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OID.commonName, value: new AttributeValue({ utf8String: cn }) })])]);
}

function serialBytes(serial: number | Uint8Array): Uint8Array {
  let b: Uint8Array;
  if (typeof serial === 'number') {
    if (!Number.isSafeInteger(serial) || serial <= 0) throw new RangeError('serial must be a positive integer');
    const bytes: number[] = [];
    for (let v = serial; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    b = Uint8Array.from(bytes);
  } else {
    let i = 0;
    while (i < serial.length - 1 && serial[i] === 0) i++;
    b = serial.subarray(i);
    if (b.length === 0 || (b.length === 1 && b[0] === 0)) throw new RangeError('serial must be positive');
  }
  // DER INTEGER content: a leading zero keeps it positive when the top bit is set
  return b[0] & 0x80 ? Uint8Array.of(0, ...b) : b;
}

function ext(id: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

const derBytes = (v: object): Uint8Array => new Uint8Array(AsnConvert.serialize(v));

function requestKey(r: CertificateRequest): string {
  const serial = typeof r.serial === 'number' ? String(r.serial) : toHex(r.serial);
  return JSON.stringify([r.subjectCN, r.sans ?? [], toHex(r.subjectPublicKey), r.issuerCN, toHex(r.issuerKey.privateKey), serial,
    new Date(r.notBefore).getTime(), new Date(r.notAfter).getTime(), !!r.isCa, r.subjectKeyType ?? 'ecdsa-p256', r.issuerKey.type]);
}

/** The DER encoding of the signed certificate (deterministic, so cached by request). */
export const issueCertificate: (r: CertificateRequest) => Uint8Array = memoize(256, requestKey, buildCertificate, (der) => der.slice());

function checkPublicKey(type: KeyType, key: Uint8Array): void {
  if (type === 'ed25519' && key.length !== 32) throw new RangeError('subject key must be a 32-byte Ed25519 public key');
  if (type === 'ecdsa-p256' && (key.length !== 65 || key[0] !== 4)) throw new RangeError('subject key must be an uncompressed P-256 point');
}

/** id-ecPublicKey with the named curve (RFC 5480), or id-Ed25519 with parameters absent (RFC 8410 3). */
function publicKeyAlgorithm(type: KeyType): AlgorithmIdentifier {
  return type === 'ed25519'
    ? new AlgorithmIdentifier({ algorithm: OID.ed25519 })
    : new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: ab(PRIME256V1_DER) });
}

/** What the issuer's key signs with; both leave the parameters absent (RFC 5758 3.2, RFC 8410 3). */
function signatureAlgorithm(issuerKeyType: KeyType): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: issuerKeyType === 'ed25519' ? OID.ed25519 : OID.ecdsaWithSHA256 });
}

function buildCertificate(r: CertificateRequest): Uint8Array {
  const notBefore = new Date(r.notBefore);
  const notAfter = new Date(r.notAfter);
  if (!(notAfter.getTime() > notBefore.getTime())) throw new RangeError('notAfter must be after notBefore');
  const subjectKeyType = r.subjectKeyType ?? 'ecdsa-p256';
  checkPublicKey(subjectKeyType, r.subjectPublicKey);
  const usage = new KeyUsage(r.isCa ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature);
  const extensions: Extension[] = [
    ext(id_ce_basicConstraints, true, new BasicConstraints({ cA: !!r.isCa })),
    ext(id_ce_keyUsage, true, usage),
    ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(ab(keyIdentifier(r.subjectPublicKey)))),
    ext(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(ab(keyIdentifier(r.issuerKey.publicKey))) })),
  ];
  if (!r.isCa) extensions.push(ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])));
  if (r.sans && r.sans.length) {
    extensions.push(ext(id_ce_subjectAltName, false, new SubjectAlternativeName(r.sans.map((d) => new GeneralName({ dNSName: d })))));
  }
  const sigAlg = signatureAlgorithm(r.issuerKey.type);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: ab(serialBytes(r.serial)),
    signature: sigAlg,
    issuer: nameOf(r.issuerCN),
    validity: new Validity({ notBefore, notAfter }),
    subject: nameOf(r.subjectCN),
    subjectPublicKeyInfo: new SubjectPublicKeyInfo({ algorithm: publicKeyAlgorithm(subjectKeyType), subjectPublicKey: ab(r.subjectPublicKey) }),
    extensions: new Extensions(extensions),
  });
  const tbsDer = derBytes(tbs);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: signatureAlgorithm(r.issuerKey.type),
    signatureValue: ab(sign(r.issuerKey, tbsDer)),
  });
  return derBytes(cert);
}

/** A self-signed CA certificate (basicConstraints CA:TRUE, keyCertSign). */
export function selfSignedCa(cn: string, key: SigningKey, serial: number | Uint8Array, notBefore: number | Date, notAfter: number | Date): Uint8Array {
  return issueCertificate({ subjectCN: cn, subjectPublicKey: key.publicKey, subjectKeyType: key.type, issuerCN: cn, issuerKey: key, serial, notBefore, notAfter, isCa: true });
}
