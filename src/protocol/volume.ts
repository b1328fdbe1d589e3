/**
 * The contract between the extension host and the volume panel ("SegLens Volume": three orthogonal planes of a
 * NIfTI / NRRD / MetaImage volume with its ground truth and prediction, docs/volumes.md "The three-plane viewer").
 *
 * Same rules as the other panels (./validate.ts): discriminated unions on `type`, the host posts nothing before
 * `ready`, every message from the webview is validated field by field into a fresh object by a table typed over the
 * union, and the webview accepts only the types of its `TypeTable`. The host keeps the voxels; the webview asks
 * for the slices it shows and those next to them in the scroll direction (`fetch`), keeps them in a cache
 * (webview/volume/sliceCache.ts) and draws a slice step without a round trip. Slices cross as ArrayBuffers in the
 * compact types of ./volumePixels.ts (image as 16-bit levels, labels Uint8 when they fit), never whole volumes;
 * the exact values at the crosshair come from the host (`voxel`).
 */
import {
  byType,
  fail,
  field,
  int,
  isRecord,
  num,
  oneOf,
  parsed,
  str,
  type Parsed,
  type TypeTable,
  type ValidatorTable,
} from './validate';
import type { PackedLabels } from './viewerPixels';
import type { VolumeLabelType } from './volumePixels';

/** The webview panel type of the volume viewer. */
export const VOLUME_VIEW_TYPE = 'seglens.volume';

/** Bumped whenever a volume message changes shape. */
export const VOLUME_PROTOCOL_VERSION = 2;

export type VolumePlane = 'axial' | 'coronal' | 'sagittal';
export const VOLUME_PLANES: readonly VolumePlane[] = ['axial', 'coronal', 'sagittal'];
export type VolumeConvention = 'radiological' | 'neurological';
export const VOLUME_CONVENTIONS: readonly VolumeConvention[] = ['radiological', 'neurological'];

/** How one plane is laid out on screen (src/core/volume/slice.ts planeMapping). */
export interface VolumePlaneInfo {
  plane: VolumePlane;
  /** Slice size in pixels and the physical size of one pixel (mm): the canvas keeps the true aspect. */
  width: number;
  height: number;
  pixelWidth: number;
  pixelHeight: number;
  /** Number of slices and the file axis (0 = i, 1 = j, 2 = k) they run along. */
  slices: number;
  normalAxis: 0 | 1 | 2;
  /** File axes along the screen's u (right) and v (down), and whether they run against the index. */
  uAxis: 0 | 1 | 2;
  uFlip: boolean;
  vAxis: 0 | 1 | 2;
  vFlip: boolean;
  /** Anatomical letters at the four sides, and at the first and last slice. */
  letters: { left: string; right: string; top: string; bottom: string };
  sliceLetters: [string, string];
}

export interface VolumeClassInfo {
  cls: number;
  name: string;
  /** From labels.json; absent = the panel's default colour of the class. */
  color?: [number, number, number];
}

/** Whole-volume metrics of one foreground class (distances in mm, volumes in mm³; NaN / Infinity kept). */
export interface VolumeMetricRow {
  cls: number;
  name: string;
  gtVoxels: number;
  predVoxels: number;
  gtMm3: number;
  predMm3: number;
  dice: number;
  iou: number;
  hd95: number;
  assd: number;
  /** The slice index along file axis i, j, k with the most FP + FN voxels of the class (−1: no error). */
  worst: [number, number, number];
  /** Ground-truth objects no prediction touches and predicted objects on no ground truth, largest first. */
  missed: VolumeObjectRef[];
  spurious: VolumeObjectRef[];
}

/** A 3-D object: a voxel inside it (nearest its centroid) and its size in voxels. */
export interface VolumeObjectRef {
  voxel: [number, number, number];
  size: number;
}

