// Plain records the comparison works on: no Trace, no tshark, so a capture decoded by any
// means (tshark on the node side, a future decoder in the browser) can be compared.

/** One packet as a flat map of field name -> value (lists are joined with ","). */
export type PacketRecord = Readonly<Record<string, string>>;

/** The packets seen on one link, in time order. */
export interface LinkPackets {
  link: string;
  real: PacketRecord[];
  sim: PacketRecord[];
}

export interface Mismatch {
  field: string;
  real: string | undefined;
  sim: string | undefined;
}

/** One step of the alignment: a matched pair, or a packet only one side has. */
export type Aligned =
  | { kind: 'pair'; real: number; sim: number; mismatches: Mismatch[] }
  | { kind: 'missing'; real: number }
  | { kind: 'extra'; sim: number };

export interface LinkScore {
  link: string;
  realCount: number;
  simCount: number;
  /** Real packets whose every compared field matched a simulated packet. */
  matched: number;
  /** matched / realCount (1 when both sides are empty, 0 when only the real side is). */
  score: number;
  /** Of the matched packets, how many keep their place in the link's order (the longest run of
   * them in the same order on both sides): where streams interleave differently. */
  inOrder: number;
  steps: Aligned[];
}

export interface Report {
  links: LinkScore[];
  realCount: number;
  matched: number;
  score: number;
}

export interface CompareOptions {
  /** Fields never compared: random by nature (ISNs, DNS ids, timestamps, checksums). */
  ignore?: readonly string[];
  /**
   * Fields compared by relationship, not value: each distinct value is renamed by its order of
   * first appearance on the link (e.g. a random source port becomes "#1" both ways), so "the
   * same port on the way back" still holds while the random value itself is not compared.
   */
  relational?: readonly string[];
  /**
   * For a relational field, the fields whose values scope its numbering: a value is numbered
   * among the values first seen with the same scope. DNS ids scoped by the question keep "the
   * answer carries its query's id" and "each query a new id" without depending on the order in
   * which two independent questions (A and AAAA) happen to reach the capture point.
   */
  scopes?: Readonly<Record<string, readonly string[]>>;
  /** Values of relational fields that are kept as they are (well-known ports). */
  keep?: (field: string, value: string) => boolean;
  /** Fields that must be equal for two packets to be aligned at all (e.g. the protocol stack). */
  key?: readonly string[];
  /**
   * How much a field counts when choosing which packets to pair (default 1): weighting the
   * direction (addresses, ports) keeps a reply from being paired with a request.
   */
  weights?: Readonly<Record<string, number>>;
  /**
   * The stream a packet belongs to (e.g. one direction of one connection). Packets are aligned
   * only within their stream: how a link interleaves its streams (a client's next segment
   * against the server's answer crossing it, a proxy's two connections) depends on how fast
   * each program runs, which a simulation with no processing time does not reproduce, while
   * the order within one stream is the program's own. Without it, the link is one stream.
   */
  stream?: (p: PacketRecord) => string;
}
