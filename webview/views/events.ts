// The event list: every event in time order, filtered by protocol, layer, device, kind and
// text; a virtualised listbox whose active option is the current event.
import type { TraceEvent } from '../../src/core/trace/types';
import { h, fill } from '../dom';
import { fmtTime } from '../format';
import type { Filter, Store } from '../store';
import { VirtualList } from '../virtualList';

const ROW = 22;

function select(id: string, label: string, onChange: (v: string) => void): HTMLSelectElement {
  const el = h('select', { id, 'aria-label': label, title: label });
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

function options(el: HTMLSelectElement, all: string, values: string[], current: string): void {
  fill(el, h('option', { value: '' }, all), ...values.map((v) => h('option', { value: v }, v)));
  el.value = values.includes(current) ? current : '';
}

export class EventsView {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private readonly text: HTMLInputElement;
  private readonly selects: Record<Exclude<keyof Filter, 'text'>, HTMLSelectElement>;
  private readonly virtual: VirtualList;
  private rows: number[] = [];
  private rowOf = new Map<number, number>();

  constructor(private readonly store: Store) {
    const set = (k: keyof Filter) => (v: string) => store.update({ filter: { ...store.state.filter, [k]: v } });
    this.text = h('input', { id: 'filter-text', type: 'search', placeholder: 'Filter events (/)', 'aria-label': 'Filter events by text (shortcut /)', spellcheck: 'false' });
    this.text.addEventListener('input', () => set('text')(this.text.value));
    this.selects = {
      proto: select('filter-proto', 'Filter by protocol', set('proto')),
      layer: select('filter-layer', 'Filter by layer', set('layer')),
      device: select('filter-device', 'Filter by device', set('device')),
      kind: select('filter-kind', 'Filter by kind', set('kind')),
    };
    this.count = h('span', { id: 'events-count', class: 'muted', 'aria-live': 'polite' });
    this.list = h('div', { id: 'events', role: 'listbox', tabindex: 0, 'aria-label': 'Events (arrows, Home, End; shortcut e)', class: 'v-viewport' });
    this.root = h('section', { id: 'events-view', class: 'view', 'aria-label': 'Event list' },
      h('div', { class: 'filters', role: 'group', 'aria-label': 'Event filters' }, this.text, this.selects.proto, this.selects.layer, this.selects.device, this.selects.kind, this.count),
      this.list);
    this.virtual = new VirtualList({ viewport: this.list, rowHeight: () => ROW, count: () => this.rows.length, render: (a, b) => this.paint(a, b) });
    this.list.addEventListener('click', (e) => {
      const row = (e.target as Element).closest<HTMLElement>('[data-seq]');
      if (row) store.go(Number(row.dataset.seq));
    });
    this.list.addEventListener('keydown', (e) => this.key(e));
    store.subscribe((c) => {
      if (c.has('trace')) this.fillFilters();
      if (c.has('trace') || c.has('filter')) this.refilter();
      if (c.has('trace') || c.has('filter') || c.has('current') || c.has('timeUnit')) this.follow(c.has('trace') || c.has('filter') || c.has('timeUnit'));
    });
  }

  focusFilter(): void { this.text.focus(); this.text.select(); }

  private fillFilters(): void {
    const { trace, model, filter } = this.store.state;
    if (!trace || !model) return;
    const uniq = (xs: Iterable<string>) => [...new Set(xs)].sort();
    options(this.selects.kind, 'All kinds', uniq(trace.events.map((e) => e.kind)), filter.kind);
    options(this.selects.layer, 'All layers', uniq(trace.events.flatMap((e) => e.layers)), filter.layer);
    options(this.selects.device, 'All devices', trace.devices.map((d) => d.name).filter((d) => trace.events.some((e) => e.device === d)), filter.device);
    options(this.selects.proto, 'All protocols', uniq(trace.packets.flatMap((p) => p.layers.map((l) => l.proto))), filter.proto);
    this.text.value = filter.text;
  }

  private matches(e: TraceEvent, f: Filter, text: string): boolean {
    if (f.kind && e.kind !== f.kind) return false;
    if (f.layer && !e.layers.includes(f.layer)) return false;
    if (f.device && e.device !== f.device) return false;
    if (f.proto && !(this.store.state.model?.protocolsOf(e).includes(f.proto) ?? false)) return false;
    if (text) {
      const hay = `${e.device} ${e.kind} ${e.summary} ${e.link ?? ''} ${e.details.join(' ')}`.toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  }

  private refilter(): void {
    const { trace, filter } = this.store.state;
    const text = filter.text.trim().toLowerCase();
    this.rows = trace ? trace.events.filter((e) => this.matches(e, filter, text)).map((e) => e.seq) : [];
    this.rowOf = new Map(this.rows.map((seq, i) => [seq, i]));
    this.count.textContent = trace ? `${this.rows.length} of ${trace.events.length} events` : '';
    this.virtual.scrollToTop();
  }

  private follow(repaint: boolean): void {
    const { current } = this.store.state;
    const i = this.rowOf.get(current);
    if (i !== undefined) this.list.setAttribute('aria-activedescendant', `ev-${current}`);
    else this.list.removeAttribute('aria-activedescendant');
    if (repaint) this.virtual.refresh();
    if (i !== undefined && this.virtual.reveal(i)) return;
    // The current row was already in view: move the selection without rebuilding rows.
    for (const el of this.list.querySelectorAll('[aria-selected="true"]')) el.setAttribute('aria-selected', 'false');
    document.getElementById(`ev-${current}`)?.setAttribute('aria-selected', 'true');
  }

  private paint(first: number, last: number): void {
    const { trace, current, timeUnit, model } = this.store.state;
    const spacer = this.virtual.spacerElement;
    if (!trace) { spacer.replaceChildren(); return; }
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const e = trace.events[this.rows[i]];
      const failed = model?.failureSeq === e.seq;
      const row = h('div', { id: `ev-${e.seq}`, role: 'option', 'aria-selected': e.seq === current ? 'true' : 'false', 'data-seq': e.seq, class: `ev kind-${e.kind}${failed ? ' failed' : ''}` },
        h('span', { class: 'ev-time' }, fmtTime(e.time, timeUnit)),
        h('span', { class: 'ev-device' }, e.device),
        h('span', { class: 'ev-kind' }, e.kind),
        h('span', { class: 'ev-summary' }, e.summary));
      row.style.transform = `translateY(${i * ROW}px)`;
      rows.push(row);
    }
    spacer.replaceChildren(...rows);
  }

  private key(e: KeyboardEvent): void {
    const i = this.rowOf.get(this.store.state.current);
    const move = (to: number) => { e.preventDefault(); e.stopPropagation(); const seq = this.rows[Math.max(0, Math.min(this.rows.length - 1, to))]; if (seq !== undefined) this.store.go(seq); };
    const page = Math.max(1, Math.floor(this.list.clientHeight / ROW) - 1);
    switch (e.key) {
      case 'ArrowDown': move(i === undefined ? 0 : i + 1); break;
      case 'ArrowUp': move(i === undefined ? 0 : i - 1); break;
      case 'PageDown': move((i ?? 0) + page); break;
      case 'PageUp': move((i ?? 0) - page); break;
      case 'Home': move(0); break;
      case 'End': move(this.rows.length - 1); break;
      default:
    }
  }
}
