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
  export const compressor: { create(options: { table: TableOptions }): Compressor };
  export const decompressor: { create(options: { table: TableOptions }): Decompressor };
}
