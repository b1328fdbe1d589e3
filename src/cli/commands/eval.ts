/**
 * `seglens eval --pairs P.json [--config C.json] (--json | --csv) [--out F]` (docs/architecture.md §4): metrics of a list of
 * images plus the dataset aggregates. P.json is a list of {"id", "gt", "pred", "prob"?, "spacing"?}; relative
 * paths are resolved against the folder of P.json (falling back to the working directory).
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeAtomically } from '../../node/fs/atomicWrite';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { decode } from '../../core/decoders';
import { DecoderName } from '../../core/decoders/types';
import { InputError, errorMessage } from '../../core/errors';
import { aggregateDataset } from '../../core/metrics/aggregate';
import { MetricsConfig, includedClasses } from '../../core/metrics/config';
import { computeImageMetrics } from '../../core/metrics/imageMetrics';
import { DatasetMetrics, ImageMetrics } from '../../core/metrics/types';
import { loadModelImage } from '../../node/model/loadImage';
import { ConfigChoice, ModelRunner } from '../../node/model/runner';
import { readConfigFile } from '../../node/model/sidecar';
import { LabelMap, ProbMap } from '../../core/types';
import { flag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import {
  FileOptions,
  imageMetricsFromFiles,
  loadConfig,
  loadLabelFile,
  loadPalette,
  loadProbFile,
  parseFileOptions,
  readJsonFile,
  toJson,
} from './metrics';

interface PairEntry {
  id: string;
  gt: string;
  pred: string;
  prob?: string;
  spacing?: number[];
}

function parsePairs(path: string, io: CliIO): PairEntry[] {
  const parsed = readJsonFile(path, io);
  if (!Array.isArray(parsed))
    throw new InputError('must hold a JSON list of {"id","gt","pred","prob"?,"spacing"?}', path);
  const base = dirname(isAbsolute(path) ? path : resolve(io.cwd, path));
  const locate = (p: string): string => {
    if (isAbsolute(p)) return p;
    const nearPairs = resolve(base, p);
    return existsSync(nearPairs) || !existsSync(resolve(io.cwd, p)) ? nearPairs : resolve(io.cwd, p);
  };
  if (parsed.length === 0) throw new InputError('lists no images', path);
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

/** Files of one folder by stem, role suffixes stripped (case1_mask.png → case1). */
function filesByStem(
  dir: string,
  suffixes: readonly string[],
  exts: readonly string[],
  io: CliIO,
): Map<string, string> {
  const full = isAbsolute(dir) ? dir : resolve(io.cwd, dir);
  let names: string[];
  try {
    names = readdirSync(full).sort();
  } catch (e) {
    throw new InputError(`cannot list the folder: ${errorMessage(e)}`, dir);
  }
  const out = new Map<string, string>();
  for (const name of names) {
    const dot = name.lastIndexOf('.');
    if (dot <= 0 || !exts.includes(name.slice(dot + 1).toLowerCase())) continue;
    let stem = name.slice(0, dot);
    const suffix = suffixes.find((s) => stem.toLowerCase().endsWith(s));
    if (suffix) stem = stem.slice(0, -suffix.length);
    if (!out.has(stem)) out.set(stem, join(full, name));
  }
  return out;
}

/** Decoders usable without extra parameters (topk needs k, tunedThreshold a tuned threshold). */
const EVAL_DECODERS: readonly DecoderName[] = ['threshold', 'argmax', 'rankdice', 'rankiou'];

/**
 * Turns a probability map into a label map with one of the core decoders: multiclass labels for softmax maps,
 * the 0/1 mask for a binary map, and for a foreground-only multi-label map the most probable selected class
 * (background where no class is selected).
 */