export interface VolumeHeader {
  /**
   * Bumped by the host with every header (new files, decoder, display convention): slices and read-outs carry the
   * generation they were cut from, and the webview drops any of another generation, so a cached slice of an
   * earlier prediction or layout is never drawn.
   */
  generation: number;
  /** The wire type of the gt and pred slices (volumePixels.ts labelTypeFor). */
  labelType: VolumeLabelType;
  /** The files shown, by role (base names; the full paths stay on the host). */
  files: { role: 'image' | 'gt' | 'pred' | 'prob'; name: string }[];
  /** Voxels per file axis [ni, nj, nk], spacing in mm, orientation code (e.g. "LAS"). */
  dims: [number, number, number];
  spacing: [number, number, number];
  orientation: string;
  convention: VolumeConvention;
  planes: VolumePlaneInfo[];
  /** The image's value range and default window (0.5th–99.5th percentile); absent without an image. */
  image?: { min: number; max: number; low: number; high: number };
  hasGt: boolean;
  hasPred: boolean;
  /** A probability volume is open: its heatmap (largest foreground probability) can be shown. */
  hasHeat: boolean;
  /** Where the prediction comes from ("pred.nii.gz" or the decoder's label). */
  predLabel?: string;
  /** Decoders offered for the probability volume (empty when there is none or a prediction file is shown). */
  decoders: { name: string; label: string }[];
  decoder?: string;
  threshold: number;
  numClasses: number;
  classes: VolumeClassInfo[];
  rows: VolumeMetricRow[];
  /** Macro Dice over the classes present in GT or prediction. */
  macroDice?: number;
  notes: string[];
  /** The voxel the crosshair starts at. */
  cursor: [number, number, number];
}

/**
 * One slice of a plane (row-major, u fastest): the image as Uint16 levels over header.image's [min, max]
 * (volumePixels.ts quantiseImage); labels (in header.labelType) and the heatmap's 8-bit levels packed as the 2-D
 * viewer packs masks (./viewerPixels.ts: runs or bits when smaller — a label slice is mostly background, a few
 * hundred bytes instead of 64 kB at 256², which keeps a sustained scroll's prefetch ahead of the user).
 */
export interface VolumeSlice {
  plane: VolumePlane;
  index: number;
  image?: ArrayBuffer;
  gt?: PackedLabels;
  pred?: PackedLabels;
  /** The heatmap's 8-bit levels (round(255·p)), uint8. */
  heat?: PackedLabels;
}

export type ToVolumeWebview =
  | { type: 'volume'; header: VolumeHeader }
  /** Slices the webview asked for (and the header cursor's three, unasked, right after each header). */
  | { type: 'slices'; generation: number; slices: VolumeSlice[] }
  /** The exact values at a crosshair position (the read-out): image value (null when NaN or infinite), labels. */
  | {
      type: 'voxel';
      generation: number;
      voxel: [number, number, number];
      image?: number | null;
      gt?: number;
      pred?: number;
    }
  /** Image, GT, prediction or probability on different grids: both files and every differing property. */
  | {
      type: 'mismatch';
      files: [string, string];
      differences: { property: string; a: string; b: string }[];
      message: string;
    }
  | { type: 'busy'; label: string }
  | { type: 'problem'; message: string };

export type FromVolumeWebview =
  | { type: 'ready'; version: number }
  /** The crosshair moved (a click, a scroll, a key or a slider): the host answers with its exact values (`voxel`). */
  | { type: 'cursor'; voxel: [number, number, number] }
  /** Slices to cut and send, most wanted first (the header's generation; at most MAX_FETCH). */
  | { type: 'fetch'; generation: number; slices: { plane: VolumePlane; index: number }[] }
  /** Decode the probability volume again with another decoder or threshold. */
  | { type: 'decoder'; decoder: string; threshold: number }
  | { type: 'convention'; convention: VolumeConvention }
  /** The slices of `cursor` were drawn, each plane's canvas at its size in CSS pixels (tests wait on it). */
  | {
      type: 'drawn';
      cursor: [number, number, number];
      planes: { plane: VolumePlane; width: number; height: number }[];
      /** Milliseconds the webview spent composing and drawing the three slices. */
      drawMs?: number;
      /** The header generation drawn (a preview's `drawn` arriving after the full header is not the full's). */
      generation?: number;
    };

/** Largest voxel count of one axis the panel accepts (a slice is at most this squared). */
export const MAX_AXIS = 65_536;

