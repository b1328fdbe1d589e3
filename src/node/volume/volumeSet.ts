/**
 * Everything the volume viewer needs from its files, computed in a worker thread (the pool's `volumeSet` task):
 * read the image, ground truth, prediction and probability volumes, check they share one voxel grid (no
 * resampling: a mismatch is returned with both files and values), decode the probability volume with one of the
 * viewer's decoders when there is no prediction file, and score the prediction against the ground truth with the
 * header's spacing (Dice, HD95 in mm, … of src/core/metrics), plus per-slice error counts for "jump to the worst
 * slice". The voxels come back as transferred buffers; the host keeps them and sends the webview slices only.
 * No vscode import (docs/architecture.md §1).
 */
import { existsSync } from 'node:fs';
import { InputError } from '../../core/errors';
import { computeImageMetrics, type ImageMetrics } from '../../core/metrics';
import type { ClassLabel } from '../../core/pixels';
import type { LabelData, LabelMap, ProbMap } from '../../core/types';
import { DEFAULT_IGNORE_INDEX } from '../../core/types';
import type { AnalysisDecoder } from '../../core/viewmodel/analysisTypes';
import { channelLayout } from '../../core/viewmodel/probLayout';
import { GeometryMismatchError, commonGeometry, type GeometryDifference } from '../../core/volume/compare';
import { arraySpacing, voxelCount, type VolumeGeometry } from '../../core/volume/geometry';
import { orientationCode } from '../../core/volume/orientation';
import { analysisDecode, analysisThresholdMask } from '../analysis/analysisTasks';
import { loadClassLabelsFile, loadVolumeFile } from '../io/load';
import { volumeImage, volumeLabelMap, volumeProbMap } from '../io/volume/maps';
import type { Volume } from '../io/volume/types';
import { missedAndSpurious, type VolumeObject } from './objects';

export type VolumeRole = 'image' | 'gt' | 'pred' | 'prob';
export const VOLUME_ROLES: readonly VolumeRole[] = ['image', 'gt', 'pred', 'prob'];

export interface VolumeSetInput {
  /** Absolute paths by role; at least one. A .mhd/.nhdr's data file is read next to it. */
  files: Partial<Record<VolumeRole, string>>;
  /** The decoder that turns the probability volume into the prediction when there is no prediction file. @default 'threshold' */
  decoder?: AnalysisDecoder;
  /** The threshold decoder's cut (p > t). @default 0.5 */
  threshold?: number;
  /** Largest voxel count of one file (all its channels), checked from the header. @default 2^28 */
  maxElements?: number;
  /**
   * Largest slice (pixels) of any of the three planes the panel will cut and send: a flat 16384² × 1 volume passes
   * the voxel limit but one of its slices would be a gigabyte in the webview. @default 2^24 (a 4096² slice)
   */
  maxSlicePixels?: number;
  /** A labels.json with class names and colours (used when it exists). */
  labelsFile?: string;
  /**
   * The first overlay while the whole set is computed: read and check every file but the probability volume, and
   * neither decode nor score (no rows). The panel shows it, then the full result. @default false
   */
  preview?: boolean;
}

export interface VolumeClassRow {
  cls: number;
  name: string;
  gtVoxels: number;
  predVoxels: number;
  /** Volumes in mm³ (voxels × the voxel's volume). */
  gtMm3: number;
  predMm3: number;
  dice: number;
  iou: number;
  /** Distances in mm (NaN when undefined, Infinity against an empty side). */
  hd95: number;
  assd: number;
  /** FP + FN voxels of this class per index along each file axis (i, j, k): the worst slice of each plane. */
  errorsAlong: [number[], number[], number[]];
  /** Ground-truth objects no prediction touches, and predicted objects on no ground truth (objects.ts). */
  missed: VolumeObject[];
  spurious: VolumeObject[];
}