function decodeToLabels(prob: ProbMap, decoder: DecoderName, config: MetricsConfig): LabelMap {
  const C = prob.shape[0];
  const spatial = prob.shape.slice(1);
  const n = prob.data.length / C;
  const softmax = C === config.numClasses && C > 1;
  const r = decode(prob, { decoder, outputMode: softmax ? 'multiclass' : 'multilabel' });
  if (r.mask.kind === 'multiclass') return { data: r.mask.data, shape: spatial };
  const mask = r.mask.data;
  if (C === 1) return { data: mask.subarray(0, n), shape: spatial };
  const classes = includedClasses({ ...config, includeBackground: true }).filter(
    (c) => c !== config.backgroundIndex,
  );
  const labels = new Int32Array(n).fill(config.backgroundIndex);
  for (let i = 0; i < n; i++) {
    let best = -1;
    for (let c = 0; c < C; c++) {
      if (mask[c * n + i] && prob.data[c * n + i] > best) {
        best = prob.data[c * n + i];
        labels[i] = classes[c];
      }
    }
  }
  return { data: labels, shape: spatial };
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

/** IMAGE objects with their ids first, as in `{"images": [{"id", …IMAGE}]}`. */
function withIds(ids: readonly string[], images: readonly ImageMetrics[]): object[] {
  return images.map((m, i) => ({ id: ids[i], ...m }));
}

interface DecoderRun {
  decoder: string;
  ids: string[];
  images: ImageMetrics[];
  dataset: DatasetMetrics;
}

/** A sample of folder mode: its ground truth and probability map, loaded. */
interface FolderSample {
  id: string;
  gtPath: string;
  gt: LabelMap;
  prob: ProbMap;
  /** Where the map came from (a file, or "model(image)"), for messages. */
  probSource: string;
}

/** Stems present in both maps, warning on stderr about files without a partner. */
function pairedStems(a: Map<string, string>, b: Map<string, string>, what: string, io: CliIO): string[] {
  const ids = [...a.keys()].filter((id) => b.has(id));
  const lonely = [...a.keys(), ...b.keys()].filter((id) => !a.has(id) || !b.has(id));
  if (lonely.length) {
    io.stderr(
      `seglens eval: skipped ${lonely.length} file(s) without a partner: ${lonely.slice(0, 5).join(', ')}\n`,
    );
  }
  if (ids.length === 0) throw new InputError(`no mask has ${what} with the same stem`, 'eval');
  return ids;
}

function parseDecoders(list: string | undefined): DecoderName[] | undefined {
  const decoders = list?.split(',').map((d) => d.trim());
  for (const d of decoders ?? []) {
    if (!EVAL_DECODERS.includes(d as DecoderName)) {
      throw new UsageError(`--decoders: '${d}' is not one of ${EVAL_DECODERS.join(', ')}`);
    }
  }
  return decoders as DecoderName[] | undefined;
}

const MASK_SUFFIXES = ['_mask', '_gt', '_label'];
const MASK_EXTS = ['png', 'npy', 'npz'];

/** Folder mode with maps on disk: pair masks and probability maps by stem and load them. */
function samplesFromFolders(
  gtDir: string,
  probsDir: string,
  config: MetricsConfig,
  fileOptions: FileOptions,
  io: CliIO,
): FolderSample[] {
  const gts = filesByStem(gtDir, MASK_SUFFIXES, MASK_EXTS, io);
  const probs = filesByStem(probsDir, ['_prob', '_probs'], ['npy', 'npz'], io);
  return pairedStems(gts, probs, `a probability map in ${probsDir}`, io).map((id) => {
    const gtPath = gts.get(id) as string;
    const probPath = probs.get(id) as string;
    const gt = loadLabelFile(gtPath, io, fileOptions.palette);
    return {
      id,
      gtPath,
      gt,
      prob: loadProbFile(probPath, io, config, fileOptions, gt.shape),
      probSource: probPath,
    };
  });
}

/** Folder mode with a model: pair images and masks by stem and run the model (CPU) on every image. */
async function samplesFromModel(
  imagesDir: string,
  gtDir: string,
  model: string,
  modelConfig: string | undefined,
  fileOptions: FileOptions,
  io: CliIO,
): Promise<FolderSample[]> {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const images = filesByStem(
    imagesDir,
    [],
    ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'bmp', 'webp', 'npy', 'npz'],
    io,
  );
  const gts = filesByStem(gtDir, MASK_SUFFIXES, MASK_EXTS, io);
  const ids = pairedStems(gts, images, `an image in ${imagesDir}`, io);
  const choice: ConfigChoice = {};
  if (modelConfig !== undefined) {
    choice.config = await readConfigFile(at(modelConfig));
    choice.configSource = at(modelConfig);
  }
  const runner = new ModelRunner();
  try {
    const out: FolderSample[] = [];
    for (const id of ids) {
      const imagePath = images.get(id) as string;
      const gtPath = gts.get(id) as string;
      const result = await runner.run(at(model), await loadModelImage(imagePath), imagePath, choice);
      out.push({
        id,
        gtPath,
        gt: loadLabelFile(gtPath, io, fileOptions.palette),
        prob: result.prob,
        probSource: `${model}(${imagePath})`,
      });
    }
    return out;
  } finally {
    await runner.dispose();
  }
}

/** Decodes every sample with each decoder, computes the metrics and aggregates them. */
function scoreSamples(
  samples: readonly FolderSample[],
  decoders: DecoderName[] | undefined,
  config: MetricsConfig,
): DecoderRun[] {
  const softmax = samples[0].prob.shape[0] === config.numClasses && config.numClasses > 1;
  const names = decoders ?? [softmax ? 'argmax' : 'threshold'];
  const ids = samples.map((x) => x.id);
  return names.map((decoder) => {
    const images = samples.map((x) =>
      computeImageMetrics(x.gt, decodeToLabels(x.prob, decoder, config), {
        prob: x.prob,
        config,
        sources: { gt: x.gtPath, pred: `${decoder}(${x.probSource})`, prob: x.probSource },
      }),
    );
    return { decoder, ids, images, dataset: aggregateDataset(images, config) };
  });
}

