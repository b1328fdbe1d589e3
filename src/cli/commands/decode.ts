/**
 * `seglens decode` (docs/architecture.md §4): decodes a probability map (.npy) with one of the decoders and writes the
 * mask (.npy: multilabel uint8 [B,C,H,W], multiclass int32 [B,H,W]); a probability volume (NIfTI/NRRD/MetaImage)
 * is decoded whole and its mask can be written as NIfTI on the same grid (docs/volumes.md). With --json, stdout holds
 * {"decoder","solver","shape","elapsedMs","selectMs","evaluateMs","images":[{"classes":[{"k","expectedDice",…}]}],…}:
 * selectMs is choosing the mask, evaluateMs its exact expected Dice/IoU (null with --no-expected, which skips
 * that evaluation), elapsedMs their sum (no file I/O).
 */
import { writeAtomically } from '../../node/fs/atomicWrite';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../../core/errors';
import { readNpy, writeNpy } from '../../core/io/npy';
import { toFloat32 } from '../../core/ndarray';
import {
  DECODERS,
  DECODER_CLI_ALIASES,
  DECODER_CLI_NAMES,
  EMPTY_CONVENTIONS,
  INPUT_TRANSFORMS,
  OUTPUT_MODES,
  SOLVER_NAMES,
  UNASSIGNED_POLICIES,
  decode,
} from '../../core/decoders';
import { DecodeOptions, DecodeResult, DecodeTimings } from '../../core/decoders/types';
import { flag, numberFlag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import { loadVolumeFile, readFileBytes, volumeFormatOf } from '../../node/io/load';
import { volumeChannels } from '../../node/io/volume/maps';
import type { Volume } from '../../node/io/volume/types';
import { writeNifti } from '../../node/io/volume/writeNifti';
import { formatDims, formatSpacing } from '../../core/volume/compare';
import { toJson } from './metrics';
import { checkOutput } from '../outputs';
import { labelsToPng } from '../../core/viewmodel/exportFormats';

/** `--decoder` values, derived from the decoder registry: each row's name, CLI name and aliases. */
export const DECODER_FLAG_VALUES: readonly string[] = [...DECODER_CLI_ALIASES.keys()];

/** The usage text's list of decoders, one line per registry row: CLI name and description. */
function decoderList(): string {
  const width = Math.max(...DECODER_CLI_NAMES.map((n) => n.length));
  return DECODERS.map((d) => `  ${d.cliName.padEnd(width)}  ${d.description}`).join('\n');
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  }
  return value as T;
}

/** The --json document: docs/architecture.md §4 keys first, then extras (notes, outputMode, per-class details). */
export function decodeJson(r: DecodeResult, t: DecodeTimings): unknown {
  const ms = (v: number) => Math.round(v * 1000) / 1000;
  return {
    decoder: r.decoder,
    solver: r.solver,
    shape: r.shape,
    elapsedMs: ms(t.selectMs + (t.evaluateMs ?? 0)),
    images: r.images.map((im) => ({
      classes: im.classes.map((c) => ({
        k: c.k,
        expectedDice: c.expectedDice,
        expectedIoU: c.expectedIoU,
        cutoffProb: c.cutoffProb,
        pruned: c.pruned,
        solver: c.solver,
      })),
    })),
    selectMs: ms(t.selectMs),
    evaluateMs: t.evaluateMs === null ? null : ms(t.evaluateMs),
    meanExpectedDice: r.meanExpectedDice,
    meanExpectedIoU: r.meanExpectedIoU,
    outputMode: r.outputMode,
    outputShape: r.mask.shape,
    smooth: r.smooth,
    emptyConvention: r.emptyConvention,
    notes: r.notes,
  };
}

