// Code lenses: "▶ Trace Packet" above each scenario. The command and its arguments are the
// extension's contract: `packetJourney.tracePacket` with [uri, scenarioName].
import type { Span } from '../language/range';
import { mainDocument, type ServiceInput } from './context';

export const TRACE_PACKET_COMMAND = 'packetJourney.tracePacket';
export const TRACE_PACKET_TITLE = '▶ Trace Packet';

export interface ScenarioLens { span: Span; scenario: string; title: string; command: string }

export function codeLenses(input: ServiceInput): ScenarioLens[] {
  return mainDocument(input).statements
    .filter((s) => s.keyword === 'scenario' && s.args[0])
    .map((s) => ({ span: s.keywordSpan, scenario: s.args[0].value, title: TRACE_PACKET_TITLE, command: TRACE_PACKET_COMMAND }));
}
