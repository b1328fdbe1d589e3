/**
 * A 2-D segmentation model run on a volume slice by slice (issue 16, item 5): every slice of one anatomical plane
 * goes through the same ModelRunner path as a 2-D picture (the sidecar's scale / mean / std, resize or tiling, the
 * activation and the probability checks), and the slices' maps are put back into a probability volume
 * [C, nk, nj, ni] on the image's grid.
 *
 * What the model sees. Each slice is cut as the three-plane viewer shows it in the radiological convention
 * (src/core/volume/slice.ts: axial with anterior up and the patient's right on the left, coronal with superior up,
 * sagittal with superior up and anterior on the left), whatever the file's voxel order, so a model trained on
 * screenshots or PNG exports of such slices gets the orientation it was trained on. Its intensities are the ones a
 * 2-D picture of the slice would have: see `SliceIntensity`.
 *
 * Runs wherever its caller is: the model worker thread for the extension (modelWorker.ts), the CLI's own process.
 * No vscode import.
 */
import { CancelledError, InputError, errorMessage } from '../../core/errors';
import { DEFAULT_MAX_ELEMENTS } from '../../core/io/load';
import type { ModelImage } from '../../core/model/image';
import type { ProbMap } from '../../core/types';
import { arrayShape, voxelCount, type VolumeGeometry } from '../../core/volume/geometry';
import { orientationCode } from '../../core/volume/orientation';
import { extractSlice, planeMapping, type PlaneMapping, type PlaneName } from '../../core/volume/slice';
import { loadVolumeFile } from '../io/load';
import type { Volume } from '../io/volume/types';
import { volumeImage } from '../io/volume/maps';
import { writeNifti } from '../io/volume/writeNifti';
import { writeAtomically } from '../fs/atomicWrite';
import type { ConfigChoice, ModelRunner } from '../model/runner';
import type { ResolvedModelConfig } from '../../core/model/config';
import { findSidecarConfig } from '../model/sidecar';

/**
 * How voxel values become the slice's pixels:
 * - `stored` (the default): an 8- or 16-bit integer volume without scl_slope/scl_inter is fed as an 8- or 16-bit
 *   picture (its stored samples: the sidecar's `"scale"` or `"inputRange"` applies exactly as to a PNG of that
 *   depth); any other volume (float MR, int16 CT, scaled data) is fed as a float picture of its real values, which
 *   the 2-D path takes as already in the model's input range (or multiplies by a written `"scale"`) — a note says
 *   when the values exceed [0, 1];
 * - `window`: values are clipped to [low, high] and mapped linearly to 0…255, rounded, and fed as an 8-bit picture:
 *   what an 8-bit PNG export of the slice with that window holds (the demo's 2-D training slices were made so);
 * - `auto`: the window from the 0.5th to the 99.5th percentile of the whole volume (the viewer's default window).
 * One mapping for the whole volume, so every slice is scaled alike.
 */
export type SliceIntensity =
  { kind: 'stored' } | { kind: 'window'; low: number; high: number } | { kind: 'auto' };

export interface SliceProgress {
  /** Slices run so far (this one included). */
  done: number;
  total: number;
  /** The slice just run (its index along the plane's normal file axis). */
  slice: number;
  elapsedMs: number;
  /** Estimated time to finish: the mean time per slice so far × the slices left. */
  etaMs: number;
}

export interface VolumeModelOptions {
  /** The plane whose slices are run (the viewer's names). */
  axis: PlaneName;
  /** The model config; @default the sidecar next to the model, else inferred (as for a 2-D image) */
  choice?: ConfigChoice;
  /** @default { kind: 'stored' } */
  intensity?: SliceIntensity;
  /** Largest voxel count of the input file, from its header. @default DEFAULT_MAX_ELEMENTS (2^28) */
  maxElements?: number;
  /**
   * Largest number of float32 values of the probability volume (classes × voxels), checked before it is allocated.
   * @default DEFAULT_MAX_ELEMENTS (2^28 = 1 GiB)
   */
  maxOutputElements?: number;
  /** How the user lifts maxOutputElements, named in the refusal. @default none */
  limitHint?: string;
  /** Called after each slice. */
  onProgress?: (p: SliceProgress) => void;
  /** Checked between slices: an aborted signal stops the run with CancelledError. */
  signal?: AbortSignal;
  /** The same, for callers with a flag rather than a signal (the worker RPC). */
  isCancelled?: () => boolean;
}

