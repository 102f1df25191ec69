import { strict as assert } from 'node:assert';
import * as nodeCrypto from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import { toHex } from '../../../src/core/crypto/bytes';
import { deriveSecret, emptyHash, hkdfExpandLabel, hkdfExtract, hkdfLabel } from '../../../src/core/crypto/hkdf13';
import { Transcript } from '../../../src/core/crypto/transcript';
import {
  applicationStage, earlyStage, finishedKey, finishedVerifyData, handshakeStage, nextTrafficSecret, ticketPsk, trafficKeys,
} from '../../../src/core/crypto/keySchedule13';
import { TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 } from '../../../src/core/crypto/suites';
import { rfc8448 as v } from './rfc8448';

const hex = toHex;

describe('crypto: TLS 1.3 key schedule (RFC 8448 section 3)', () => {
  it('X25519 key shares and shared secret match the RFC', () => {
    assert.equal(hex(x25519.getPublicKey(v.clientPrivate)), hex(v.clientPublic));
    assert.equal(hex(x25519.getPublicKey(v.serverPrivate)), hex(v.serverPublic));
    assert.equal(hex(x25519.getSharedSecret(v.serverPrivate, v.clientPublic)), hex(v.ecdhe));
  });

  it('the hello messages carry the RFC key shares (transcription check)', () => {
    assert.equal(v.clientHello.length, 4 + 0xc0);
    assert.equal(v.serverHello.length, 4 + 0x56);
    assert.ok(hex(v.clientHello).includes(hex(v.clientPublic)));
    assert.ok(hex(v.serverHello).includes(hex(v.serverPublic)));
  });

  it('derives every secret, key and iv of the handshake byte for byte', () => {
    const early = earlyStage('sha256');
    assert.equal(hex(early.earlySecret), hex(v.earlySecret));
    assert.equal(hex(deriveSecret('sha256', early.earlySecret, 'derived', emptyHash('sha256'))), hex(v.derivedFromEarly));
    const helloHash = new Transcript('sha256').add(v.clientHello, v.serverHello).digest();
    const hs = handshakeStage(early, v.ecdhe, helloHash);
    assert.equal(hex(hs.handshakeSecret), hex(v.handshakeSecret));
    assert.equal(hex(hs.clientHandshakeTrafficSecret), hex(v.clientHandshakeTrafficSecret));
    assert.equal(hex(hs.serverHandshakeTrafficSecret), hex(v.serverHandshakeTrafficSecret));
    const sk = trafficKeys(TLS_AES_128_GCM_SHA256, hs.serverHandshakeTrafficSecret);
    assert.equal(hex(sk.key), hex(v.serverHandshakeKey));
    assert.equal(hex(sk.iv), hex(v.serverHandshakeIv));
    const ck = trafficKeys(TLS_AES_128_GCM_SHA256, hs.clientHandshakeTrafficSecret);
    assert.equal(hex(ck.key), hex(v.clientHandshakeKey));
    assert.equal(hex(ck.iv), hex(v.clientHandshakeIv));
    assert.equal(hex(finishedKey('sha256', hs.serverHandshakeTrafficSecret)), hex(v.serverFinishedKey));
    assert.equal(hex(deriveSecret('sha256', hs.handshakeSecret, 'derived', emptyHash('sha256'))), hex(v.derivedFromHandshake));
    // the master secret does not depend on the transcript; the traffic secrets do (checked below via keys)
    assert.equal(hex(applicationStage(hs, new Uint8Array(32)).masterSecret), hex(v.masterSecret));
  });

  it('derives the application traffic keys and ivs from the RFC traffic secrets', () => {
    const s = trafficKeys(TLS_AES_128_GCM_SHA256, v.serverApplicationTrafficSecret);
    assert.equal(hex(s.key), hex(v.serverApplicationKey));
    assert.equal(hex(s.iv), hex(v.serverApplicationIv));
    const c = trafficKeys(TLS_AES_128_GCM_SHA256, v.clientApplicationTrafficSecret);
    assert.equal(hex(c.key), hex(v.clientApplicationKey));
    assert.equal(hex(c.iv), hex(v.clientApplicationIv));
  });

  it('derives the NewSessionTicket PSK from the resumption master secret and ticket_nonce 0000', () => {
    assert.equal(hex(ticketPsk('sha256', v.resumptionMasterSecret, Uint8Array.of(0, 0))), hex(v.ticketPsk));
  });

  it('application stage and Finished match an independent HKDF/HMAC (node:crypto)', () => {
    const hs = handshakeStage(earlyStage('sha256'), v.ecdhe, sha256(new Uint8Array([...v.clientHello, ...v.serverHello])));
    const th = sha256(Uint8Array.of(1, 2, 3));
    const app = applicationStage(hs, th);
    // HKDF-Expand by its definition (RFC 5869 2.3) over node's HMAC
    const expand = (prk: Uint8Array, info: Uint8Array, len: number): string => {
      let t = Buffer.alloc(0);
      let out = Buffer.alloc(0);
      for (let i = 1; out.length < len; i++) {
        t = nodeCrypto.createHmac('sha256', prk).update(Buffer.concat([t, info, Buffer.of(i)])).digest();
        out = Buffer.concat([out, t]);
      }
      return out.subarray(0, len).toString('hex');
    };
    assert.equal(hex(app.clientApplicationTrafficSecret), expand(v.masterSecret, hkdfLabel('c ap traffic', th, 32), 32));
    assert.equal(hex(app.serverApplicationTrafficSecret), expand(v.masterSecret, hkdfLabel('s ap traffic', th, 32), 32));
    assert.equal(hex(app.exporterMasterSecret), expand(v.masterSecret, hkdfLabel('exp master', th, 32), 32));
    const fin = finishedVerifyData('sha256', hs.serverHandshakeTrafficSecret, th);
    const nodeFin = nodeCrypto.createHmac('sha256', v.serverFinishedKey).update(th).digest('hex');
    assert.equal(hex(fin), nodeFin);
  });

  it('SHA-384 schedule matches node:crypto HKDF', () => {
    const ikm = Uint8Array.from({ length: 48 }, (_, i) => i);
    const salt = Uint8Array.from({ length: 48 }, (_, i) => 255 - i);
    const prk = hkdfExtract('sha384', salt, ikm);
    assert.equal(hex(prk), nodeCrypto.createHmac('sha384', salt).update(ikm).digest('hex'));
    const info = hkdfLabel('key', new Uint8Array(0), 32);
    const okm = Buffer.from(nodeCrypto.hkdfSync('sha384', ikm, salt, info, 32)).toString('hex');
    assert.equal(hex(hkdfExpandLabel('sha384', prk, 'key', new Uint8Array(0), 32)), okm);
    const k = trafficKeys(TLS_AES_256_GCM_SHA384, prk);
    assert.equal(hex(k.key), okm);
    assert.equal(k.iv.length, 12);
    assert.equal(earlyStage('sha384').earlySecret.length, 48);
  });

  it('transcript digest is a snapshot; HelloRetryRequest message_hash follows RFC 8446 4.4.1', () => {
    const t = new Transcript('sha256').add(v.clientHello);
    assert.equal(hex(t.digest()), hex(sha256(v.clientHello)));
    t.add(v.serverHello);
    assert.equal(hex(t.digest()), hex(sha256(new Uint8Array([...v.clientHello, ...v.serverHello]))));
    const r = new Transcript('sha256').add(v.clientHello);
    r.replaceWithMessageHash();
    assert.equal(hex(r.digest()), hex(sha256(new Uint8Array([254, 0, 0, 32, ...sha256(v.clientHello)]))));
  });

  it('key update and PSK early stage', () => {
    const n = nextTrafficSecret('sha256', v.clientApplicationTrafficSecret);
    assert.equal(n.length, 32);
    assert.notEqual(hex(n), hex(v.clientApplicationTrafficSecret));
    const e = earlyStage('sha256', v.ticketPsk);
    assert.ok(e.binderKey && e.binderKey.length === 32);
    assert.notEqual(hex(e.earlySecret), hex(v.earlySecret));
  });
});
