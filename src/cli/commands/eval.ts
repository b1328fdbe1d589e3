/**
 * `seglens eval` (docs/architecture.md §4, docs/dataset.md): metrics of a dataset, the numbers of the dataset view.
 *
 * - `--pairs P.json`: a list of {"id", "gt", "pred", "prob"?, "spacing"?} (relative paths against the folder of
 *   P.json); output {"run", "images": [{"id", …IMAGE}], "dataset"} — the fixtures' contract plus "run".
 * - folder modes (`--gt DIR --probs DIR`, or `--images DIR --gt DIR --model M.onnx`): the dataset engine
 *   (src/node/dataset) pairs files by stem, evaluates each sample with every decoder (in worker threads when the
 *   bundle's worker is present), skips failing samples with their reason (exit 1), and reports per-image rows
 *   with sufficient statistics so that `--shard I/N` parts merge (`seglens merge`) into the unsharded report.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { buildFolderReport, rowJson } from '../../core/dataset/report';
import { parseShard, Shard, shardItems, shardRange } from '../../core/dataset/shard';
import { DecoderName, SolverName } from '../../core/decoders/types';
import { InputError, OptionError } from '../../core/errors';
import { writeNpy } from '../../core/io/npy';
import { loadProbMap } from '../../core/io/load';
import type { ProbLayout } from '../../core/io/probMap';
import { aggregateDataset } from '../../core/metrics/aggregate';
import { MetricsConfig } from '../../core/metrics/config';
import {
  DatasetItem,
  DatasetPlan,
  DATASET_SOLVER,
  evaluateDataset,
  inProcessRunner,
  ModelSource,
  planConfig,
  planFromFolders,
  poolRunner,
} from '../../node/dataset';
import { writeAtomically } from '../../node/fs/atomicWrite';
import { loadModelImage } from '../../node/model/loadImage';
import { ConfigChoice, ModelRunner } from '../../node/model/runner';
import { readConfigFile } from '../../node/model/sidecar';
import { WorkerPool } from '../../node/workers/pool';
import { poolSize } from '../../node/workers/poolSize';
import { flag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import { parsePairs } from '../pairsFile';
import { checkOutput } from '../outputs';
import {
  displayPath,
  folderCsv,
  folderJson,
  hashBytes,
  hashJson,
  imageLine,
  summaryLine,
  toCsv,
  withIds,
} from './evalOutput';
import { jsonlInOrder, rowsByModel, skippedSamples } from './evalFolder';
import {
  imageMetricsFromFiles,
  loadConfig,
  loadPalette,
  parseFileOptions,
  readJsonFile,
  toJson,
} from './metrics';

declare const SEGLENS_VERSION: string;
/** The tool version in "run" (the bundle defines it; tests and tsx runs say "dev"). */
export const TOOL_VERSION = typeof SEGLENS_VERSION === 'string' ? SEGLENS_VERSION : 'dev';

/** Decoders usable without extra parameters (topk needs k, tunedThreshold a tuned threshold). */
const EVAL_DECODERS: readonly DecoderName[] = ['threshold', 'argmax', 'rankdice', 'rankiou'];
const SOLVERS: readonly string[] = ['auto', 'exact', 'rma'];

function parseDecoders(list: string | undefined): DecoderName[] | undefined {
  const decoders = list?.split(',').map((d) => d.trim());
  for (const d of decoders ?? []) {
    if (!EVAL_DECODERS.includes(d as DecoderName)) {
      throw new UsageError(`--decoders: '${d}' is not one of ${EVAL_DECODERS.join(', ')}`);
    }
  }
  if (decoders && new Set(decoders).size !== decoders.length)
    throw new UsageError('--decoders lists a decoder twice');
  return decoders as DecoderName[] | undefined;
}

/** The report goes through the one atomic writer; a relative path is taken from the command's cwd. */
function writeReport(path: string, text: string, io: CliIO): void {
  writeAtomically(isAbsolute(path) ? path : resolve(io.cwd, path), text, { what: 'the report' });
}

/** Whether stderr is a terminal (main() sets it on the process's own io; tests' io objects do not). */
function stderrIsTTY(io: CliIO): boolean {
  return (io as CliIO & { stderrIsTTY?: boolean }).stderrIsTTY === true;
}

