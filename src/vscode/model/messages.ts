/**
 * The text of the model commands' notifications and dialogs, built from runner results. Pure, so the wording and
 * the counts in it are unit-tested.
 */
import { configToJson } from '../../core/model/config';
import type { FolderRunSummary, PlannedOutput } from '../../node/model/folderRun';
import type { TensorInfo } from '../../core/model/resolve';
import type { InspectResult } from '../../node/model/runner';

/** "unet_bce.onnx" from a path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function tensorText(t: TensorInfo): string {
  const dims = t.shape
    ? t.shape.map((d) => (typeof d === 'number' && d > 0 ? String(d) : '?')).join(', ')
    : '…';
  return `${t.name} [${dims}]`;
}

const COLOURS: Record<string, string> = {
  GRAY: 'greyscale (1 channel)',
  RGB: 'colour, RGB order',
  BGR: 'colour, BGR order',
};

const RESIZE: Record<string, string> = {
  stretch: 'stretched to',
  letterbox: 'letterboxed (aspect kept, borders padded) to',
  pad: 'padded to',
};

function numbers(v: readonly number[]): string {
  return v.map((x) => String(Number(x.toPrecision(6)))).join(', ');
}

/** The preprocessing in one sentence: size, resize, colour, scaling and normalisation. */
function preprocessSentence(c: InspectResult['config']): string {
  const multiple = c.size.kind === 'dynamic' ? c.size.multipleOf : 1;
  let size =
    c.resize === 'longest' || c.resize === 'shortest'
      ? `resized so its ${c.resize} side is ${c.sideLength} pixels, each side rounded to a multiple of ${multiple}`
      : c.size.kind === 'fixed'
        ? `${RESIZE[c.resize] ?? c.resize} ${c.size.width} × ${c.size.height} pixels`
        : c.resize === 'pad'
          ? `padded to a multiple of ${c.size.multipleOf} pixels`
          : `${RESIZE[c.resize] ?? c.resize} a multiple of ${c.size.multipleOf} pixels`;
  if (c.tile)
    size = `cut into ${c.tile[0]} × ${c.tile[1]} tiles when larger (overlap ${c.overlap}), each ${size}`;
  const range = c.inputRange ?? (c.inputType === 'uint8' ? 255 : 1);
  const scale =
    c.scale === undefined
      ? `values scaled to 0–${range} by their bit depth (full intensity of an 8-bit, 16-bit or float image → ${range})`
      : `values multiplied by ${Number(c.scale.toPrecision(6))}`;
  const plainNorm = c.mean.every((m) => m === 0) && c.std.every((v) => v === 1);
  const norm = plainNorm
    ? ''
    : `, then the mean ${numbers(c.mean)} subtracted and divided by ${numbers(c.std)}`;
  return `Each image is read as ${COLOURS[c.colorOrder] ?? c.colorOrder}, ${size}, ${scale}${norm}.`;
}

function activationSentence(activation: string): string {
  if (activation === 'sigmoid') return 'A sigmoid turns each output channel into probabilities.';
  if (activation === 'softmax')
    return 'A softmax over the channels turns the output into class probabilities.';
  return 'The output is used as probabilities as it is (no activation).';
}

/**
 * The model's config in plain sentences for the confirmation dialog: where it came from, what the model reads and
 * returns, how an image is prepared, and what was inferred. (The log keeps the JSON form for copying.)
 */
export function describeConfig(r: InspectResult): string {
  const c = r.config;
  const lines: string[] = [];
  lines.push(
    r.configSource
      ? `Settings from ${r.configSource}.`
      : 'No settings file for this model, so SegLens worked them out from the model itself.',
  );
  const input = r.info.inputs.find((t) => t.name === c.input);
  const output = r.info.outputs.find((t) => t.name === c.output);
  lines.push(
    `The model reads “${c.input}”${input ? ` ${shapeList(input)}` : ''} in ${c.layout} order and returns ` +
      `“${c.output}”${output ? ` ${shapeList(output)}` : ''}.`,
  );
  lines.push(preprocessSentence(c));
  lines.push(activationSentence(c.activation));
  if (c.classes?.length) lines.push(`Classes: ${c.classes.join(', ')}.`);
  if (r.notes.length > 0) {
    lines.push('', 'Worked out, please check:');
    for (const n of r.notes) lines.push(`• ${n}`);
  }
  return lines.join('\n');
}

/** "[1, 1, ?, ?]" — the tensor's shape with unknown sizes as "?". */
function shapeList(t: TensorInfo): string {
  return tensorText(t).slice(t.name.length + 1);
}

/** The config as JSON, for the log (copyable into a sidecar file). */
export function configJson(r: InspectResult): string {
  return JSON.stringify(configToJson(r.config), null, 1).replace(/\n\s*/g, ' ');
}

export interface PlanCounts {
  total: number;
  /** Outputs that do not exist yet. */
  fresh: number;
  /** Outputs that exist already (skipped or replaced, as the user chooses). */
  existing: number;
}

export function countPlan(plan: readonly PlannedOutput[]): PlanCounts {
  const existing = plan.filter((p) => p.exists).length;
  return { total: plan.length, fresh: plan.length - existing, existing };
}

export const SKIP_EXISTING = 'Skip Existing';
export const OVERWRITE_EXISTING = 'Overwrite Existing';

/** The confirmation before a folder run: what is read, what is written where, and the buttons to offer. */
export function folderConfirmation(
  model: string,
  inputFolder: string,
  outputFolder: string,
  counts: PlanCounts,
): { message: string; detail: string; actions: string[] } {
  const maps = (n: number) => `${n} probability map${n === 1 ? '' : 's'}`;
  const message = `Run ${model} on ${counts.total} image${counts.total === 1 ? '' : 's'} in ${inputFolder}?`;
  const parts = [`Writes ${maps(counts.total)} (.npy, float32 [C, H, W]) to ${outputFolder}:`];
  parts.push(`${counts.fresh} new file${counts.fresh === 1 ? '' : 's'}`);
  if (counts.existing > 0) {
    parts.push(
      `${counts.existing} existing file${counts.existing === 1 ? '' : 's'} — choose whether to skip or overwrite them`,
    );
  }
  const actions = counts.existing > 0 ? [SKIP_EXISTING, OVERWRITE_EXISTING] : [`Write ${maps(counts.fresh)}`];
  return { message, detail: parts.join('\n'), actions };
}

/** The closing notification of a folder run. */
export function folderSummaryText(
  model: string,
  outputFolder: string,
  s: FolderRunSummary,
  seconds: number,
): { severity: 'info' | 'warn'; message: string } {
  const text =
    `${model}: ${s.written} written, ${s.skipped} skipped (existing), ${s.failed} failed of ${s.total} ` +
    `in ${seconds.toFixed(1)} s → ${outputFolder}.`;
  if (s.failed === 0) return { severity: 'info', message: text };
  const first = s.failures[0];
  return {
    severity: 'warn',
    message: `${text} First failure: ${first.error}`,
  };
}

/** The note the viewer panel shows under the picture: which model produced the probability map. */
export function modelNote(
  model: string,
  image: string,
  configSource: string | undefined,
  ms: number,
): string {
  const config = configSource ? `config from ${baseName(configSource)}` : 'config inferred';
  return `Probability map produced by model ${model} on ${image} (${config}; ${ms.toFixed(0)} ms).`;
}
