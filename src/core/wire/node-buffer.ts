/**
 * The one place core code touches Node's Buffer. dns-packet and pg-protocol read and write
 * Buffers internally, so at their boundary we must hand them one. esbuild bundles for Node and
 * tests run under Node, where `Buffer` is a global; we reach it through globalThis instead of
 * importing 'buffer' so core stays free of node built-in imports, and fail with a typed error
 * anywhere else (e.g. if someone bundles the wire layer for the webview).
 */
import { WireError } from './bytes';

interface BufferCtor {
  from(data: Uint8Array): Buffer;
}

export function toNodeBuffer(b: Uint8Array): Buffer {
  const ctor = (globalThis as unknown as { Buffer?: BufferCtor }).Buffer;
  if (!ctor) throw new WireError('unsupported', 'this codec needs Node\'s Buffer, which is not available here');
  return ctor.from(b);
}

/**
 * Copies into a plain Uint8Array: later writes into a library's pooled Buffer cannot change our
 * bytes, and (unlike slice(), which keeps the Buffer species) the result is not a Buffer.
 */
export function fromNodeBuffer(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}
