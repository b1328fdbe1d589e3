/**
 * The typed face of `acquireVsCodeApi()`: the webview can only post `FromWebview` messages and persist a
 * `ViewerState`, so the compiler checks both ends of the protocol.
 */
import type { FromWebview, ViewerState } from '../src/protocol';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface VsCodeApi {
  post(message: FromWebview): void;
  /** The persisted state, unvalidated (callers run parseViewerState). */
  getState(): unknown;
  setState(state: ViewerState): void;
}

export function connect(): VsCodeApi {
  const raw = acquireVsCodeApi();
  return {
    post: (m) => raw.postMessage(m),
    getState: () => raw.getState(),
    setState: (s) => raw.setState(s),
  };
}
