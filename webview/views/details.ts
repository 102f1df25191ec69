// Packet details (Wireshark's tree): the selected frame at its hop, one row per layer with its
// size, expandable to fields; fields this hop changed show their value before; what an on-path
// observer reads and what is encrypted, and what the endpoints read inside the TLS records.
// Selecting or hovering a field highlights its bytes.
import type { Change, FieldValue, PacketSnapshot, TraceLayer } from '../../src/core/trace/types';
import { h, fill } from '../dom';
import { fmtBytes, fmtTime } from '../format';
import type { FieldRef, Store } from '../store';

const PREFIX: Record<string, string[]> = { ip: ['ipv4'], eth: ['ethernet'], l4: ['tcp', 'udp'], tcp: ['tcp'], udp: ['udp'] };
const norm = (x: string) => x.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The change (if any) an event reports for this field, e.g. `ip.ttl` for ipv4's `ttl`. */
function changeOf(changes: Change[], proto: string, f: FieldValue): Change | undefined {
  return changes.find((c) => {
    const dot = c.field.indexOf('.');
    if (dot < 0) return false;
    const protos = PREFIX[c.field.slice(0, dot)] ?? [c.field.slice(0, dot)];
    return protos.includes(proto) && norm(c.field.slice(dot + 1)) === norm(f.name);
  });
}

export class DetailsView {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly observer: HTMLElement;
  private readonly inside: HTMLElement;
  private shown: number | undefined = -1;
  private highlighted: HTMLElement[] = [];

  constructor(private readonly store: Store) {
    this.title = h('div', { id: 'details-title', class: 'muted' });
    this.tree = h('div', { id: 'details', role: 'tree', 'aria-label': 'Layers of the selected packet (arrows to move, Right/Left to expand)' });
    this.observer = h('div', { id: 'observer' });
    this.inside = h('div', { id: 'plaintext', 'aria-label': 'Inside the TLS records' });
    this.root = h('section', { id: 'details-view', class: 'view', 'aria-label': 'Packet details' }, h('h2', undefined, 'Packet details'), this.title, this.tree, this.observer, this.inside);
    this.tree.addEventListener('click', (e) => this.click(e));
    this.tree.addEventListener('keydown', (e) => this.key(e));
    this.tree.addEventListener('mouseover', (e) => {
      const f = (e.target as Element).closest<HTMLElement>('[data-field]');
      if (f) store.update({ field: this.refOf(f) });
    });
    this.tree.addEventListener('focusin', (e) => {
      const f = (e.target as Element).closest<HTMLElement>('[data-field]');
      if (f) store.update({ field: this.refOf(f) });
    });
    store.subscribe((c) => {
      if (c.has('trace') || c.has('snapshot') || c.has('expanded') || c.has('timeUnit')) this.build(c.has('trace'));
      if (c.has('field') || c.has('snapshot') || c.has('expanded')) this.highlight();
    });
  }

  private refOf(el: HTMLElement): FieldRef {
    const [layer, field] = (el.dataset.field ?? '0.0').split('.').map(Number);
    return { layer, field };
  }

  private build(force: boolean): void {
    const { trace, model, snapshot, expanded, timeUnit } = this.store.state;
    const p: PacketSnapshot | undefined = snapshot !== undefined ? trace?.packets[snapshot] : undefined;
    if (!force && this.shown === snapshot && this.tree.childElementCount && this.tree.dataset.expanded === [...expanded].join()) return;
    this.shown = snapshot;
    this.tree.dataset.expanded = [...expanded].join();
    if (!p || !model) {
      this.title.textContent = 'No packet at this event. Step to a send or pick an arrow in the timeline.';
      this.tree.replaceChildren(); this.observer.replaceChildren(); this.inside.replaceChildren();
      return;
    }
    const size = p.bytes.length / 2;
    this.title.textContent = `Frame ${p.id} (packet ${p.packetId}) on ${p.link}: ${p.from} → ${p.to} at ${fmtTime(p.time, timeUnit)}, ${fmtBytes(size)}`;
    this.title.dataset.snapshot = String(p.id);
    const changes = model.changesFor(p.id);
    const focusable = this.tree.querySelector('[tabindex="0"]')?.getAttribute('data-key');
    fill(this.tree, ...p.layers.map((l, li) => {
      const open = expanded.has(li);
      const changed = l.fields.some((f) => changeOf(changes, l.proto, f));
      const row = h('div', { role: 'treeitem', 'aria-expanded': String(open), 'aria-level': 1, tabindex: -1, 'data-key': `${li}`, 'data-layer': li, 'data-proto': l.proto, 'data-offset': l.offset, 'data-length': l.length, class: `layer${changed ? ' changed' : ''}` },
        h('div', { class: 'layer-row' },
          h('span', { class: 'caret', 'aria-hidden': 'true' }, open ? '▾' : '▸'),
          h('span', { class: 'proto' }, l.proto),
          h('span', { class: 'summary' }, l.summary),
          h('span', { class: 'size', 'data-size': l.length }, fmtBytes(l.length))));
      if (open) {
        row.append(h('div', { role: 'group' }, ...l.fields.map((f, fi) => {
          const c = changeOf(changes, l.proto, f);
          return h('div', { role: 'treeitem', 'aria-level': 2, tabindex: -1, 'data-key': `${li}.${fi}`, 'data-field': `${li}.${fi}`, 'data-name': `${l.proto}.${f.name}`, 'data-offset': f.offset, 'data-length': f.length, class: `field${c ? ' changed' : ''}` },
            h('span', { class: 'fname' }, f.name), ': ', h('span', { class: 'fvalue' }, f.value),
            c ? h('span', { class: 'was', title: `changed here by ${p.from}` }, ` (was ${c.before})`) : undefined,
            h('span', { class: 'frange muted' }, ` [${f.offset}..${f.offset + f.length - 1}]`));
        })));
      }
      return row;
    }));
    const keep = focusable ? this.tree.querySelector<HTMLElement>(`[data-key="${focusable}"]`) : null;
    (keep ?? this.tree.querySelector<HTMLElement>('[role=treeitem]'))?.setAttribute('tabindex', '0');
    fill(this.observer,
      h('div', { class: 'visible' }, h('b', undefined, 'An on-path observer reads: '), p.visible || '—'),
      h('div', { class: 'hidden' }, h('b', undefined, 'Encrypted from it: '), p.hidden || 'nothing'),
      changes.length ? h('div', { class: 'changes' }, h('b', undefined, `Changed by ${p.from}: `), changes.map((c) => `${c.field} ${c.before} → ${c.after}`).join('; ')) : undefined);
    fill(this.inside, ...plaintextRows(p.plaintext));
  }