/** The report goes through the one atomic writer; a relative path is taken from the command's cwd. */
function writeReport(path: string, text: string, io: CliIO): void {
  writeAtomically(isAbsolute(path) ? path : resolve(io.cwd, path), text, { what: 'the report' });
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'metrics of a dataset: per-image IMAGE objects plus the DATASET aggregates',
  usage: `Usage: seglens eval --pairs P.json [--config C.json] (--json | --csv) [--out F]
       seglens eval --gt DIR --probs DIR [--decoders LIST] [--config C.json] (--json | --csv) [--out F]
       seglens eval --images DIR --gt DIR --model M.onnx [--model-config MC.json] [--decoders LIST] ...

  --pairs           JSON list of {"id", "gt", "pred", "prob"?, "spacing"?}; relative paths are resolved
                    against the folder of P.json
  --gt, --probs     folders of masks and probability maps, paired by file stem (suffixes _mask, _gt, _label,
                    _prob are ignored)
  --images, --model folders of images and an ONNX model run on each (CPU; its sidecar config, or
                    --model-config, or settings inferred from the model), paired with --gt by stem
  --decoders        threshold, argmax, rankdice, rankiou (comma-separated; default argmax for softmax maps,
                    threshold otherwise); the first is reported at the top level, all under "decoders"
  --config          JSON object of metric settings (see seglens metrics --help and docs/metrics.md)
  --prob-layout     override the detected probability layout: HW, CHW, HWC, NCHW, NHWC
  --logits          convert logits explicitly: sigmoid or softmax
  --palette         JSON palette for RGB colour masks (see seglens metrics --help)
  --json            {"images": [{"id", ...IMAGE}], "dataset": DATASET} (folder modes add "decoder" and
                    "decoders": [{"decoder", "images", "dataset"}])
  --csv             one row per image and class, then pooled and image-mean dataset rows
  --out F           write the report to F (atomically) instead of stdout
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
        'palette',
        'model-config',
      ],
      booleans: ['json', 'csv'],
    });
    if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const pairsFlag = flag(args, 'pairs');
    const folderMode = ['gt', 'probs', 'model', 'images'].some((f) => flag(args, f) !== undefined);
    if ((pairsFlag === undefined) === !folderMode) {
      throw new UsageError('give either --pairs, or --gt with --probs (or --images and --model)');
    }
    if (flag(args, 'probs') !== undefined && flag(args, 'model') !== undefined) {
      throw new UsageError('give either --probs or --model, not both');
    }
    if (
      pairsFlag !== undefined &&
      (flag(args, 'decoders') !== undefined || flag(args, 'images') !== undefined)
    ) {
      throw new UsageError('--decoders and --images belong to folder mode (--gt/--probs), not to --pairs');
    }
    const json = args.booleans.has('json');
    const csv = args.booleans.has('csv');
    if (json === csv) throw new UsageError('give exactly one of --json and --csv');
    const config = loadConfig(flag(args, 'config'), io);
    const fileOptions = {
      ...parseFileOptions(flag(args, 'prob-layout'), flag(args, 'logits')),
      palette: loadPalette(flag(args, 'palette'), io),
    };
    let text: string;
    if (pairsFlag !== undefined) {
      const pairs = parsePairs(pairsFlag, io);
      const images = pairs.map((p) => imageMetricsFromFiles(p, config, io, fileOptions));
      const dataset = aggregateDataset(images, config);
      const ids = pairs.map((p) => p.id);
      text = json ? toJson({ images: withIds(ids, images), dataset }) + '\n' : toCsv(ids, images, dataset);
    } else {
      const decoders = parseDecoders(flag(args, 'decoders'));
      const model = flag(args, 'model');
      const samples =
        model !== undefined
          ? await samplesFromModel(
              requireFlag(args, 'images'),
              requireFlag(args, 'gt'),
              model,
              flag(args, 'model-config'),
              fileOptions,
              io,
            )
          : samplesFromFolders(requireFlag(args, 'gt'), requireFlag(args, 'probs'), config, fileOptions, io);
      const runs = scoreSamples(samples, decoders, config);
      const first = runs[0];
      text = json
        ? toJson({
            decoder: first.decoder,
            images: withIds(first.ids, first.images),
            dataset: first.dataset,
            decoders: runs.map((r) => ({
              decoder: r.decoder,
              images: withIds(r.ids, r.images),
              dataset: r.dataset,
            })),
          }) + '\n'
        : runs.map((r) => `# decoder ${r.decoder}\n` + toCsv(r.ids, r.images, r.dataset)).join('');
    }
    const out = flag(args, 'out');
    if (out !== undefined) writeReport(out, text, io);
    else io.stdout(text);
    return 0;
  },
};
