// The path: the devices the request crosses in order with each link's latency, bandwidth,
// MTU and medium, then the response's path. Hover or focus shows the headers there now.
import type { PathStep } from '../model';
import { h, fill } from '../dom';
import { fmtRate, fmtTime } from '../format';
import type { Store } from '../store';
import type { Tooltip } from './tooltip';

export class PathView {
  readonly root: HTMLElement;
  private readonly request: HTMLOListElement;
  private readonly response: HTMLOListElement;
  private readonly responseTitle: HTMLElement;
  private readonly backend: HTMLOListElement;
  private readonly backendTitle: HTMLElement;

  constructor(private readonly store: Store, private readonly tooltip: Tooltip) {
    this.request = h('ol', { id: 'path', class: 'path', 'aria-label': 'Request path' });
    this.response = h('ol', { id: 'response-path', class: 'path', 'aria-label': 'Response path' });
    this.responseTitle = h('h2', undefined, 'Response');
    this.backend = h('ol', { id: 'backend-path', class: 'path', 'aria-label': 'The server\'s own request (database)' });
    this.backendTitle = h('h2', undefined, 'Server to its database');
    this.root = h('section', { id: 'path-view', class: 'view', 'aria-label': 'Path' },
      h('h2', undefined, 'Request'), this.request, this.backendTitle, this.backend, this.responseTitle, this.response);
    for (const ol of [this.request, this.backend, this.response]) {
      ol.addEventListener('mouseover', (e) => this.hover(e.target));
      ol.addEventListener('focusin', (e) => this.hover(e.target));
      ol.addEventListener('mouseleave', () => tooltip.hide());
      ol.addEventListener('focusout', () => tooltip.hide());
      ol.addEventListener('click', (e) => this.click(e.target));
    }
    store.subscribe((c) => {
      if (c.has('trace') || c.has('timeUnit')) this.build();
      if (c.has('trace') || c.has('current') || c.has('focus') || c.has('snapshot')) this.mark();
    });
  }

  private build(): void {
    const m = this.store.state.model;
    fill(this.request, ...(m ? this.items(m.requestPath) : []));
    fill(this.response, ...(m ? this.items(m.responsePath) : []));
    fill(this.backend, ...(m ? this.items(m.backendPath) : []));
    this.responseTitle.hidden = this.response.hidden = !m?.responsePath.length;
    this.backendTitle.hidden = this.backend.hidden = !m?.backendPath.length;
  }

  private items(steps: PathStep[]): HTMLElement[] {
    const m = this.store.state.model;
    const unit = this.store.state.timeUnit;
    const out: HTMLElement[] = [];
    for (const step of steps) {
      const link = step.link ? m?.links.get(step.link) : undefined;
      if (step.link) {
        const label = link ? `${step.link}: ${fmtTime(link.latencyMs, unit)}, ${fmtRate(link.bandwidthBps)}, MTU ${link.mtu}, ${link.medium}` : step.link;
        out.push(h('li', { class: 'hop', 'data-link': step.link },
          h('button', { type: 'button', class: 'link', 'data-link': step.link, 'aria-label': `Link ${label}` },
            h('span', { class: 'link-name' }, step.link),
            link ? h('span', { class: 'link-props' }, `${fmtTime(link.latencyMs, unit)} · ${fmtRate(link.bandwidthBps)} · MTU ${link.mtu} · ${link.medium}`) : undefined)));
      }
      const kind = m?.deviceKinds.get(step.device) ?? '';
      out.push(h('li', { class: 'step', 'data-device': step.device },
        h('button', { type: 'button', class: 'device', 'data-device': step.device, 'aria-label': `Device ${step.device} (${kind})` },
          h('span', { class: 'device-name' }, step.device), h('span', { class: 'device-kind' }, kind))));
    }
    return out;
  }

  private mark(): void {
    const { trace, current, focus, model, snapshot } = this.store.state;
    const e = trace?.events[current];
    const snap = snapshot !== undefined ? trace?.packets[snapshot] : undefined;
    for (const ol of [this.request, this.backend, this.response]) {
      for (const el of ol.querySelectorAll<HTMLElement>('button')) {
        const dev = el.dataset.device, link = el.dataset.link;
        el.classList.toggle('current', dev !== undefined ? e?.device === dev : snap?.link === link);
        const failed = dev !== undefined && dev === model?.failedDevice;
        el.classList.toggle('failed', failed);
        if (failed && !el.querySelector('.failed-mark')) el.append(h('span', { class: 'failed-mark' }, '✖ stopped here'));
        el.classList.toggle('editor-focus', !!focus && ((focus.kind === 'device' && focus.name === dev) || (focus.kind === 'link' && focus.name === link)));
      }
    }
  }

  private hover(target: EventTarget | null): void {
    const el = (target as Element | null)?.closest<HTMLElement>('button');
    const { model, trace, current } = this.store.state;
    if (!el || !model || !trace) return;
    const now = trace.events[current]?.time ?? 0;
    if (el.dataset.link) this.tooltip.show(el, `Link ${el.dataset.link}`, model.byLink.latest(el.dataset.link, now));
    else if (el.dataset.device) this.tooltip.show(el, `Device ${el.dataset.device}`, model.byDevice.latest(el.dataset.device, now));
  }

  /** A click moves to the next event at that device (or the next frame on that link). */
  private click(target: EventTarget | null): void {
    const el = (target as Element | null)?.closest<HTMLElement>('button');
    const { trace, current, model } = this.store.state;
    if (!el || !trace || !model) return;
    const ev = trace.events;
    const hit = (i: number) => el.dataset.device ? ev[i].device === el.dataset.device : ev[i].link === el.dataset.link;
    for (let k = 1; k <= ev.length; k++) {
      const i = (current + k) % ev.length;
      if (hit(i)) { this.store.go(i); return; }
    }
  }
}
