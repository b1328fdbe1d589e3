/**
 * Dropping files on the panel. VS Code hands a webview the files dragged from its explorer (with Shift held) as
 * URI lists in the drag data; this module reads them, shows a drop highlight in the theme's colours while a drag
 * with files is over the panel, and passes the URIs to the host, which decides what may be opened. A drop that
 * carries no locations (files from another application, whose paths a webview cannot see) is still passed on,
 * empty, so the host can tell the user how to drop instead of ignoring the gesture.
 */
import { FILE_TYPES, droppedUris } from './dropData';

/** What the drop highlight says, also its accessible name. */
export const DROP_TEXT = 'Drop an image, mask or probability map';

function carriesFiles(data: DataTransfer | null): boolean {
  return !!data && Array.from(data.types, (t) => t.toLowerCase()).some((t) => FILE_TYPES.includes(t));
}

/** The highlight is styled through the CSSOM (allowed by the panel's CSP, unlike inline style attributes). */
function highlight(): HTMLElement {
  const box = document.createElement('div');
  box.className = 'drop-target';
  box.hidden = true;
  box.setAttribute('role', 'status');
  box.setAttribute('aria-live', 'polite');
  const s = box.style;
  s.position = 'fixed';
  s.inset = '0';
  s.zIndex = '1000';
  s.pointerEvents = 'none';
  s.display = 'flex';
  s.alignItems = 'center';
  s.justifyContent = 'center';
  s.background = 'var(--vscode-editorGroup-dropBackground, rgba(83, 89, 93, 0.5))';
  s.outline = '2px dashed var(--vscode-contrastActiveBorder, var(--vscode-focusBorder))';
  s.outlineOffset = '-6px';
  const label = document.createElement('span');
  label.textContent = DROP_TEXT;
  const l = label.style;
  l.padding = '8px 14px';
  l.color = 'var(--vscode-editorWidget-foreground, var(--vscode-foreground))';
  l.background = 'var(--vscode-editorWidget-background, var(--vscode-editor-background))';
  l.border = '1px solid var(--vscode-contrastBorder, var(--vscode-widget-border, transparent))';
  l.borderRadius = '4px';
  l.fontSize = '1.1em';
  box.append(label);
  return box;
}

/**
 * Makes the whole panel a drop target. `onDrop` receives the URIs of each drop (possibly none). The `hidden`
 * attribute hides the highlight (an explicit `display` would override it, so it is toggled through style).
 */
export function installDropTarget(root: HTMLElement, onDrop: (uris: string[]) => void): void {
  const box = highlight();
  root.append(box);
  // dragenter/dragleave fire for every child crossed; a depth count tells when the drag really left the panel.
  let depth = 0;
  const show = (on: boolean) => {
    box.hidden = !on;
    box.style.display = on ? 'flex' : 'none';
  };
  show(false);
  root.addEventListener('dragenter', (e) => {
    if (!carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    depth++;
    show(true);
  });
  root.addEventListener('dragover', (e) => {
    if (!carriesFiles(e.dataTransfer)) return;
    // Without preventDefault here the browser refuses the drop; the data itself is readable only on drop.
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    show(true);
  });
  root.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) show(false);
  });
  root.addEventListener('dragend', () => {
    depth = 0;
    show(false);
  });
  root.addEventListener('drop', (e) => {
    depth = 0;
    show(false);
    if (!e.dataTransfer || !carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    onDrop(droppedUris(e.dataTransfer));
  });
}
