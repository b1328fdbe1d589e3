/**
 * Running a model over many images: the output plan (one `<stem>.npy` per input in the chosen folder), and the
 * sequential run with progress, cancellation between images, and per-image failures that do not stop the rest.
 *
 * The plan is separate so the command can show it and ask before anything is written (existing files are only
 * replaced when the caller says so).
 */
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { writeAtomically } from '../fs/atomicWrite';
import { basename, extname, join } from 'node:path';
import { CancelledError, InputError, errorMessage } from '../../core/errors';
import { writeNpy } from '../../core/io/npy';
import { loadImageFile as loadModelImage } from '../io/load';
import { ConfigChoice, ModelRunner } from './runner';

export interface PlannedOutput {
  input: string;
  output: string;
  /** The output file exists already. */
  exists: boolean;
}

/** What to do with an output file that exists already. */
export type ExistingPolicy = 'skip' | 'overwrite';

export type FolderItemStatus = 'written' | 'skipped' | 'failed';

export interface FolderProgress {
  /** Images handled so far, including this one. */
  done: number;
  total: number;
  input: string;
  output: string;
  status: FolderItemStatus;
  /** For failures: the message (names the image or the model). */
  error?: string;
  /** For written maps: model time of this image. */
  runMs?: number;
  /** For written maps: the run's notes (the model's, then this image's: EXIF orientation, scale, …). */
  notes?: string[];
  /** For written maps: the map's shape [C, H, W]. */
  shape?: number[];
}

export interface FolderRunSummary {
  total: number;
  written: number;
  skipped: number;
  failed: number;
  /** Every failure, in order. */
  failures: { input: string; error: string }[];
}

/**
 * Maps each input to `<outputDir>/<stem>.npy`. Two inputs with one stem (a.png and a.jpg) would overwrite each
 * other's map, so that is refused up front, naming both.
 */
export function planFolderOutputs(inputs: readonly string[], outputDir: string): PlannedOutput[] {
  const byOutput = new Map<string, string>();
  return inputs.map((input) => {
    const name = basename(input);
    const output = join(outputDir, `${name.slice(0, name.length - extname(name).length)}.npy`);
    const other = byOutput.get(output);
    if (other !== undefined) {
      throw new InputError(`${other} and ${input} would both be written to ${basename(output)}`, outputDir);
    }
    byOutput.set(output, input);
    return { input, output, exists: existsSync(output) };
  });
}

export interface FolderRunOptions {
  choice?: ConfigChoice;
  existing?: ExistingPolicy;
  onProgress?: (p: FolderProgress) => void;
  /** Checked between images; when it returns true the run stops with CancelledError. */
  isCancelled?: () => boolean;
  /** Pixel limit of each image. @default DEFAULT_MAX_PIXELS */
  maxPixels?: number;
  /** How the user lifts that limit, named in the refusal. @default the VS Code setting */
  limitHint?: string;
}

/** Runs `modelPath` on every planned input. A model that cannot load fails the whole run before any write. */
export async function runModelOnFolder(
  runner: ModelRunner,
  modelPath: string,
  plan: readonly PlannedOutput[],
  options: FolderRunOptions = {},
): Promise<FolderRunSummary> {
  const choice = options.choice ?? {};
  await runner.inspect(modelPath, choice);
  const summary: FolderRunSummary = { total: plan.length, written: 0, skipped: 0, failed: 0, failures: [] };
  for (let i = 0; i < plan.length; i++) {
    if (options.isCancelled?.()) throw new CancelledError();
    const { input, output } = plan[i];
    const report = (status: FolderItemStatus, extra: Partial<FolderProgress> = {}) =>
      options.onProgress?.({ done: i + 1, total: plan.length, input, output, status, ...extra });
    if (options.existing !== 'overwrite' && existsSync(output)) {
      summary.skipped++;
      report('skipped');
      continue;
    }
    try {
      const image = await loadModelImage(input, options.maxPixels, { limitHint: options.limitHint });
      const result = await runner.run(modelPath, image, input, choice);
      writeAtomically(
        output,
        writeNpy({ dtype: 'float32', shape: result.prob.shape, data: result.prob.data }),
        { what: 'the probability map' },
      );
      summary.written++;
      report('written', {
        runMs: result.timings.runMs,
        notes: result.notes,
        shape: [...result.prob.shape],
      });
      if (i < plan.length - 1) collectGarbage();
    } catch (e) {
      const error = errorMessage(e);
      summary.failed++;
      summary.failures.push({ input, error });
      report('failed', { error });
    }
  }
  return summary;
}

let gc: (() => void) | null | undefined;

/**
 * A full garbage collection between images of a folder run (issue 13). Each image leaves its input tensor,
 * probability map and .npy buffer (tens of MB at 1024²) as garbage that V8 collects only once enough has piled
 * up, so without this a folder run peaked 1.25× a single run (docs/performance.md); with it, 1.16×. A full
 * collection costs a few ms against a model run of hundreds. `gc` is V8's own function, exposed by its flag;
 * when that is unavailable the run simply goes on without it.
 */
function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
