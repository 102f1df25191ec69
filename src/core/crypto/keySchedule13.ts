/**
 * The TLS 1.3 key schedule (RFC 8446 section 7.1) as a chain of pure steps: each stage takes
 * the transcript hash at its point in the handshake, so the simulation hashes the transcript
 * once per stage and no secret is derived twice.
 */
import { hmac } from '@noble/hashes/hmac';
import { HashName, hashFn, hashLen } from './hash';
import { deriveSecret, emptyHash, hkdfExpandLabel, hkdfExtract } from './hkdf13';
import { CipherSuite } from './suites';
import { memoizeByBytes } from './memo';

export interface EarlyStage {
  hash: HashName;
  earlySecret: Uint8Array;
  /** present when a PSK was given: the binder key of a resumption PSK ("res binder") */
  binderKey?: Uint8Array;
}

export interface HandshakeStage {
  hash: HashName;
  handshakeSecret: Uint8Array;
  clientHandshakeTrafficSecret: Uint8Array;
  serverHandshakeTrafficSecret: Uint8Array;
}

export interface ApplicationStage {
  hash: HashName;
  masterSecret: Uint8Array;
  clientApplicationTrafficSecret: Uint8Array;
  serverApplicationTrafficSecret: Uint8Array;
  exporterMasterSecret: Uint8Array;
}

/** Early Secret = HKDF-Extract(0, PSK or zeros). */
export function earlyStage(hash: HashName, psk?: Uint8Array): EarlyStage {
  const zeros = new Uint8Array(hashLen(hash));
  const earlySecret = hkdfExtract(hash, zeros, psk ?? zeros);
  return psk ? { hash, earlySecret, binderKey: deriveSecret(hash, earlySecret, 'res binder', emptyHash(hash)) } : { hash, earlySecret };
}

/** Handshake Secret from the (EC)DHE shared secret; helloHash = Hash(ClientHello..ServerHello). */
export function handshakeStage(early: EarlyStage, ecdhe: Uint8Array, helloHash: Uint8Array): HandshakeStage {
  const { hash } = early;
  const salt = deriveSecret(hash, early.earlySecret, 'derived', emptyHash(hash));
  const handshakeSecret = hkdfExtract(hash, salt, ecdhe);
  return {
    hash,
    handshakeSecret,
    clientHandshakeTrafficSecret: deriveSecret(hash, handshakeSecret, 'c hs traffic', helloHash),
    serverHandshakeTrafficSecret: deriveSecret(hash, handshakeSecret, 's hs traffic', helloHash),
  };
}

/** Master Secret and the first application traffic secrets; serverFinishedHash = Hash(ClientHello..server Finished). */
export function applicationStage(hs: HandshakeStage, serverFinishedHash: Uint8Array): ApplicationStage {
  const { hash } = hs;
  const salt = deriveSecret(hash, hs.handshakeSecret, 'derived', emptyHash(hash));
  const masterSecret = hkdfExtract(hash, salt, new Uint8Array(hashLen(hash)));
  return {
    hash,
    masterSecret,
    clientApplicationTrafficSecret: deriveSecret(hash, masterSecret, 'c ap traffic', serverFinishedHash),
    serverApplicationTrafficSecret: deriveSecret(hash, masterSecret, 's ap traffic', serverFinishedHash),
    exporterMasterSecret: deriveSecret(hash, masterSecret, 'exp master', serverFinishedHash),
  };
}

/** clientFinishedHash = Hash(ClientHello..client Finished). */
export function resumptionMasterSecret(app: ApplicationStage, clientFinishedHash: Uint8Array): Uint8Array {
  return deriveSecret(app.hash, app.masterSecret, 'res master', clientFinishedHash);
}

/** The PSK a NewSessionTicket with this ticket_nonce stands for (RFC 8446 4.6.1). */
export function ticketPsk(hash: HashName, resumptionMaster: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, resumptionMaster, 'resumption', ticketNonce, hashLen(hash));
}

/** application_traffic_secret_N+1 after a KeyUpdate (RFC 8446 7.2). */
export function nextTrafficSecret(hash: HashName, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), hashLen(hash));
}

export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/** [sender]_write_key and [sender]_write_iv (RFC 8446 7.3). */
export function trafficKeys(suite: CipherSuite, secret: Uint8Array): TrafficKeys {
  const empty = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(suite.hash, secret, 'key', empty, suite.keyLen),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', empty, 12),
  };
}

export function finishedKey(hash: HashName, baseKey: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, baseKey, 'finished', new Uint8Array(0), hashLen(hash));
}

/**
 * Finished.verify_data (RFC 8446 4.4.4); baseKey is the sender's handshake traffic secret and
 * transcriptHash covers every message before this Finished.
 */
export const finishedVerifyData: (hash: HashName, baseKey: Uint8Array, transcriptHash: Uint8Array) => Uint8Array = memoizeByBytes(
  256,
  // a re-trace of the same handshake asks again: cached like the HKDF steps (hkdf13.ts)
  (hash, baseKey, transcriptHash) => [hash, baseKey, transcriptHash],
  (hash, baseKey, transcriptHash) => hmac(hashFn(hash), finishedKey(hash, baseKey), transcriptHash),
  (b) => b.slice(),
);
