/**
 * `seglens eval` in folder mode (`--gt DIR --probs DIR[,DIR…]`, or `--images DIR --gt DIR --model M.onnx`): the
 * dataset engine (src/node/dataset) pairs files by stem and evaluates each sample with every decoder, in worker
 * threads when the bundle's worker is present; failing samples are skipped with their reason (exit 1); the report
 * has per-image rows with sufficient statistics, so that `--shard I/N` parts merge into the unsharded report.
 * Steps: plan the folders → settings → evaluate → the "run" record → write the output.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buildFolderReport, rowJson } from '../../core/dataset/report';
import { Shard, shardItems, shardRange } from '../../core/dataset/shard';
import { DecoderName, SolverName } from '../../core/decoders/types';
import { InputError, OptionError } from '../../core/errors';
import { writeNpy } from '../../core/io/npy';
import { loadProbMap } from '../../core/io/load';
import type { ProbLayout } from '../../core/io/probMap';
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
import { CliIO, UsageError } from '../command';
import {
  at,
  displayPath,
  folderCsv,
  folderJson,
  hashBytes,
  hashJson,
  imageLine,
  summaryLine,
  TOOL_VERSION,
  writeReport,
} from './evalOutput';
import { jsonlInOrder, rowsByModel, skippedSamples } from './evalFolder';
import { loadPalette, parseFileOptions, toJson } from './metrics';

const SOLVERS: readonly string[] = ['auto', 'exact', 'rma'];
const EVAL_LIMIT_HINT =
  'downscale the image, or run the model with seglens run --max-pixels N and evaluate its maps with --probs';

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
      // The CLI's words for the pixel limit (the default message names the VS Code setting).
      const picture = await loadModelImage(image, undefined, { limitHint: EVAL_LIMIT_HINT });
      const result = await runner.run(path, picture, image, choice);
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

export interface FolderArgs {
  decoders: DecoderName[] | undefined;
  shard: Shard | undefined;
  format: 'json' | 'csv' | 'jsonl';
  out: string | undefined;
}

type Args = ReturnType<typeof parseArgs>;

/** The folders as a plan: pairing by stem, labels, models; files without a partner are named on stderr. */
function folderPlan(args: Args, io: CliIO): { plan: DatasetPlan; gtDir: string; probDirs?: string[] } {
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
  return { plan, gtDir, probDirs };
}

interface FolderSettings {
  config: MetricsConfig;
  layout: ProbLayout | undefined;
  logitsFlag: string | undefined;
  palette: ReturnType<typeof loadPalette>;
  solver: string | undefined;
  items: DatasetItem[];
  workers: number;
}

/** Metric config (labels.json + --config), file options, solver, the shard's items and the worker count. */
function folderSettings(
  args: Args,
  a: FolderArgs,
  plan: DatasetPlan,
  config0: Record<string, unknown>,
  io: CliIO,
): FolderSettings {
  let config: MetricsConfig;
  try {
    config = planConfig(plan, config0);
  } catch (e) {
    if (e instanceof OptionError)
      throw new InputError(e.message, flag(args, 'config') ?? plan.labelsFile ?? 'eval');
    throw e;
  }
  const fileOptions = parseFileOptions(flag(args, 'prob-layout'), flag(args, 'logits'));
  const solver = flag(args, 'solver');
  if (solver !== undefined && !SOLVERS.includes(solver))
    throw new UsageError(`--solver must be one of ${SOLVERS.join(', ')}, got '${solver}'`);
  const workersFlag = flag(args, 'workers');
  const workers = workersFlag === undefined ? poolSize(cpus().length) : Number(workersFlag);
  if (!Number.isInteger(workers) || workers < 0)
    throw new UsageError(`--workers must be an integer ≥ 0, got '${workersFlag}'`);
  return {
    config,
    layout: fileOptions.layout,
    logitsFlag: fileOptions.logits,
    palette: loadPalette(flag(args, 'palette'), io),
    solver,
    items: shardItems(plan.items, a.shard),
    workers,
  };
}

/** Runs the engine over the shard's items (worker pool or this thread), streaming JSON lines when asked. */
async function evaluateFolder(
  args: Args,
  plan: DatasetPlan,
  s: FolderSettings,
  decoders: DecoderName[],
  setup: ModelSetup | undefined,
  io: CliIO,
  onRow: ((row: Parameters<typeof rowJson>[0]) => void) | undefined,
): Promise<{ report: Awaited<ReturnType<typeof evaluateDataset>>; pooled: boolean }> {
  const started = Date.now();
  const script = s.workers > 0 ? workerScript() : undefined;
  const pool = script ? new WorkerPool({ script, size: s.workers }) : undefined;
  const tty = stderrIsTTY(io) && !args.booleans.has('no-progress');
  try {
    const report = await evaluateDataset(plan, {
      decoders,
      models: setup ? [] : plan.models,
      modelSource: setup?.source,
      config: s.config,
      items: s.items,
      solver: s.solver as SolverName | 'auto' | undefined,
      layout: s.layout,
      logits: s.logitsFlag === 'sigmoid' || s.logitsFlag === 'softmax' ? s.logitsFlag : undefined,
      palette: s.palette,
      runner: pool ? poolRunner(pool) : inProcessRunner,
      // The report is built from the rows (buildFolderReport), not from the engine's summaries.
      summaries: false,
      concurrency: pool ? 2 * s.workers : 1,
      onRow,
      onProgress: tty ? (done, total) => io.stderr(progressLine(done, total, started)) : undefined,
    });
    if (tty) io.stderr('\n');
    return { report, pooled: pool !== undefined };
  } finally {
    await pool?.dispose();
  }
}

