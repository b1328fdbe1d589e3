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

/** The config as the user would write it, its source, and what was inferred, for the confirmation dialog. */
export function describeConfig(r: InspectResult): string {
  const lines: string[] = [];
  lines.push(
    r.configSource ? `Config from ${r.configSource}:` : 'No config written for this model; inferred:',
  );
  lines.push(JSON.stringify(configToJson(r.config), null, 1).replace(/\n\s*/g, ' '));
  const inputs = r.info.inputs.map(tensorText).join(', ');
  const outputs = r.info.outputs.map(tensorText).join(', ');
  lines.push(`Inputs: ${inputs}. Outputs: ${outputs}.`);
  if (r.notes.length > 0) {
    lines.push('Inferred, please check:');
    for (const n of r.notes) lines.push(`• ${n}`);
  }
  return lines.join('\n');
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
