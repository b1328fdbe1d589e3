/**
 * Non-overlapping labels from per-class masks (docs/specs/decoders.md §5.2, the package's convert_to_nonoverlap).
 *
 * Pixels claimed by one class keep it. Contested pixels, and unclaimed ones under 'max_score', go to the class
 * whose RMA objective gains most from them, measured against the pixels each class holds alone. Ties take the
 * lowest class index; inactive (pruned) classes never win; when no class is active the label is 0.
 */
import { UnassignedPolicy } from './primitives';

export interface ResolveInput {
  probs: Float32Array | Float64Array;
  /** Offset of this image's [C, N] block in probs. */
  offset: number;
  classes: number;
  pixels: number;
  /** [C, N] 0/1 masks of this image. */
  masks: Uint8Array;
  masksOffset: number;
  active: readonly boolean[];
  metric: 'dice' | 'iou';
  smooth: number;
  policy: UnassignedPolicy;
  voidIndex: number;
}

/** Writes labels for one image into out[outOffset .. outOffset + N). */
export function resolveOverlaps(r: ResolveInput, out: Int32Array, outOffset: number): void {
  const { probs, offset, classes: C, pixels: N, masks, masksOffset, active, smooth: g } = r;
  const t = new Float64Array(C);
  const m = new Float64Array(C);
  const mu = new Float64Array(C);
  for (let j = 0; j < N; j++) {
    let claims = 0;
    let only = -1;
    for (let c = 0; c < C; c++) {
      mu[c] += probs[offset + c * N + j];
      if (masks[masksOffset + c * N + j]) {
        claims++;
        only = c;
      }
    }
    if (claims === 1) {
      t[only]++;
      m[only] += probs[offset + only * N + j];
    }
  }
  const inc = (c: number, p: number): number => {
    if (!active[c]) return -Infinity;
    let v: number;
    if (r.metric === 'dice') {
      const D = t[c] + mu[c] + 1 + g;
      v = 2 * ((m[c] + p + g) / (D + 1) - (m[c] + g) / D);
    } else {
      const E = t[c] + mu[c] - m[c] + g;
      v = (m[c] + p + g) / (E - p + 1) - (m[c] + g) / E;
    }
    // A class with no mass can give 0/0; it is inactive in practice, but never let NaN win an argmax.
    return Number.isNaN(v) ? -Infinity : v;
  };
  for (let j = 0; j < N; j++) {
    let claims = 0;
    let only = -1;
    for (let c = 0; c < C; c++) {
      if (masks[masksOffset + c * N + j]) {
        claims++;
        only = c;
      }
    }
    if (claims === 1) {
      out[outOffset + j] = only;
      continue;
    }
    if (claims === 0 && r.policy === 'void') {
      out[outOffset + j] = r.voidIndex;
      continue;
    }
    let best = -Infinity;
    let label = 0;
    for (let c = 0; c < C; c++) {
      const v = inc(c, probs[offset + c * N + j]);
      if (v > best) {
        best = v;
        label = c;
      }
    }
    out[outOffset + j] = label;
  }
}

/**
 * Labels for the non-ranking decoders: among the classes that selected a pixel, the one with the highest
 * probability (lowest index on ties); unselected pixels get the argmax class ('max_score') or voidIndex.
 */
export function resolveByProbability(
  probs: Float32Array | Float64Array,
  offset: number,
  C: number,
  N: number,
  masks: Uint8Array,
  masksOffset: number,
  policy: UnassignedPolicy,
  voidIndex: number,
  out: Int32Array,
  outOffset: number,
): void {
  for (let j = 0; j < N; j++) {
    let bestSel = -1;
    let bestSelP = -Infinity;
    let bestAny = 0;
    let bestAnyP = -Infinity;
    for (let c = 0; c < C; c++) {
      const p = probs[offset + c * N + j];
      if (p > bestAnyP) {
        bestAnyP = p;
        bestAny = c;
      }
      if (masks[masksOffset + c * N + j] && p > bestSelP) {
        bestSelP = p;
        bestSel = c;
      }
    }
    out[outOffset + j] = bestSel >= 0 ? bestSel : policy === 'void' ? voidIndex : bestAny;
  }
}
