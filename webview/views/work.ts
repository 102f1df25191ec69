// The device at work: for the current event, what each layer did (its `details`), what it
// changed, and the rule, route or record behind it, with a link to that line of the file.
import type { Host } from '../host';
import { h, fill } from '../dom';
import { fmtTime } from '../format';
import type { Store } from '../store';

export class WorkView {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly store: Store, private readonly host: Host) {
    this.body = h('div', { id: 'device-work' });
    this.root = h('section', { id: 'work-view', class: 'view', 'aria-label': 'The device at work' }, h('h2', undefined, 'The device at work'), this.body);
    store.subscribe((c) => { if (c.has('trace') || c.has('current') || c.has('timeUnit')) this.build(); });
  }

  private build(): void {
    const { trace, current, timeUnit, model } = this.store.state;
    const e = trace?.events[current];
    if (!e) { this.body.replaceChildren(); return; }
    const src = e.source;
    const line = src ? src.start.line + 1 : undefined;
    const reveal = src && !this.host.standalone
      ? h('button', { type: 'button', id: 'reveal-source', class: 'linkish', 'aria-label': `Show line ${line} in the editor` }, `line ${line}`)
      : src ? h('span', { id: 'reveal-source' }, `line ${line}`) : undefined;
    if (reveal instanceof HTMLButtonElement && src) reveal.addEventListener('click', () => this.host.post({ type: 'reveal', source: src }));
    const failed = model?.failureSeq === e.seq;
    fill(this.body,
      h('div', { class: `work-head${failed ? ' failed' : ''}` },
        h('span', { class: 'work-device', 'data-device': e.device }, e.device),
        h('span', { class: 'muted' }, ` ${model?.deviceKinds.get(e.device) ?? ''} · ${e.direction} · ${e.kind} · ${fmtTime(e.time, timeUnit)}${e.link ? ` · link ${e.link}` : ''} · request ${e.request}`)),
      h('p', { class: 'work-summary' }, e.summary),
      e.details.length
        ? h('ul', { class: 'work-details', 'aria-label': 'What each layer did' }, ...e.details.map((d) => {
          const m = /^([A-Za-z0-9]+):\s*(.*)$/.exec(d);
          return h('li', undefined, m ? h('span', { class: 'layer-tag' }, m[1]) : undefined, m ? ` ${m[2]}` : d);
        }))
        : h('p', { class: 'muted' }, e.layers.length ? `Layers touched: ${e.layers.join(', ')}` : 'No per-layer detail for this event.'),
      e.changes.length ? h('ul', { class: 'work-changes', 'aria-label': 'Changes' }, ...e.changes.map((c) => h('li', undefined, h('code', undefined, c.field), ` ${c.before} → ${c.after}`))) : undefined,
      reveal ? h('p', { class: 'work-source' }, 'Why: the rule, route or record at ', reveal) : undefined);
  }
}
