/**
 * The decoded form of an image or label file as it leaves the imaging layer: interleaved samples plus what the
 * panel shows about them. No vscode import: the CLI and the worker threads use the same code.
 */
import type { PixelDtype, ValueRange } from '../../core/pixels';

export type RasterData = Uint8Array | Uint16Array | Int32Array | Float32Array;

/**
 * How a file is interpreted: for display (an image), as class indices (a mask), or as a probability map (float
 * values in [0, 1], shown as a heatmap of the foreground probability).
 */
export type DecodeRole = 'image' | 'labels' | 'prob';

export interface Raster {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  dtype: PixelDtype;
  data: RasterData;
  /** Format of the file, e.g. "png". */
  format: string;
  /** Sample type in the file, e.g. "uint16", "uint8 palette". */
  sourceDtype: string;
  /** Palette of a palette PNG decoded as labels (index → [r, g, b]). */
  palette?: [number, number, number][];
  /** Smallest and largest finite sample. */
  range: ValueRange;
  /** Labels only: distinct values present, ascending. */
  classes?: number[];
  /** Notes produced while decoding (e.g. "RGB mask converted to 3 class indices"). */
  notes: string[];
  /** Channels in the file when more than one could be shown (the panel's channel picker offers them). */
  fileChannels?: number;
}

/** Min and max over all finite samples, accumulated without allocation. NaN/NaN when none is finite. */
export function valueRange(data: RasterData): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // NaN fails both comparisons, so it never enters the range.
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity || max === -Infinity) return { min: NaN, max: NaN };
  return { min, max };
}

/** Largest number of distinct labels a mask may have before it is treated as "not a label map". */
export const MAX_CLASSES = 4096;

/**
 * Distinct values of integer label data, ascending. Uint8/Uint16 use a counting table; Int32 uses a set capped at
 * `MAX_CLASSES`, returning undefined when the data has more distinct values than that.
 */
export function distinctLabels(data: Uint8Array | Uint16Array | Int32Array): number[] | undefined {
  if (data instanceof Uint8Array || data instanceof Uint16Array) {
    const seen = new Uint8Array(data instanceof Uint8Array ? 256 : 65536);
    for (let i = 0; i < data.length; i++) seen[data[i]] = 1;
    const out: number[] = [];
    for (let v = 0; v < seen.length; v++) if (seen[v]) out.push(v);
    return out.length > MAX_CLASSES ? undefined : out;
  }
  const set = new Set<number>();
  for (let i = 0; i < data.length; i++) {
    set.add(data[i]);
    if (set.size > MAX_CLASSES) return undefined;
  }
  return [...set].sort((a, b) => a - b);
}
