/**
 * `seglens metrics --gt GT --pred PRED [--prob P.npy] [--spacing sy,sx] [--config C.json] --json`
 * (docs/architecture.md §4): prints one IMAGE object exactly as in the metric fixtures' README.
 *
 * Also home of the helpers `seglens eval` shares: config files, spacing and the JSON writer that spells non-finite
 * numbers as "NaN" / "Infinity" (JSON has no such literals; spec §0.3). File loading is the one loader's
 * (src/node/io/load.ts); `readBytes`, `loadLabelFile`, `loadProbFile` and `loadPalette` here only adapt it to the
 * CLI's `io.cwd` and flag wording, and stay exported for `eval`.
 */
import { InputError, OptionError } from '../../core/errors';
import type { Palette } from '../../core/io/palette';
import { ProbLayout } from '../../core/io/probMap';
import { MetricsConfig, resolveMetricsConfig } from '../../core/metrics/config';
import { computeImageMetrics } from '../../core/metrics/imageMetrics';
import { macroDiceOverGtClasses } from '../../core/metrics/mean';
import { ImageMetrics } from '../../core/metrics/types';
import { readArrayFile } from '../../core/io/load';
import { normaliseLabelMap } from '../../core/io/labelMap';
import { LabelMap, ProbMap } from '../../core/types';
import { commonGeometry, formatSpacing } from '../../core/volume/compare';
import { VolumeGeometry, arraySpacing } from '../../core/volume/geometry';
import {
  loadLabelFile as loadLabelFileAt,
  loadPaletteFile,
  loadProbFile as loadProbFileAt,
  loadVolumeFile,
  readFileBytes,
  readJsonFile as readJsonFileAt,
  Volume,
  volumeFormatOf,
  volumeLabelMap,
  volumeProbMap,
} from '../../node/io/load';
import { flag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';

/** JSON with NaN / ±Infinity written as strings, as the fixtures and spec §0.3 require. */
export function toJson(value: unknown, indent?: number): string {
  // A replacer takes JSON.stringify off its fast path (a dataset report of a few MB took ~3× as long), so it is
  // used only when some number needs it; one walk over the value tells.
  if (!needsReplacer(value)) return JSON.stringify(value, undefined, indent);
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    indent,
  );
}

/**
 * Whether JSON.stringify would meet a non-finite number in `v` (as the replacer would see it). Objects with a
 * toJSON method answer true, so their output always goes through the replacer as before.
 */
function needsReplacer(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return false;
  if (ArrayBuffer.isView(v)) {
    if (!(v instanceof Float32Array || v instanceof Float64Array)) return false;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return true;
    return false;
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (needsReplacer(v[i])) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (needsReplacer(o[k])) return true;
  return false;
}

/** The bytes of a file, relative paths from the CLI's working directory (the one loader, src/node/io/load.ts). */
export function readBytes(path: string, io: CliIO): Uint8Array {
  return readFileBytes(path, { cwd: io.cwd });
}

/** Reads and parses a JSON file; unreadable files and invalid JSON are InputErrors naming the file. */
export function readJsonFile(path: string, io: CliIO): unknown {
  return readJsonFileAt(path, { cwd: io.cwd });
}

/** Reads a --config file: the README's `config` keys, unknown keys rejected. */
export function loadConfig(path: string | undefined, io: CliIO): MetricsConfig {
  if (path === undefined) return resolveMetricsConfig({});
  const parsed = readJsonFile(path, io);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError('a config file must hold a JSON object of metric settings', path);
  }
  try {
    return resolveMetricsConfig(parsed as Record<string, unknown>);
  } catch (e) {
    if (e instanceof OptionError) throw new InputError(e.message, path);
    throw e;
  }
}

/**
 * The pixel spacings the distance metrics can use. Squared physical distances (and the image's diagonal, which
 * sizes the boundary band) must stay finite and above float underflow: a spacing of 1e308 made the band infinite
 * and the band stamping loop forever; 1e-300 squares to 0. A voxel size between a nanometre and a thousand
 * kilometres (in mm, or a micrometre and 1e9 µm) covers every real scan with room to spare.
 */
export const SPACING_RANGE = { min: 1e-9, max: 1e9 } as const;

