/**
 * Which axes of a tensor from a training step are the batch, the channels and the image (docs/debugging.md,
 * "Batch and channel axes"). Pure; guesses only from the shape, the way the tensors of segmentation code are laid
 * out: `[B, H, W, C]` (Keras, channels_last), `[B, C, H, W]` (PyTorch), `[B, H, W]`, `[H, W, C]`, `[C, H, W]`,
 * `[H, W]`. A channel axis is a small one (≤ 16) at the end or right after the batch; when both ends are small the
 * last wins (the Keras default), and the explanation says so.
 */

/** The largest axis read as channels (one per class or RGB(A)); a larger one is spatial. */
export const MAX_CHANNELS = 16;

export interface Dims {
  shape: readonly number[];
  /** Axis 0 when it is a batch of images, otherwise absent. */
  batch?: number;
  /** The channel axis, when there is one. */
  channel?: number;
  /** The two (or three, for volumes) spatial axes, in order. */
  spatial: number[];
  /** e.g. "batch of 4 (axis 0) · 48×48 image (axes 1, 2) · 1 channel (axis 3, channels_last)". */
  text: string;
}

const small = (n: number | undefined): boolean => n !== undefined && n >= 1 && n <= MAX_CHANNELS;

/** The axes of `shape`. Rank 2 is one image; rank 5 is a batch of volumes with channels. */
export function explainDims(shape: readonly number[]): Dims {
  const r = shape.length;
  const axes = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  let batch: number | undefined;
  let channel: number | undefined;
  let spatial: number[];
  let note = '';
  if (r <= 1) {
    spatial = axes(0, r);
  } else if (r === 2) {
    spatial = [0, 1];
  } else if (r === 3) {
    // [H, W, C] / [C, H, W] when an end is small, otherwise a batch of 2-D maps [B, H, W].
    if (small(shape[2]) && shape[0] > MAX_CHANNELS) {
      channel = 2;
      spatial = [0, 1];
    } else if (small(shape[0]) && !small(shape[2]) && shape[1] > MAX_CHANNELS) {
      // [C, H, W] or a small batch [B, H, W]: both read the same way as one map per leading index; call it a batch
      // when the maps are masks, but the viewer shows item 0 either way.
      batch = 0;
      spatial = [1, 2];
      note = 'axis 0 may also be channels';
    } else {
      batch = 0;
      spatial = [1, 2];
    }
  } else if (r === 4) {
    batch = 0;
    if (small(shape[3])) {
      channel = 3;
      spatial = [1, 2];
      if (small(shape[1])) note = 'axis 1 is small too; read as channels_last';
    } else if (small(shape[1])) {
      channel = 1;
      spatial = [2, 3];
    } else {
      // [B, D, H, W]: a batch of volumes without a channel axis.
      spatial = [1, 2, 3];
    }
  } else {
    batch = 0;
    if (small(shape[r - 1])) {
      channel = r - 1;
      spatial = axes(1, r - 1);
    } else {
      channel = 1;
      spatial = axes(2, r);
    }
  }
  const parts: string[] = [];
  if (batch !== undefined) parts.push(`batch of ${shape[batch]} (axis ${batch})`);
  parts.push(
    `${spatial.map((a) => shape[a]).join('×')} ${spatial.length === 3 ? 'volume' : 'image'} (axes ${spatial.join(', ')})`,
  );
  if (channel !== undefined) {
    const c = shape[channel];
    const where = channel === r - 1 ? 'channels_last' : 'channels_first';
    parts.push(`${c} channel${c === 1 ? '' : 's'} (axis ${channel}, ${where})`);
  }
  if (note) parts.push(note);
  return { shape, batch, channel, spatial, text: parts.join(' · ') };
}
