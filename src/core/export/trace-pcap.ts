// pcapng of a Trace from this process or from JSON: the frames' bytes are encoded from the
// snapshots' headers when the simulation made them, read from their hex otherwise
// (snapshotBytes). See pcapCapture.ts for the file's layout.
import { snapshotBytes } from '../trace/builder';
import { pcapngBlocksOf, pcapngOf, type PcapOptions } from './pcapCapture';
import type { Trace } from '../trace/types';

export { traceKeyLog, traceLinks, type PcapOptions } from './pcapCapture';

export function traceToPcapng(t: Trace, o: PcapOptions = {}): Uint8Array {
  return pcapngOf(t, snapshotBytes, o);
}

/** The same file as blocks, made one packet at a time (for writing long traces to disk). */
export function traceToPcapngBlocks(t: Trace, o: PcapOptions = {}): Generator<Uint8Array> {
  return pcapngBlocksOf(t, snapshotBytes, o);
}
