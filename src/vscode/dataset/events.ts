/** The dataset panel's events (src/vscode/dataset/datasetPanel.ts). */
import type { ExportWhat } from '../../protocol/dataset';

/** What tests observe of a panel (through the extension's test API, SegLensApi.test.datasetPanels()). */
export type DatasetEvent =
  | { type: 'ready' }
  | { type: 'preview'; total: number; unmatched: number; models: string[] }
  | { type: 'rows'; completed: number; total: number }
  | { type: 'finished'; cancelled: boolean; skipped: number; elapsedMs: number; cached?: boolean }
  | { type: 'summary' }
  | { type: 'rendered'; rows: number; drawn: number; first: number; sort: string }
  | { type: 'opened'; row: number; id: string }
  | { type: 'exported'; what: ExportWhat; path: string }
  | { type: 'problem'; message: string };
