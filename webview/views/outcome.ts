// The outcome: on success the totals and the payload invariant; on failure where the journey
// stopped, the symptom, the root cause and the command that shows it. Also the stale banner.
import { h, fill } from '../dom';
import { fmtTime } from '../format';
import type { Store } from '../store';

export class OutcomeView {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly stale: HTMLElement;

  constructor(private readonly store: Store, private readonly goToFailure: () => void) {
    this.stale = h('div', { id: 'stale-banner', role: 'alert', hidden: true });
    this.body = h('div', { id: 'outcome' });
    this.root = h('section', { id: 'outcome-view', 'aria-label': 'Outcome' }, this.stale, this.body);
    store.subscribe((c) => {
      if (c.has('trace') || c.has('timeUnit')) this.build();
      if (c.has('stale')) this.showStale();
    });
  }

  private showStale(): void {
    const st = this.store.state.stale;
    this.stale.hidden = !st;
    document.body.classList.toggle('stale', !!st);
    if (st) fill(this.stale, h('b', undefined, 'The file cannot be traced right now: '), st.error, st.line !== undefined ? ` (line ${st.line + 1})` : '', h('span', { class: 'muted' }, ' Showing the last trace.'));
  }

  private build(): void {
    const { trace, model, timeUnit } = this.store.state;
    if (!trace || !model) { this.body.replaceChildren(); return; }
    const o = trace.outcome;
    const totals = o.totals.map((t, i) => h('span', { class: 'total', 'data-request': i + 1, 'data-total': t }, `${o.totals.length > 1 ? `request ${i + 1}: ` : ''}${fmtTime(t, timeUnit)}`));
    const inv = trace.payloadInvariant;
    if (o.ok) {
      fill(this.body, h('div', { class: 'outcome ok', role: 'status' },
        h('span', { class: 'badge ok' }, '✔ Delivered'), h('span', { id: 'scenario' }, trace.scenario),
        h('span', { id: 'totals' }, ...totals),
        h('span', { id: 'invariant', class: inv.holds ? 'ok' : 'bad' }, inv.holds ? `Payload unchanged across ${inv.checkedHops} hops` : `Payload changed!`, h('span', { class: 'muted' }, ` ${inv.note}`)),
        o.symptom ? h('div', { class: 'degraded' }, h('b', undefined, 'Degraded: '), o.symptom, o.detectWith ? ` · detect with ${o.detectWith}` : '') : undefined));
      return;
    }
    const cause = model.rootCause();
    const symptom = (o.symptom ?? 'the journey did not complete').replace(/; cause: .*$/, '');
    const jump = h('button', { type: 'button', id: 'outcome-failure', class: 'linkish' }, 'show where');
    jump.addEventListener('click', () => this.goToFailure());
    fill(this.body, h('div', { class: 'outcome failed', role: 'alert' },
      h('span', { class: 'badge failed' }, '✖ Failed'), h('span', { id: 'scenario' }, trace.scenario),
      h('span', { id: 'stopped-at' }, 'stopped at ', h('b', { 'data-device': o.stoppedAt ?? '' }, o.stoppedAt ?? model.failedDevice ?? '?'), ' ', jump),
      h('div', { id: 'symptom' }, h('b', undefined, 'Symptom: '), symptom),
      cause ? h('div', { id: 'root-cause' }, h('b', undefined, 'Root cause: '), cause) : undefined,
      o.detectWith ? h('div', { id: 'detect-with' }, h('b', undefined, 'Shown by: '), h('code', undefined, o.detectWith)) : undefined,
      o.totals.length ? h('span', { id: 'totals' }, 'until the error: ', ...totals) : undefined));
  }
}
