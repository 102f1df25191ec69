// The status bar item with the last trace's request times; clicking it traces again.
import * as vscode from 'vscode';
import type { Trace } from '../core/trace/types';
import { TRACE_PACKET_COMMAND } from '../server/protocol';

export class TraceStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('packetJourney.totals', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Packet Journey';
    this.item.command = TRACE_PACKET_COMMAND;
  }

  show(trace: Trace): void {
    const totals = trace.outcome.totals.map((x) => `${x.toFixed(1)} ms`).join(' / ');
    this.item.text = trace.outcome.ok ? `$(pulse) ${totals}` : '$(error) journey failed';
    this.item.tooltip = trace.outcome.ok ? `Packet Journey: scenario ${trace.scenario}, request times` : trace.outcome.symptom;
    this.item.show();
  }

  dispose(): void { this.item.dispose(); }
}