export interface VolumeSetResult {
  kind: 'volumes';
  geometry: VolumeGeometry;
  /** The file whose grid is shown (the first of image, gt, pred, prob). */
  gridSource: string;
  orientation: string;
  /** Where the crosshair starts: the centre of the ground truth's (else the prediction's) foreground, else of the grid. */
  centre: [number, number, number];
  files: Partial<Record<VolumeRole, string>>;
  image?: { data: Float32Array; min: number; max: number; low: number; high: number };
  gt?: LabelData;
  pred?: LabelData;
  /** The probability volume's largest foreground probability per voxel as 8-bit levels (round(255·p)): the heatmap. */
  heat?: Uint8Array;
  /** Where the prediction came from: its file, or the decoder run on the probability volume. */
  predFrom?: { file: string } | { decoder: AnalysisDecoder; label: string; unavailable?: string };
  numClasses: number;
  classes: ClassLabel[];
  /** Metrics of pred against gt with the header's spacing, one row per foreground class. */
  rows: VolumeClassRow[];
  macroDice?: number;
  notes: string[];
  elapsedMs: number;
}

export interface VolumeMismatch {
  kind: 'mismatch';
  files: [string, string];
  differences: GeometryDifference[];
  message: string;
}

/** See VolumeSetInput.maxSlicePixels. */
export const DEFAULT_MAX_SLICE_PIXELS = 2 ** 24;

const base = (p: string): string => p.replace(/^.*[\\/]/, '');

/** A typed array that owns its whole buffer (copied when it is a view), so the buffer can be transferred. */
function owned<T extends Float32Array | LabelData>(a: T): T {
  if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer) return a;
  return a.slice() as T;
}

/** The 0.5th and 99.5th percentiles of the image (a 4096-bin histogram): the default window. */
function percentileWindow(data: Float32Array, min: number, max: number): { low: number; high: number } {
  if (!(max > min)) return { low: min, high: max };
  const bins = new Float64Array(4096);
  const scale = (bins.length - 1) / (max - min);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x >= min && x <= max) {
      bins[Math.floor((x - min) * scale)]++;
      n++;
    }
  }
  const at = (q: number): number => {
    let acc = 0;
    for (let b = 0; b < bins.length; b++) {
      acc += bins[b];
      if (acc >= q * n) return min + b / scale;
    }
    return max;
  };
  const low = at(0.005);
  const high = at(0.995);
  return high > low ? { low, high } : { low: min, high: max };
}

/** The voxel nearest the centre of the labels' foreground (labels ≠ 0 and ≠ ignore), or undefined when empty. */
export function foregroundCentre(
  labels: LabelData,
  dims: readonly [number, number, number],
  ignore: number,
): [number, number, number] | undefined {
  const [ni, nj, nk] = dims;
  let n = 0;
  let si = 0;
  let sj = 0;
  let sk = 0;
  for (let p = 0, k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++, p++) {
        const v = labels[p];
        if (v === 0 || v === ignore) continue;
        n++;
        si += i;
        sj += j;
        sk += k;
      }
  return n ? [Math.round(si / n), Math.round(sj / n), Math.round(sk / n)] : undefined;
}

function maxLabel(d: LabelData, ignore: number): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) if (d[i] > m && d[i] !== ignore) m = d[i];
  return m;
}

/** FP + FN voxels of class c per index along each file axis. */
function errorsAlong(gt: LabelData, pred: LabelData, dims: readonly number[], cls: number, ignore: number) {
  const [ni, nj, nk] = dims;
  const out: [number[], number[], number[]] = [
    new Array(ni).fill(0),
    new Array(nj).fill(0),
    new Array(nk).fill(0),
  ];
  let p = 0;
  for (let k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++, p++) {
        const g = gt[p];
        if (g === ignore) continue;
        if ((g === cls) !== (pred[p] === cls)) {
          out[0][i]++;
          out[1][j]++;
          out[2][k]++;
        }
      }
  return out;
}

/**
 * The heatmap of a probability volume: per voxel the largest foreground probability (a softmax map's background
 * channel left out), as round(255·p) — one byte a voxel, the precision a colour map shows.
 */
