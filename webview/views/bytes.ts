// The bytes pane: hex and ASCII of the frame, 16 a row. A field selected or hovered in the
// details lights exactly its bytes; a byte under the pointer (or the keyboard cursor) names
// the field it belongs to and lights that field, both ways as in Wireshark.
import type { PacketSnapshot } from '../../src/core/trace/types';
import { h } from '../dom';
import type { FieldRef, Store } from '../store';

/** For each byte, the narrowest field covering it (the most specific name). */
function owners(p: PacketSnapshot, size: number): (FieldRef | undefined)[] {
  const out: (FieldRef | undefined)[] = new Array(size);
  const len: number[] = new Array(size).fill(Infinity);
  p.layers.forEach((l, li) => l.fields.forEach((f, fi) => {
    for (let o = f.offset; o < Math.min(size, f.offset + f.length); o++) {
      if (f.length < len[o]) { len[o] = f.length; out[o] = { layer: li, field: fi }; }
    }
  }));
  return out;
}

export class BytesView {
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly status: HTMLElement;
  private hex: HTMLElement[] = [];
  private ascii: HTMLElement[] = [];
  private owner: (FieldRef | undefined)[] = [];
  private shown: number | undefined = -1;
  private lit: number[] = [];
  private cursor = 0;

  constructor(private readonly store: Store) {
    this.grid = h('div', { id: 'bytes', tabindex: 0, role: 'group', 'aria-label': 'Bytes of the frame (arrows move a byte cursor that names its field)', 'aria-describedby': 'byte-status' });
    this.status = h('div', { id: 'byte-status', class: 'muted', 'aria-live': 'polite' });
    this.root = h('section', { id: 'bytes-view', class: 'view', 'aria-label': 'Bytes' }, h('h2', undefined, 'Bytes'), this.grid, this.status);
    this.grid.addEventListener('mouseover', (e) => {
      const b = (e.target as Element).closest<HTMLElement>('[data-offset]');
      if (b) this.point(Number(b.dataset.offset));
    });
    this.grid.addEventListener('click', (e) => {
      const b = (e.target as Element).closest<HTMLElement>('[data-offset]');
      if (b) { this.cursor = Number(b.dataset.offset); this.point(this.cursor); }
    });
    this.grid.addEventListener('keydown', (e) => {
      const d: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 16, ArrowUp: -16 };
      if (!(e.key in d) || !this.hex.length) return;
      e.preventDefault(); e.stopPropagation();
      this.cursor = Math.max(0, Math.min(this.hex.length - 1, this.cursor + d[e.key]));
      this.point(this.cursor);
    });
    store.subscribe((c) => {
      if (c.has('trace') || c.has('snapshot')) this.build(c.has('trace'));
      if (c.has('field') || c.has('snapshot') || c.has('trace')) this.light();
    });
  }

  /** Names the byte's field and makes it the shared field (the details light it too). */
  private point(offset: number): void {
    const { trace, snapshot } = this.store.state;
    const p = snapshot !== undefined ? trace?.packets[snapshot] : undefined;
    const ref = this.owner[offset];
    const f = ref && p ? p.layers[ref.layer]?.fields[ref.field] : undefined;
    const l = ref && p ? p.layers[ref.layer] : undefined;
    const hex = this.hex[offset]?.textContent ?? '';
    this.status.textContent = `byte ${offset} (0x${hex}): ${f && l ? `${l.proto}.${f.name} = ${f.value}` : 'no field'}`;
    this.status.dataset.field = f && l ? `${l.proto}.${f.name}` : '';
    for (const el of this.grid.querySelectorAll('.cursor')) el.classList.remove('cursor');
    this.hex[offset]?.classList.add('cursor');
    this.store.update({ field: ref });
  }

  private build(force: boolean): void {
    const { trace, snapshot } = this.store.state;
    if (!force && snapshot === this.shown) return;
    this.shown = snapshot;
    const p = snapshot !== undefined ? trace?.packets[snapshot] : undefined;
    this.hex = []; this.ascii = []; this.lit = []; this.cursor = 0;
    this.status.textContent = '';
    if (!p) { this.grid.replaceChildren(); this.owner = []; return; }
    const size = p.bytes.length / 2;
    this.owner = owners(p, size);
    const rows: HTMLElement[] = [];
    for (let r = 0; r < size; r += 16) {
      const hexCells: HTMLElement[] = [], asciiCells: HTMLElement[] = [];
      for (let o = r; o < Math.min(size, r + 16); o++) {
        const pair = p.bytes.slice(o * 2, o * 2 + 2);
        const v = parseInt(pair, 16);
        const hx = h('span', { class: 'b', 'data-offset': o }, pair);
        const ch = h('span', { class: 'c', 'data-offset': o }, v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.');
        this.hex.push(hx); this.ascii.push(ch);
        hexCells.push(hx); asciiCells.push(ch);
      }
      rows.push(h('div', { class: 'brow' }, h('span', { class: 'boff' }, r.toString(16).padStart(4, '0')), h('span', { class: 'bhex' }, ...hexCells), h('span', { class: 'bascii' }, ...asciiCells)));
    }
    this.grid.replaceChildren(...rows);
  }

  private light(): void {
    for (const o of this.lit) { this.hex[o]?.classList.remove('hl'); this.ascii[o]?.classList.remove('hl'); }
    this.lit = [];
    const { trace, snapshot, field } = this.store.state;
    const p = snapshot !== undefined ? trace?.packets[snapshot] : undefined;
    const f = field && p ? p.layers[field.layer]?.fields[field.field] : undefined;
    if (!f) return;
    for (let o = f.offset; o < f.offset + f.length && o < this.hex.length; o++) {
      this.hex[o].classList.add('hl'); this.ascii[o].classList.add('hl');
      this.lit.push(o);
    }
  }
}
