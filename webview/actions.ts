// What each control does, shared by the toolbar buttons and the keyboard shortcuts.
import type { ExportFormat } from '../src/shared/protocol';
import type { Host } from './host';
import type { Store } from './store';

/** Milliseconds between two steps while playing. */
const PLAY_INTERVAL = 350;

export class Actions {
  private timer: ReturnType<typeof setInterval> | undefined;
  constructor(private readonly store: Store, private readonly host: Host) {}

  private get s() { return this.store.state; }
  private get last(): number { return (this.s.trace?.events.length ?? 1) - 1; }

  forward(): void { this.store.go(this.s.current + 1); }
  back(): void { this.store.go(this.s.current - 1); }
  first(): void { this.store.go(0); }
  end(): void { this.store.go(this.last); }

  play(): void {
    if (this.timer) return;
    if (this.s.current >= this.last) this.store.go(0);
    this.timer = setInterval(() => {
      if (this.s.current >= this.last) { this.pause(); return; }
      this.forward();
    }, PLAY_INTERVAL);
    this.store.update({ playing: true });
  }
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.s.playing) this.store.update({ playing: false });
  }
  togglePlay(): void { if (this.timer) this.pause(); else this.play(); }

  /** Jumps to the first event of a phase ("request:name"). */
  phase(key: string): void {
    const [req, name] = key.split(':');
    const ph = this.s.trace?.phases.find((p) => p.name === name && String(p.request) === req);
    const ev = this.s.trace?.events;
    if (!ph || !ev) return;
    const i = ev.findIndex((e) => e.time >= ph.start && e.request === ph.request);
    if (i >= 0) this.store.go(i);
  }
  nextInFlow(): void {
    const n = this.s.model?.nextInFlow(this.s.current);
    if (n !== undefined) this.store.go(n);
  }
  failure(): void {
    const f = this.s.model?.failureSeq;
    if (f !== undefined) this.store.go(f);
  }
  compact(): void { this.store.update({ compact: !this.s.compact }); }
  zoom(factor: number): void { this.store.update({ rowHeight: Math.max(12, Math.min(48, Math.round(this.s.rowHeight * factor))) }); }
  exportAs(format: ExportFormat): void { this.host.post({ type: 'export', format }); }
  openText(): void { this.host.post({ type: 'openText' }); }
}
