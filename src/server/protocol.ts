// The custom protocol between the extension and the language server, in one typed file that both
// ends import, so a renamed method or field breaks the build instead of silently doing nothing.
import { NotificationType } from 'vscode-languageserver-protocol';
import type { Trace } from '../core/trace/types';

/** Sent by the extension after it ran a trace for a document; the server keeps the last trace
 * per document and shows its headers when a device name is hovered. */
export interface TraceCompletedParams {
  /** The document the trace was run for (the same URI the client uses for the document). */
  uri: string;
  trace: Trace;
}

export const TRACE_COMPLETED_METHOD = 'journey/traceCompleted';
export const TraceCompletedNotification = new NotificationType<TraceCompletedParams>(TRACE_COMPLETED_METHOD);

/** The command the "▶ Trace Packet" code lens runs, with arguments [uri, scenarioName]. */
export { TRACE_PACKET_COMMAND } from '../core/services/codeLens';
export type TracePacketArguments = [uri: string, scenario: string];

/** The client's `initializationOptions`. `workspaceTrusted` false (VS Code's Restricted Mode)
 * turns imports off; a client that sends nothing is an editor without workspace trust, and
 * imports stay on inside `workspaceRoots` (or, without roots, the importing file's folder). */
export interface JourneyInitializationOptions {
  workspaceTrusted?: boolean;
}

/** Sent by the extension when the user grants workspace trust: imports turn on and every open
 * document is analysed again. */
export interface WorkspaceTrustParams { trusted: boolean }
export const WORKSPACE_TRUST_METHOD = 'journey/workspaceTrust';
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrustParams>(WORKSPACE_TRUST_METHOD);