/** "12/200 samples, 8.1/s, ETA 23 s" on one rewritten terminal line. */
function progressLine(done: number, total: number, started: number): string {
  const s = (Date.now() - started) / 1000;
  const rate = s > 0 ? done / s : 0;
  const eta = rate > 0 ? Math.ceil((total - done) / rate) : NaN;
  return `\rseglens eval: ${done}/${total} samples, ${rate.toFixed(1)}/s${Number.isFinite(eta) && done < total ? `, ETA ${eta} s` : ''}   `;
}

/** The worker bundle next to the CLI bundle (dist/worker.js), if this is a built CLI. */
function workerScript(): string | undefined {
  const script = join(__dirname, 'worker.js');
  return existsSync(script) ? script : undefined;
}

const at = (p: string, io: CliIO): string => (isAbsolute(p) ? p : resolve(io.cwd, p));

interface ModelSetup {
  source: ModelSource;
  run: Record<string, unknown>;
  dispose(): Promise<void>;
}

/** The ONNX model as a map source: one inference at a time, each map saved with --save-probs as it comes. */
async function modelSetup(
  model: string,
  modelConfig: string | undefined,
  saveProbs: string | undefined,
  io: CliIO,
): Promise<ModelSetup> {
  const path = at(model, io);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError(`cannot read: ${(e as Error).message}`, model);
  }
  const choice: ConfigChoice = {};
  if (modelConfig !== undefined) {
    choice.config = await readConfigFile(at(modelConfig, io));
    choice.configSource = at(modelConfig, io);
  }
  const saveDir = saveProbs !== undefined ? at(saveProbs, io) : undefined;
  if (saveDir) mkdirSync(saveDir, { recursive: true });
  const runner = new ModelRunner();
  const name = basename(model).replace(/\.onnx$/i, '');
  const source: ModelSource = {
    name,
    async infer(item: DatasetItem) {
      const image = item.image as string;
      const result = await runner.run(path, await loadModelImage(image), image, choice);
      if (saveDir) {
        const file = join(saveDir, `${item.id}.npy`);
        mkdirSync(dirname(file), { recursive: true });
        const data =
          result.prob.data instanceof Float32Array ? result.prob.data : Float32Array.from(result.prob.data);
        writeAtomically(file, writeNpy({ dtype: 'float32', shape: [...result.prob.shape], data }), {
          what: 'the map',
        });
      }
      return result.prob;
    },
  };
  return {
    source,
    run: {
      kind: 'onnx',
      name,
      path: displayPath(path, io.cwd),
      sha256: hashBytes(bytes),
      ...(choice.config ? { config: choice.config, configSha256: hashJson(choice.config) } : {}),
      ...(saveDir ? { saveProbs: displayPath(saveDir, io.cwd) } : {}),
    },
    dispose: () => runner.dispose(),
  };
}

/**
 * sha256 over the (id, byte size) list of the folder's maps (all samples, so every shard reports the same value):
 * identifies the probability folder's content cheaply, from file metadata only.
 */
function probsFingerprint(plan: DatasetPlan, model: string): string {
  const list = plan.items.map((i) => {
    const p = i.probs[model];
    let size = -1;
    try {
      size = p ? statSync(p).size : -1;
    } catch {
      // An unreadable map is reported by its sample; the fingerprint just notes it.
    }
    return [i.id, size];
  });
  return hashJson(list);
}

/**
 * The default decoder, as before the dataset engine: argmax for softmax maps (C = numClasses > 1), threshold
 * otherwise; decided on the first readable map (an unreadable one is reported by its sample later).
 */
function defaultDecoder(
  items: readonly DatasetItem[],
  model: string | undefined,
  config: MetricsConfig,
  layout: ProbLayout | undefined,
): DecoderName {
  const path = model !== undefined ? items.find((i) => i.probs[model])?.probs[model] : undefined;
  if (path === undefined || config.numClasses < 2) return 'threshold';
  try {
    const prob = loadProbMap(new Uint8Array(readFileSync(path)), {
      source: path,
      numClasses: config.numClasses,
      layout,
      logits: 'softmax',
    });
    return prob.shape[0] === config.numClasses ? 'argmax' : 'threshold';
  } catch {
    return 'threshold';
  }
}

interface FolderArgs {
  decoders: DecoderName[] | undefined;
  shard: Shard | undefined;
  format: 'json' | 'csv' | 'jsonl';
  out: string | undefined;
}

