/**
 * Argmax: each pixel gets its most probable class (first maximum wins), written as one-hot masks. With one class
 * it thresholds at p > 0.5, the package's accuracy mode.
 */
import type { Selector } from '../row';
import { selectAbove, selectEachClass } from './common';

export const argmaxSelector: Selector = {
  select(x) {
    const { data, batch: B, classes: C, pixels: N, masks } = x;
    // The per-class loop only polls cancellation; the decision needs every class of an image at once.
    const out = selectEachClass(x, () => {});
    for (let b = 0; b < B; b++) argmaxImage(data, b, C, N, masks);
    return out;
  },
  labels: 'onehot',
};

/** One-hot argmax over classes (first maximum wins); with one class, p > 0.5. */
function argmaxImage(
  data: Float32Array | Float64Array,
  b: number,
  C: number,
  N: number,
  masks: Uint8Array,
): void {
  const base = b * C * N;
  if (C === 1) {
    selectAbove(data, base, N, 0.5, masks);
    return;
  }
  for (let j = 0; j < N; j++) {
    let best = -1;
    let arg = 0;
    for (let c = 0; c < C; c++) {
      const p = data[base + c * N + j];
      if (p > best) {
        best = p;
        arg = c;
      }
    }
    masks[base + arg * N + j] = 1;
  }
}
