/**
 * `seglens decode` (docs/architecture.md §4): decodes a probability map (.npy) with one of the decoders and writes the
 * mask (.npy: multilabel uint8 [B,C,H,W], multiclass int32 [B,H,W]). With --json, stdout holds
 * {"decoder","solver","shape","elapsedMs","images":[{"classes":[{"k","expectedDice","expectedIoU",…}]}],…}.
 */
import { writeAtomically } from '../../node/fs/atomicWrite';
import { isAbsolute, resolve } from 'node:path';
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
import { DecodeOptions, DecodeResult } from '../../core/decoders/types';
import { flag, numberFlag, parseArgs, requireFlag } from '../args';
import { CliCommand, CliIO, UsageError } from '../command';
import { readFileBytes } from '../../node/io/load';
import { toJson } from './metrics';

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
export function decodeJson(r: DecodeResult, elapsedMs: number): unknown {
  return {
    decoder: r.decoder,
    solver: r.solver,
    shape: r.shape,
    elapsedMs: Math.round(elapsedMs * 1000) / 1000,
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
  summary: `decode a probability map (.npy) into masks: ${DECODER_CLI_NAMES.join(', ')}`,
  usage: `Usage: seglens decode --input P.npy --decoder ${DECODER_CLI_NAMES.join('|')}
         [--solver ${SOLVER_NAMES.join('|')}] [--output-mode ${OUTPUT_MODES.join('|')}] [--smooth S]
         [--pruning-prob Q] [--threshold T] [--k K] [--eps E] [--empty-convention ${EMPTY_CONVENTIONS.join('|')}]
         [--unassigned-policy ${UNASSIGNED_POLICIES.join('|')}] [--void-index V] [--transform sigmoid|softmax]
         [--output M.npy] [--json]

Decoders:
${decoderList()}

Input: .npy of any numeric dtype, shape [H,W], [C,H,W] or [B,C,...spatial], values in [0,1]
(logits are refused unless --transform sigmoid|softmax is given).
Output: multilabel uint8 [B,C,...] 0/1, or multiclass int32 [B,...].
Defaults: rankdice/rankiou use the exact solver where it is fast enough, else rma (a note says so);
pruning off (--pruning-prob 0.5 reproduces the rankseg package); smooth 0; conv0; output mode
multilabel (multiclass for argmax). See docs/decoders.md.`,

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
      booleans: ['json'],
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
    };

    const arr = readNpy(readFileBytes(input, { cwd: io.cwd }), { source: input });
    const data = arr.data instanceof Float64Array ? arr.data : toFloat32(arr);
    const t0 = process.hrtime.bigint();
    let result: DecodeResult;
    try {
      result = decode({ data, shape: arr.shape }, options);
    } catch (e) {
      // Core errors about the data name the input file so the message says which file is wrong.
      if (e instanceof InputError && e.source !== input) throw new InputError(e.message, input);
      throw e;
    }
    const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;

    const output = flag(args, 'output');
    if (output !== undefined) {
      const mask = result.mask;
      const bytes =
        mask.kind === 'multilabel'
          ? writeNpy({ dtype: 'uint8', shape: mask.shape, data: mask.data })
          : writeNpy({ dtype: 'int32', shape: mask.shape, data: mask.data });
      const full = isAbsolute(output) ? output : resolve(io.cwd, output);
      writeAtomically(full, bytes, { what: 'the mask' });
    }

    if (args.booleans.has('json')) {
      io.stdout(toJson(decodeJson(result, elapsedMs)) + '\n');
    } else {
      io.stdout(humanSummary(result, elapsedMs, output));
    }
    for (const n of result.notes) if (!args.booleans.has('json')) io.stderr(`note: ${n}\n`);
    return 0;
  },
};

function humanSummary(r: DecodeResult, ms: number, output: string | undefined): string {
  const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  const lines = [
    `${r.decoder}${r.solver ? ` (${r.solver})` : ''} on [${r.shape.join(', ')}] in ${ms.toFixed(1)} ms, ${r.outputMode}`,
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
