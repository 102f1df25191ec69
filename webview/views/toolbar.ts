// The step controls, view options and exports, each with a shortcut named in its label.
import type { ExportFormat } from '../../src/shared/protocol';
import type { Actions } from '../actions';
import { button, setDisabled, type ButtonElement } from '../components';
import { h, fill } from '../dom';
import type { Host } from '../host';
import type { Store } from '../store';

const EXPORT_LABEL: Record<ExportFormat, string> = { pcapng: 'pcapng', json: 'JSON', mermaid: 'Mermaid', html: 'HTML' };

export class Toolbar {
  readonly root: HTMLElement;
  private readonly phase: HTMLSelectElement;
  private readonly position: HTMLElement;
  private readonly b: Record<string, ButtonElement> = {};

  constructor(private readonly store: Store, actions: Actions, host: Host) {
    const mk = (id: string, label: string, title: string, onClick: () => void, secondary = true) => (this.b[id] = button({ id, label, title, onClick, secondary }));
    this.phase = h('select', { id: 'jump-phase', 'aria-label': 'Jump to phase (shortcut g)', title: 'Jump to phase (g)' });
    this.phase.addEventListener('change', () => { if (this.phase.value) actions.phase(this.phase.value); });
    this.position = h('span', { id: 'position', class: 'muted', 'aria-live': 'polite' });
    const exports = host.exports.map((f) => mk(`export-${f}`, EXPORT_LABEL[f], `Export as ${EXPORT_LABEL[f]}`, () => actions.exportAs(f)));
    this.root = h('div', { id: 'toolbar', role: 'toolbar', 'aria-label': 'Step controls' },
      h('div', { class: 'group' },
        mk('btn-first', '|◀', 'First event (Home)', () => actions.first()),
        mk('btn-back', '◀', 'Step back one event (Left arrow or k)', () => actions.back()),
        mk('btn-play', '▶ Play', 'Play (Space or p)', () => actions.play(), false),
        mk('btn-pause', 'Pause', 'Pause (Space or p)', () => actions.pause()),
        mk('btn-forward', '▶', 'Step forward one event (Right arrow or j)', () => actions.forward()),
        mk('btn-last', '▶|', 'Last event (End)', () => actions.end()),
        this.phase,
        mk('btn-next-flow', 'Next in flow', 'Next packet of the same flow (n)', () => actions.nextInFlow()),
        mk('btn-failure', 'Failure', 'Jump to the failure (f)', () => actions.failure()),
        this.position),
      h('div', { class: 'group' },
        mk('btn-compact', 'Compact', 'Compact: fold infrastructure hops (c)', () => actions.compact()),
        mk('btn-zoom-out', '−', 'Zoom out the timeline (-)', () => actions.zoom(1 / 1.25)),
        mk('btn-zoom-in', '+', 'Zoom in the timeline (+)', () => actions.zoom(1.25)),
        ...(host.standalone ? [] : [mk('btn-open-text', 'Text', 'Open the trace as text (t)', () => actions.openText())]),
        ...(exports.length ? [h('span', { class: 'muted', 'aria-hidden': 'true' }, 'Export:'), ...exports] : [])));
    store.subscribe((c) => {
      if (c.has('trace')) this.fillPhases();
      if (c.has('trace') || c.has('current') || c.has('playing') || c.has('compact') || c.has('rowHeight')) this.sync();
    });
  }

  focusPhase(): void { this.phase.focus(); }

  private fillPhases(): void {
    const trace = this.store.state.trace;
    fill(this.phase, h('option', { value: '' }, 'Jump to phase…'),
      ...(trace?.phases ?? []).map((p) => h('option', { value: `${p.request}:${p.name}` }, trace && trace.outcome.totals.length > 1 ? `${p.name} (request ${p.request})` : p.name)));
  }

  private sync(): void {
    const { trace, current, playing, compact, model } = this.store.state;
    const n = trace?.events.length ?? 0;
    setDisabled(this.b['btn-back'], current <= 0);
    setDisabled(this.b['btn-first'], current <= 0);
    setDisabled(this.b['btn-forward'], current >= n - 1);
    setDisabled(this.b['btn-last'], current >= n - 1);
    setDisabled(this.b['btn-failure'], model?.failureSeq === undefined);
    setDisabled(this.b['btn-next-flow'], model?.nextInFlow(current) === undefined);
    setDisabled(this.b['btn-play'], playing);
    setDisabled(this.b['btn-pause'], !playing);
    this.b['btn-compact'].setAttribute('aria-pressed', String(compact));
    this.position.textContent = n ? `event ${current + 1} of ${n}` : '';
    const ph = trace?.events[current] ? model?.phaseAt(trace.events[current].time, trace.events[current].request) : undefined;
    this.phase.value = ph ? `${ph.request}:${ph.name}` : '';
  }
}
