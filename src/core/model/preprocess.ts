/**
 * Turns decoded image pixels into the model's input tensor: colour conversion to `colorOrder`, the affine
 * normalisation (pixel·scale − mean[c]) / std[c], placement per the resize mode, and NCHW/NHWC packing.
 *
 * Normalisation is affine and bilinear weights sum to one, so normalising before resampling gives the same
 * values as after; we normalise first because it lets the common un-resized case (pad) write straight into the
 * tensor in one pass.
 *
 * Padding (pad and letterbox modes) is a black image border: pixel value 0 *before* normalisation, so the padded
 * tensor values are (0·scale − mean[c]) / std[c]. That is what training code gets from padding the image array
 * (np.pad, PIL, cv2.copyMakeBorder) before normalising, and what the demo models were trained with.
 */
import { InputError } from '../errors';
import { resampleBilinear } from './bilinear';
import { ResolvedModelConfig, channelsOf } from './config';
import { ResizeGeometry, planGeometry } from './geometry';
import type { ModelImage } from './image';
import { Normalization, chooseNormalization } from './normalization';

export type { ModelImage } from './image';

export interface PreparedInput {
  /** The input tensor's values in the configured layout. */
  data: Float32Array;
  /** [1, C, H, W] for NCHW, [1, H, W, C] for NHWC. */
  dims: number[];
  geometry: ResizeGeometry;
  /** The scale actually applied (the config's, or the one derived from inputRange for the image's sample type). */
  scale: number;
  /** What was assumed about the normalisation (see chooseNormalization), for the user to confirm. */
  notes: string[];
}

/** ITU-R BT.601 luma weights, used by PIL's convert("L") and OpenCV's RGB2GRAY. */
const LUMA = [0.299, 0.587, 0.114];

/** The default `scale` for an image's sample type: maps the full integer range to [0, 1]. */
export function defaultScale(image: ModelImage): number {
  if (image.data instanceof Uint8Array) return 1 / 255;
  if (image.data instanceof Uint16Array) return 1 / 65535;
  return 1;
}

/** Builds the input tensor for `image`. `source` names the image in error messages. */
export function prepareInput(
  image: ModelImage,
  config: ResolvedModelConfig,
  source: string,
  /** The normalisation chosen for the whole image, when `image` is one tile of it. */
  normalization?: Normalization,
): PreparedInput {
  const { width, height, channels: sc } = image;
  if (![1, 2, 3, 4].includes(sc)) {
    throw new InputError(
      `image has ${sc} channels per pixel; expected 1 (grey), 2, 3 (RGB) or 4 (RGBA)`,
      source,
    );
  }
  if (image.data.length < width * height * sc) {
    throw new InputError(
      `image data has ${image.data.length} samples, expected ${width * height * sc}`,
      source,
    );
  }
  const geometry = planGeometry(height, width, config.size, config.resize, source, {
    sideLength: config.sideLength,
    anchor: config.anchor,
  });
  const c = channelsOf(config.colorOrder);
  const { inHeight: H, inWidth: W, content } = geometry;
  const data = new Float32Array(c * H * W);
  const nchw = config.layout === 'NCHW';
  const dims = nchw ? [1, c, H, W] : [1, H, W, c];
  const channelStride = nchw ? H * W : 1;
  const rowStride = nchw ? W : W * c;
  const pixelStride = nchw ? 1 : c;
  const { scale, notes } = normalization ?? chooseNormalization(image, config, source);
  if (content.height !== H || content.width !== W) {
    for (let ch = 0; ch < c; ch++) {
      const pad = padOf(config, ch);
      if (pad === 0) continue;
      if (nchw) data.fill(pad, ch * H * W, (ch + 1) * H * W);
      else for (let i = ch; i < data.length; i += c) data[i] = pad;
    }
  }

  if (content.height === height && content.width === width) {
    const offset = content.top * rowStride + content.left * pixelStride;
    normalizeInto(image, config, scale, data, offset, rowStride, pixelStride, channelStride);
  } else {
    // Normalise once at the source size into channel-first planes, then resample each plane into place.
    const planes = new Float32Array(c * height * width);
    normalizeInto(image, config, scale, planes, 0, width, 1, height * width);
    const rect = { top: 0, left: 0, height, width };
    for (let ch = 0; ch < c; ch++) {
      resampleBilinear(
        { data: planes, offset: ch * height * width, rowStride: width, pixelStride: 1 },
        rect,
        {
          data,
          offset: ch * channelStride + content.top * rowStride + content.left * pixelStride,
          rowStride,
          pixelStride,
        },
        content.height,
        content.width,
      );
    }
  }
  return { data, dims, geometry, scale, notes };
}

/**
 * The normalised value of a padded pixel on channel `ch`: (padValue − mean) / std, with padValue in the units of
 * `mean` (0 = a black border by default, "mean" = the mean colour, i.e. a normalised 0).
 */
export function padOf(config: ResolvedModelConfig, ch: number): number {
  const pv = config.padValue;
  if (pv === 'mean') return 0;
  const v = pv === undefined ? 0 : (pv[ch] ?? pv[0]);
  return (v - config.mean[ch]) / config.std[ch];
}

/**
 * Writes the normalised channels of every pixel at (offset + y·rowStride + x·pixelStride + ch·channelStride).
 * Colour conversion: grey sources are replicated to RGB/BGR, colour sources become grey by BT.601 luma; alpha
 * is ignored.
 */
function normalizeInto(
  image: ModelImage,
  config: ResolvedModelConfig,
  scale: number,
  dst: Float32Array,
  offset: number,
  rowStride: number,
  pixelStride: number,
  channelStride: number,
): void {
  const { width, height, channels: sc, data: src } = image;
  const grey = sc <= 2;
  const order = config.colorOrder;
  // Per output channel: value = pixel·a + b with a = scale/std, b = −mean/std (one multiply-add per sample).
  const c = channelsOf(order);
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    a[ch] = scale / config.std[ch];
    b[ch] = -config.mean[ch] / config.std[ch];
  }
  if (order === 'GRAY') {
    const a0 = a[0];
    const b0 = b[0];
    for (let y = 0; y < height; y++) {
      let si = y * width * sc;
      let di = offset + y * rowStride;
      for (let x = 0; x < width; x++) {
        const v = grey ? src[si] : LUMA[0] * src[si] + LUMA[1] * src[si + 1] + LUMA[2] * src[si + 2];
        dst[di] = v * a0 + b0;
        si += sc;
        di += pixelStride;
      }
    }
    return;
  }
  // Source sample index of the model's channel 0 and 2: RGB keeps R first, BGR puts B first.
  const first = order === 'RGB' ? 0 : 2;
  const third = 2 - first;
  const d0 = offset;
  const d1 = offset + channelStride;
  const d2 = offset + 2 * channelStride;
  for (let y = 0; y < height; y++) {
    let si = y * width * sc;
    let di = y * rowStride;
    for (let x = 0; x < width; x++) {
      let v0: number;
      let v1: number;
      let v2: number;
      if (grey) {
        v0 = v1 = v2 = src[si];
      } else {
        v0 = src[si + first];
        v1 = src[si + 1];
        v2 = src[si + third];
      }
      dst[d0 + di] = v0 * a[0] + b[0];
      dst[d1 + di] = v1 * a[1] + b[1];
      dst[d2 + di] = v2 * a[2] + b[2];
      si += sc;
      di += pixelStride;
    }
  }
}