export interface VolumeModelResult {
  /** [C, nk, nj, ni], float32 probabilities, on `geometry`. */
  prob: ProbMap;
  classes: string[];
  geometry: VolumeGeometry;
  axis: PlaneName;
  /** The file axis (0 = i, 1 = j, 2 = k) the slices run along, and how many there were. */
  normalAxis: 0 | 1 | 2;
  slices: number;
  /** Each slice's size as fed (width × height, before the model's own resize). */
  sliceWidth: number;
  sliceHeight: number;
  /** The intensity mapping actually used, in words. */
  intensity: string;
  config: ResolvedModelConfig;
  configSource: string | undefined;
  /** The run's notes, each once (the volume reader's, the model's, the normalisation's). */
  notes: string[];
  timings: { totalMs: number; runMs: number };
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const base = (p: string): string => p.replace(/^.*[\\/]/, '');

/** The pixel source of every slice: the voxels in the sample type the intensity mapping decided. */
interface SliceSource {
  values: Uint8Array | Uint16Array | Float32Array;
  description: string;
  /** Said once in the notes when the values may not be what the model expects. */
  warning?: string;
}

/** A note's wording with its numbers left out, so notes differing only in them count as one. */
function noteShape(note: string): string {
  return note.replace(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g, '#');
}

/** An error's message without the "<source>: " prefix InputError adds (the wrapping message names both). */
function withoutSource(e: unknown): string {
  const text = errorMessage(e);
  if (e instanceof InputError && e.source && text.startsWith(`${e.source}: `))
    return text.slice(e.source.length + 2);
  return text;
}

/** The 0.5th and 99.5th percentiles of the finite values (a 4096-bin histogram, float64 counts). */
export function percentileWindow(values: Float32Array): { low: number; high: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isFinite(x)) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (!(max > min)) return { low: min, high: max };
  const bins = new Float64Array(4096);
  const scale = (bins.length - 1) / (max - min);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isFinite(x)) {
      bins[Math.floor((x - min) * scale)]++;
      n++;
    }
  }
  const at = (q: number): number => {
    const target = q * n;
    let seen = 0;
    for (let b = 0; b < bins.length; b++) {
      seen += bins[b];
      if (seen >= target) return min + b / scale;
    }
    return max;
  };
  return { low: at(0.005), high: at(0.995) };
}

/** Decides how the voxels become pixels (SliceIntensity) and converts the first volume once. */
function sliceSource(v: Volume, intensity: SliceIntensity): SliceSource {
  const identity = v.scale.slope === 1 && v.scale.inter === 0;
  const n = voxelCount(v.geometry);
  if (
    intensity.kind === 'stored' &&
    identity &&
    (v.data instanceof Uint8Array || v.data instanceof Uint16Array)
  ) {
    const bits = v.data instanceof Uint8Array ? 8 : 16;
    return {
      values: v.data.subarray(0, n),
      description: `stored ${bits}-bit values, fed as ${bits === 8 ? 'an' : 'a'} ${bits}-bit picture`,
    };
  }
  const img = volumeImage(v);
  if (intensity.kind === 'stored') {
    return {
      values: img.data,
      description:
        `real values (${v.dtype}${identity ? '' : ', scaled by scl_slope/scl_inter'}, ` +
        `${fmt(img.min)} … ${fmt(img.max)}), fed as a float picture`,
      ...(img.min < 0 || img.max > 1
        ? {
            warning:
              `the image's values run ${fmt(img.min)} … ${fmt(img.max)}, outside [0, 1]: the model's normalisation ` +
              'gets them unchanged (times "scale" or "inputRange", then mean/std); for a model trained on 8-bit ' +
              'slice exports, give an intensity window (seglens run --window auto, or the window in VS Code)',
          }
        : {}),
    };
  }
  const { low, high } = intensity.kind === 'auto' ? percentileWindow(img.data) : intensity;
  if (!(Number.isFinite(low) && Number.isFinite(high) && high > low)) {
    throw new InputError(
      `the intensity window ${fmt(low)} … ${fmt(high)} is empty: the image is constant or the window's high ` +
        'end is not above its low end',
      v.source,
    );
  }
  const out = new Uint8Array(img.data.length);
  const k = 255 / (high - low);
  for (let i = 0; i < out.length; i++) {
    const x = img.data[i];
    // NaN voxels become black, like the viewer draws them at the window's low end.
    const y = x === x ? Math.round((x - low) * k) : 0;
    out[i] = y < 0 ? 0 : y > 255 ? 255 : y;
  }
  return {
    values: out,
    description:
      `window ${fmt(low)} … ${fmt(high)}${intensity.kind === 'auto' ? ' (0.5th–99.5th percentile)' : ''} ` +
      'mapped to 0…255, fed as an 8-bit picture',
  };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(5)));
}

