// The sequence diagram: one lane per device, one row and arrow per frame per link (like
// Wireshark's flow graph), phase bands down the left; virtualised by rows, zoomed by row height,
// compact mode folds hops through infrastructure. A click selects the frame.
import type { Arrow } from '../model';
import { h, s } from '../dom';
import { fmtTime } from '../format';
import type { Store } from '../store';
import { VirtualList } from '../virtualList';

const GUTTER = 118;

export class SequenceView {
  readonly root: HTMLElement;
  private readonly head: HTMLElement;
  private readonly virtual: VirtualList;
  private arrows: Arrow[] = [];
  private lanes: string[] = [];
  private laneX = new Map<string, number>();
  private rowOfSnapshot = new Map<number, number>();
  private currentRow = -1;
  private dragged = false;

  constructor(private readonly store: Store) {
    this.head = h('div', { class: 'seq-lanes', 'aria-hidden': 'true' });
    this.root = h('div', { id: 'sequence', class: 'v-viewport', tabindex: 0, role: 'group', 'aria-label': 'Sequence diagram: one arrow per frame per link (Up and Down select frames)' }, this.head);
    this.virtual = new VirtualList({ viewport: this.root, rowHeight: () => this.store.state.rowHeight, count: () => this.arrows.length, render: (a, b) => this.paint(a, b), overscan: 6, offset: 22 });
    this.panByDragging();
    this.root.addEventListener('click', (e) => {
      if (this.dragged) { this.dragged = false; return; }
      const g = (e.target as Element).closest('[data-snapshot]');
      const id = g?.getAttribute('data-snapshot');
      if (id) store.selectSnapshot(Number(id));
    });
    this.root.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (!step) return;
      e.preventDefault(); e.stopPropagation();
      const next = this.arrows[Math.max(0, Math.min(this.arrows.length - 1, this.currentRow + step))];
      if (next) store.selectSnapshot(next.snapshot);
    });
    store.subscribe((c) => {
      if (c.has('trace') || c.has('compact') || c.has('rowHeight') || c.has('focus')) this.layout();
      if (c.has('trace') || c.has('compact') || c.has('rowHeight') || c.has('current') || c.has('snapshot') || c.has('timeUnit') || c.has('focus')) {
        this.follow(c.has('trace') || c.has('compact') || c.has('rowHeight') || c.has('timeUnit') || c.has('focus'));
      }
    });
  }

  /** Pan: drag the diagram (a drag of a few pixels is still a click on an arrow). */
  private panByDragging(): void {
    let start: { x: number; y: number; left: number; top: number } | undefined;
    this.root.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      start = { x: e.clientX, y: e.clientY, left: this.root.scrollLeft, top: this.root.scrollTop };
      this.dragged = false;
    });
    this.root.addEventListener('pointermove', (e) => {
      if (!start || !(e.buttons & 1)) return;
      const dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (!this.dragged && Math.hypot(dx, dy) < 5) return;
      if (!this.dragged) this.root.setPointerCapture(e.pointerId);
      this.dragged = true;
      this.root.scrollLeft = start.left - dx;
      this.root.scrollTop = start.top - dy;
    });
    const end = () => { start = undefined; };
    this.root.addEventListener('pointerup', end);
    this.root.addEventListener('pointercancel', end);
  }

  private laneWidth(): number { return Math.round(this.store.state.rowHeight * 4.4); }

  private layout(): void {
    const { model, compact, focus } = this.store.state;
    if (!model) return;
    ({ arrows: this.arrows } = model.arrows(compact));
    this.lanes = model.lanes.filter((d) => !compact || !model.isInfrastructure(d));
    const w = this.laneWidth();
    this.laneX = new Map(this.lanes.map((d, i) => [d, GUTTER + w * i + w / 2]));
    this.rowOfSnapshot = new Map(this.arrows.map((a, i) => [a.snapshot, i]));
    const width = GUTTER + w * this.lanes.length;
    this.head.style.width = `${width}px`;
    this.virtual.spacerElement.style.width = `${width}px`;
    this.head.replaceChildren(...this.lanes.map((d) => {
      const el = h('span', { class: `seq-lane${d === model.failedDevice ? ' failed' : ''}${focus?.kind === 'device' && focus.name === d ? ' editor-focus' : ''}`, 'data-lane': d, title: d }, d === model.failedDevice ? `✖ ${d}` : d);
      el.style.left = `${(this.laneX.get(d) ?? 0) - w / 2}px`;
      el.style.width = `${w}px`;
      return el;
    }));
  }

  /** The row of the current frame: the selected snapshot's, else the last frame before now. */
  private follow(repaint: boolean): void {
    const { trace, current, snapshot } = this.store.state;
    const e = trace?.events[current];
    // The selected frame leads only while it belongs to the current event's packet; an event
    // without a packet (a timer, an error) places the cursor by its time instead.
    const own = snapshot !== undefined && e !== undefined && trace?.packets[snapshot]?.packetId === e.packetId;
    let row = own && snapshot !== undefined ? this.rowOfSnapshot.get(snapshot) : undefined;
    const now = e?.time;
    if (row === undefined && now !== undefined) {
      let lo = 0, hi = this.arrows.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (this.arrows[mid].time <= now) lo = mid + 1; else hi = mid; }
      row = lo - 1;
    }
    const previous = this.currentRow;
    this.currentRow = row ?? -1;
    const a = this.arrows[this.currentRow];
    const x1 = a ? this.laneX.get(a.from) : undefined, x2 = a ? this.laneX.get(a.to) : undefined;
    if (x1 !== undefined && x2 !== undefined) this.virtual.revealX(Math.min(x1, x2), Math.max(x1, x2));
    if (repaint) this.virtual.refresh();
    if (this.currentRow >= 0 && this.virtual.reveal(this.currentRow)) return;
    if (previous === this.currentRow && !repaint) return;
    // Already in view: move the highlight instead of redrawing the rows.
    for (const g of this.root.querySelectorAll('g.arrow.current')) g.classList.remove('current');
    const g = this.root.querySelector(`g.arrow[data-row="${this.currentRow}"]`);
    g?.classList.add('current');
    const band = this.root.querySelector('rect.row-current');
    if (band && g) { band.removeAttribute('visibility'); band.setAttribute('y', String(this.currentRow * this.store.state.rowHeight)); }
    else band?.setAttribute('visibility', 'hidden');
  }

  private paint(first: number, last: number): void {
    const { rowHeight: rh, model, timeUnit } = this.store.state;
    const spacer = this.virtual.spacerElement;
    if (!model || first >= last) { spacer.replaceChildren(); return; }
    const width = GUTTER + this.laneWidth() * this.lanes.length;
    const height = (last - first) * rh;
    const svg = s('svg', { class: 'seq-svg', width, height, viewBox: `0 ${first * rh} ${width} ${height}`, role: 'presentation' });
    svg.style.transform = `translateY(${first * rh}px)`;
    svg.append(s('defs', undefined, s('marker', { id: 'arrowhead', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }))));
    const top = first * rh, bottom = last * rh;
    for (const b of model.arrows(this.store.state.compact).bands) {
      if (b.last < first || b.first >= last) continue;
      const y = Math.max(top, b.first * rh), y2 = Math.min(bottom, (b.last + 1) * rh);
      svg.append(s('rect', { class: `band phase-${b.phase || 'none'}`, x: 0, y, width: 10, height: y2 - y, 'data-band': b.phase, 'data-request': b.request }));
      if (b.first >= first && b.phase) svg.append(s('text', { class: 'band-label', x: 14, y: b.first * rh + rh * 0.72 }, b.phase));
    }
    const inView = this.currentRow >= first && this.currentRow < last;
    svg.append(s('rect', { class: 'row-current', x: 12, y: Math.max(0, this.currentRow) * rh, width: width - 12, height: rh, visibility: inView ? undefined : 'hidden' }));
    for (const d of this.lanes) {
      const x = this.laneX.get(d) ?? 0;
      svg.append(s('line', { class: `lane${d === model.failedDevice ? ' failed' : ''}`, x1: x, x2: x, y1: top, y2: bottom }));
    }
    for (let i = first; i < last; i++) {
      const a = this.arrows[i];
      const y = i * rh + rh / 2;
      const x1 = this.laneX.get(a.from), x2 = this.laneX.get(a.to);
      if (x1 === undefined || x2 === undefined) continue;
      const p = model.trace.packets[a.snapshot];
      const label = `${p.layers.at(-1)?.proto ?? ''} ${p.layers.at(-1)?.summary ?? ''}`.trim();
      const g = s('g', { class: `arrow${i === this.currentRow ? ' current' : ''}${a.hops > 1 ? ' folded' : ''}`, 'data-snapshot': a.snapshot, 'data-link': a.link, 'data-row': i });
      g.append(s('title', undefined, `${a.from} → ${a.to} on ${a.link} at ${fmtTime(a.time, timeUnit)}: ${label}${a.hops > 1 ? ` (${a.hops} hops folded)` : ''}`));
      g.append(s('rect', { class: 'hit', x: GUTTER, y: i * rh, width: width - GUTTER, height: rh }));
      g.append(s('text', { class: 'time', x: GUTTER - 4, y: y + 4, 'text-anchor': 'end' }, fmtTime(a.time, timeUnit)));
      if (x1 === x2) g.append(s('path', { class: 'wire', d: `M${x1},${y - 4} h14 v8 h-12`, 'marker-end': 'url(#arrowhead)' }));
      else g.append(s('line', { class: 'wire', x1, y1: y, x2: x2 + (x2 > x1 ? -3 : 3), y2: y, 'marker-end': 'url(#arrowhead)' }));
      if (rh >= 18) g.append(s('text', { class: 'label', x: Math.min(x1, x2) + 6, y: y - 3 }, label.length > 60 ? `${label.slice(0, 59)}…` : label));
      svg.append(g);
    }
    spacer.replaceChildren(svg);
  }
}
