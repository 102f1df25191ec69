// The waterfall: per request one bar per phase on the request's own time axis (as in Chrome
// DevTools' timing view), requests side by side with their totals, and a marker at "now".
import { h, fill } from '../dom';
import { fmtTime } from '../format';
import type { Store } from '../store';

export class WaterfallView {
  readonly root: HTMLElement;
  private markers: { el: HTMLElement; request: number; start: number; span: number }[] = [];

  constructor(private readonly store: Store, onPhase: (key: string) => void) {
    this.root = h('div', { id: 'waterfall', role: 'group', 'aria-label': 'Phases per request' });
    this.root.addEventListener('click', (e) => {
      const row = (e.target as Element).closest<HTMLElement>('[data-phase]');
      if (row?.dataset.phase) onPhase(`${row.dataset.request}:${row.dataset.phase}`);
    });
    store.subscribe((c) => {
      if (c.has('trace') || c.has('timeUnit')) this.build();
      if (c.has('trace') || c.has('current')) this.now();
    });
  }

  private build(): void {
    const { trace, model, timeUnit } = this.store.state;
    this.markers = [];
    if (!trace || !model) { this.root.replaceChildren(); return; }
    const blocks = model.requests.map((r) => {
      const phases = trace.phases.filter((p) => p.request === r);
      const start = Math.min(...phases.map((p) => p.start));
      const total = trace.outcome.totals[r - 1] ?? Math.max(...phases.map((p) => p.end)) - start;
      const span = total || 1;
      const marker = h('div', { class: 'wf-now', 'aria-hidden': 'true' });
      this.markers.push({ el: marker, request: r, start, span });
      const rows = phases.map((p) => {
        const bar = h('span', { class: `wf-bar phase-${p.name}` });
        bar.style.left = `${((p.start - start) / span) * 100}%`;
        bar.style.width = `${Math.max(0.4, ((p.end - p.start) / span) * 100)}%`;
        return h('button', { type: 'button', class: 'wf-row', 'data-phase': p.name, 'data-request': r, 'data-start': p.start, 'data-end': p.end,
          'aria-label': `${p.name}: ${fmtTime(p.end - p.start, timeUnit)}, from ${fmtTime(p.start, timeUnit)}; jump to it` },
          h('span', { class: 'wf-name' }, p.name),
          h('span', { class: 'wf-track' }, bar),
          h('span', { class: 'wf-dur' }, fmtTime(p.end - p.start, timeUnit)));
      });
      return h('div', { class: 'wf-request', 'data-request': r },
        h('div', { class: 'wf-head' }, h('span', undefined, r === 1 ? 'First request' : `Request ${r}`),
          h('span', { class: 'wf-total', 'data-total': trace.outcome.totals[r - 1] ?? '' }, trace.outcome.totals[r - 1] !== undefined ? `total ${fmtTime(total, timeUnit)}` : 'no total')),
        h('div', { class: 'wf-rows' }, marker, ...rows));
    });
    fill(this.root, ...blocks);
  }

  private now(): void {
    const { trace, current } = this.store.state;
    const e = trace?.events[current];
    for (const m of this.markers) {
      const inside = !!e && e.request === m.request && e.time >= m.start && e.time <= m.start + m.span;
      m.el.hidden = !inside;
      // The marker spans the bar track only: name and duration columns are fixed width.
      if (inside && e) m.el.style.setProperty('--at', String((e.time - m.start) / m.span));
    }
  }
}