/** The report's "run" object: everything run-specific (tool, inputs with hashes, decoders, shard, timings). */
function runRecord(
  a: FolderArgs,
  f: { plan: DatasetPlan; gtDir: string; probDirs?: string[] },
  s: FolderSettings,
  decoders: DecoderName[],
  setup: ModelSetup | undefined,
  timing: { started: number; samplesPerSecond: number; pooled: boolean },
  io: CliIO,
): Record<string, unknown> {
  const { plan } = f;
  const range = a.shard ? shardRange(plan.items.length, a.shard) : undefined;
  const probsRun = (f.probDirs ?? []).map((dir, k) => ({
    kind: 'probabilities',
    name: plan.models[k],
    path: displayPath(dir, io.cwd),
    sha256: probsFingerprint(plan, plan.models[k]),
  }));
  return {
    tool: 'seglens',
    version: TOOL_VERSION,
    command: 'eval',
    model: setup ? setup.run : probsRun[0],
    ...(probsRun.length > 1 ? { models: probsRun } : {}),
    gt: displayPath(at(f.gtDir, io), io.cwd),
    labels: plan.labelsFile
      ? { file: displayPath(plan.labelsFile, io.cwd), numClasses: plan.numClasses }
      : null,
    config: s.config,
    configSha256: hashJson(s.config),
    decoders,
    decoderOptions: {
      solver: s.solver ?? DATASET_SOLVER,
      layout: s.layout ?? null,
      logits: s.logitsFlag ?? null,
    },
    shard:
      a.shard && range
        ? {
            index: a.shard.index,
            count: a.shard.count,
            samples: s.items.length,
            of: plan.items.length,
            start: range.start,
            end: range.end,
          }
        : null,
    timings: {
      startedAt: new Date(timing.started).toISOString(),
      wallMs: Date.now() - timing.started,
      samplesPerSecond: timing.samplesPerSecond,
      workers: timing.pooled ? s.workers : 0,
    },
  };
}

export async function runFolderMode(
  args: Args,
  a: FolderArgs,
  config0: Record<string, unknown>,
  io: CliIO,
): Promise<number> {
  const started = Date.now();
  const f = folderPlan(args, io);
  const { plan } = f;
  const s = folderSettings(args, a, plan, config0, io);
  const model = flag(args, 'model');
  const setup =
    model !== undefined
      ? await modelSetup(model, flag(args, 'model-config'), flag(args, 'save-probs'), io)
      : undefined;
  const models = setup ? [setup.source.name] : plan.models;
  const decoders: DecoderName[] = a.decoders ?? [defaultDecoder(s.items, plan.models[0], s.config, s.layout)];
  // JSON lines stream in id order: rows are buffered until every earlier sample has finished.
  const lines: string[] = [];
  const emit = (text: string): void => {
    if (a.out === undefined) io.stdout(text);
    else lines.push(text);
  };
  const ordered =
    a.format === 'jsonl'
      ? jsonlInOrder(s.items, decoders, models, (r) => emit(imageLine(r.model, r.decoder, rowJson(r))))
      : undefined;
  let result;
  try {
    result = await evaluateFolder(args, plan, s, decoders, setup, io, ordered);
  } finally {
    await setup?.dispose();
  }
  const { report } = result;
  const skipped = skippedSamples(report.failed, io.cwd);
  const body = buildFolderReport({
    models,
    decoders,
    rows: rowsByModel(report.rows, models, decoders),
    skipped,
    unmatched: plan.unmatched.map((u) => ({ path: displayPath(u.path, io.cwd), reason: u.reason })),
    config: s.config,
  });
  const run = runRecord(
    a,
    f,
    s,
    decoders,
    setup,
    {
      started,
      samplesPerSecond: report.timings.samplesPerSecond,
      pooled: result.pooled,
    },
    io,
  );
  let text: string;
  if (a.format === 'jsonl') {
    for (const k of body.skipped) emit(toJson({ type: 'skipped', ...k }) + '\n');
    emit(summaryLine(run, body));
    text = lines.join('');
  } else text = a.format === 'json' ? folderJson(run, body) : folderCsv(body);
  if (a.out !== undefined) writeReport(a.out, text, io);
  else if (a.format !== 'jsonl') io.stdout(text);
  if (!skipped.length) return 0;
  io.stderr(`seglens eval: ${skipped.length} sample(s) failed and were skipped:\n`);
  for (const k of skipped.slice(0, 20)) io.stderr(`  ${k.id}: ${k.reason}\n`);
  if (skipped.length > 20)
    io.stderr(`  … and ${skipped.length - 20} more (listed under "skipped" in the report)\n`);
  return 1;
}