function spacingInRange(v: number): boolean {
  return Number.isFinite(v) && v >= SPACING_RANGE.min && v <= SPACING_RANGE.max;
}

/** Parses "sy,sx" (or a JSON-style list) into a spacing; undefined when not given. */
export function parseSpacing(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.replace(/[[\]\s]/g, '').split(',');
  const values = parts.map(Number);
  if (parts.some((p) => p === '') || values.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new UsageError(
      `--spacing must be positive numbers separated by commas (e.g. 0.5,1), got '${text}'`,
    );
  }
  if (!values.every(spacingInRange)) {
    throw new UsageError(
      `--spacing values must lie between ${SPACING_RANGE.min} and ${SPACING_RANGE.max} (distances would overflow or vanish), got '${text}'`,
    );
  }
  return values;
}

export interface FileOptions {
  layout?: ProbLayout;
  logits?: 'error' | 'sigmoid' | 'softmax';
  /** Colours of the classes, for RGB colour masks. */
  palette?: Palette;
}

/** A label map through the one loader (src/node/io/load.ts). */
export function loadLabelFile(path: string, io: CliIO, palette?: Palette): LabelMap {
  return loadLabelFileAt(path, { cwd: io.cwd, palette });
}

/** Reads a --palette file (see core/io/palette.ts for the accepted forms). */
export function loadPalette(path: string | undefined, io: CliIO): Palette | undefined {
  return path === undefined ? undefined : loadPaletteFile(path, { cwd: io.cwd });
}

/**
 * A probability map through the one loader; `spatial` (the label map's shape) lets the layout be matched instead of
 * guessed. The logits refusal names the CLI flag that converts.
 */
export function loadProbFile(
  path: string,
  io: CliIO,
  config: MetricsConfig,
  opt: FileOptions = {},
  spatial?: readonly number[],
): ProbMap {
  try {
    return loadProbFileAt(path, {
      cwd: io.cwd,
      numClasses: config.numClasses,
      layout: opt.layout,
      logits: opt.logits,
      spatial,
    });
  } catch (e) {
    // The core names the conversion; on the command line the user needs the flag that applies it.
    if (e instanceof InputError && /look like logits/.test(e.message)) {
      throw new InputError(
        `${e.message.slice(path.length + 2)} (--logits sigmoid or --logits softmax)`,
        path,
      );
    }
    throw e;
  }
}

const LAYOUTS: readonly string[] = ['HW', 'CHW', 'HWC', 'NCHW', 'NHWC'];

export function parseFileOptions(layout: string | undefined, logits: string | undefined): FileOptions {
  if (layout !== undefined && !LAYOUTS.includes(layout)) {
    throw new UsageError(`--prob-layout must be one of ${LAYOUTS.join(', ')}, got '${layout}'`);
  }
  if (logits !== undefined && logits !== 'sigmoid' && logits !== 'softmax') {
    throw new UsageError(`--logits must be sigmoid or softmax, got '${logits}'`);
  }
  return { layout: layout as ProbLayout | undefined, logits: logits as FileOptions['logits'] };
}

/** A label map with the geometry of its header when the file is a volume (NIfTI, NRRD, MetaImage). */
export function loadLabelSource(
  path: string,
  io: CliIO,
  palette?: Palette,
): { map: LabelMap; source: string; geometry?: VolumeGeometry } {
  const bytes = readBytes(path, io);
  if (!volumeFormatOf(bytes)) {
    const read = readArrayFile(bytes, { source: path });
    // `seglens decode` writes a 2-D image's mask as [1, 1, H, W] (batch and class of one): the singleton axes are
    // dropped so run → decode → metrics chains beside a 2-D PNG ground truth.
    if (!('width' in read) && read.shape.length === 4 && read.shape[0] === 1 && read.shape[1] === 1) {
      const shape = read.shape.slice(2);
      io.stderr(`note: ${path}: [${read.shape.join(', ')}] read as a 2-D mask [${shape.join(', ')}]\n`);
      return { map: normaliseLabelMap({ ...read, shape }, { source: path, palette }), source: path };
    }
    return { map: normaliseLabelMap(read, { source: path, palette }), source: path };
  }
  const v = loadVolumeFile(path, { cwd: io.cwd, bytes });
  return { map: volumeLabelMap(v), source: path, geometry: v.geometry };
}

