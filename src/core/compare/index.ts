// Comparing a real capture with a simulated one, link by link (issue #15).
export type { Aligned, CompareOptions, LinkPackets, LinkScore, Mismatch, PacketRecord, Report } from './types';
export { align, diff } from './align';
export { normalize } from './normalize';
export { compare, compareLink, formatTable, mismatchSummary } from './compare';
export { PACKET_DEFAULTS, packetStream, withServicePorts } from './defaults';