/** A slice buffer of the source's type. */
function sliceBuffer(values: SliceSource['values'], size: number): Uint8Array | Uint16Array | Float32Array {
  if (values instanceof Uint8Array) return new Uint8Array(size);
  if (values instanceof Uint16Array) return new Uint16Array(size);
  return new Float32Array(size);
}

/** The refusal of a probability volume larger than the limit, naming the file and the sizes. */
function tooLargeOutput(
  channels: number,
  g: VolumeGeometry,
  limit: number,
  source: string,
  hint: string | undefined,
): InputError {
  const [ni, nj, nk] = g.dims;
  const mib = (channels * voxelCount(g) * 4) / 2 ** 20;
  return new InputError(
    `the probability volume would hold ${channels} class(es) × ${ni}×${nj}×${nk} voxels = ` +
      `${channels * voxelCount(g)} float32 values (${mib.toFixed(0)} MiB), more than the limit of ${limit}` +
      `${hint ? `; ${hint}` : ''}`,
    source,
  );
}

/**
 * Runs `modelPath` on every slice of `axis` of the image volume `volumePath` and assembles the probability volume.
 * @throws InputError naming the file (the volume, or the model with the failing slice) and the problem;
 *         CancelledError when cancelled between slices
 */
export async function runModelOnVolume(
  runner: ModelRunner,
  modelPath: string,
  volumePath: string,
  options: VolumeModelOptions,
): Promise<VolumeModelResult> {
  const t0 = now();
  const cancelled = () => options.signal?.aborted === true || options.isCancelled?.() === true;
  const maxOut = options.maxOutputElements ?? DEFAULT_MAX_ELEMENTS;
  // The config is read once (not once per slice): a sidecar edited during the run cannot change it half-way.
  let choice = options.choice ?? {};
  const notes: string[] = [];
  if (!choice.config) {
    const sidecar = await findSidecarConfig(modelPath);
    if (sidecar) {
      choice = { config: sidecar.config, configSource: sidecar.source };
      notes.push(...sidecar.notes);
    }
  }
  // Loads the model and resolves its config before the volume is read: a bad model fails first and fast.
  const inspected = await runner.inspect(modelPath, choice);

  const volume = loadVolumeFile(volumePath, { maxElements: options.maxElements });
  const g = volume.geometry;
  const m: PlaneMapping = planeMapping(g, options.axis, 'radiological');
  const n = voxelCount(g);
  // Even one class must fit; the real class count is checked after the first slice, before allocating.
  if (n > maxOut) throw tooLargeOutput(1, g, maxOut, volumePath, options.limitHint);
  const source = sliceSource(volume, options.intensity ?? { kind: 'stored' });
  notes.push(...volume.notes);
  notes.push(
    `${m.slices} ${options.axis} slices of ${m.width}×${m.height} (${orientationCode(g)} volume, slices along file ` +
      `axis ${'ijk'[m.normalAxis]}, ${m.sliceLetters[0]}→${m.sliceLetters[1]}), each as the viewer shows it in the ` +
      `radiological convention (${m.letters.left} on the left, ${m.letters.top} at the top); intensities: ` +
      source.description,
  );
  if (source.warning) notes.push(source.warning);

  // Each pixel (u, v) of a slice is voxel base + u·du + v·dv + index·dn (the inverse of the cut).
  const dims = g.dims;
  const stride = [1, dims[0], dims[0] * dims[1]];
  const du = m.uFlip ? -stride[m.uAxis] : stride[m.uAxis];
  const dv = m.vFlip ? -stride[m.vAxis] : stride[m.vAxis];
  const corner =
    (m.uFlip ? (m.width - 1) * stride[m.uAxis] : 0) + (m.vFlip ? (m.height - 1) * stride[m.vAxis] : 0);
  const dn = stride[m.normalAxis];

  const size = m.width * m.height;
  const pixels = sliceBuffer(source.values, size);
  // Per-slice notes by their wording without numbers: the first is kept, the others counted (a float volume's
  // "the largest value 114.5 becomes 0.449" differs on every slice).
  const seen = new Map<string, { at: number; slice: number; count: number }>();
  for (const [at, n] of notes.entries()) seen.set(noteShape(n), { at, slice: -1, count: 1 });
  let out: Float32Array | undefined;
  let channels = 0;
  let classes: string[] = [];
  let config = inspected.config;
  let configSource = inspected.configSource;
  let runMs = 0;
  for (let index = 0; index < m.slices; index++) {
    if (cancelled()) throw new CancelledError();
    extractSlice(source.values, dims, m, index, pixels);
    const image: ModelImage = { width: m.width, height: m.height, channels: 1, data: pixels };
    const label = `${base(volumePath)} ${options.axis} slice ${index} of ${m.slices}`;
    let result;
    try {
      result = await runner.run(modelPath, image, label, choice);
    } catch (e) {
      throw new InputError(
        `the model failed on ${options.axis} slice ${index} (of 0…${m.slices - 1}, file axis ` +
          `${'ijk'[m.normalAxis]}) of ${volumePath}: ${withoutSource(e)}`,
        modelPath,
      );
    }
    const [C, H, W] = result.prob.shape;
    if (H !== m.height || W !== m.width) {
      // The runner maps every output back to the image's size; anything else is a bug, not a user error.
      throw new Error(`the runner returned a ${W}×${H} map for a ${m.width}×${m.height} slice`);
    }
    if (!out) {
      if (C * n > maxOut) throw tooLargeOutput(C, g, maxOut, volumePath, options.limitHint);
      out = new Float32Array(C * n);
      channels = C;
      classes = result.classes;
      config = result.config;
      configSource = result.configSource;
    } else if (C !== channels) {
      throw new InputError(
        `the model gave ${C} channel(s) on ${options.axis} slice ${index} of ${volumePath} but ${channels} on ` +
          'the first slice',
        modelPath,
      );
    }
    const src = result.prob.data;
    const start = corner + index * dn;
    for (let c = 0; c < C; c++) {
      const plane = c * n;
      let o = c * size;
      for (let v = 0; v < m.height; v++) {
        let p = plane + start + v * dv;
        for (let u = 0; u < m.width; u++, p += du) out[p] = src[o++];
      }
    }
    for (const note of result.notes) {
      // A per-slice note would repeat once per slice; the slice label is cut so equal notes merge.
      const text = note.split(label).join('the slice');
      const key = noteShape(text);
      const known = seen.get(key);
      if (known) known.count++;
      else {
        seen.set(key, { at: notes.length, slice: index, count: 1 });
        notes.push(text);
      }
    }
    runMs += result.timings.runMs;
    const elapsedMs = now() - t0;
    const done = index + 1;
    options.onProgress?.({
      done,
      total: m.slices,
      slice: index,
      elapsedMs,
      etaMs: (elapsedMs / done) * (m.slices - done),
    });
  }
  if (!out) throw new InputError(`the volume has no ${options.axis} slices`, volumePath);
  for (const { at, slice, count } of seen.values()) {
    if (slice >= 0 && count > 1) notes[at] += ` (${options.axis} slice ${slice}; alike on ${count - 1} more)`;
  }
  return {
    prob: { data: out, shape: [channels, ...arrayShape(g)] },
    classes,
    geometry: g,
    axis: options.axis,
    normalAxis: m.normalAxis,
    slices: m.slices,
    sliceWidth: m.width,
    sliceHeight: m.height,
    intensity: source.description,
    config,
    configSource,
    notes,
    timings: { totalMs: now() - t0, runMs },
  };
}