/** `map` without its leading singleton axis when that makes it the 2-D shape of `other`; else `map` itself. */
function squeezedTo(map: LabelMap, other: LabelMap, path: string, io: CliIO): LabelMap {
  const s = map.shape;
  const o = other.shape;
  if (s.length === 3 && o.length === 2 && s[0] === 1 && s[1] === o[0] && s[2] === o[1]) {
    io.stderr(`note: ${path}: [${s.join(', ')}] read as a 2-D mask [${o.join(', ')}], like its partner\n`);
    return { ...map, shape: [s[1], s[2]] };
  }
  return map;
}

/**
 * The spacing of a scored set: from the volume headers, after checking that every volume is on the same grid
 * (shape, spacing, direction, origin: GeometryMismatchError, exit 2); `--spacing` only for raw arrays. Inputs
 * without a header (an nnU-Net .npz next to its NIfTI) take the header's geometry, their shape checked by the
 * metrics.
 */
export function spacingOf(
  inputs: readonly { source: string; geometry?: VolumeGeometry }[],
  explicit: number[] | undefined,
): number[] | undefined {
  const grid = commonGeometry(inputs);
  if (!grid) {
    // A pairs file's "spacing" arrives here without passing parseSpacing.
    if (explicit !== undefined && !explicit.every(spacingInRange))
      throw new InputError(
        `spacing [${explicit.join(', ')}] is outside ${SPACING_RANGE.min}…${SPACING_RANGE.max} per axis (distances would overflow or vanish)`,
        inputs[0]?.source ?? 'spacing',
      );
    return explicit;
  }
  if (explicit !== undefined) {
    throw new UsageError(
      `--spacing is for raw arrays: ${grid.source} gives its spacing in its header (${formatSpacing(grid.geometry)})`,
    );
  }
  const spacing = arraySpacing(grid.geometry);
  if (!spacing.every(spacingInRange))
    throw new InputError(
      `the header's voxel spacing (${formatSpacing(grid.geometry)}) is outside ${SPACING_RANGE.min}…${SPACING_RANGE.max} per axis; distance metrics cannot use it`,
      grid.source,
    );
  return spacing;
}

/** Computes one image's metrics from file paths (the shared core of `metrics` and `eval --pairs`). */
export function imageMetricsFromFiles(
  files: { gt: string; pred: string; prob?: string; spacing?: number[] },
  config: MetricsConfig,
  io: CliIO,
  opt: FileOptions = {},
): ImageMetrics {
  const gtFile = loadLabelSource(files.gt, io, opt.palette);
  const predFile = loadLabelSource(files.pred, io, opt.palette);
  // A [1, H, W] array beside a 2-D [H, W] map is one image with a singleton batch or class axis, not a volume.
  const gt = squeezedTo(gtFile.map, predFile.map, files.gt, io);
  const pred = squeezedTo(predFile.map, gtFile.map, files.pred, io);
  const inputs = [gtFile, predFile];
  let prob: ProbMap | undefined;
  let probVolume: Volume | undefined;
  if (files.prob !== undefined) {
    const bytes = readBytes(files.prob, io);
    if (volumeFormatOf(bytes)) {
      probVolume = loadVolumeFile(files.prob, { cwd: io.cwd, bytes });
      inputs.push({ map: gt, source: files.prob, geometry: probVolume.geometry });
    } else {
      prob = loadProbFile(files.prob, io, config, opt, gt.shape);
    }
  }
  // The grid is checked before the probability volume's values, so a wrong file is named for what is wrong first.
  const spacing = spacingOf(inputs, files.spacing);
  if (probVolume) prob = volumeProbMap(probVolume);
  return computeImageMetrics(gt, pred, {
    prob,
    spacing,
    config,
    sources: { gt: files.gt, pred: files.pred, prob: files.prob },
  });
}

