/**
 * The bytes SegLens writes on an explicit export: a decoded label map as PNG (8-bit grey, or 16-bit when a class
 * index exceeds 255; pixel value = class index, so any tool reads it back as labels) or NPY, and one image's metrics
 * as JSON (the CLI's IMAGE object, non-finite numbers as "NaN"/"Infinity") or CSV (one row per class and metric).
 * Pure byte producers; the host does the dialog and the atomic write.
 */
import { csvCell } from '../csv';
import { encode as encodePng } from 'fast-png';
import { writeNpy } from '../io/npy';
import { OVERLAP_KEYS, type ImageMetrics } from '../metrics/types';
import type { LabelData } from '../types';

export type ExportFormat = 'png' | 'npy' | 'json' | 'csv';

/** A label map as a one-channel PNG; refuses labels that do not fit 16 bits. */
export function labelsToPng(labels: LabelData, width: number, height: number): Uint8Array {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  if (max > 65535) throw new RangeError(`class index ${max} does not fit a 16-bit PNG; export as NPY`);
  const depth = max > 255 ? 16 : 8;
  const data = depth === 8 ? Uint8Array.from(labels) : Uint16Array.from(labels);
  return encodePng({ width, height, data, depth, channels: 1 });
}

/** A label map as an [H, W] NPY of its own integer type (uint8, uint16 or int32). */
export function labelsToNpy(labels: LabelData, width: number, height: number): Uint8Array {
  const dtype = labels instanceof Uint8Array ? 'uint8' : labels instanceof Uint16Array ? 'uint16' : 'int32';
  return writeNpy({ dtype, shape: [height, width], data: labels });
}

/** JSON with NaN / ±Infinity spelt as strings (JSON has no such literals; the CLI and fixtures do the same). */
export function metricsToJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
      2,
    ) + '\n'
  );
}

/** Text cells (class names, decoder names) through the one CSV writer: quoted, formula-neutralised. */
const csvField = (s: string): string => csvCell(s);

/** Numbers as JavaScript prints them; NaN and Infinity as words, which spreadsheets and pandas read. */
function num(v: number): string {
  return String(v);
}

/**
 * One image's metrics as CSV: `decoder,class,name,metric,value` rows — per class the counts, overlap, surface and
 * (configured connectivity) object metrics, then the macro means with how many classes they averaged.
 */
export function metricsToCsv(
  m: ImageMetrics,
  decoder: string,
  names: ReadonlyMap<number, string> = new Map(),
  connectivity = '8',
): string {
  const rows: string[][] = [['decoder', 'class', 'name', 'metric', 'value']];
  const add = (cls: string, name: string, metric: string, v: number) =>
    rows.push([decoder, cls, name, metric, num(v)]);
  add('all', '', 'pixelAccuracy', m.pixelAccuracy);
  for (const [cls, c] of Object.entries(m.perClass)) {
    const name = names.get(Number(cls)) ?? '';
    add(cls, name, 'gtPixels', c.gtPixels);
    add(cls, name, 'predPixels', c.predPixels);
    rows.push([decoder, cls, name, 'emptyCase', c.emptyCase]);
    for (const [k, v] of Object.entries(c.counts)) add(cls, name, k, v);
    for (const k of OVERLAP_KEYS) add(cls, name, k, c.overlap[k]);
    for (const [b, v] of Object.entries(c.overlap.fBeta)) add(cls, name, `fBeta${b}`, v);
    for (const [k, v] of Object.entries(c.surface)) add(cls, name, k, v);
    const o = c.objects[connectivity];
    if (o) {
      for (const k of ['nGt', 'nPred', 'tp', 'fn', 'fp', 'precision', 'recall', 'f1'] as const)
        add(cls, name, `objects${connectivity}.${k}`, o[k]);
    }
  }
  const macro = m.macroPresentClasses.metrics;
  for (const k of OVERLAP_KEYS) {
    add('macro', '', k, macro[k].value);
    add('macro', '', `${k}.nClasses`, macro[k].nClasses);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
