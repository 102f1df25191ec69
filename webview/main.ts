// The trace panel: entry point of dist/webview.js. It builds one component per view over one
// store, connects to the host (VS Code or the HTML report) and handles every ToPanel message.
//
// Stable hooks for tests and the extension's e2e (ids unless noted):
//   views      #toolbar (role=toolbar "Step controls"), #outcome-view ("Outcome": #outcome,
//              #totals [data-total], #stopped-at, #symptom, #root-cause, #detect-with),
//              #stale-banner (role=alert), #path-view ("Path": #path and #response-path, ol of
//              li[data-device] / li[data-link] each with a <button>; .failed, .current,
//              .editor-focus), #timeline-view ("Timeline": #waterfall with .wf-request
//              [data-request] > .wf-row[data-phase][data-start][data-end], .wf-total[data-total];
//              #sequence with .seq-lane[data-lane] and svg g.arrow[data-snapshot]),
//              #events-view ("Event list": #events role=listbox, options #ev-SEQ [data-seq]
//              aria-selected), #details-view ("Packet details": #details role=tree, layers
//              [data-layer][data-proto][data-length], fields [data-field][data-name][data-offset]
//              [data-length], .changed, .was; #observer; #plaintext: .inner-layer[data-proto] rows of the
//              decrypted content, fields [data-name]), #bytes-view ("Bytes": #bytes,
//              spans .b/.c [data-offset], .hl = highlighted; #byte-status names the field,
//              [data-field]), #work-view ("The device at work": #device-work, #reveal-source),
//              #tables-view (#transformations, #state tables [data-device][data-table]),
//              #tooltip (role=tooltip).
//   controls   #btn-first #btn-back #btn-play #btn-pause #btn-forward #btn-last #jump-phase
//              #btn-next-flow #btn-failure #btn-compact #btn-zoom-out #btn-zoom-in
//              #btn-open-text #export-pcapng #export-json #export-mermaid #export-html
//              (vscode-button elements with aria-label), filters #filter-text #filter-proto
//              #filter-layer #filter-device #filter-kind.
//   keys       Right/j, Left/k step; Home/End; Space/p play-pause; n next in flow; f failure;
//              c compact; +/- zoom; t text; / filter; g phase; e event list.
//   body       [data-state] = "empty" | "ready"; [data-trace-count] counts traces rendered;
//              .stale when the last trace is shown greyed.
import './panel.css';
import type { PanelViewName, ToPanel } from '../src/shared/protocol';
import { PANEL_ROOT_ID } from '../src/shared/panelHtml';
import { Actions } from './actions';
import { h, byId } from './dom';
import { connectHost, type StoredState } from './host';
import { installShortcuts } from './keyboard';
import { Store } from './store';
import { BytesView } from './views/bytes';
import { DetailsView } from './views/details';
import { EventsView } from './views/events';
import { OutcomeView } from './views/outcome';
import { PathView } from './views/path';
import { SequenceView } from './views/sequence';
import { TablesView } from './views/tables';
import { Toolbar } from './views/toolbar';
import { Tooltip } from './views/tooltip';
import { WaterfallView } from './views/waterfall';
import { WorkView } from './views/work';

const ALL_VIEWS: readonly PanelViewName[] = ['path', 'timeline', 'events', 'work', 'details', 'bytes', 'tables'];

function boot(): void {
  const host = connectHost();
  const store = new Store();
  const saved: StoredState | undefined = host.getState();
  if (saved?.view) store.update({ compact: !!saved.view.compact, rowHeight: saved.view.rowHeight ?? store.state.rowHeight });
  const actions = new Actions(store, host);
  const tooltip = new Tooltip(store);
  const toolbar = new Toolbar(store, actions, host);
  const outcome = new OutcomeView(store, () => actions.failure());
  const path = new PathView(store, tooltip);
  const waterfall = new WaterfallView(store, (k) => actions.phase(k));
  const sequence = new SequenceView(store);
  const events = new EventsView(store);
  const details = new DetailsView(store);
  const bytes = new BytesView(store);
  const work = new WorkView(store, host);
  const tables = new TablesView(store);

  const root = byId(PANEL_ROOT_ID);
  root.replaceChildren(
    toolbar.root, outcome.root, path.root,
    h('div', { class: 'columns' },
      events.root,
      h('section', { id: 'timeline-view', class: 'view', 'aria-label': 'Timeline' }, h('h2', undefined, 'Timeline'), waterfall.root, sequence.root),
      h('div', { class: 'side' }, work.root, details.root, bytes.root, tables.root)),
    tooltip.root);
  root.removeAttribute('aria-busy');
  document.body.dataset.state = 'empty';
  document.body.classList.toggle('standalone', host.standalone);

  let traces = 0;
  store.subscribe((c) => {
    if (c.has('trace')) { document.body.dataset.state = 'ready'; document.body.dataset.traceCount = String(++traces); }
    if (c.has('layout')) document.body.dataset.layout = store.state.layout;
    if (c.has('compact') || c.has('rowHeight')) persist();
  });
  const persist = () => host.setState({ file: store.state.file ?? '', selection: store.selection(), view: { compact: store.state.compact, rowHeight: store.state.rowHeight } });
  store.onSelection = (selection) => { persist(); host.post({ type: 'selection', selection }); };

  host.listen((m: ToPanel) => {
    switch (m.type) {
      case 'trace': {
        const sameFile = saved?.file === m.file;
        store.setTrace(m.trace, m.file, m.selection ?? (store.state.trace ? undefined : sameFile ? saved?.selection : undefined));
        break;
      }
      case 'stale': store.update({ stale: { error: m.error, line: m.line } }); break;
      case 'editorFocus': store.update({ focus: m.focus }); break;
      case 'traceParts': break; // put back together by the host before they get here
      case 'settings':
        store.update({ timeUnit: m.timeUnit, layout: m.layout });
        for (const name of ALL_VIEWS) byId(`${name}-view`).hidden = !m.views.includes(name);
        break;
      default: {
        const never: never = m;
        void never;
      }
    }
  });
  installShortcuts(actions, { filter: () => events.focusFilter(), phase: () => toolbar.focusPhase(), events: () => byId('events').focus() });
}

boot();
