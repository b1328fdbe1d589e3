/**
 * The analysis side area's tabs (vscode-tabs from @vscode-elements): one panel per section, each scrolling on its
 * own under the sticky controls. A section can be selected from code (the host's `reveal`), and `onShow` tells
 * the panel which section became visible (charts and the side-by-side views are laid out only while visible).
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import { el } from '../dom';

export type TabId = 'decoders' | 'metrics' | 'objects' | 'charts' | 'compare';

export const TAB_TITLES: Record<TabId, string> = {
  decoders: 'Decoders',
  metrics: 'Metrics',
  objects: 'Objects',
  charts: 'Charts',
  compare: 'Side by side',
};

export class AnalysisTabs {
  readonly element = document.createElement('vscode-tabs');
  private readonly ids: TabId[] = [];
  private readonly panels = new Map<TabId, HTMLElement>();
  private current: TabId;

  constructor(
    content: [TabId, HTMLElement][],
    private readonly onShow: (id: TabId) => void,
  ) {
    this.element.classList.add('analysis-tabs');
    for (const [id, body] of content) {
      const header = document.createElement('vscode-tab-header');
      header.slot = 'header';
      header.id = `tab-${id}`;
      header.textContent = TAB_TITLES[id];
      const panel = document.createElement('vscode-tab-panel');
      panel.classList.add('tab-body');
      panel.dataset.tab = id;
      const inner = el('div', 'tab-scroll');
      inner.append(body);
      panel.append(inner);
      this.element.append(header, panel);
      this.ids.push(id);
      this.panels.set(id, inner);
    }
    this.current = this.ids[0];
    this.element.addEventListener('vsc-tabs-select', (e) => {
      const id = this.ids[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex];
      if (!id) return;
      this.current = id;
      this.onShow(id);
    });
  }

  get selected(): TabId {
    return this.current;
  }

  /** Shows a tab as if its header had been clicked. */
  select(id: TabId): void {
    const i = this.ids.indexOf(id);
    if (i < 0) return;
    this.element.setAttribute('selected-index', String(i));
    this.current = id;
    this.onShow(id);
  }

  /** The scrolling body of a tab (scrolled to its top on a new sample). */
  body(id: TabId): HTMLElement | undefined {
    return this.panels.get(id);
  }
}
