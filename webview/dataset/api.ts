/** The typed face of `acquireVsCodeApi()` for the dataset panel. */
import type { DatasetState, FromDatasetWebview } from '../../src/protocol/dataset';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface DatasetApi {
  post(message: FromDatasetWebview): void;
  setState(state: DatasetState): void;
}

export function connect(): DatasetApi {
  const raw = acquireVsCodeApi();
  return { post: (m) => raw.postMessage(m), setState: (s) => raw.setState(s) };
}
