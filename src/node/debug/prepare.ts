/**
 * From the arrays the debuggee saved to what SegLens shows (no vscode): each value is read back (its header checked
 * against the reply and the pixel limit before the data is read), its axes and role guessed, and the item to show
 * written as its own `.npy` next to it, in the layout the viewer reads for that role. Also the loss table's inputs.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readNpy, readNpyHeader, writeNpy } from '../../core/io/npy';
import type { NDArray } from '../../core/ndarray';
import { explainDims, type Dims } from '../../core/debug/dims';
import { viewerItem } from '../../core/debug/item';
import { guessRole, type RoleGuess, type TensorRole } from '../../core/debug/roles';
import { lossTable, type LossTable } from '../../core/debug/lossTable';
import { InputError } from '../../core/errors';
import type { LossReply, SavedValue } from './reply';

/**
 * Writes the `.npy` bytes a reply carried inline (a debuggee on another file system) into `folder`, so every value
 * is then a file there; values the debuggee wrote itself are returned unchanged.
 */
export function materialize(value: SavedValue, folder: string): SavedValue {
  if (value.data === undefined) return value;
  const name = path.basename(value.file);
  if (!/^value\d+\.npy$/.test(name))
    throw new InputError(`the debugger named an unexpected file ${value.file}`);
  const file = path.join(folder, name);
  writeFileSync(file, Buffer.from(value.data, 'base64'));
  const { data: _data, ...rest } = value;
  return { ...rest, file };
}

/** Reads a saved array, refusing one whose file lies outside `folder` or whose header disagrees with the reply. */
export function readSaved(value: SavedValue, folder: string, maxElements: number): NDArray {
  const file = path.resolve(value.file);
  if (path.dirname(file) !== path.resolve(folder)) {
    throw new InputError(`the debugger wrote ${value.file}, outside SegLens' folder ${folder}`);
  }
  const size = statSync(file).size;
  if (size > value.bytes + 4096) throw new InputError(`${value.file} is larger than the debugger said`, file);
  const bytes = readFileSync(file);
  const header = readNpyHeader(bytes, { source: file, maxElements });
  if (header.shape.join(',') !== value.shape.join(',')) {
    throw new InputError(
      `${value.file} has shape [${header.shape.join(', ')}], not [${value.shape.join(', ')}]`,
    );
  }
  return readNpy(bytes, { source: file, maxElements });
}

export interface ShownValue {
  expression: string;
  kind: string;
  shape: number[];
  dtype: string;
  min?: number;
  max?: number;
  dims: Dims;
  guess: RoleGuess;
  /** The role used (the guess unless the caller said otherwise). */
  role: TensorRole;
  /** The `.npy` of the item shown, in the viewer's layout for the role. */
  file: string;
  /** Which item, e.g. "item 0 of 4". */
  note: string;
}

/** Prepares one saved value for the viewer: item `index` as `<file stem>_view.npy`. */
export function prepareForViewer(
  value: SavedValue,
  folder: string,
  options: { maxElements: number; index?: number; role?: TensorRole },
): ShownValue {
  const array = readSaved(materialize(value, folder), folder, options.maxElements);
  const dims = explainDims(array.shape);
  const guess = guessRole({
    name: value.expression,
    dtype: value.dtype,
    min: value.min,
    max: value.max,
    distinct: value.distinct,
    values: value.values,
  });
  const role = options.role ?? guess.role;
  const item = viewerItem(array, dims, role, options.index ?? 0);
  const file = path.join(folder, `${path.basename(value.file, '.npy')}_view.npy`);
  writeFileSync(file, writeNpy(item.array));
  return {
    expression: value.expression,
    kind: value.kind,
    shape: value.shape,
    dtype: value.dtype,
    min: value.min,
    max: value.max,
    dims,
    guess,
    role,
    file,
    note: item.note,
  };
}

/** The loss table of a reply, reading the prediction and target the debuggee saved. */
export function lossTableOf(
  reply: LossReply,
  functionName: string,
  folder: string,
  maxElements: number,
): LossTable {
  const prediction = readSaved(materialize(reply.prediction, folder), folder, maxElements);
  const target = readSaved(materialize(reply.target, folder), folder, maxElements);
  const logits = (reply.prediction.min ?? 0) < 0 || (reply.prediction.max ?? 0) > 1;
  return lossTable({
    functionName,
    prediction,
    target,
    batch: reply.batch,
    perImage: reply.perImage,
    logits,
  });
}
