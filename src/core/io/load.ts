/**
 * Format dispatch for the files the core can read without native code: PNG (label maps), NPY and NPZ (label maps
 * and probability maps). The caller reads the bytes (node fs in the CLI, vscode.workspace.fs in the extension);
 * the format is decided by the file's magic bytes, not its name. Every problem is an InputError naming the file.
 */
import { InputError } from '../errors';
import { NDArray } from '../ndarray';
import { LabelMap, ProbMap } from '../types';
import { LabelMapOptions, normaliseLabelMap } from './labelMap';
import { readNpy } from './npy';
import { isZip, listNpz, readNpz } from './npz';
import { DecodedPngImage, decodePngImage, isPng } from './png';
import { ProbLayout, detectProbLayout, detectValueKind, logitsToProbabilities, toProbMap } from './probMap';
import { markVerifiedProbabilities } from '../verifiedProbabilities';

export interface ArrayReadOptions {
  /** Name used in error messages (the file path). */
  source: string;
  /**
   * Refuse arrays / images with more elements than this (checked from headers first, before any decoding).
   * @default DEFAULT_MAX_ELEMENTS (2**28: a 16384² image, or 1 GiB of float32)
   */
  maxElements?: number;
  /** For .npz: the array to read; default the only array, or the first of PREFERRED_NPZ_KEYS present. */
  npzKey?: string;
}

/** Default size limit of the loaders: large enough for any 2-D slide tile or CT volume we expect, small enough
 * that a lying header cannot make the extension allocate gigabytes. */
export const DEFAULT_MAX_ELEMENTS = 2 ** 28;

/** Array names tried, in order, in an .npz holding several arrays. */
export const PREFERRED_NPZ_KEYS = [
  'prob',
  'probs',
  'probabilities',
  'mask',
  'label',
  'labels',
  'pred',
  'arr_0',
];

function isNpy(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e && bytes[2] === 0x55 && bytes[3] === 0x4d
  );
}

/** Picks one array of an .npz archive. */
/**
 * Chooses the array of an .npz from its directory alone (the named one, the only one, or the first preferred
 * name), so that only that member is ever inflated — an archive of many large arrays costs one array.
 */
function pickNpzKey(names: readonly string[], key: string | undefined, source: string): string {
  if (key !== undefined) {
    if (!names.includes(key))
      throw new InputError(`no array named '${key}' (arrays: ${names.join(', ')})`, source);
    return key;
  }
  if (names.length === 1) return names[0]!;
  for (const k of PREFERRED_NPZ_KEYS) if (names.includes(k)) return k;
  if (names.length === 0) throw new InputError('the archive holds no .npy arrays', source);
  throw new InputError(`holds ${names.length} arrays (${listNames(names)}); say which one to read`, source);
}

/** At most ten names, so an archive of 20,000 members gives a one-line message, not 150 KB of names. */
function listNames(names: readonly string[]): string {
  return names.length <= 10
    ? names.join(', ')
    : `${names.slice(0, 10).join(', ')}, … and ${names.length - 10} more`;
}

function readOneNpz(
  bytes: Uint8Array,
  key: string | undefined,
  source: string,
  maxElements: number,
): NDArray {
  const name = pickNpzKey(listNpz(bytes, source), key, source);
  // Bytes of the largest dtype (8) per allowed element, plus the .npy header: checked before inflating.
  const maxBytes = Math.min(maxElements * 8 + 65536, 2 ** 31 - 1);
  return readNpz(bytes, { source, maxElements, maxBytes, only: [name] })[name]!;
}

/** Reads a PNG, NPY or NPZ file into a decoded image or an array. */
export function readArrayFile(bytes: Uint8Array, options: ArrayReadOptions): NDArray | DecodedPngImage {
  const { source } = options;
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (isPng(bytes)) return decodePngImage(bytes, { source, maxPixels: maxElements });
  if (isNpy(bytes)) return readNpy(bytes, { source, maxElements });
  if (isZip(bytes)) return readOneNpz(bytes, options.npzKey, source, maxElements);
  throw new InputError(
    'unsupported file format: expected PNG, .npy or .npz (JPEG/TIFF are decoded by the host)',
    source,
  );
}

/** Reads a label map (PNG, NPY or NPZ) and normalises it (0/255 masks, palettes, ignore index). */
export function loadLabelMap(bytes: Uint8Array, options: ArrayReadOptions & LabelMapOptions): LabelMap {
  return normaliseLabelMap(readArrayFile(bytes, options), options);
}

export interface ProbReadOptions extends ArrayReadOptions {
  /** Expected number of classes (disambiguates [C,H,W] from [H,W,C]). */
  numClasses?: number;
  /** Explicit layout, overriding the guess. */
  layout?: ProbLayout;
  /**
   * The label map's shape, when known: the layout is then decided by matching it (exact, 2-D and 3-D) instead of
   * guessing from the shape alone.
   */
  spatial?: readonly number[];
  /**
   * What to do with values outside [0, 1]: "error" (default: say they look like logits), or convert with
   * "sigmoid" / "softmax" (the user's explicit consent, docs/architecture.md §3).
   */
  logits?: 'error' | 'sigmoid' | 'softmax';
}

/** Reads a probability map (NPY or NPZ) into a channel-first ProbMap, detecting its layout and logits. */
export function loadProbMap(bytes: Uint8Array, options: ProbReadOptions): ProbMap {
  const arr = readArrayFile(bytes, options);
  if ('width' in arr)
    throw new InputError('a probability map must be .npy or .npz, not an image', options.source);
  if (arr.dtype !== 'float16' && arr.dtype !== 'float32' && arr.dtype !== 'float64') {
    throw new InputError(`a probability map must be a float array, got ${arr.dtype}`, options.source);
  }
  const layout = detectProbLayout(arr.shape, {
    numClasses: options.numClasses,
    override: options.layout,
    source: options.source,
    spatial: options.spatial,
  });
  const prob = toProbMap(arr, layout);
  const { kind, min, max, negativeZero } = detectValueKind(prob.data);
  if (kind === 'invalid')
    throw new InputError('the probability map contains NaN or infinite values', options.source);
  if (kind === 'logits') {
    const how = options.logits ?? 'error';
    if (how === 'error') {
      throw new InputError(
        `values range over [${min}, ${max}], outside [0, 1]: these look like logits; convert them explicitly ` +
          'with sigmoid (independent classes) or softmax (exclusive classes)',
        options.source,
      );
    }
    return logitsToProbabilities(prob, how);
  }
  // Checked value by value just now: the metrics and decoders need not scan it again.
  if (!negativeZero) markVerifiedProbabilities(prob.data);
  return prob;
}
