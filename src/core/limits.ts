// Sizes the simulation can carry, shared by the model (which rejects a file that exceeds them
// with a diagnostic at the line) and the simulation (which sizes its work budget from them).
// Where a limit is a protocol's or nginx's/Linux's, the comment names it; where it is ours, it
// says why.

/** Largest request or response body, in bytes (16 MiB). Ours: the trace shows every segment
 * of a body at every hop, so its size grows with the body and the path; a body that would take
 * more frames than SIM_BUDGET.packets stops the trace with an outcome that says so. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Largest single header field (name + ": " + value) of a request or response. nginx's
 * large_client_header_buffers default (4 8k): a longer line is answered 400/431. */
export const MAX_HEADER_FIELD_BYTES = 8192;

/** Largest header section: the sum over fields of name + value + 32 (the accounting of
 * RFC 9113 6.5.2's SETTINGS_MAX_HEADER_LIST_SIZE). Ours: with a URL of MAX_URL_BYTES it still
 * fits one HTTP/2 HEADERS frame of 16,384 bytes (CONTINUATION frames are not simulated). */
export const MAX_HEADER_LIST_BYTES = 8192;

/** Most header fields in one request or response. Ours: a header section of tiny fields
 * still makes one event line each in the panel. */
export const MAX_HEADER_COUNT = 256;

/** Largest URL (scheme to fragment). nginx's 8k buffer must hold the request line. */
export const MAX_URL_BYTES = 8000;

/** Most requests one scenario may repeat. Ours: each is a full journey in the trace. */
export const MAX_REQUESTS = 100;

/** What one simulation may spend before it stops with an outcome that says so (the trace it
 * has so far still returns). Counts work and memory, not only events. */
export const SIM_BUDGET = {
  /** Events taken off the simulation's agenda. */
  events: 2_000_000,
  /** Packet snapshots in the trace (one per frame per link it crosses): each costs about 1 KB
   * of memory and its events about as much again, so this keeps a trace near 400 MB. A 10 MB
   * response over a short path fits; over the seed's dozen links each way it stops, saying so. */
  packets: 160_000,
  /** Payload bytes the simulation allocates and the trace keeps alive (messages written on
   * connections; the snapshots of their segments share them). */
  bytesKept: 256 * 1024 * 1024,
} as const;

export type SimBudget = { readonly [K in keyof typeof SIM_BUDGET]: number };
