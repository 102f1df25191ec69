/**
 * The pcapng Decryption Secrets Block (draft-ietf-opsawg-pcapng 4.7) carrying a TLS key log,
 * so Wireshark decrypts the capture with no key file. Little-endian like the rest of the
 * writer in pcapng.ts; the block must come before the packets whose records it decrypts.
 */

const BLOCK_TYPE_DSB = 0x0000000a;
/** 'TLSK': the NSS key log format */
export const SECRETS_TYPE_TLS_KEY_LOG = 0x544c534b;

function putU32(view: DataView, offset: number, v: number): void {
  view.setUint32(offset, v, true);
}

/** The whole block: type, total length, secrets type and length, secrets padded to 32 bits, total length. */
export function decryptionSecretsBlock(keyLog: string | Uint8Array, secretsType = SECRETS_TYPE_TLS_KEY_LOG): Uint8Array {
  const data = typeof keyLog === 'string' ? new TextEncoder().encode(keyLog) : keyLog;
  const padded = (data.length + 3) & ~3;
  const total = 4 + 4 + 4 + 4 + padded + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  putU32(view, 0, BLOCK_TYPE_DSB);
  putU32(view, 4, total);
  putU32(view, 8, secretsType);
  putU32(view, 12, data.length);
  out.set(data, 16);
  putU32(view, total - 4, total);
  return out;
}