export function heatLevels(prob: ProbMap): Uint8Array {
  const layout = channelLayout(prob);
  const C = prob.shape[0];
  const n = prob.data.length / C;
  const out = new Uint8Array(n);
  for (let c = 0; c < C; c++) {
    if (layout.classOfChannel[c] === 0) continue;
    // One channel's own typed view keeps the loop monomorphic; p ∈ [0, 1], so ⌊255p + ½⌋ is Math.round(255p).
    const ch = prob.data.subarray(c * n, (c + 1) * n);
    for (let p = 0; p < n; p++) {
      const v = (ch[p] * 255 + 0.5) | 0;
      if (v > out[p]) out[p] = v;
    }
  }
  return out;
}

/** Decodes the probability volume with a viewer decoder (the 2-D analysis's code, on the flattened volume). */
function decodeVolume(
  prob: ProbMap,
  dims: readonly number[],
  decoder: AnalysisDecoder,
  threshold: number,
): { labels?: LabelData; label: string; unavailable?: string; notes: string[]; numClasses: number } {
  const [ni, nj, nk] = dims;
  // The decoders work per class over all voxels: a [C, nk·nj, ni] view of the same data is the whole volume.
  const flat: ProbMap = { data: prob.data, shape: [prob.shape[0], nk * nj, ni] };
  const layout = channelLayout(flat);
  const sample = { prob: flat, layout, width: ni, height: nj * nk, notes: [] };
  if (decoder === 'threshold') {
    // The panel shows no expected scores: the label map alone (the same decision, without the exact expected
    // Dice of every class over millions of voxels, which took seconds at 256³).
    const { labels } = analysisThresholdMask(sample, threshold);
    return { labels, label: `Threshold ${threshold}`, notes: [], numClasses: layout.numClasses };
  }
  const view = analysisDecode({ prob: flat, layout, width: ni, height: nj * nk, notes: [] }, decoder, {
    threshold,
    solver: 'auto',
  });
  return {
    labels: view.labels,
    label: view.label,
    unavailable: view.unavailable,
    notes: view.notes,
    numClasses: layout.numClasses,
  };
}

function read(path: string, maxElements: number | undefined): Volume {
  return loadVolumeFile(path, { maxElements });
}

