// The one module that uses the component library (@vscode-elements/elements, lit-based): swap
// the library here and nothing else changes. Only the button is used: it brings VS Code's
// button look, focus ring and keyboard handling for ~30 kB minified; everything else is plain
// HTML styled with the theme's variables, which keeps the bundle small.
import '@vscode-elements/elements/dist/vscode-button/index.js';

export interface ButtonOptions {
  id: string;
  label: string;
  /** Accessible name and tooltip (include the shortcut). */
  title: string;
  secondary?: boolean;
  onClick: () => void;
}

export type ButtonElement = HTMLElement & { disabled: boolean };

export function button(o: ButtonOptions): ButtonElement {
  const b = document.createElement('vscode-button') as ButtonElement;
  b.id = o.id;
  b.textContent = o.label;
  b.title = o.title;
  b.setAttribute('aria-label', o.title);
  if (o.secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', () => { if (!b.disabled) o.onClick(); });
  return b;
}

export function setDisabled(b: ButtonElement, disabled: boolean): void {
  b.disabled = disabled;
  b.setAttribute('aria-disabled', String(disabled));
}
