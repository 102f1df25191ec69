import { strict as assert } from 'node:assert';
import { toHex } from '../../../src/core/crypto/bytes';
import { keyLogLine12, keyLogLines13, keyLogText } from '../../../src/core/crypto/keylog';
import { SECRETS_TYPE_TLS_KEY_LOG, decryptionSecretsBlock } from '../../../src/core/export/decryptionSecrets';
import { rfc8448 as v } from './rfc8448';

const clientRandom = v.clientHello.subarray(6, 38);

describe('crypto: key log and pcapng Decryption Secrets Block', () => {
  it('writes the four TLS 1.3 NSS key log lines for the RFC 8448 connection', () => {
    const lines = keyLogLines13({
      clientRandom,
      clientHandshakeTrafficSecret: v.clientHandshakeTrafficSecret,
      serverHandshakeTrafficSecret: v.serverHandshakeTrafficSecret,
      clientApplicationTrafficSecret: v.clientApplicationTrafficSecret,
      serverApplicationTrafficSecret: v.serverApplicationTrafficSecret,
    });
    const cr = 'cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7';
    assert.deepEqual(lines, [
      `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${cr} b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21`,
      `SERVER_HANDSHAKE_TRAFFIC_SECRET ${cr} b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38`,
      `CLIENT_TRAFFIC_SECRET_0 ${cr} 9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5`,
      `SERVER_TRAFFIC_SECRET_0 ${cr} a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643`,
    ]);
    assert.equal(keyLogText(lines.slice(0, 2)), lines[0] + '\n' + lines[1] + '\n');
  });

  it('writes the TLS 1.2 CLIENT_RANDOM line and refuses wrong lengths', () => {
    const ms = new Uint8Array(48).fill(0x11);
    assert.equal(keyLogLine12(clientRandom, ms), `CLIENT_RANDOM ${toHex(clientRandom)} ${'11'.repeat(48)}`);
    assert.throws(() => keyLogLine12(clientRandom, new Uint8Array(32)), RangeError);
    assert.throws(() => keyLogLine12(new Uint8Array(31), ms), RangeError);
  });

  it('Decryption Secrets Block: type 0x0A, TLSK, length, text padded to 32 bits, trailing length (little-endian)', () => {
    const b = decryptionSecretsBlock('abcde\n');
    assert.equal(toHex(b),
      '0a000000' + '1c000000' + '4b534c54' + '06000000' + toHex(new TextEncoder().encode('abcde\n')) + '0000' + '1c000000');
    assert.equal(SECRETS_TYPE_TLS_KEY_LOG, 0x544c534b);
    assert.equal(decryptionSecretsBlock('abcd').length, 16 + 4 + 4);
    assert.equal(decryptionSecretsBlock('').length, 20);
  });
});
