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
import { parseShard, Shard } from '../../core/dataset/shard';
import { DecoderName } from '../../core/decoders/types';
import { aggregateDataset } from '../../core/metrics/aggregate';
import { flag, parseArgs } from '../args';
import { CliCommand, UsageError } from '../command';
import { parsePairs } from '../pairsFile';
import { checkOutput } from '../outputs';
import { at, displayPath, hashJson, toCsv, TOOL_VERSION, withIds, writeReport } from './evalOutput';
import { runFolderMode } from './evalFolderMode';
import {
  imageMetricsFromFiles,
  loadConfig,
  loadPalette,
  parseFileOptions,
  readJsonFile,
  toJson,
} from './metrics';

/** Decoders usable without extra parameters (topk needs k, tunedThreshold a tuned threshold). */
const EVAL_DECODERS: readonly DecoderName[] = ['threshold', 'argmax', 'rankdice', 'rankiou'];

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