/** The viewer's plane names, as `--axis` and the command accept them. */
export const SLICE_AXES: readonly PlaneName[] = ['axial', 'coronal', 'sagittal'];

export function isSliceAxis(s: unknown): s is PlaneName {
  return typeof s === 'string' && (SLICE_AXES as readonly string[]).includes(s);
}

/**
 * The probability volume as NIfTI-1 bytes on the image's grid: float32, one 3-D volume per class (dim[0] = 4 for
 * more than one class, as a probability volume is read back: docs/volumes.md), gzip-compressed for a `.gz` name.
 */
export function probabilityVolumeBytes(result: VolumeModelResult, path: string): Uint8Array {
  return writeNifti(result.prob.data as Float32Array, result.geometry, {
    volumes: result.prob.shape[0],
    gzip: path.toLowerCase().endsWith('.gz'),
    description: `SegLens ${result.axis} slice-by-slice probabilities`,
  });
}

/** What a run that wrote its probability volume to a file reports (the voxels stay where they were computed). */
export type VolumeRunSummary = Omit<VolumeModelResult, 'prob'> & {
  /** The NIfTI file written. */
  output: string;
  /** [C, nk, nj, ni]. */
  shape: number[];
};

/** Runs the model on the volume and writes the probability volume to `output` atomically (see runModelOnVolume). */
export async function runModelOnVolumeToFile(
  runner: ModelRunner,
  modelPath: string,
  volumePath: string,
  output: string,
  options: VolumeModelOptions,
): Promise<VolumeRunSummary> {
  const result = await runModelOnVolume(runner, modelPath, volumePath, options);
  writeAtomically(output, probabilityVolumeBytes(result, output), { what: 'the probability volume' });
  const { prob, ...rest } = result;
  return { ...rest, output, shape: [...prob.shape] };
}
