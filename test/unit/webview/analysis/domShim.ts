// A DOM for the webview widgets' unit tests (happy-dom: elements, events, forms; no layout, no canvas pixels).
// `useDom()` installs `document`, `window` and the DOM classes as globals for one suite and removes them after it,
// so suites that expect plain node are untouched.
import { Window } from 'happy-dom';

const NAMES = [
  'window',
  'document',
  'HTMLElement',
  'HTMLCanvasElement',
  'HTMLButtonElement',
  'HTMLInputElement',
  'Event',
  'CustomEvent',
  'CSSStyleSheet',
  'MouseEvent',
  'getComputedStyle',
  'requestAnimationFrame',
] as const;

export function useDom(): { window: () => Window } {
  const saved = new Map<string, PropertyDescriptor | undefined>();
  let win: Window | undefined;
  before(() => {
    win = new Window({ url: 'https://webview.test/' });
    win.document.body.innerHTML = '<div id="app"></div>';
    const g = globalThis as unknown as Record<string, unknown>;
    const w = win as unknown as Record<string, unknown>;
    for (const name of NAMES) {
      saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
      const value =
        name === 'window'
          ? win
          : name === 'document'
            ? win.document
            : name === 'requestAnimationFrame'
              ? (f: (t: number) => void) => setTimeout(() => f(0), 0)
              : typeof w[name] === 'function' && name === 'getComputedStyle'
                ? (w[name] as (e: unknown) => unknown).bind(win)
                : w[name];
      Object.defineProperty(g, name, { value, configurable: true, writable: true });
    }
  });
  after(async () => {
    // Frames a test scheduled (the shim's requestAnimationFrame is a 0 ms timer) run while the DOM is still here:
    // mocha may start this hook before those timers fire.
    await new Promise((r) => setTimeout(r, 20));
    for (const [name, d] of saved) {
      if (d) Object.defineProperty(globalThis, name, d);
      else delete (globalThis as unknown as Record<string, unknown>)[name];
    }
    await win?.happyDOM.close();
  });
  return { window: () => win as Window };
}