/** Most slices one `fetch` may ask for. */
export const MAX_FETCH = 64;

function voxel(o: Record<string, unknown>, key: string): [number, number, number] {
  const v = field(o, key);
  if (!Array.isArray(v) || v.length !== 3) fail(`${key} must be three voxel indices`);
  const rec = { i: v[0] as unknown, j: v[1] as unknown, k: v[2] as unknown };
  return [
    int(rec, 'i', 0, MAX_AXIS, `${key}[0]`),
    int(rec, 'j', 0, MAX_AXIS, `${key}[1]`),
    int(rec, 'k', 0, MAX_AXIS, `${key}[2]`),
  ];
}

const FROM_WEBVIEW: ValidatorTable<FromVolumeWebview> = {
  ready: (o) => ({ type: 'ready', version: int(o, 'version', 0, 1_000_000) }),
  cursor: (o) => ({ type: 'cursor', voxel: voxel(o, 'voxel') }),
  fetch: (o) => {
    const list = field(o, 'slices');
    if (!Array.isArray(list) || list.length > MAX_FETCH)
      fail(`slices must be a list of at most ${MAX_FETCH} slices`);
    return {
      type: 'fetch',
      generation: int(o, 'generation', 0, Number.MAX_SAFE_INTEGER),
      slices: list.map((s: unknown) => {
        if (!isRecord(s)) fail('slices[] must be objects');
        return {
          plane: oneOf(field(s, 'plane'), VOLUME_PLANES, 'slices[].plane'),
          index: int(s, 'index', 0, MAX_AXIS, 'slices[].index'),
        };
      }),
    };
  },
  decoder: (o) => {
    const decoder = str(o, 'decoder', 64);
    if (!/^[a-z][a-z0-9-]*$/.test(decoder)) fail('decoder must be a decoder name');
    return { type: 'decoder', decoder, threshold: num(o, 'threshold', 0, 1) };
  },
  convention: (o) => ({
    type: 'convention',
    convention: oneOf(field(o, 'convention'), VOLUME_CONVENTIONS, 'convention'),
  }),
  drawn: (o) => {
    const list = field(o, 'planes');
    if (!Array.isArray(list) || list.length > 3) fail('planes must be a list of at most 3 planes');
    const planes = list.map((p: unknown) => {
      if (!isRecord(p)) fail('planes[] must be objects');
      return {
        plane: oneOf(field(p, 'plane'), VOLUME_PLANES, 'planes[].plane'),
        width: num(p, 'width', 0, 100_000, 'planes[].width'),
        height: num(p, 'height', 0, 100_000, 'planes[].height'),
      };
    });
    const drawn: Extract<FromVolumeWebview, { type: 'drawn' }> = {
      type: 'drawn',
      cursor: voxel(o, 'cursor'),
      planes,
    };
    if (field(o, 'drawMs') !== undefined) drawn.drawMs = num(o, 'drawMs', 0, 1e7);
    if (field(o, 'generation') !== undefined)
      drawn.generation = int(o, 'generation', 0, Number.MAX_SAFE_INTEGER);
    return drawn;
  },
};

/** Validates a message from the volume webview (an untrusted source). */
export function parseFromVolumeWebview(x: unknown): Parsed<FromVolumeWebview> {
  return parsed(() => byType(FROM_WEBVIEW, x, 'message'));
}

const isStr = (v: unknown) => typeof v === 'string';
const isArr = (v: unknown) => Array.isArray(v);

/** What the webview accepts from the host (a light shape check per type; the keys are the accepted set). */
export const TO_VOLUME_WEBVIEW: TypeTable<ToVolumeWebview> = {
  volume: (o) => isRecord(o.header) && isArr(o.header.planes),
  slices: (o) => typeof o.generation === 'number' && isArr(o.slices),
  voxel: (o) => typeof o.generation === 'number' && isArr(o.voxel),
  mismatch: (o) => isArr(o.files) && isArr(o.differences) && isStr(o.message),
  busy: (o) => isStr(o.label),
  problem: (o) => isStr(o.message),
};
