/** One evaluation run of the dataset panel: its state, and the pacing constants of its streaming. */
import type { DecoderName } from '../../core/decoders/types';
import type { DatasetPlan, DatasetReport } from '../../node/dataset';
import { VIEW_DECODERS } from './preview';
import type { ToDatasetWebview } from '../../protocol/dataset';
import type { RowStore } from './rowStore';

export interface Run {
  id: number;
  abort: AbortController;
  store: RowStore;
  started: number;
  /** Completed rows not yet posted. */
  pending: number[];
  flushTimer?: ReturnType<typeof setTimeout>;
  done: number;
  total: number;
  finished?: Extract<ToDatasetWebview, { type: 'finished' }>;
  report?: DatasetReport;
  /** The summary, started as soon as the last sample's rows arrived (before the engine's report). */
  summarizing?: Promise<void>;
}

/** Longest side of the error-map thumbnail in each row (table rows are 22 px high). */
export const THUMB_SIZE = 20;

/** Rows are posted at most this often (ms) while a run streams, so 10,000 rows are ~a hundred messages, not 10,000. */
export const FLUSH_MS = 150;

let nextRunId = 1;

/** A fresh id for each run (a late message of an old run is recognised and dropped). */
export function newRunId(): number {
  return nextRunId++;
}

/** "1 min 5 s" style remaining time for the progress notification. */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - 60 * m)} s`;
}

/** The progress numbers of a run at `done` of `total`: percent, rate, remaining seconds and the notification line. */
export function progressOf(
  run: Pick<Run, 'started'>,
  done: number,
  total: number,
  now = Date.now(),
): { pct: number; perSecond: number; eta: number | null; message: string } {
  const elapsed = (now - run.started) / 1000;
  const perSecond = elapsed > 0 ? done / elapsed : 0;
  const eta = perSecond > 0 ? (total - done) / perSecond : null;
  const pct = total > 0 ? (100 * done) / total : 100;
  const left = eta !== null && done < total ? ` · ${formatEta(eta)} left` : '';
  return { pct, perSecond, eta, message: `${done}/${total} · ${perSecond.toFixed(1)}/s${left}` };
}

/**
 * The decoders of an evaluation request, or the sentence that says why it cannot run (unknown model or decoder,
 * no source, nothing paired, no image for an ONNX model). `where` names the folder in the sentence; `withModel`
 * says an ONNX model runs too.
 */
export function checkRequest(
  plan: Pick<DatasetPlan, 'models' | 'items'>,
  models: readonly string[],
  decoders: readonly string[],
  where: string,
  withModel = false,
): DecoderName[] | string {
  const unknownModel = models.find((m) => !plan.models.includes(m));
  if (unknownModel !== undefined) return `No probability folder '${unknownModel}' in ${where}.`;
  if (models.length === 0 && !withModel) return 'Choose a probability folder or an ONNX model to evaluate.';
  if (withModel && !plan.items.some((it) => it.image))
    return `No image in ${where} to run the model on (expected images/<stem>.png beside masks/).`;
  const names = decoders.filter((d): d is DecoderName => VIEW_DECODERS.some((v) => v.name === d));
  if (names.length !== decoders.length || names.length === 0) {
    return `Unknown decoder in ${decoders.join(', ')}; choose from ${VIEW_DECODERS.map((d) => d.name).join(', ')}.`;
  }
  if (plan.items.length === 0) {
    return `Nothing to evaluate in ${where}: no image or mask was paired with a probability map.`;
  }
  return names;
}
