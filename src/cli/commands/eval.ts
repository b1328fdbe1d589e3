/**
 * `seglens eval --pairs P.json [--config C.json] (--json | --csv) [--out F]` (DESIGN.md §4): metrics of a list of
 * images plus the dataset aggregates. P.json is a list of {"id", "gt", "pred", "prob"?, "spacing"?}; relative
 * paths are resolved against the folder of P.json (falling back to the working directory).
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError, errorMessage } from '../../core/errors';
import { aggregateDataset } from '../../core/metrics/aggregate';
import { DatasetMetrics, ImageMetrics } from '../../core/metrics/types';
import { flag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import { imageMetricsFromFiles, loadConfig, parseFileOptions, readBytes, toJson } from './metrics';

interface PairEntry {
  id: string;
  gt: string;
  pred: string;
  prob?: string;
  spacing?: number[];
}

function parsePairs(path: string, io: CliIO): PairEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(readBytes(path, io)));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`not valid JSON: ${errorMessage(e)}`, path);
  }
  if (!Array.isArray(parsed))
    throw new InputError('must hold a JSON list of {"id","gt","pred","prob"?,"spacing"?}', path);
  const base = dirname(isAbsolute(path) ? path : resolve(io.cwd, path));
  const locate = (p: string): string => {
    if (isAbsolute(p)) return p;
    const nearPairs = resolve(base, p);
    return existsSync(nearPairs) || !existsSync(resolve(io.cwd, p)) ? nearPairs : resolve(io.cwd, p);
  };
  const ids = new Set<string>();
  return parsed.map((e: unknown, i: number): PairEntry => {
    const where = `entry ${i}`;
    if (typeof e !== 'object' || e === null) throw new InputError(`${where} is not an object`, path);
    const r = e as Record<string, unknown>;
    for (const k of ['gt', 'pred'] as const) {
      if (typeof r[k] !== 'string') throw new InputError(`${where} has no "${k}" path`, path);
    }
    const id = r.id === undefined ? String(i) : String(r.id);
    if (ids.has(id)) throw new InputError(`${where}: duplicate id '${id}'`, path);
    ids.add(id);
    if (r.prob !== undefined && r.prob !== null && typeof r.prob !== 'string') {
      throw new InputError(`${where}: "prob" must be a path or null`, path);
    }
    let spacing: number[] | undefined;
    if (r.spacing !== undefined && r.spacing !== null) {
      if (
        !Array.isArray(r.spacing) ||
        !r.spacing.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)
      ) {
        throw new InputError(`${where}: "spacing" must be a list of positive numbers`, path);
      }
      spacing = r.spacing as number[];
    }
    return {
      id,
      gt: locate(r.gt as string),
      pred: locate(r.pred as string),
      prob: typeof r.prob === 'string' ? locate(r.prob) : undefined,
      spacing,
    };
  });
}

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

/** CSV: one row per (image, class), then dataset rows for the pooled and image-mean values. */
function toCsv(ids: readonly string[], images: readonly ImageMetrics[], dataset: DatasetMetrics): string {
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
          JSON.stringify(ids[i]),
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

/** Writes a file atomically (temporary file, then rename), so a failed run never leaves half a report. */
function writeAtomic(path: string, text: string, io: CliIO): void {
  const full = isAbsolute(path) ? path : resolve(io.cwd, path);
  const tmp = `${full}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, full);
  } catch (e) {
    throw new InputError(`cannot write: ${errorMessage(e)}`, path);
  }
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'metrics of a dataset: per-image IMAGE objects plus the DATASET aggregates',
  usage: `Usage: seglens eval --pairs P.json [--config C.json] (--json | --csv) [--out F]

  --pairs           JSON list of {"id", "gt", "pred", "prob"?, "spacing"?}; relative paths are resolved
                    against the folder of P.json
  --config          JSON object of metric settings (see seglens metrics --help and docs/metrics.md)
  --prob-layout     override the detected probability layout: HW, CHW, HWC, NCHW, NHWC
  --logits          convert logits explicitly: sigmoid or softmax
  --json            {"images": [{"id", ...IMAGE}], "dataset": DATASET}
  --csv             one row per image and class, then pooled and image-mean dataset rows
  --out F           write the report to F (atomically) instead of stdout

Directory mode (--images/--gt/--probs/--model) and --decoders are not available yet: use --pairs.
`,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: [
        'pairs',
        'config',
        'out',
        'prob-layout',
        'logits',
        'images',
        'gt',
        'probs',
        'model',
        'decoders',
      ],
      booleans: ['json', 'csv'],
    });
    if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    for (const f of ['images', 'gt', 'probs', 'model', 'decoders']) {
      if (flag(args, f) !== undefined) {
        throw new UsageError(`--${f} is not available in this version; list the images in a --pairs file`);
      }
    }
    const json = args.booleans.has('json');
    const csv = args.booleans.has('csv');
    if (json === csv) throw new UsageError('give exactly one of --json and --csv');
    const pairsPath = requireFlag(args, 'pairs');
    const config = loadConfig(flag(args, 'config'), io);
    const fileOptions = parseFileOptions(flag(args, 'prob-layout'), flag(args, 'logits'));
    const pairs = parsePairs(pairsPath, io);
    const images = pairs.map((p) => imageMetricsFromFiles(p, config, io, fileOptions));
    const dataset = aggregateDataset(images, config);
    const text = json
      ? toJson({ images: images.map((m, i) => ({ id: pairs[i].id, ...m })), dataset }) + '\n'
      : toCsv(
          pairs.map((p) => p.id),
          images,
          dataset,
        );
    const out = flag(args, 'out');
    if (out !== undefined) writeAtomic(out, text, io);
    else io.stdout(text);
    return 0;
  },
};
