// The Trace: the one value the simulation produces and everything else displays (the panel,
// the CLI, the exports, the editor's hovers). Plain JSON, versioned; documented in
// docs/trace-format.md. Change a name here only with a new TRACE_VERSION.

export const TRACE_VERSION = 1;

/** A span of the .journey source, as 0-based line/character (LSP style) plus the file. */
export interface SourceRange { file: string; start: { line: number; character: number }; end: { line: number; character: number } }

export interface FieldValue { name: string; value: string; offset: number; length: number }
export interface TraceLayer { proto: string; offset: number; length: number; fields: FieldValue[]; summary: string }

/** One packet as it was on one link at one moment: the full header stack and its bytes. */
export interface PacketSnapshot {
  /** Unique per snapshot. */
  id: number;
  /** The same for every snapshot of one packet as it crosses hops (the panel follows it). */
  packetId: number;
  time: number;
  link: string;
  from: string;
  to: string;
  layers: TraceLayer[];
  /** Hex of the whole frame as it crossed the link. */
  bytes: string;
  /** What an on-path observer sees: e.g. "IPs, ports, SNI" vs "URL, headers encrypted". */
  visible: string;
  hidden: string;
  /** What the endpoints see inside the TLS records of this frame (HTTP/2 frames or an HTTP/1.1
   * message), decoded from the plaintext the simulation encrypted; absent when the frame
   * carries no TLS application data. Offsets are into the concatenated plaintext. */
  plaintext?: TraceLayer[];
}

export type Direction = 'in' | 'out' | 'local';

export type EventKind =
  | 'app' | 'cache' | 'dns' | 'arp' | 'send' | 'receive' | 'forward' | 'nat' | 'dnat' | 'drop'
  | 'tcp' | 'tls' | 'http' | 'lb' | 'proxy' | 'vxlan' | 'bridge' | 'db' | 'icmp' | 'render' | 'timer' | 'error';

export interface Change { field: string; before: string; after: string }

/** One thing that happened, with why (the rule, route or record it matched). */
export interface TraceEvent {
  seq: number;
  /** Milliseconds since the user pressed Enter. */
  time: number;
  device: string;
  link?: string;
  direction: Direction;
  kind: EventKind;
  /** OSI-ish layers it touched: 'L2', 'L3', 'L4', 'TLS', 'L7'. */
  layers: string[];
  summary: string;
  /** Per-layer reasoning in the style "L3: TTL 64 -> 63, route 0.0.0.0/0 via 203.0.113.1". */
  details: string[];
  changes: Change[];
  packetId?: number;
  /** The snapshot of the packet right after this event, when it concerns one. */
  snapshot?: number;
  /** The source of the rule, route, record or device behind the decision. */
  source?: SourceRange;
  request: number;
}

export interface Phase { name: string; request: number; start: number; end: number }

export interface Transformation { device: string; kind: string; description: string; count: number }

export interface StateTable {
  device: string;
  table: 'arp' | 'dns-cache' | 'conntrack' | 'tcp' | 'connection-pool' | 'hsts' | 'http-cache';
  /** Each row: column name -> value. The table's contents after `time`. */
  time: number;
  rows: Record<string, string>[];
}

export interface Outcome {
  ok: boolean;
  /** For failures: what the user sees, where the journey stopped, and which tool shows it. */
  symptom?: string;
  stoppedAt?: string;
  detectWith?: string;
  /** Per request: total time in ms. */
  totals: number[];
}

export interface TraceDevice { name: string; kind: string; source?: SourceRange }
export interface TraceLink { name: string; a: string; b: string; latencyMs: number; bandwidthBps: number; mtu: number; medium: string }

export interface Trace {
  version: number;
  scenario: string;
  file: string;
  seed: number;
  devices: TraceDevice[];
  links: TraceLink[];
  events: TraceEvent[];
  packets: PacketSnapshot[];
  phases: Phase[];
  transformations: Transformation[];
  /** Where the HTTP payload was compared across hops: it must be unchanged (checked). */
  payloadInvariant: { holds: boolean; checkedHops: number; note: string };
  state: StateTable[];
  simplifications: string[];
  outcome: Outcome;
  /** TLS session secrets in the NSS key log format (SSLKEYLOGFILE lines: label, client random,
   * secret, hex), one per secret of every TLS session in the trace; absent without TLS. The
   * pcapng export embeds them in a Decryption Secrets Block. */
  tlsKeyLog?: string[];
}
