// A fixed-row-height virtual scroller: only the rows in (and just around) the viewport exist in
// the DOM, so 5,000 events or 2,000 frames cost the same as fifty. Fixed heights make the
// visible range arithmetic, with no measuring, which is why this is not @tanstack/virtual-core.

export interface VirtualOptions {
  /** The scrolling element (overflow: auto, fixed height from the layout). */
  viewport: HTMLElement;
  rowHeight: () => number;
  count: () => number;
  /** Paints rows [first, last) into the viewport at their offsets. */
  render: (first: number, last: number) => void;
  overscan?: number;
  /** Height of a sticky header above the rows, inside the viewport. */
  offset?: number;
}

export class VirtualList {
  private readonly spacer: HTMLElement;
  private frame = 0;
  private scrollFrame = 0;
  private range = { first: -1, last: -1 };
  // Cached from scroll and resize events: reading scrollTop or clientHeight right after the
  // views changed the DOM would force a layout on every step.
  private top = 0;
  private height = 400;
  private left = 0;
  private width = 600;

  constructor(private readonly o: VirtualOptions) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'v-spacer';
    o.viewport.append(this.spacer);
    o.viewport.addEventListener('scroll', () => {
      if (!this.scrollFrame) { this.top = o.viewport.scrollTop; this.left = o.viewport.scrollLeft; }
      this.schedule();
    });
    new ResizeObserver((entries) => {
      const r = entries[0]?.contentRect;
      if (r?.height) this.height = r.height;
      if (r?.width) this.width = r.width;
      this.schedule();
    }).observe(o.viewport);
  }

  get spacerElement(): HTMLElement { return this.spacer; }

  /** Jumps to the top (a new filter); also keeps the cached offset right. */
  scrollToTop(): void { this.top = 0; this.o.viewport.scrollTop = 0; }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.refresh(false); });
  }

  /** Recomputes the visible range; `force` repaints even when it did not move. */
  refresh(force = true): void {
    const h = this.o.rowHeight();
    const n = this.o.count();
    this.spacer.style.height = `${n * h}px`;
    const over = this.o.overscan ?? 8;
    const top = this.top;
    const height = this.height;
    const off = this.o.offset ?? 0;
    const first = Math.max(0, Math.floor((top - off) / h) - over);
    const last = Math.min(n, Math.ceil((top + height - off) / h) + over);
    if (!force && first === this.range.first && last === this.range.last) return;
    this.range = { first, last };
    this.o.render(first, last);
  }

  /**
   * Scrolls just enough for row i to be visible. Returns whether the rows were repainted; when
   * not (the row was already in view), the caller only moves its highlight.
   */
  reveal(i: number): boolean {
    const h = this.o.rowHeight();
    const off = this.o.offset ?? 0;
    const top = off + i * h;
    // A row out of view lands a third down the viewport, so that the next steps (usually
    // onward) find it in view and only move the highlight.
    const out = top < this.top + off || top + h > this.top + this.height;
    const want = out ? Math.max(0, Math.round(top - off - (this.height - off) / 3)) : this.top;
    if (want === this.top && this.range.first >= 0) return false;
    this.top = want;
    // Write the scroll position with the next frame: written now, it would force a layout
    // of the views just changed. The rows for the new position are painted right away.
    this.writeScroll();
    this.refresh(true);
    return true;
  }

  /** Scrolls sideways so that [x1, x2] (content pixels) is in view, when it is not. */
  revealX(x1: number, x2: number, margin = 40): void {
    const lo = Math.min(x1, x2), hi = Math.max(x1, x2);
    if (lo >= this.left && hi <= this.left + this.width) return;
    this.left = Math.max(0, Math.round(hi - lo + 2 * margin > this.width ? lo - margin : lo - margin - (this.width - (hi - lo) - 2 * margin) / 2));
    this.writeScroll();
  }

  private writeScroll(): void {
    if (this.scrollFrame) return;
    this.scrollFrame = requestAnimationFrame(() => {
      this.scrollFrame = 0;
      this.o.viewport.scrollTop = this.top;
      this.o.viewport.scrollLeft = this.left;
    });
  }
}
