// Transformations (what each device rewrites, with counts) and the state tables (ARP, DNS
// caches, conntrack, TCP, pool...) as they are at the current moment.
import type { StateTable } from '../../src/core/trace/types';
import { h, fill } from '../dom';
import { fmtTime } from '../format';
import type { Store } from '../store';

function table(st: StateTable): HTMLElement {
  const cols = [...new Set(st.rows.flatMap((r) => Object.keys(r)))];
  return h('table', { class: 'grid', 'data-device': st.device, 'data-table': st.table },
    h('thead', undefined, h('tr', undefined, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', undefined, ...st.rows.map((r) => h('tr', undefined, ...cols.map((c) => h('td', undefined, r[c] ?? ''))))));
}

export class TablesView {
  readonly root: HTMLElement;
  private readonly state: HTMLElement;
  private readonly transforms: HTMLElement;
  private shownKey = '';

  constructor(private readonly store: Store) {
    this.state = h('div', { id: 'state' });
    this.transforms = h('div', { id: 'transformations' });
    this.root = h('section', { id: 'tables-view', class: 'view', 'aria-label': 'Transformations and state tables' },
      h('h2', undefined, 'Transformations'), this.transforms, h('h2', undefined, 'State tables now'), this.state);
    store.subscribe((c) => {
      if (c.has('trace')) this.buildTransforms();
      if (c.has('trace') || c.has('current') || c.has('timeUnit')) this.buildState(c.has('trace') || c.has('timeUnit'));
    });
  }

  private buildTransforms(): void {
    const t = this.store.state.trace;
    fill(this.transforms, t?.transformations.length
      ? h('table', { class: 'grid' },
        h('thead', undefined, h('tr', undefined, h('th', { scope: 'col' }, 'device'), h('th', { scope: 'col' }, 'kind'), h('th', { scope: 'col' }, 'what'), h('th', { scope: 'col' }, 'times'))),
        h('tbody', undefined, ...t.transformations.map((x) => h('tr', undefined, h('td', undefined, x.device), h('td', undefined, x.kind), h('td', undefined, x.description), h('td', { class: 'num' }, String(x.count))))))
      : h('p', { class: 'muted' }, 'No device rewrote the packet.'));
  }

  private buildState(force: boolean): void {
    const { trace, model, current, timeUnit } = this.store.state;
    const now = trace?.events[current]?.time ?? 0;
    const tables = model?.stateAt(now) ?? [];
    // Stepping rarely changes a table: repaint only when the set of versions moves.
    const key = tables.map((t) => `${t.device}/${t.table}@${t.time}`).join('|');
    if (!force && key === this.shownKey) return;
    this.shownKey = key;
    if (!tables.length) { fill(this.state, h('p', { class: 'muted' }, 'No table has an entry yet.')); return; }
    fill(this.state, ...tables.map((t) => h('details', { class: 'state-table', open: true },
      h('summary', undefined, `${t.device} · ${t.table}`, h('span', { class: 'muted' }, ` (as of ${fmtTime(t.time, timeUnit)}, ${t.rows.length} rows)`)),
      t.rows.length ? table(t) : h('p', { class: 'muted' }, 'empty'))));
  }
}
