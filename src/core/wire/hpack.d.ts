// Module declaration for hpack.js, which ships no types. Only what hpack-context.ts uses.

declare module 'hpack.js' {
  interface HpackHeader {
    name: string;
    value: string;
    huffman?: boolean;
    neverIndex?: boolean;
    incremental?: boolean;
  }
  interface TableOptions {
    maxSize: number;
  }
  /** A Node Duplex stream in hpack.js; only the synchronous parts we rely on are declared. */
  interface Compressor {
    write(headers: HpackHeader[]): boolean;
    read(): Uint8Array | null;
    updateTableSize(size: number): void;
  }
  interface Decompressor {
    write(block: Uint8Array): boolean;
    execute(cb?: (err: Error | null) => void): void;
    read(): { name: string; value: string; neverIndex: boolean } | null;
    updateTableSize(size: number): void;
    on(event: 'error', cb: (err: unknown) => void): void;
  }
  /** hpack.js's bit writer; render() gives the block as one or more Buffers. */
  interface Encoder {
    render(): Uint8Array[];
  }
  /** What Compressor._write does per header list, without the stream around it. */
  interface CompressorInternals {
    _encoder: Encoder | null;
    _encodeHeader(header: HpackHeader): void;
  }
  interface Decoder {
    push(chunk: Uint8Array): void;
    isEmpty(): boolean;
  }
  /** What Decompressor.execute does, without the stream: each decoded header goes to push(). */
  interface DecompressorInternals {
    _decoder: Decoder;
    _execute(): void;
    push(header: { name: string; value: string; neverIndex: boolean }): boolean;
  }
  /** The dynamic and static tables of one direction. */
  interface Table {
    updateSize(size: number): void;
  }
  export const table: { create(options: TableOptions): Table };
  export const encoder: { create(): Encoder };
  export const decoder: { create(): Decoder };
  export const compressor: { create(options: { table: TableOptions }): Compressor; prototype: object };
  export const decompressor: { create(options: { table: TableOptions }): Decompressor; prototype: object };
}
