/**
 * Activations applied in place to channel-first maps [C, N] (N pixels per channel), in float64 arithmetic.
 * Softmax subtracts the per-pixel maximum first so large logits cannot overflow to Infinity/NaN.
 */

/**
 * Logistic sigmoid on every value. One expression covers the whole range: for very negative v, exp(−v) overflows
 * to Infinity and 1 / Infinity is exactly 0, so no branch is needed (and NaN stays NaN for the caller's check).
 */
export function sigmoidInPlace(data: Float32Array): void {
  const n = data.length;
  for (let i = 0; i < n; i++) data[i] = 1 / (1 + Math.exp(-data[i]));
}

/**
 * Softmax over the class axis of a [channels, pixels] map. The loops run channel by channel over contiguous
 * planes (cache-friendly) with per-pixel running maxima and sums kept in float64; each exponential is computed
 * once and stored in place before the division.
 */
export function softmaxInPlace(data: Float32Array, channels: number, pixels: number): void {
  const max = new Float64Array(pixels).fill(-Infinity);
  const sum = new Float64Array(pixels);
  for (let c = 0; c < channels; c++) {
    const base = c * pixels;
    for (let p = 0; p < pixels; p++) {
      const v = data[base + p];
      // A NaN must poison the pixel rather than be skipped by the comparison, so the caller's check sees it.
      if (v > max[p] || v !== v) max[p] = v;
    }
  }
  // The sum uses the float32-rounded exponentials that are stored, so the channels add up to 1 within rounding.
  for (let c = 0; c < channels; c++) {
    const base = c * pixels;
    for (let p = 0; p < pixels; p++) {
      const e = Math.fround(Math.exp(data[base + p] - max[p]));
      data[base + p] = e;
      sum[p] += e;
    }
  }
  for (let c = 0; c < channels; c++) {
    const base = c * pixels;
    for (let p = 0; p < pixels; p++) data[base + p] /= sum[p];
  }
}
