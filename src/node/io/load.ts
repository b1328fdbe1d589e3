/**
 * The one loader: every front end reads data files through this module — the CLI commands (label maps, probability
 * maps, palettes, labels.json), the model runner (images for the model), and the viewer (which reads bytes through
 * vscode.workspace.fs so remote folders work, then decodes them here, in the worker pool). Formats are the rows of
 * format.ts; the parsing itself is the core's (src/core/io) or a decoder file next to this one.
 *
 * Two shapes of result, on purpose:
 * - `loadLabelFile` / `loadProbFile` give the core's LabelMap / ProbMap (0/255 masks read as 0/1, palettes, layout
 *   and logits detection) — what metrics and decoders compute on;
 * - `decodeRaster` / `loadRasterFile` / `loadImageFile` give a Raster for display or a model's input (any format of
 *   the table, the pixel limit checked from the header).
 * Volumes (NIfTI, NRRD, MetaImage: ./volume/) come through `loadVolumeFile` with their geometry; `loadLabelFile` and
 * `loadProbFile` also accept them (first volume as labels; volumes as classes). Every problem is an InputError naming
 * the file. No vscode import.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError, errorMessage } from '../../core/errors';
import { loadLabelMap, loadProbMap } from '../../core/io/load';
import type { Palette } from '../../core/io/palette';
import { parsePalette } from '../../core/io/palette';
import type { ProbLayout } from '../../core/io/probMap';
import type { ModelImage } from '../../core/model/preprocess';
import type { ClassLabel } from '../../core/pixels';
import type { LabelMap, ProbMap } from '../../core/types';
import { parseClassLabels } from './classLabels';
import { decodeRaster } from './decode';
import type { DecodeRole, Raster } from './raster';
import { volumeLabelMap, volumeProbMap } from './volume/maps';
import { readVolume, volumeFormatOf } from './volume/read';
import type { Volume } from './volume/types';

export { decodeRaster, detectFormat } from './decode';
export type { DecodeOptions, FileFormat } from './decode';
export { FORMATS, formatExtensions, formatList, formatOf, formatsFor } from './format';
export type { FormatRow } from './format';
export { LABELS_FILE, labelsFileCandidates, parseClassLabels } from './classLabels';
export type { DecodeRole, Raster } from './raster';
export { readVolume, volumeFormatOf } from './volume/read';
export { volumeImage, volumeLabelMap, volumeProbMap } from './volume/maps';
export type { Volume } from './volume/types';
/** The same loaders for bytes already read (the viewer reads through vscode.workspace.fs, the workers get bytes). */
export { loadLabelMap as labelMapFromBytes, loadProbMap as probMapFromBytes } from '../../core/io/load';

/** Default pixel limit of the model runner and the CLI, checked from the file header before decoding. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** Where relative paths are taken from (the CLI's working directory); default the process's. */
export interface PathOptions {
  cwd?: string;
}

function fullPath(path: string, o: PathOptions): string {
  return isAbsolute(path) ? path : resolve(o.cwd ?? process.cwd(), path);
}

/** The bytes of a file; an unreadable file is an InputError naming it as given. */
export function readFileBytes(path: string, o: PathOptions = {}): Uint8Array {
  try {
    return new Uint8Array(readFileSync(fullPath(path, o)));
  } catch (e) {
    throw new InputError(`cannot read: ${errorMessage(e)}`, path);
  }
}

/** Reads and parses a JSON file; unreadable files and invalid JSON are InputErrors naming the file. */
export function readJsonFile(path: string, o: PathOptions = {}): unknown {
  const bytes = readFileBytes(path, o);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new InputError(`not valid JSON: ${errorMessage(e)}`, path);
  }
}

/**
 * A NIfTI, NRRD or MetaImage volume (src/node/io/volume/), voxels and geometry; a data file named by the header
 * (`.mhd` → `.raw`/`.zraw`, `.nhdr` → data) is read from the header's folder. `bytes`: the file, when already read.
 */