export const decodeCommand: CliCommand = {
  name: 'decode',
  summary: `decode a probability map (.npy or a volume) into masks: ${DECODER_CLI_NAMES.join(', ')}`,
  usage: `Usage: seglens decode --input P.npy --decoder ${DECODER_CLI_NAMES.join('|')}
         [--solver ${SOLVER_NAMES.join('|')}] [--output-mode ${OUTPUT_MODES.join('|')}] [--smooth S]
         [--pruning-prob Q] [--threshold T] [--k K] [--eps E] [--empty-convention ${EMPTY_CONVENTIONS.join('|')}]
         [--unassigned-policy ${UNASSIGNED_POLICIES.join('|')}] [--void-index V] [--transform sigmoid|softmax]
         [--output M.npy|M.png|M.nii.gz] [--per-slice] [--force] [--no-expected] [--json]

Decoders:
${decoderList()}

Input: .npy of any numeric dtype, shape [H,W], [C,H,W] or [B,C,...spatial], values in [0,1]
(logits are refused unless --transform sigmoid|softmax is given); or a probability volume
(.nii/.nii.gz, .nrrd, .mha/.mhd: 3-D = foreground probability, 4-D = one volume per class),
decoded whole per class; with --per-slice each slice along the file's third axis (k) is decoded on its own (the
report's image b is slice b).
Output: multilabel uint8 [B,C,...] 0/1, or multiclass int32 [B,...]; for a volume input, --output
M.nii.gz writes the mask on the input's grid (multiclass: one label volume; multilabel: C volumes).
--output M.png writes one 2-D image's mask as a PNG (multiclass: class indices; one-class multilabel:
0/255). The output is never written over the input, and an existing file is replaced only with --force.
Defaults: rankdice/rankiou use the exact solver where it is fast enough, else rma (a note says so);
pruning off (--pruning-prob 0.5 reproduces the rankseg package); smooth 0; conv0; output mode
multilabel (multiclass for argmax). --no-expected skips the exact expected Dice/IoU of the returned
masks (reported as null). --json reports selectMs (choosing the masks), evaluateMs (their expected
Dice/IoU) and elapsedMs (the sum). See docs/decoders.md.`,

  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      values: [
        'input',
        'decoder',
        'solver',
        'output-mode',
        'smooth',
        'pruning-prob',
        'threshold',
        'k',
        'eps',
        'empty-convention',
        'unassigned-policy',
        'void-index',
        'transform',
        'output',
      ],
      booleans: ['json', 'no-expected', 'force', 'per-slice'],
    });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const input = requireFlag(args, 'input');
    const decoderName = requireFlag(args, 'decoder');
    const decoder = DECODER_CLI_ALIASES.get(decoderName);
    if (!decoder)
      throw new UsageError(
        `--decoder must be one of ${DECODER_FLAG_VALUES.join(', ')}, got '${decoderName}'`,
      );
    const k = numberFlag(args, 'k');
    if (k !== undefined && (!Number.isInteger(k) || k < 0))
      throw new UsageError(`--k must be a non-negative integer, got ${k}`);
    const options: DecodeOptions = {
      decoder,
      solver: oneOf('solver', flag(args, 'solver'), SOLVER_NAMES),
      outputMode: oneOf('output-mode', flag(args, 'output-mode'), OUTPUT_MODES),
      smooth: numberFlag(args, 'smooth'),
      pruningProb: numberFlag(args, 'pruning-prob'),
      threshold: numberFlag(args, 'threshold'),
      k,
      eps: numberFlag(args, 'eps'),
      emptyConvention: oneOf('empty-convention', flag(args, 'empty-convention'), EMPTY_CONVENTIONS),
      unassignedPolicy: oneOf('unassigned-policy', flag(args, 'unassigned-policy'), UNASSIGNED_POLICIES),
      voidIndex: numberFlag(args, 'void-index'),
      transform: oneOf('transform', flag(args, 'transform'), INPUT_TRANSFORMS),
      evaluate: !args.booleans.has('no-expected'),
    };

    const output = flag(args, 'output');
    const niftiOut = output !== undefined && /\.nii(\.gz)?$/i.test(output);
    const pngOut = output !== undefined && /\.png$/i.test(output);
    const at = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
    if (output !== undefined) {
      // Checked before any work, as for run/eval/merge: never over the input, an existing file only with --force.
      checkOutput(at(output), { inputs: [at(input)], force: args.booleans.has('force'), what: 'the mask' });
      if (!niftiOut && !pngOut && !/\.npy$/i.test(output)) {
        throw new InputError(
          `decode writes a mask as .npy, .png (one 2-D image) or .nii/.nii.gz (a volume input); ` +
            `"${extname(output) || output}" would hold NPY bytes under another format's name`,
          output,
        );
      }
    }
    const inputBytes = readFileBytes(input, { cwd: io.cwd });
    // A probability volume (NIfTI/NRRD/MetaImage) is decoded whole, per class, as one image [1, C, k, j, i].
    let volume: Volume | undefined;
    let input_: { data: Float32Array | Float64Array; shape: readonly number[] };
    const perSlice = args.booleans.has('per-slice');
    if (volumeFormatOf(inputBytes)) {
      volume = loadVolumeFile(input, { cwd: io.cwd, bytes: inputBytes });
      const ch = volumeChannels(volume);
      // --per-slice: the slices along the file's third axis (k) become a batch of 2-D images [K, C, J, I], so every
      // decoder chooses per slice (RankDice its own k per slice and class) instead of over the whole volume.
      input_ = perSlice
        ? {
            data: swapLeadingAxes(ch.data, ch.shape[0], ch.shape[1]),
            shape: [ch.shape[1], ch.shape[0], ...ch.shape.slice(2)],
          }
        : { data: ch.data, shape: [1, ...ch.shape] };
    } else {
      if (perSlice)
        throw new UsageError(
          '--per-slice needs a volume --input (a .npy batch is decoded per image already)',
        );
      if (niftiOut)
        throw new UsageError('a .nii/.nii.gz --output needs a volume --input (its grid is written)');
      const arr = readNpy(inputBytes, { source: input });
      input_ = { data: arr.data instanceof Float64Array ? arr.data : toFloat32(arr), shape: arr.shape };
    }
    // Softmax over a single channel is 1 at every pixel: the "map" would select everything with E[Dice] = 1.
    // One-channel logits want a sigmoid; refuse rather than report a perfect score for a wiring mistake.
    if (options.transform === 'softmax' && input_.shape.length >= 2) {
      const channels =
        input_.shape.length === 2 ? 1 : input_.shape.length === 3 ? input_.shape[0] : input_.shape[1];
      if (channels === 1)
        throw new InputError(
          `--transform softmax over a single channel (shape [${input_.shape.join(', ')}]) gives probability 1 at ` +
            'every pixel; one-channel logits need --transform sigmoid',
          input,
        );
    }
    let timings: DecodeTimings = { selectMs: 0, evaluateMs: null };
    let result: DecodeResult;
    try {
      result = decode(input_, { ...options, onTimings: (t) => (timings = t) });
    } catch (e) {
      // Core errors about the data name the input file so the message says which file is wrong.
      if (e instanceof InputError && e.source !== input) throw new InputError(e.message, input);
      throw e;
    }

    // Only decoders that take k (topk) read it; the others (rankdice chooses its own k per image) would ignore it.
    const row = DECODERS.find((d) => d.name === decoder);
    if (k !== undefined && !row?.requires.includes('k'))
      result.notes.push(`--k ${k} ignored: ${decoderName} does not take k (it is for topk)`);
    if (volume) {
      const g = volume.geometry;
      const slices = input_.shape[0];
      result.notes.unshift(
        `volume ${formatDims(g)} at ${formatSpacing(g)} (${volume.channels} channel${volume.channels > 1 ? 's' : ''}) ` +
          (perSlice
            ? `decoded per slice: image b is slice k = b of the file's third axis (${slices} slices), each class decoded within its slice`
            : 'decoded whole, per class over the volume'),
        ...volume.notes,
      );
      // Back to the volume's layout for the NIfTI: multilabel [K, C, J, I] → [C, K, J, I]; multiclass [K, J, I] is it.
      if (perSlice && result.mask.kind === 'multilabel') {
        const [K, C] = result.mask.shape;
        result = { ...result, mask: { ...result.mask, data: swapLeadingAxes(result.mask.data, K, C) } };
      }
    }
    if (output !== undefined) {
      const mask = result.mask;
      const bytes = niftiOut
        ? maskAsNifti(mask, volume as Volume, /\.gz$/i.test(output))
        : pngOut
          ? maskAsPng(mask, output, result.notes)
          : mask.kind === 'multilabel'
            ? writeNpy({ dtype: 'uint8', shape: mask.shape, data: mask.data })
            : writeNpy({ dtype: 'int32', shape: mask.shape, data: mask.data });
      writeAtomically(at(output), bytes, { what: 'the mask' });
    }

    if (args.booleans.has('json')) {
      io.stdout(toJson(decodeJson(result, timings)) + '\n');
    } else {
      io.stdout(humanSummary(result, timings, output));
    }
    for (const n of result.notes) if (!args.booleans.has('json')) io.stderr(`note: ${n}\n`);
    return 0;
  },
};

