/**
 * A large image's picture at about the panel's resolution, sent to the viewer ahead of the image itself (issue 13,
 * command to overlay): the transfer to the webview runs at the pace of the workbench's connection (≈ 25 MB/s here),
 * so a 1024² RGB image (3.1 MB) costs about 130 ms and a 4096² one (50 MB) about 2 s, while the panel shows it at
 * about 600 px when fitted. The preview is the image averaged over step × step blocks: 1/step² of the bytes.
 */

/** The typed arrays an image's samples come in. */
export type PreviewSamples = Uint8Array | Uint16Array | Int32Array | Float32Array;

/** The longest side a preview may have: about a fitted panel's width on a common screen. */
export const PREVIEW_MAX_SIDE = 640;

/** Images with fewer raw bytes than this cross quickly enough on their own. */
export const PREVIEW_MIN_BYTES = 1 << 20;

/**
 * The block size that brings the longer side to at most `maxSide`, or 1 when the image needs no preview (its raw
 * bytes under `minBytes`, or already that small).
 */
export function previewStep(
  width: number,
  height: number,
  rawBytes: number,
  maxSide = PREVIEW_MAX_SIDE,
  minBytes = PREVIEW_MIN_BYTES,
): number {
  if (rawBytes < minBytes) return 1;
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
}

/**
 * The mean of each step × step block of interleaved samples (the last blocks of a row or column hold what is left),
 * per channel, accumulated in float64; integer samples are rounded to the nearest integer (halves up), so the
 * result has the input's type and range. NaN samples are left out of a block's mean (all NaN: NaN).
 */
export function downsampleBox(
  data: PreviewSamples,
  width: number,
  height: number,
  channels: number,
  step: number,
): { data: PreviewSamples; width: number; height: number } {
  if (!Number.isInteger(step) || step < 1)
    throw new RangeError(`downsampleBox: step ${step} is not a positive integer`);
  if (data.length !== width * height * channels)
    throw new RangeError(`downsampleBox: ${data.length} samples for ${width}×${height}×${channels}`);
  const w = Math.ceil(width / step);
  const h = Math.ceil(height / step);
  const out = new (data.constructor as new (n: number) => PreviewSamples)(w * h * channels);
  const integer = !(data instanceof Float32Array);
  // One output row at a time: sums and counts of its blocks, then the means. Each column's block offset is
  // worked out once.
  const sum = new Float64Array(w * channels);
  const count = new Float64Array(w * channels);
  const blockOf = new Int32Array(width);
  for (let x = 0; x < width; x++) blockOf[x] = Math.floor(x / step) * channels;
  for (let by = 0; by < h; by++) {
    sum.fill(0);
    count.fill(0);
    const y1 = Math.min(height, (by + 1) * step);
    for (let y = by * step; y < y1; y++) {
      let at = y * width * channels;
      if (integer) {
        // Integer samples are never NaN: the counts are the block's sizes, added below.
        if (channels === 3) {
          for (let x = 0; x < width; x++, at += 3) {
            const o = blockOf[x];
            sum[o] += data[at];
            sum[o + 1] += data[at + 1];
            sum[o + 2] += data[at + 2];
          }
        } else if (channels === 1) {
          for (let x = 0; x < width; x++) sum[blockOf[x]] += data[at++];
        } else {
          for (let x = 0; x < width; x++) {
            const o = blockOf[x];
            for (let c = 0; c < channels; c++) sum[o + c] += data[at++];
          }
        }
        continue;
      }
      for (let x = 0; x < width; x++) {
        const o = blockOf[x];
        for (let c = 0; c < channels; c++, at++) {
          const v = data[at];
          if (v === v) {
            sum[o + c] += v;
            count[o + c]++;
          }
        }
      }
    }
    const row = by * w * channels;
    const rows = y1 - by * step;
    for (let bx = 0; bx < w; bx++) {
      const cols = Math.min(width, (bx + 1) * step) - bx * step;
      for (let c = 0; c < channels; c++) {
        const i = bx * channels + c;
        if (integer) out[row + i] = Math.floor(sum[i] / (rows * cols) + 0.5);
        else out[row + i] = count[i] > 0 ? sum[i] / count[i] : NaN;
      }
    }
  }
  return { data: out, width: w, height: h };
}
