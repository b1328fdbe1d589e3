/**
 * Colour-coded masks (RGB PNGs where each class has a colour) are common; the viewer needs class indices. This
 * maps each distinct colour to an index: black is 0 (background) and the other colours follow in ascending
 * packed-RGB order, so the mapping depends only on the set of colours, not on where they appear.
 */
import { InputError } from '../../core/errors';
import { MAX_CLASSES } from './raster';

export interface ColourLabels {
  labels: Uint8Array | Uint16Array;
  /** index → [r, g, b]; index 0 is black when black occurs. */
  colours: [number, number, number][];
}

/**
 * Converts interleaved RGB/RGBA samples (8 or 16 bit) to class indices. A grey mask stored as RGB (r = g = b
 * everywhere) keeps its grey values as the indices, which is what such files mean.
 */
export function labelsFromColours(
  data: Uint8Array | Uint16Array,
  channels: number,
  source: string,
): ColourLabels {
  const n = data.length / channels;
  let grey = true;
  for (let i = 0; i < n && grey; i++) {
    const p = i * channels;
    grey = data[p] === data[p + 1] && data[p] === data[p + 2];
  }
  if (grey) {
    const out = new (data instanceof Uint16Array ? Uint16Array : Uint8Array)(n);
    for (let i = 0; i < n; i++) out[i] = data[i * channels];
    return { labels: out, colours: [] };
  }
  // 16-bit colours are reduced to their high byte for the key; colour masks are 8-bit in practice.
  const shift = data instanceof Uint16Array ? 8 : 0;
  const keys = new Uint32Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    const key = ((data[p] >> shift) << 16) | ((data[p + 1] >> shift) << 8) | (data[p + 2] >> shift);
    keys[i] = key;
    if (!seen.has(key)) {
      seen.add(key);
      if (seen.size > MAX_CLASSES) {
        throw new InputError(
          `colour mask has more than ${MAX_CLASSES} colours; it does not look like a label map`,
          source,
        );
      }
    }
  }
  const sorted = [...seen].sort((a, b) => a - b);
  if (!seen.has(0)) sorted.unshift(-1); // keep index 0 as background even when no pixel is black
  const index = new Map<number, number>();
  sorted.forEach((k, i) => index.set(k, i));
  const labels = sorted.length <= 256 ? new Uint8Array(n) : new Uint16Array(n);
  for (let i = 0; i < n; i++) labels[i] = index.get(keys[i]) ?? 0;
  const colours = sorted.map((k): [number, number, number] =>
    k < 0 ? [0, 0, 0] : [(k >> 16) & 255, (k >> 8) & 255, k & 255],
  );
  return { labels, colours };
}