/**
 * One 2-D image's mask as a PNG: a multiclass mask as its class indices (8-bit, or 16-bit above 255), a binary
 * multilabel mask (one class) as 0/255 so it is visible in any viewer — SegLens reads a 0/255 mask back as 0/1.
 * Anything else (a batch, several classes that may overlap, a volume) has no faithful PNG and is refused.
 */
function maskAsPng(mask: DecodeResult['mask'], output: string, notes: string[]): Uint8Array {
  const shape = mask.shape;
  const spatial = mask.kind === 'multilabel' ? shape.slice(2) : shape.slice(1);
  if (shape[0] !== 1 || spatial.length !== 2) {
    throw new InputError(
      `a PNG holds one 2-D mask, but this one is [${shape.join(', ')}] (${mask.kind}); write .npy instead`,
      output,
    );
  }
  const [h, w] = spatial;
  if (mask.kind === 'multilabel') {
    if (shape[1] !== 1) {
      throw new InputError(
        `a PNG holds one label per pixel, but this multilabel mask has ${shape[1]} classes that may overlap; ` +
          'pass --output-mode multiclass, or write .npy',
        output,
      );
    }
    const grey = new Uint8Array(h * w);
    for (let i = 0; i < grey.length; i++) grey[i] = mask.data[i] ? 255 : 0;
    notes.push(`${basename(output)}: foreground written as 255, background 0 (SegLens reads it back as 1/0)`);
    return labelsToPng(grey, w, h);
  }
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] < 0 || mask.data[i] > 65535) {
      throw new InputError(
        `class index ${mask.data[i]} does not fit a 16-bit PNG; write .npy instead`,
        output,
      );
    }
  }
  return labelsToPng(mask.data, w, h);
}

