/** Small DOM helpers for the panel: elements, @vscode-elements controls and codicons. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function toolbarButton(icon: string, label: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-toolbar-button');
  b.setAttribute('icon', icon);
  b.setAttribute('label', label);
  b.title = label;
  b.addEventListener('click', onClick);
  return b;
}

export function button(icon: string, text: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('icon', icon);
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

/** A vscode-checkbox; its `checked` property is what the typed helpers below read and write. */
export type Checkbox = HTMLElement & { checked: boolean };

export function checkbox(label: string, onChange: (checked: boolean) => void): Checkbox {
  const c = document.createElement('vscode-checkbox') as Checkbox;
  c.setAttribute('label', label);
  c.textContent = label;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function icon(name: string): HTMLElement {
  const i = document.createElement('vscode-icon');
  i.setAttribute('name', name);
  return i;
}
