// The hover card of the path: the headers of the packet at a device or on a link at the
// current moment, one line per layer.
import { h, fill } from '../dom';
import { fmtTime } from '../format';
import type { Store } from '../store';

export class Tooltip {
  readonly root = h('div', { id: 'tooltip', role: 'tooltip', hidden: true });
  constructor(private readonly store: Store) {}

  /** Shows the packet `id` (or a note when none) next to `anchor`. */
  show(anchor: HTMLElement, title: string, id: number | undefined): void {
    const { trace, timeUnit } = this.store.state;
    const p = id !== undefined ? trace?.packets[id] : undefined;
    fill(this.root,
      h('div', { class: 'tt-title' }, title),
      p ? h('div', { class: 'muted' }, `${p.from} → ${p.to} on ${p.link} at ${fmtTime(p.time, timeUnit)}`) : h('div', { class: 'muted' }, 'No packet here yet at this moment.'),
      ...(p ? p.layers.map((l) => h('div', { class: 'tt-layer', 'data-proto': l.proto }, h('b', undefined, l.proto), ` ${l.summary}`)) : []),
      ...(p?.plaintext ?? []).map((l) => h('div', { class: 'tt-layer tt-inner', 'data-proto': l.proto }, h('b', undefined, `inside TLS: ${l.proto}`), ` ${l.summary}`)));
    this.root.hidden = false;
    const r = anchor.getBoundingClientRect();
    const w = Math.min(420, window.innerWidth - 16);
    this.root.style.maxWidth = `${w}px`;
    this.root.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - w - 8))}px`;
    this.root.style.top = `${r.bottom + 4}px`;
    anchor.setAttribute('aria-describedby', 'tooltip');
  }

  hide(): void { this.root.hidden = true; }
}
