/**
 * Checks every CLI output path before anything is computed: an output that is one of the command's own inputs is
 * refused (even with --force: `--output` naming the model or the image would destroy it), and an existing file is
 * replaced only when the user passed --force.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors';

/** The path a write would land on, following symlinks of the folder and of an existing file. */
function landing(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

export interface OutputCheck {
  /** The command's input files (what must never be written over). */
  inputs: readonly string[];
  /** The user passed --force. */
  force: boolean;
  /** What is written, for the message ("the probability map"). */
  what: string;
}

/** @throws InputError naming the output when it is an input, or exists and --force was not given. */
export function checkOutput(output: string, check: OutputCheck): void {
  const target = landing(output);
  for (const input of check.inputs) {
    if (landing(input) === target) {
      throw new InputError(
        `refusing to write ${check.what} over ${input}, one of this command's inputs`,
        output,
      );
    }
  }
  if (!check.force && existsSync(output)) {
    throw new InputError(`already exists; pass --force to replace it with ${check.what}`, output);
  }
}