  private highlight(): void {
    for (const el of this.highlighted) el.classList.remove('hl');
    this.highlighted = [];
    const f = this.store.state.field;
    if (!f) return;
    const el = this.tree.querySelector<HTMLElement>(`[data-field="${f.layer}.${f.field}"]`) ?? this.tree.querySelector<HTMLElement>(`[data-layer="${f.layer}"] > .layer-row`);
    if (el) { el.classList.add('hl'); this.highlighted.push(el); }
  }

  private toggle(li: number, open?: boolean): void {
    const expanded = new Set(this.store.state.expanded);
    const want = open ?? !expanded.has(li);
    if (want) expanded.add(li); else expanded.delete(li);
    this.store.update({ expanded });
  }

  private click(e: MouseEvent): void {
    const item = (e.target as Element).closest<HTMLElement>('[role=treeitem]');
    if (!item) return;
    this.focus(item);
    if (item.dataset.field) this.store.update({ field: this.refOf(item) });
    else if (item.dataset.layer) this.toggle(Number(item.dataset.layer));
  }

  private focus(item: HTMLElement): void {
    for (const el of this.tree.querySelectorAll('[tabindex="0"]')) el.setAttribute('tabindex', '-1');
    item.setAttribute('tabindex', '0');
    item.focus();
  }

  private key(e: KeyboardEvent): void {
    const items = [...this.tree.querySelectorAll<HTMLElement>('[role=treeitem]')];
    const cur = (e.target as Element).closest<HTMLElement>('[role=treeitem]');
    const i = cur ? items.indexOf(cur) : -1;
    const layer = cur?.dataset.layer !== undefined ? Number(cur.dataset.layer) : undefined;
    const handled = () => { e.preventDefault(); e.stopPropagation(); };
    const refocus = (key: string) => requestAnimationFrame(() => { const el = this.tree.querySelector<HTMLElement>(`[data-key="${key}"]`); if (el) this.focus(el); });
    switch (e.key) {
      case 'ArrowDown': handled(); if (items[i + 1]) this.focus(items[i + 1]); break;
      case 'ArrowUp': handled(); if (i > 0) this.focus(items[i - 1]); break;
      case 'Home': handled(); if (items[0]) this.focus(items[0]); break;
      case 'End': handled(); if (items.length) this.focus(items[items.length - 1]); break;
      case 'ArrowRight':
        handled();
        if (layer !== undefined && cur?.getAttribute('aria-expanded') === 'false') { this.toggle(layer, true); refocus(`${layer}`); }
        else if (items[i + 1]) this.focus(items[i + 1]);
        break;
      case 'ArrowLeft':
        handled();
        if (layer !== undefined && cur?.getAttribute('aria-expanded') === 'true') { this.toggle(layer, false); refocus(`${layer}`); }
        else if (cur?.dataset.field) { const parent = cur.dataset.field.split('.')[0]; refocus(parent); }
        break;
      case 'Enter': case ' ':
        handled();
        if (layer !== undefined) { this.toggle(layer); refocus(`${layer}`); }
        break;
      default:
    }
  }
}

/** The decrypted content of a frame's TLS records: one collapsible row per inner layer (an
 * HTTP/2 frame, an HTTP/1.1 message) with its fields. Offsets are into the plaintext, not the
 * frame, so these rows do not light bytes of the hex view. */
function plaintextRows(layers: TraceLayer[] | undefined): HTMLElement[] {
  if (!layers?.length) return [];
  return [
    h('h3', undefined, 'Inside the TLS records (what the two endpoints read)'),
    ...layers.map((l) => h('details', { class: 'inner-layer', 'data-proto': l.proto },
      h('summary', undefined, h('span', { class: 'proto' }, l.proto), ' ', h('span', { class: 'summary' }, l.summary), ' ', h('span', { class: 'size muted' }, fmtBytes(l.length))),
      ...l.fields.map((f) => h('div', { class: 'field', 'data-name': `${l.proto}.${f.name}` }, h('span', { class: 'fname' }, f.name), ': ', h('span', { class: 'fvalue' }, f.value))))),
  ];
}
