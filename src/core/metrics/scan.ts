/**
 * Fast scans of label maps four pixels at a time. Label maps are mostly long runs of one label (a mask is
 * background almost everywhere, a prediction agrees with its GT almost everywhere), so comparing 32-bit words of
 * a Uint8Array skips a run in a quarter of the steps; only the word where the run ends is read pixel by pixel.
 * Every function returns exactly what the pixel-by-pixel loop would.
 */
import type { LabelData } from '../types';

/**
 * A 32-bit view of a byte label map (word w = pixels 4w … 4w + 3), or null when the map is not bytes or does not
 * start on a 4-byte boundary (then the scans go pixel by pixel).
 */
export function wordsOf(labels: LabelData): Int32Array | null {
  if (!(labels instanceof Uint8Array) || labels.byteOffset % 4 !== 0) return null;
  return new Int32Array(labels.buffer, labels.byteOffset, labels.length >> 2);
}

/**
 * The first index in [i, end) whose label is not `a`, or `end`. @param words wordsOf(labels) or null.
 */
export function runEnd(
  labels: LabelData,
  words: Int32Array | null,
  i: number,
  end: number,
  a: number,
): number {
  if (words !== null && a < 256) {
    // Up to the next word boundary pixel by pixel, then whole words equal to four copies of `a`.
    while (i < end && (i & 3) !== 0) {
      if (labels[i] !== a) return i;
      i++;
    }
    const four = (a * 0x01010101) | 0;
    // Sixteen pixels a step while all four words match (long runs), then word by word.
    while (i + 16 <= end) {
      const w = i >> 2;
      if (((words[w] ^ four) | (words[w + 1] ^ four) | (words[w + 2] ^ four) | (words[w + 3] ^ four)) !== 0)
        break;
      i += 16;
    }
    while (i + 4 <= end && words[i >> 2] === four) i += 4;
  }
  while (i < end && labels[i] === a) i++;
  return i;
}

/**
 * The first index in [i, end) where the two maps differ, or `end`. @param wa wordsOf(a), @param wb wordsOf(b)
 * (both or neither non-null).
 */
export function nextDifference(
  a: LabelData,
  b: LabelData,
  wa: Int32Array | null,
  wb: Int32Array | null,
  i: number,
  end: number,
): number {
  if (wa !== null && wb !== null) {
    while (i < end && (i & 3) !== 0) {
      if (a[i] !== b[i]) return i;
      i++;
    }
    while (i + 16 <= end) {
      const w = i >> 2;
      if (
        ((wa[w] ^ wb[w]) | (wa[w + 1] ^ wb[w + 1]) | (wa[w + 2] ^ wb[w + 2]) | (wa[w + 3] ^ wb[w + 3])) !==
        0
      )
        break;
      i += 16;
    }
    while (i + 4 <= end && wa[i >> 2] === wb[i >> 2]) i += 4;
  }
  while (i < end && a[i] === b[i]) i++;
  return i;
}
