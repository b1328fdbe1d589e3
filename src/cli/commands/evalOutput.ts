/**
 * Output of `seglens eval` and `seglens merge`: the CSV table, the JSON report of folder mode, the JSON-lines
 * stream, the top-level "run" object, and the reading of a report back (non-finite numbers revived) for merging.
 */
import { csvCell } from '../../core/csv';
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { writeAtomically } from '../../node/fs/atomicWrite';
import type { CliIO } from '../command';
import type { FolderReport, ImageRowJson } from '../../core/dataset/report';
import type { DatasetMetrics, ImageMetrics } from '../../core/metrics/types';
import { toJson } from './metrics';

const CSV_COLUMNS = [
  'dice',
  'iou',
  'precision',
  'recall',
  'specificity',
  'accuracy',
  'balancedAccuracy',
  'hd',
  'hd95',
  'assd',
  'nsd',
  'boundaryIou',
] as const;

function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : String(x);
}

declare const SEGLENS_VERSION: string;
/** The tool version in "run" (the bundle defines it; tests and tsx runs say "dev"). */
export const TOOL_VERSION = typeof SEGLENS_VERSION === 'string' ? SEGLENS_VERSION : 'dev';

/** A path of the command line, taken from the command's cwd when relative. */
export const at = (p: string, io: CliIO): string => (isAbsolute(p) ? p : resolve(io.cwd, p));

/** The report goes through the one atomic writer; a relative path is taken from the command's cwd. */
export function writeReport(path: string, text: string, io: CliIO): void {
  writeAtomically(at(path, io), text, { what: 'the report' });
}
/** CSV: one row per (image, class), then dataset rows for the pooled and image-mean values. */
export function toCsv(
  ids: readonly string[],
  images: readonly ImageMetrics[],
  dataset: DatasetMetrics,
): string {
  const head = [
    'scope',
    'id',
    'class',
    'emptyCase',
    'tp',
    'fp',
    'fn',
    'tn',
    'pixelAccuracy',
    ...CSV_COLUMNS,
    'objectF1',
  ];
  const rows = [head.join(',')];
  images.forEach((img, i) => {
    for (const [c, r] of Object.entries(img.perClass)) {
      const conn = Object.keys(r.objects).includes('8') ? '8' : Object.keys(r.objects)[0];
      const get = (k: (typeof CSV_COLUMNS)[number]): number =>
        k in r.overlap
          ? (r.overlap[k as keyof typeof r.overlap] as number)
          : r.surface[k as keyof typeof r.surface];
      rows.push(
        [
          'image',
          csvCell(ids[i]),
          c,
          r.emptyCase,
          r.counts.tp,
          r.counts.fp,
          r.counts.fn,
          r.counts.tn,
          csvNumber(img.pixelAccuracy),
          ...CSV_COLUMNS.map((k) => csvNumber(get(k))),
          csvNumber(r.objects[conn].f1),
        ].join(','),
      );
    }
  });
  for (const [c, d] of Object.entries(dataset.perClass)) {
    const conn = Object.keys(d.objects).includes('8') ? '8' : Object.keys(d.objects)[0];
    const pooled = CSV_COLUMNS.map((k) =>
      k in d.pooled ? csvNumber(d.pooled[k as keyof typeof d.pooled] as number) : '',
    );
    rows.push(
      [
        'dataset-pooled',
        '',
        c,
        d.emptyCase,
        d.pooledCounts.tp,
        d.pooledCounts.fp,
        d.pooledCounts.fn,
        d.pooledCounts.tn,
        csvNumber(dataset.pixelAccuracy.pooled),
        ...pooled,
        conn ? csvNumber(d.objects[conn].pooled.f1) : '',
      ].join(','),
    );
    const mean = CSV_COLUMNS.map((k) =>
      csvNumber(
        k in d.imageMean
          ? (d.imageMean[k as keyof typeof d.imageMean] as { value: number }).value
          : d.surfaceImageMean[k as keyof typeof d.surfaceImageMean].value,
      ),
    );
    rows.push(
      [
        'dataset-image-mean',
        '',
        c,
        '',
        '',
        '',
        '',
        '',
        csvNumber(dataset.pixelAccuracy.imageMean.value),
        ...mean,
        conn ? csvNumber(d.objects[conn].imageMean.f1.value) : '',
      ].join(','),
    );
  }
  return rows.join('\n') + '\n';
}

/** IMAGE objects with their ids first, as in `{"images": [{"id", …IMAGE}]}`. */
export function withIds(ids: readonly string[], images: readonly ImageMetrics[]): object[] {
  return images.map((m, i) => ({ id: ids[i], ...m }));
}

/** CSV of folder mode: per decoder a "# decoder NAME" line and the table of its rows. */
export function folderCsv(report: FolderReport): string {
  return report.decoders
    .map(
      (d) =>
        `# decoder ${d.decoder}\n` +
        (d.dataset
          ? toCsv(
              d.images.map((r) => r.id),
              d.images,
              d.dataset,
            )
          : ''),
    )
    .join('');
}

/** The JSON report: "run" first, then the report body. */
export function folderJson(run: object, report: FolderReport): string {
  return toJson({ run, ...report }) + '\n';
}

/** One JSON line per image row ({"type": "image", "model", "decoder", …row}). */
export function imageLine(model: string, decoder: string, row: ImageRowJson): string {
  return toJson({ type: 'image', model, decoder, ...row }) + '\n';
}

/** The closing line of a JSON-lines stream: everything but the image rows. */
export function summaryLine(run: object, report: FolderReport): string {
  const { images: _images, decoders, models, ...rest } = report;
  const noImages = (sections: FolderReport['decoders']) =>
    sections.map(({ images: _i, ...section }) => section);
  return (
    toJson({
      type: 'summary',
      run,
      ...rest,
      decoders: noImages(decoders),
      ...(models ? { models: models.map((m) => ({ model: m.model, decoders: noImages(m.decoders) })) } : {}),
    }) + '\n'
  );
}

/** sha256 (hex) of a value's canonical JSON (object keys sorted). */
export function hashJson(value: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = canon((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return createHash('sha256')
    .update(toJson(canon(value)))
    .digest('hex');
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A path relative to the working directory when inside it ('/'-separated), else as is. */
export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const r = relative(cwd, path);
  return r.startsWith('..') || isAbsolute(r) ? path : r.split('\\').join('/');
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * Numbers written as "NaN" / "Infinity" / "-Infinity" (toJson) turned back into numbers, everywhere except ids
 * and paths, which are strings whatever they spell.
 */
export function reviveNonFinite<T>(value: T): T {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string')
      return key !== 'id' && key !== 'path' && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value, '') as T;
}

export type { DatasetMetrics, ImageMetrics };
