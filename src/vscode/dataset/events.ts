/** The dataset panel's events (src/vscode/dataset/datasetPanel.ts). */
import type { ImageRegion } from '../../protocol';
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
  /** A label-error candidate's region was sent to the viewer (after its image was loaded). */
  | { type: 'revealed'; row: number; region: ImageRegion }
  | { type: 'exported'; what: ExportWhat; path: string }
  | { type: 'problem'; message: string };