/** A short human summary of one image (without --json); the JSON holds everything. */
export function describeImage(m: ImageMetrics): string {
  const f = (x: number): string => (Number.isNaN(x) ? 'n/a' : Number.isFinite(x) ? x.toFixed(4) : String(x));
  const lines = [`pixel accuracy (incl. background): ${f(m.pixelAccuracy)}`];
  if (m.ignoredPixels) lines.push(`ignored pixels (GT ignore label): ${m.ignoredPixels}`);
  for (const [c, r] of Object.entries(m.perClass)) {
    const o = r.overlap;
    const s = r.surface;
    const conn = Object.keys(r.objects).includes('8') ? '8' : (Object.keys(r.objects).pop() ?? '');
    const obj = r.objects[conn];
    lines.push(
      `class ${c} [${r.emptyCase}]: Dice ${f(o.dice)}  IoU ${f(o.iou)}  precision ${f(o.precision)}  ` +
        `recall ${f(o.recall)}  HD95 ${f(s.hd95)}  ASSD ${f(s.assd)}  NSD ${f(s.nsd)}` +
        (obj ? `  objects ${obj.tp}/${obj.nGt} found, ${obj.fp} spurious` : ''),
    );
    const cal = m.calibration?.perClass[c];
    if (cal) lines.push(`  calibration: ECE ${f(cal.ece)}  MCE ${f(cal.mce)}  Brier ${f(cal.brier)}`);
  }
  const macro = m.macroPresentClasses;
  // The one macro (docs/metrics.md, "Macro: one definition"); the GT-only mean appears only under its own label.
  const inGt = macroDiceOverGtClasses(Object.values(m.perClass).map((r) => r.counts));
  lines.push(
    `macro over present classes [${macro.classes.join(', ')}]: Dice ${f(macro.metrics.dice.value)}` +
      (Math.abs(inGt - macro.metrics.dice.value) > 1e-12
        ? ` (over the classes in the ground truth only: ${f(inGt)})`
        : ''),
  );
  return lines.join('\n') + '\n';
}

export const metricsCommand: CliCommand = {
  name: 'metrics',
  summary: 'every segmentation metric of one image (IMAGE JSON of the metric spec)',
  usage: `Usage: seglens metrics --gt GT --pred PRED [--prob P.npy] [--spacing sy,sx] [--config C.json] [--json]

  --gt, --pred      label maps (.png, .npy, .npz, or volumes: .nii/.nii.gz, .nrrd/.seg.nrrd, .mha/.mhd);
                    0/255 masks are read as 0/1
  --prob            probability map (.npy/.npz): [H,W], [C,H,W], [H,W,C] or [1,C,H,W]; or a probability
                    volume (3-D: foreground; 4-D: one volume per class); an nnU-Net .npz [C,z,y,x]
  --prob-layout     override the detected layout: HW, CHW, HWC, NCHW, NHWC
  --logits          convert logits explicitly: sigmoid or softmax
  --palette         JSON palette for RGB colour masks: [[r,g,b], ...], ["#rrggbb", ...] or a labels.json
                    {"classes": [{"index", "color"}]}
  --spacing         pixel spacing in array-axis order (rows, columns), default 1,1; raw arrays only:
                    volumes take spacing from their headers and must share one grid (docs/volumes.md)
  --config          JSON object of metric settings (numClasses, includeBackground, bothEmpty, connectivity,
                    nsdTolerance, eceBins, sweepSteps, ...); see docs/metrics.md
  --json            print the IMAGE object (non-finite numbers as "NaN" / "Infinity")
`,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['gt', 'pred', 'prob', 'spacing', 'config', 'prob-layout', 'logits', 'palette'],
      booleans: ['json'],
    });
    if (args.positionals.length) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const config = loadConfig(flag(args, 'config'), io);
    const m = imageMetricsFromFiles(
      {
        gt: requireFlag(args, 'gt'),
        pred: requireFlag(args, 'pred'),
        prob: flag(args, 'prob'),
        spacing: parseSpacing(flag(args, 'spacing')),
      },
      config,
      io,
      {
        ...parseFileOptions(flag(args, 'prob-layout'), flag(args, 'logits')),
        palette: loadPalette(flag(args, 'palette'), io),
      },
    );
    io.stdout(args.booleans.has('json') ? toJson(m) + '\n' : describeImage(m));
    return 0;
  },
};