/**
 * [A, B, rest…] → [B, A, rest…] in C order (a copy): element (a, b, p) moves to (b, a, p). Used both ways between a
 * volume's channels-first layout [C, K, J, I] and a batch of its slices [K, C, J, I].
 */
function swapLeadingAxes<T extends Float32Array | Float64Array | Uint8Array | Int32Array>(
  data: T,
  A: number,
  B: number,
): T {
  const P = data.length / (A * B);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let a = 0; a < A; a++)
    for (let b = 0; b < B; b++) out.set(data.subarray((a * B + b) * P, (a * B + b + 1) * P), (b * A + a) * P);
  return out;
}

/** The mask on the probability volume's grid: multiclass labels as one volume, multilabel masks one per class. */
function maskAsNifti(mask: DecodeResult['mask'], volume: Volume, gzip: boolean): Uint8Array {
  if (mask.kind === 'multilabel') {
    return writeNifti(mask.data, volume.geometry, { volumes: mask.shape[1], gzip });
  }
  let max = 0;
  for (const x of mask.data) if (x > max) max = x;
  const data = max < 256 ? Uint8Array.from(mask.data) : mask.data;
  return writeNifti(data, volume.geometry, { gzip });
}

function humanSummary(r: DecodeResult, t: DecodeTimings, output: string | undefined): string {
  const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  const ms = t.selectMs + (t.evaluateMs ?? 0);
  const split =
    t.evaluateMs === null
      ? 'expected scores skipped'
      : `select ${t.selectMs.toFixed(1)} + evaluate ${t.evaluateMs.toFixed(1)}`;
  const lines = [
    `${r.decoder}${r.solver ? ` (${r.solver})` : ''} on [${r.shape.join(', ')}] in ${ms.toFixed(1)} ms (${split}), ${r.outputMode}`,
  ];
  r.images.forEach((im, b) =>
    im.classes.forEach((c, ci) =>
      lines.push(
        `  image ${b} class ${ci}: k = ${c.k}${c.pruned ? ' (pruned)' : ''}, E[Dice] = ${fmt(c.expectedDice)}, E[IoU] = ${fmt(c.expectedIoU)}`,
      ),
    ),
  );
  if (output) lines.push(`mask written to ${output}`);
  return lines.join('\n') + '\n';
}
