/**
 * One image of a tensor, laid out the way the viewer reads its role (pure): masks become one uint8 label per pixel
 * (0/1 floats and bools as 0/1, integer labels as they are, one-hot channels by argmax), images and probability
 * maps keep their channels last (`[H, W]` or `[H, W, C]`), a single channel is dropped. Volumes give their middle
 * slice, like the viewer does for volume files.
 */
import { InputError } from '../errors';
import { numberAt, sizeOf, type NDArray } from '../ndarray';
import type { Dims } from './dims';
import type { TensorRole } from './roles';

export interface ViewerItem {
  array: NDArray;
  /** What was taken, e.g. "item 2 of 4", "middle slice 8 of 16"; empty when the tensor is one image. */
  note: string;
}

/** Element strides of a C-ordered shape. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/**
 * Item `index` of the batch (when there is one) as a `[H, W]` or `[H, W, C]` array for `role`.
 * @throws InputError when the index is outside the batch or the tensor has no two spatial axes.
 */
export function viewerItem(a: NDArray, dims: Dims, role: TensorRole, index = 0): ViewerItem {
  if (dims.spatial.length < 2)
    throw new InputError(`a tensor of shape ${JSON.stringify(a.shape)} is not an image`);
  const st = strides(a.shape);
  const notes: string[] = [];
  let base = 0;
  if (dims.batch !== undefined) {
    const n = a.shape[dims.batch];
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new InputError(`item ${index} is outside the batch of ${n}`);
    }
    base += index * st[dims.batch];
    if (n > 1) notes.push(`item ${index} of ${n}`);
  }
  // Volumes: the middle slice of the first spatial axis.
  let [ya, xa] = dims.spatial;
  if (dims.spatial.length === 3) {
    const za = dims.spatial[0];
    const mid = Math.floor(a.shape[za] / 2);
    base += mid * st[za];
    notes.push(`middle slice ${mid} of ${a.shape[za]}`);
    [, ya, xa] = dims.spatial;
  }
  const h = a.shape[ya];
  const w = a.shape[xa];
  const c = dims.channel !== undefined ? a.shape[dims.channel] : 1;
  const cs = dims.channel !== undefined ? st[dims.channel] : 0;
  const at = (y: number, x: number, ch: number): number =>
    numberAt(a, base + y * st[ya] + x * st[xa] + ch * cs);
  if (role === 'mask') {
    const out = new Uint8Array(h * w);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let label: number;
        if (c === 1) {
          const v = at(y, x, 0);
          label = v >= 1 ? Math.min(255, Math.round(v)) : v > 0.5 ? 1 : 0;
        } else {
          label = 0;
          let best = -Infinity;
          for (let ch = 0; ch < c; ch++) {
            const v = at(y, x, ch);
            if (v > best) {
              best = v;
              label = ch;
            }
          }
        }
        out[y * w + x] = label;
      }
    }
    return { array: { dtype: 'uint8', shape: [h, w], data: out }, note: notes.join(', ') };
  }
  // The viewer shows 1, 3 or 4 image channels; of any other count, the first.
  const keep = role === 'image' && c !== 3 && c !== 4 ? 1 : c;
  if (keep !== c) notes.push(`channel 0 of ${c}`);
  const out = new Float32Array(h * w * keep);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < keep; ch++) out[(y * w + x) * keep + ch] = at(y, x, ch);
    }
  }
  const shape = keep === 1 ? [h, w] : [h, w, keep];
  if (sizeOf(shape) !== out.length) throw new InputError('internal: item size mismatch');
  return { array: { dtype: 'float32', shape, data: out }, note: notes.join(', ') };
}