async function runFolderMode(
  args: ReturnType<typeof parseArgs>,
  a: FolderArgs,
  config0: Record<string, unknown>,
  io: CliIO,
): Promise<number> {
  const started = Date.now();
  const gtDir = requireFlag(args, 'gt');
  const probsDir = flag(args, 'probs');
  const probDirs = probsDir?.split(',').map((d) => at(d.trim(), io));
  const model = flag(args, 'model');
  const imagesDir = flag(args, 'images');
  const labels = flag(args, 'labels');
  const plan = planFromFolders({
    gt: at(gtDir, io),
    probs: probDirs,
    images: imagesDir !== undefined ? at(imagesDir, io) : undefined,
    labelsFile: labels !== undefined ? at(labels, io) : undefined,
    model: model !== undefined ? basename(model).replace(/\.onnx$/i, '') : undefined,
  });
  if (plan.items.length === 0) {
    throw new InputError(
      `no mask has ${probsDir !== undefined ? `a probability map in ${probsDir}` : `an image in ${imagesDir}`} with the same stem`,
      'eval',
    );
  }
  const lonely = plan.unmatched.filter((u) => /same stem/.test(u.reason));
  if (lonely.length) {
    const names = lonely.slice(0, 5).map((u) => basename(u.path).replace(/\.[^.]*$/, ''));
    io.stderr(`seglens eval: skipped ${lonely.length} file(s) without a partner: ${names.join(', ')}\n`);
  }
  let config: MetricsConfig;
  try {
    config = planConfig(plan, config0);
  } catch (e) {
    if (e instanceof OptionError)
      throw new InputError(e.message, flag(args, 'config') ?? plan.labelsFile ?? 'eval');
    throw e;
  }
  const fileOptions = parseFileOptions(flag(args, 'prob-layout'), flag(args, 'logits'));
  const palette = loadPalette(flag(args, 'palette'), io);
  const solver = flag(args, 'solver');
  if (solver !== undefined && !SOLVERS.includes(solver))
    throw new UsageError(`--solver must be one of ${SOLVERS.join(', ')}, got '${solver}'`);
  const items = shardItems(plan.items, a.shard);
  const workersFlag = flag(args, 'workers');
  const workers = workersFlag === undefined ? poolSize(cpus().length) : Number(workersFlag);
  if (!Number.isInteger(workers) || workers < 0)
    throw new UsageError(`--workers must be an integer ≥ 0, got '${workersFlag}'`);
  const script = workers > 0 ? workerScript() : undefined;
  const pool = script ? new WorkerPool({ script, size: workers }) : undefined;
  const setup =
    model !== undefined
      ? await modelSetup(model, flag(args, 'model-config'), flag(args, 'save-probs'), io)
      : undefined;
  const tty = stderrIsTTY(io) && !args.booleans.has('no-progress');
  const decoders = a.decoders;
  const models = setup ? [setup.source.name] : plan.models;
  const chosen: DecoderName[] = decoders ?? [
    defaultDecoder(items, plan.models[0], config, fileOptions.layout),
  ];
  // Stream JSON lines in id order: rows are buffered until every earlier sample has finished.
  const lines: string[] = [];
  const emit = (text: string): void => {
    if (a.out === undefined) io.stdout(text);
    else lines.push(text);
  };
  let report;
  try {
    const ordered = jsonlInOrder(items, chosen, models, (r) =>
      emit(imageLine(r.model, r.decoder, rowJson(r))),
    );
    report = await evaluateDataset(plan, {
      decoders: chosen,
      models: setup ? [] : plan.models,
      modelSource: setup?.source,
      config,
      items,
      solver: solver as SolverName | 'auto' | undefined,
      layout: fileOptions.layout,
      logits:
        fileOptions.logits === 'sigmoid' || fileOptions.logits === 'softmax' ? fileOptions.logits : undefined,
      palette,
      runner: pool ? poolRunner(pool) : inProcessRunner,
      // The report is built from the rows below (buildFolderReport), not from the engine's summaries.
      summaries: false,
      concurrency: pool ? 2 * workers : 1,
      onRow: a.format === 'jsonl' ? ordered : undefined,
      onProgress: tty ? (done, total) => io.stderr(progressLine(done, total, started)) : undefined,
    });
    if (tty) io.stderr('\n');
  } finally {
    await pool?.dispose();
    await setup?.dispose();
  }
  const rows = rowsByModel(report.rows, models, chosen);
  const skipped = skippedSamples(report.failed, io.cwd);
  const body = buildFolderReport({
    models,
    decoders: chosen,
    rows,
    skipped,
    unmatched: plan.unmatched.map((u) => ({ path: displayPath(u.path, io.cwd), reason: u.reason })),
    config,
  });
  const range = a.shard ? shardRange(plan.items.length, a.shard) : undefined;
  const probsRun = (probDirs ?? []).map((dir, k) => ({
    kind: 'probabilities',
    name: plan.models[k],
    path: displayPath(dir, io.cwd),
    sha256: probsFingerprint(plan, plan.models[k]),
  }));
  const run = {
    tool: 'seglens',
    version: TOOL_VERSION,
    command: 'eval',
    model: setup ? setup.run : probsRun[0],
    ...(probsRun.length > 1 ? { models: probsRun } : {}),
    gt: displayPath(at(gtDir, io), io.cwd),
    labels: plan.labelsFile
      ? { file: displayPath(plan.labelsFile, io.cwd), numClasses: plan.numClasses }
      : null,
    config,
    configSha256: hashJson(config),
    decoders: chosen,
    decoderOptions: {
      solver: solver ?? DATASET_SOLVER,
      layout: fileOptions.layout ?? null,
      logits: fileOptions.logits ?? null,
    },
    shard:
      a.shard && range
        ? {
            index: a.shard.index,
            count: a.shard.count,
            samples: items.length,
            of: plan.items.length,
            start: range.start,
            end: range.end,
          }
        : null,
    timings: {
      startedAt: new Date(started).toISOString(),
      wallMs: Date.now() - started,
      samplesPerSecond: report.timings.samplesPerSecond,
      workers: pool ? workers : 0,
    },
  };
  let text: string;
  if (a.format === 'jsonl') {
    for (const s of body.skipped) emit(toJson({ type: 'skipped', ...s }) + '\n');
    emit(summaryLine(run, body));
    text = lines.join('');
  } else text = a.format === 'json' ? folderJson(run, body) : folderCsv(body);
  if (a.out !== undefined) writeReport(a.out, text, io);
  else if (a.format !== 'jsonl') io.stdout(text);
  if (skipped.length) {
    io.stderr(`seglens eval: ${skipped.length} sample(s) failed and were skipped:\n`);
    for (const s of skipped.slice(0, 20)) io.stderr(`  ${s.id}: ${s.reason}\n`);
    if (skipped.length > 20)
      io.stderr(`  … and ${skipped.length - 20} more (listed under "skipped" in the report)\n`);
    return 1;
  }
  return 0;
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'metrics of a dataset: per-image rows, the dataset aggregates, comparisons (docs/dataset.md)',
  usage: `Usage: seglens eval --pairs P.json [--config C.json] (--json | --csv) [--out F]
       seglens eval --gt DIR --probs DIR [--decoders LIST] [--labels L.json] [--shard I/N] (--json|--csv|--jsonl) [--out F]
       seglens eval --images DIR --gt DIR --model M.onnx [--model-config MC.json] [--save-probs DIR] ...

  --pairs           JSON list of {"id", "gt", "pred", "prob"?, "spacing"?}; relative paths are resolved
                    against the folder of P.json
  --gt, --probs     folders of masks and probability maps, paired by file stem (suffixes _mask, _gt, _label,
                    _prob are ignored); files without a partner are listed and left out. Several models:
                    --probs A,B (comma-separated folders, named by their folders): the first is reported at the
                    top level, the others under "models", compared per image under "modelComparisons"
  --images, --model folders of images and an ONNX model run on each (CPU; its sidecar config, or
                    --model-config, or settings inferred from the model); each image is scored as soon as its
                    map exists
  --save-probs DIR  with --model: also write each map to DIR/<id>.npy
  --labels          labels.json ({"classes": [{"index", "name", "color"?}]}); by default the one beside the
                    masks (their folder or two parents) or the maps; it sets numClasses unless --config does
  --decoders        threshold, argmax, rankdice, rankiou (comma-separated; default threshold); the first is
                    reported at the top level, all under "decoders", compared pairwise with the first
  --solver          solver of rankdice/rankiou: rma (default in dataset mode: several times faster at equal
                    quality on our benchmark, see docs/dataset.md), exact, or auto (exact where cheap)
  --shard I/N       evaluate only the I-th of N contiguous blocks of the id-sorted samples; merge the parts
                    with seglens merge
  --workers N       worker threads (default: CPU count − 1, 2…4; 0 = this thread)
  --config          JSON object of metric settings (see seglens metrics --help and docs/metrics.md)
  --prob-layout     override the detected probability layout: HW, CHW, HWC, NCHW, NHWC
  --logits          convert logits explicitly: sigmoid or softmax (rows are flagged logits-converted)
  --palette         JSON palette for RGB colour masks (see seglens metrics --help)
  --json            {"run", "decoder", "images": [{"id", ...IMAGE, "meanDice", "expectedDice", "flags",
                    "stats", ...}], "dataset", "decoders", "skipped", "unmatched", "comparisons",
                    "expectedVsTrue", "tunedThresholds", "labelErrorCandidates"} (--pairs: {"run", "images",
                    "dataset"})
  --csv             one row per image and class, then pooled and image-mean dataset rows (per decoder)
  --jsonl           one line per image ({"type": "image", "decoder", ...}) in id order as they finish, then
                    {"type": "skipped", ...} lines and a {"type": "summary", ...} line
  --out F           write the report to F (atomically) instead of stdout; never over one of the command's input
                    files; an existing F is replaced only with --force
  --force           replace an existing --out file
  --no-progress     no progress line on stderr (shown only when stderr is a terminal)

Exit codes: 0 every sample evaluated, 1 some samples failed (skipped and listed), 2 bad usage or input.
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
        'labels',
        'shard',
        'save-probs',
        'solver',
        'workers',
      ],
      booleans: ['json', 'csv', 'jsonl', 'no-progress', 'force'],
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
      folderMode &&
      flag(args, 'probs') === undefined &&
      (flag(args, 'model') === undefined || flag(args, 'images') === undefined)
    ) {
      throw new UsageError('folder mode needs --gt with --probs, or --gt with --images and --model');
    }
    const folderOnly = ['decoders', 'images', 'labels', 'shard', 'save-probs', 'solver', 'workers'];
    const misplaced = folderOnly.find((f) => flag(args, f) !== undefined);
    if (pairsFlag !== undefined && (misplaced !== undefined || args.booleans.has('jsonl'))) {
      throw new UsageError(`--${misplaced ?? 'jsonl'} belongs to folder mode (--gt/--probs), not to --pairs`);
    }
    if (flag(args, 'save-probs') !== undefined && flag(args, 'model') === undefined) {
      throw new UsageError('--save-probs needs --model');
    }
    const formats = (['json', 'csv', 'jsonl'] as const).filter((f) => args.booleans.has(f));
    if (formats.length !== 1) throw new UsageError('give exactly one of --json, --csv and --jsonl');
    const format = formats[0];
    const configPath = flag(args, 'config');
    const outFlag = flag(args, 'out');
    if (outFlag !== undefined) {
      // Checked before any work: a long evaluation must not end in a refused write.
      const inputs = ['pairs', 'config', 'labels', 'palette', 'model', 'model-config']
        .map((f) => flag(args, f))
        .filter((p): p is string => p !== undefined)
        .map((p) => at(p, io));
      checkOutput(at(outFlag, io), { inputs, force: args.booleans.has('force'), what: 'the report' });
    }
    const config = loadConfig(configPath, io);
    if (pairsFlag === undefined) {
      // Folder mode: labels.json may set numClasses, so only the keys the file gives are passed on.
      const raw = configPath !== undefined ? (readJsonFile(configPath, io) as Record<string, unknown>) : {};
      const shardFlag = flag(args, 'shard');
      let shard: Shard | undefined;
      try {
        shard = shardFlag !== undefined ? parseShard(shardFlag) : undefined;
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      return runFolderMode(
        args,
        { decoders: parseDecoders(flag(args, 'decoders')), shard, format, out: flag(args, 'out') },
        raw,
        io,
      );
    }
    const started = Date.now();
    const fileOptions = {
      ...parseFileOptions(flag(args, 'prob-layout'), flag(args, 'logits')),
      palette: loadPalette(flag(args, 'palette'), io),
    };
    const pairs = parsePairs(pairsFlag, io);
    const images = pairs.map((p) => imageMetricsFromFiles(p, config, io, fileOptions));
    const dataset = aggregateDataset(images, config);
    const ids = pairs.map((p) => p.id);
    const run = {
      tool: 'seglens',
      version: TOOL_VERSION,
      command: 'eval',
      pairs: displayPath(at(pairsFlag, io), io.cwd),
      config,
      configSha256: hashJson(config),
      timings: { startedAt: new Date(started).toISOString(), wallMs: Date.now() - started },
    };
    const text =
      format === 'json'
        ? toJson({ run, images: withIds(ids, images), dataset }) + '\n'
        : toCsv(ids, images, dataset);
    const out = flag(args, 'out');
    if (out !== undefined) writeReport(out, text, io);
    else io.stdout(text);
    return 0;
  },
};
