/**
 * The TLS cryptography the simulation calls (issue #13), one import for the integration: the
 * TLS 1.3 key schedule and records, TLS 1.2 PRF and GCM records, ECDHE, ECDSA P-256 keys,
 * X.509 certificates and the NSS key log. Each module below has one job; see its header.
 */
export type { HashName } from './hash';
export { Transcript } from './transcript';
export { hkdfExtract, hkdfExpandLabel, deriveSecret } from './hkdf13';
export {
  earlyStage, handshakeStage, applicationStage, resumptionMasterSecret, ticketPsk, nextTrafficSecret, trafficKeys,
  finishedKey, finishedVerifyData,
} from './keySchedule13';
export type { EarlyStage, HandshakeStage, ApplicationStage, TrafficKeys } from './keySchedule13';
export { Tls13RecordProtection, recordNonce, CONTENT_ALERT, CONTENT_APPLICATION_DATA, CONTENT_HANDSHAKE } from './record13';
export type { OpenedRecord } from './record13';
export { Tls12GcmRecordProtection } from './record12';
export { prf, masterSecret, extendedMasterSecret, keyBlock, finished12, ecdhParams, serverKeyExchangeSignedData } from './tls12';
export type { Tls12GcmKeys } from './tls12';
export {
  cipherSuite, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
} from './suites';
export type { CipherSuite } from './suites';
export { generateKeyShare, sharedSecret, GROUP_ID } from './ecdhe';
export type { Group, KeyShare } from './ecdhe';
export {
  deriveSigningKey, signEcdsaSha256, verifyEcdsaSha256, signEd25519, verifyEd25519, sign, verifyScheme, certificateVerifyInput,
  ECDSA_SECP256R1_SHA256, ED25519, SCHEMES_OF,
} from './signing';
export type { KeyType, SigningKey } from './signing';
export { issueCertificate, selfSignedCa } from './x509Build';
export type { CertificateRequest } from './x509Build';
export { parseCertificate, verifyCertificateSignature, keyTypeOf } from './x509Parse';
export type { ParsedCertificate } from './x509Parse';
export { checkServerCertificate, dnsNameMatches } from './x509Check';
export type { CertificateProblem } from './x509Check';
export { keyLogLines13, keyLogLine12, keyLogText } from './keylog';
export type { Tls13ConnectionSecrets } from './keylog';
export type { RandomBytes } from './bytes';
export { authority, authorityKey, authorityKeyType, authorityValidity, serverCredentials } from './pki';
export type { Authority, CertificateFields, ServerCredentials } from './pki';
