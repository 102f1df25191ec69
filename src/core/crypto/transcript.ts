/**
 * The running handshake transcript (RFC 8446 4.4.1): handshake messages go in as their encoded
 * bytes (type, 24-bit length, body; no record headers) and the hash can be read at any point
 * without disturbing later updates.
 */
import { HashName, hashFn } from './hash';
import { concat } from './bytes';

type Hasher = ReturnType<ReturnType<typeof hashFn>['create']>;

export class Transcript {
  private h: Hasher;
  constructor(readonly hash: HashName) {
    this.h = hashFn(hash).create();
  }

  add(...messages: Uint8Array[]): this {
    for (const m of messages) this.h.update(m);
    return this;
  }

  /** The hash so far; cloning keeps the running state so the transcript can keep growing. */
  digest(): Uint8Array {
    return this.h.clone().digest();
  }

  /**
   * After a HelloRetryRequest the first ClientHello is replaced by a synthetic message_hash
   * message (RFC 8446 4.4.1): type 254, length Hash.length, Hash(ClientHello1).
   */
  replaceWithMessageHash(): void {
    const h1 = this.digest();
    this.h = hashFn(this.hash).create();
    this.h.update(concat(Uint8Array.of(254, 0, 0, h1.length), h1));
  }
}