/** Reads, checks, decodes and scores a set of volumes (see the file comment). */
export function loadVolumeSet(input: VolumeSetInput): VolumeSetResult | VolumeMismatch {
  const t0 = performance.now();
  const roles = VOLUME_ROLES.filter((r) => input.files[r] !== undefined && !(input.preview && r === 'prob'));
  if (roles.length === 0) throw new Error('no volume to open');
  const vols = new Map<VolumeRole, Volume>();
  for (const r of roles) vols.set(r, read(input.files[r] as string, input.maxElements));
  let grid: { source: string; geometry: VolumeGeometry } | undefined;
  try {
    grid = commonGeometry(
      roles.map((r) => ({ source: input.files[r] as string, geometry: vols.get(r)!.geometry })),
    );
  } catch (e) {
    if (e instanceof GeometryMismatchError) {
      return {
        kind: 'mismatch',
        files: [e.files[0], e.files[1]],
        differences: [...e.differences],
        message: e.message,
      };
    }
    throw e;
  }
  const g = grid!.geometry;
  const [ni, nj, nk] = g.dims;
  const maxSlice = input.maxSlicePixels ?? DEFAULT_MAX_SLICE_PIXELS;
  const largest = Math.max(ni * nj, ni * nk, nj * nk);
  if (largest > maxSlice) {
    throw new InputError(
      `a ${ni}×${nj}×${nk} volume has slices of ${largest} pixels, more than the viewer's ${maxSlice}; ` +
        'crop it or use seglens metrics on the command line',
      grid!.source,
    );
  }
  const notes: string[] = [];
  const result: VolumeSetResult = {
    kind: 'volumes',
    geometry: g,
    gridSource: grid!.source,
    orientation: orientationCode(g),
    centre: [g.dims[0] >> 1, g.dims[1] >> 1, g.dims[2] >> 1],
    files: input.files,
    numClasses: 2,
    classes: [],
    rows: [],
    notes,
    elapsedMs: 0,
  };
  const imageVol = vols.get('image');
  if (imageVol) {
    const img = volumeImage(imageVol);
    result.image = {
      data: owned(img.data),
      min: img.min,
      max: img.max,
      ...percentileWindow(img.data, img.min, img.max),
    };
  }
  const labelOf = (r: 'gt' | 'pred'): LabelMap | undefined => {
    const v = vols.get(r);
    return v ? volumeLabelMap(v) : undefined;
  };
  const gt = labelOf('gt');
  let pred = labelOf('pred');
  let K = 2;
  const probVol = vols.get('prob');
  const prob = probVol ? volumeProbMap(probVol) : undefined;
  if (prob) result.heat = heatLevels(prob);
  if (pred) result.predFrom = { file: input.files.pred as string };
  else if (prob) {
    const decoder = input.decoder ?? 'threshold';
    const d = decodeVolume(prob, g.dims, decoder, input.threshold ?? 0.5);
    K = Math.max(K, d.numClasses);
    result.predFrom = { decoder, label: d.label, ...(d.unavailable ? { unavailable: d.unavailable } : {}) };
    notes.push(...d.notes.map((n) => `${d.label}: ${n}`));
    if (d.labels) pred = { data: d.labels, shape: gt?.shape ?? [g.dims[2], g.dims[1], g.dims[0]] };
  }
  for (const v of vols.values()) notes.push(...v.notes.map((n) => `${base(v.source)}: ${n}`));
  const ignore = gt?.ignoreIndex ?? DEFAULT_IGNORE_INDEX;
  if (gt) K = Math.max(K, maxLabel(gt.data, ignore) + 1);
  if (pred) K = Math.max(K, maxLabel(pred.data, ignore) + 1);
  if (input.labelsFile && existsSync(input.labelsFile)) {
    try {
      result.classes = loadClassLabelsFile(input.labelsFile);
      K = Math.max(K, ...result.classes.map((c) => (c.index === ignore ? 0 : c.index + 1)));
    } catch (e) {
      notes.push(`${base(input.labelsFile)} not used: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  result.numClasses = K;
  if (gt && pred && !input.preview) {
    const spacing = arraySpacing(g);
    const m: ImageMetrics = computeImageMetrics(gt, pred, { spacing, config: { numClasses: K } });
    const voxelMm3 = g.spacing[0] * g.spacing[1] * g.spacing[2];
    const name = (c: number) => result.classes.find((x) => x.index === c)?.name ?? `class ${c}`;
    for (const [key, r] of Object.entries(m.perClass)) {
      const cls = Number(key);
      if (cls === 0) continue;
      result.rows.push({
        cls,
        name: name(cls),
        gtVoxels: r.gtPixels,
        predVoxels: r.predPixels,
        gtMm3: r.gtPixels * voxelMm3,
        predMm3: r.predPixels * voxelMm3,
        dice: r.overlap.dice,
        iou: r.overlap.iou,
        hd95: r.surface.hd95,
        assd: r.surface.assd,
        errorsAlong: errorsAlong(gt.data, pred.data, g.dims, cls, ignore),
        ...missedAndSpurious(gt.data, pred.data, g.dims, cls),
      });
    }
    result.macroDice = m.macroPresentClasses.metrics.dice.value;
  }
  const centreOf = gt ?? pred;
  const centre = centreOf ? foregroundCentre(centreOf.data, g.dims, ignore) : undefined;
  if (centre) result.centre = centre;
  if (gt) result.gt = owned(gt.data);
  if (pred) result.pred = owned(pred.data);
  if (voxelCount(g) === 0) throw new Error('the volume has no voxels');
  result.elapsedMs = performance.now() - t0;
  return result;
}

/** The buffers of a result to transfer back to the host. */
export function volumeSetTransfers(r: VolumeSetResult | VolumeMismatch): ArrayBuffer[] {
  if (r.kind !== 'volumes') return [];
  const out = new Set<ArrayBuffer>();
  for (const a of [r.image?.data, r.gt, r.pred, r.heat])
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}
