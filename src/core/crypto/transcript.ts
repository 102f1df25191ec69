/**
 * The running handshake transcript (RFC 8446 4.4.1): handshake messages go in as their encoded
 * bytes (type, 24-bit length, body; no record headers) and the hash can be read at any point
 * without disturbing later updates.
 */
import { HashName, hashFn } from './hash';
import { concat } from './bytes';
import { memoizeBytes, type BytesKey } from './memo';

type Hasher = ReturnType<ReturnType<typeof hashFn>['create']>;

export class Transcript {
  /** Kept, not copied: callers hand over messages they no longer write. */
  private messages: Uint8Array[] = [];
  /** Made on the first digest the cache does not hold; it has hashed `hashed` messages. */
  private h?: Hasher;
  private hashed = 0;
  constructor(readonly hash: HashName) {}

  add(...messages: Uint8Array[]): this {
    for (const m of messages) this.messages.push(m);
    return this;
  }

  /** The hash so far. A re-trace of the same seed makes the same messages, so the hash is
   * looked up by them (a comparison) before the messages are hashed. */
  digest(): Uint8Array {
    return transcriptHash(this);
  }

  /** The hash so far from the running state, fed only the messages it has not seen; cloning
   * keeps that state so the transcript can keep growing. */
  computeDigest(): Uint8Array {
    const h = (this.h ??= hashFn(this.hash).create());
    for (; this.hashed < this.messages.length; this.hashed++) h.update(this.messages[this.hashed]);
    return h.clone().digest();
  }

  /** What the hash so far is a function of: the hash and every message, in order. */
  key(): BytesKey {
    return [this.hash, ...this.messages];
  }

  /**
   * After a HelloRetryRequest the first ClientHello is replaced by a synthetic message_hash
   * message (RFC 8446 4.4.1): type 254, length Hash.length, Hash(ClientHello1).
   */
  replaceWithMessageHash(): void {
    const h1 = this.digest();
    this.messages = [concat(Uint8Array.of(254, 0, 0, h1.length), h1)];
    this.h = undefined;
    this.hashed = 0;
  }
}

// A handshake's transcript is a few kilobytes hashed at half a dozen points; the entries hold
// their messages, so the cache is bounded by bytes as well as by count.
const transcriptHash = memoizeBytes(256, 1024 * 1024, (t: Transcript) => t.key(), (t: Transcript) => t.computeDigest());
