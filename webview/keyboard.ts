// Panel-wide shortcuts (ignored while typing in a field). Lists, the tree, the bytes pane and
// the sequence diagram handle their own arrows first and stop the event.
import type { Actions } from './actions';

export interface Focusers { filter(): void; phase(): void; events(): void }

export function installShortcuts(actions: Actions, focus: Focusers): void {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) {
      if (e.key === 'Escape') t.blur();
      return;
    }
    const onButton = !!t && (t.tagName === 'BUTTON' || t.tagName === 'VSCODE-BUTTON');
    const map: Record<string, () => void> = {
      ArrowRight: () => actions.forward(), j: () => actions.forward(),
      ArrowLeft: () => actions.back(), k: () => actions.back(),
      Home: () => actions.first(), End: () => actions.end(),
      p: () => actions.togglePlay(),
      n: () => actions.nextInFlow(), f: () => actions.failure(), c: () => actions.compact(),
      '+': () => actions.zoom(1.25), '=': () => actions.zoom(1.25), '-': () => actions.zoom(1 / 1.25),
      t: () => actions.openText(),
      '/': () => focus.filter(), g: () => focus.phase(), e: () => focus.events(),
    };
    // Space activates a focused button; elsewhere it plays and pauses.
    if (e.key === ' ' && !onButton) map[' '] = () => actions.togglePlay();
    const fn = map[e.key];
    if (!fn) return;
    e.preventDefault();
    fn();
  });
}
