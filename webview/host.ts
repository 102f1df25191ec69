// Where the panel lives: inside VS Code (messages and setState through acquireVsCodeApi) or
// standalone in the HTML report (the trace embedded in the page, exports downloaded in the
// browser). The rest of the panel talks only to this interface.
import { traceAssembler, type ExportFormat, type FromPanel, type PanelPersistedState, type ToPanel } from '../src/shared/protocol';
import type { Trace } from '../src/core/trace/types';
import { EMBEDDED_TRACE_ID } from '../src/shared/panelHtml';

/** What the panel persists: the protocol's state plus its own view options. */
export interface StoredState extends PanelPersistedState {
  view?: { compact?: boolean; rowHeight?: number };
}

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): StoredState | undefined;
  setState(state: StoredState): void;
}

declare global {
  // Provided by VS Code inside webviews only.
  function acquireVsCodeApi(): VsCodeApi;
}

export interface Host {
  readonly standalone: boolean;
  /** Export formats this host can produce. */
  readonly exports: ExportFormat[];
  post(message: FromPanel): void;
  getState(): StoredState | undefined;
  setState(state: StoredState): void;
  /** Starts delivering messages (VS Code) or the embedded trace (report). */
  listen(onMessage: (m: ToPanel) => void): void;
}

function isTrace(v: unknown): v is Trace {
  return typeof v === 'object' && v !== null && Array.isArray((v as Trace).events) && Array.isArray((v as Trace).packets);
}

class VsCodeHost implements Host {
  readonly standalone = false;
  readonly exports: ExportFormat[] = ['pcapng', 'json', 'mermaid', 'html'];
  constructor(private readonly api: VsCodeApi) {}
  post(message: FromPanel): void { this.api.postMessage(message); }
  getState(): StoredState | undefined { return this.api.getState(); }
  setState(state: StoredState): void { this.api.setState(state); }
  listen(onMessage: (m: ToPanel) => void): void {
    const deliver = traceAssembler(onMessage);
    window.addEventListener('message', (e: MessageEvent<unknown>) => {
      const m = e.data;
      if (typeof m === 'object' && m !== null && typeof (m as ToPanel).type === 'string') deliver(m as ToPanel);
    });
    this.post({ type: 'ready' });
  }
}

/** The HTML report (or a test page): no extension; the trace comes from the page itself. */
class StandaloneHost implements Host {
  readonly standalone = true;
  readonly exports: ExportFormat[] = ['json'];
  private state: StoredState | undefined;
  private trace: Trace | undefined;
  post(message: FromPanel): void {
    if (message.type === 'export' && message.format === 'json' && this.trace) this.download(JSON.stringify(this.trace, null, 2), 'application/json', 'trace.json');
  }
  getState(): StoredState | undefined { return this.state; }
  setState(state: StoredState): void { this.state = state; }
  listen(onMessage: (m: ToPanel) => void): void {
    const el = document.getElementById(EMBEDDED_TRACE_ID);
    // Tests and the benchmark may also post ToPanel messages to the window, as VS Code would.
    const deliver = traceAssembler((m) => {
      if (m.type === 'trace') this.trace = m.trace;
      onMessage(m);
    });
    window.addEventListener('message', (e: MessageEvent<unknown>) => {
      const m = e.data;
      if (typeof m === 'object' && m !== null && typeof (m as ToPanel).type === 'string') deliver(m as ToPanel);
    });
    if (!el?.textContent) return;
    const parsed: unknown = JSON.parse(el.textContent);
    if (!isTrace(parsed)) return;
    this.trace = parsed;
    onMessage({ type: 'trace', file: parsed.file, trace: parsed });
  }
  private download(text: string, type: string, name: string): void {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

export function connectHost(): Host {
  return typeof acquireVsCodeApi === 'function' ? new VsCodeHost(acquireVsCodeApi()) : new StandaloneHost();
}