export function loadVolumeFile(
  path: string,
  o: PathOptions & { maxElements?: number; bytes?: Uint8Array } = {},
): Volume {
  const full = fullPath(path, o);
  return readVolume(o.bytes ?? readFileBytes(path, o), {
    source: path,
    maxElements: o.maxElements,
    readCompanion: (name) => readFileBytes(resolve(dirname(full), name)),
  });
}

/** A label map (PNG, NPY, NPZ, or the first volume of a NIfTI/NRRD/MetaImage file) as the metrics see it. */
export function loadLabelFile(path: string, o: PathOptions & { palette?: Palette } = {}): LabelMap {
  const bytes = readFileBytes(path, o);
  if (volumeFormatOf(bytes)) return volumeLabelMap(loadVolumeFile(path, { ...o, bytes }));
  return loadLabelMap(bytes, { source: path, palette: o.palette });
}

export interface ProbFileOptions extends PathOptions {
  /** Expected number of classes (disambiguates [C,H,W] from [H,W,C]). */
  numClasses?: number;
  /** Explicit layout, overriding the detection. */
  layout?: ProbLayout;
  /** Values outside [0, 1]: refuse (default) or convert with the named activation. */
  logits?: 'error' | 'sigmoid' | 'softmax';
  /** The label map's shape, when known: the layout is matched to it instead of guessed. */
  spatial?: readonly number[];
}

/** A probability map (NPY, NPZ) as a channel-first ProbMap, layout detected, logits refused unless converted. */
export function loadProbFile(path: string, o: ProbFileOptions = {}): ProbMap {
  const bytes = readFileBytes(path, o);
  // A probability volume is channel-first by construction ([C, k, j, i]); its layout needs no guessing.
  if (volumeFormatOf(bytes)) return volumeProbMap(loadVolumeFile(path, { ...o, bytes }));
  return loadProbMap(bytes, {
    source: path,
    numClasses: o.numClasses,
    layout: o.layout,
    logits: o.logits,
    spatial: o.spatial,
  });
}

/** A palette file for RGB colour masks (see core/io/palette.ts for the accepted forms). */
export function loadPaletteFile(path: string, o: PathOptions = {}): Palette {
  return parsePalette(readJsonFile(path, o), path);
}

/** A `labels.json` (class names and colours; see classLabels.ts). */
export function loadClassLabelsFile(path: string, o: PathOptions = {}): ClassLabel[] {
  return parseClassLabels(new TextDecoder().decode(readFileBytes(path, o)), path);
}

/** Any file of the format table decoded for a role (the viewer's path, from a file name instead of bytes). */
export async function loadRasterFile(
  path: string,
  role: DecodeRole,
  o: PathOptions & { maxPixels?: number } = {},
): Promise<Raster> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(fullPath(path, o));
  } catch (e) {
    throw new InputError(`cannot read the file: ${errorMessage(e)}`, path);
  }
  return decodeRaster(bytes, { source: path, maxPixels: o.maxPixels ?? DEFAULT_MAX_PIXELS, role });
}

/**
 * An image for the model runner, decoded exactly as the viewer shows it (any format of the table), so a model sees
 * the pixels the user sees.
 */
export async function loadImageFile(
  path: string,
  maxPixels = DEFAULT_MAX_PIXELS,
  o: { limitHint?: string } = {},
): Promise<ModelImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new InputError(`cannot read the image: ${errorMessage(e)}`, path);
  }
  // Every band of a float image is kept: a model must see the picture's channels, not band 0 three times.
  const raster = await decodeRaster(bytes, {
    source: path,
    maxPixels,
    role: 'image',
    keepBands: true,
    limitHint: o.limitHint,
  });
  // Images are decoded as 8/16-bit or float samples; an integer raster (labels only) is widened to float.
  const data = raster.data instanceof Int32Array ? Float32Array.from(raster.data) : raster.data;
  // The decoder's notes (EXIF orientation applied, bands kept, grey stored as RGB) travel with the pixels to the
  // run's notes, so the CLI and the panel say what was done to the file.
  return { width: raster.width, height: raster.height, channels: raster.channels, data, notes: raster.notes };
}
