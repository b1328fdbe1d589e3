/**
 * Sliding-window inference for images larger than a model's input: where the tiles go, how much each tile's
 * pixels count where tiles overlap, and the running blend that keeps memory bounded — one [C, H, W] accumulator
 * (which becomes the map) and one [H, W] weight plane, whatever the number of tiles.
 *
 * The placement is mmsegmentation's "slide" inference: a stride of tile·(1 − overlap), the last tile of a row or
 * column moved back so it ends at the image border (never past it), tiles as large as the image when it is smaller.
 * Blending: "mean" averages overlapping tiles equally (mmsegmentation); "linear" weights each tile's pixels by
 * how far they are from an inner tile edge, falling linearly to the edge across the overlap, so seams fade out.
 * Blending happens on the values before the activation (logits), as mmsegmentation averages logits.
 */
import type { ModelImage } from './image';
import type { Rect } from './geometry';
import type { TileBlend } from './config';

/** The tile rectangles covering an H×W image with tiles of th×tw and the given overlap fraction. */
export function planTiles(H: number, W: number, th: number, tw: number, overlap: number): Rect[] {
  const axis = (n: number, t: number): [number, number][] => {
    const size = Math.min(t, n);
    const stride = Math.max(1, Math.round(size * (1 - overlap)));
    const count = Math.floor(Math.max(n - size + stride - 1, 0) / stride) + 1;
    const out: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const end = Math.min(i * stride + size, n);
      out.push([end - size, size]);
    }
    return out;
  };
  const rows = axis(H, th);
  const cols = axis(W, tw);
  const tiles: Rect[] = [];
  for (const [top, height] of rows)
    for (const [left, width] of cols) tiles.push({ top, left, height, width });
  return tiles;
}

/** One axis of a tile's blending weights: 1 inside, falling linearly to 0 across `ramp` pixels at inner edges. */
function axisWeights(start: number, length: number, total: number, ramp: number): Float32Array {
  const w = new Float32Array(length).fill(1);
  if (ramp <= 0) return w;
  for (let i = 0; i < length; i++) {
    let v = 1;
    // Half-pixel offsets keep every weight positive, so a pixel covered by one tile only is never divided by 0.
    if (start > 0) v = Math.min(v, (i + 0.5) / ramp);
    if (start + length < total) v = Math.min(v, (length - i - 0.5) / ramp);
    w[i] = v;
  }
  return w;
}

/** The weights of `tile` (rows and columns, their product is the weight of a pixel); all ones for "mean". */
export function tileWeights(
  tile: Rect,
  H: number,
  W: number,
  overlap: number,
  blend: TileBlend,
): { rows: Float32Array; cols: Float32Array } {
  const rampY = blend === 'linear' ? Math.round(Math.min(tile.height, H) * overlap) : 0;
  const rampX = blend === 'linear' ? Math.round(Math.min(tile.width, W) * overlap) : 0;
  return {
    rows: axisWeights(tile.top, tile.height, H, rampY),
    cols: axisWeights(tile.left, tile.width, W, rampX),
  };
}

/** The pixels of `rect` as an image of their own (a copy of those rows only). */
export function cropImage(image: ModelImage, rect: Rect): ModelImage {
  const { width, channels: c, data } = image;
  const ctor = data.constructor as new (n: number) => typeof data;
  const out = new ctor(rect.height * rect.width * c);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.top + y) * width + rect.left) * c;
    out.set(data.subarray(from, from + rect.width * c), y * rect.width * c);
  }
  return { width: rect.width, height: rect.height, channels: c, data: out };
}

/**
 * The running blend: weighted sums of the tiles' values, then their ratio to the weights, in place. The tiles form
 * a grid and each tile's weight is a product of a row and a column weight, so the total weight at (y, x) is
 * (Σ row weights at y) · (Σ column weights at x): two 1-D sums instead of a whole weight plane, which keeps the
 * memory of a 24-megapixel run to the accumulator (which becomes the map) and little else.
 */
export class TileBlender {
  /** [C, H, W]: weighted sums while blending, the blended values after `finish`. */
  readonly values: Float32Array;
  private readonly rowSum: Float64Array;
  private readonly colSum: Float64Array;

  constructor(
    readonly channels: number,
    readonly height: number,
    readonly width: number,
    tiles: readonly Rect[],
    overlap: number,
    blend: TileBlend,
  ) {
    this.values = new Float32Array(channels * height * width);
    this.rowSum = new Float64Array(height);
    this.colSum = new Float64Array(width);
    const rows = new Set<number>();
    const cols = new Set<number>();
    for (const t of tiles) {
      const w = tileWeights(t, height, width, overlap, blend);
      if (!rows.has(t.top)) {
        rows.add(t.top);
        for (let y = 0; y < t.height; y++) this.rowSum[t.top + y] += w.rows[y];
      }
      if (!cols.has(t.left)) {
        cols.add(t.left);
        for (let x = 0; x < t.width; x++) this.colSum[t.left + x] += w.cols[x];
      }
    }
  }

  /** Adds one tile's map [C, tile.height, tile.width] (channel-first) with the tile's weights. */
  add(map: Float32Array, tile: Rect, w: { rows: Float32Array; cols: Float32Array }): void {
    const { height: th, width: tw } = tile;
    const N = this.height * this.width;
    for (let y = 0; y < th; y++) {
      const wy = w.rows[y];
      const base = (tile.top + y) * this.width + tile.left;
      for (let c = 0; c < this.channels; c++) {
        const src = c * th * tw + y * tw;
        const dst = c * N + base;
        for (let x = 0; x < tw; x++) this.values[dst + x] += wy * w.cols[x] * map[src + x];
      }
    }
  }

  /** Divides the sums by the weights; returns the blended [C, H, W] values (the same array). */
  finish(): Float32Array {
    const { height: H, width: W } = this;
    for (let c = 0; c < this.channels; c++) {
      for (let y = 0; y < H; y++) {
        const base = c * H * W + y * W;
        const ry = this.rowSum[y];
        for (let x = 0; x < W; x++) this.values[base + x] /= ry * this.colSum[x];
      }
    }
    return this.values;
  }
}
