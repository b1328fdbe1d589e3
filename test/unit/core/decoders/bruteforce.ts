/**
 * Independent reference evaluators for the decoder tests (docs/specs/decoders.md §2.3). They share no code with
 * src/core/decoders: full enumeration of label vectors for N ≤ 16, and an untrimmed O(N²) PMF double sum for
 * N ≤ 200.
 */

export type Convention = 'conv0' | 'conv1';

/** E[Dice_γ(S)] and E[IoU_γ(S)] by enumerating all 2^N label vectors. */
export function enumerateScore(
  p: ArrayLike<number>,
  mask: ArrayLike<number>,
  smooth = 0,
  conv: Convention = 'conv0',
): { dice: number; iou: number } {
  const n = p.length;
  if (n > 16) throw new Error('enumeration is for N ≤ 16');
  let dice = 0;
  let iou = 0;
  for (let y = 0; y < 1 << n; y++) {
    let prob = 1;
    let tp = 0;
    let pos = 0;
    let sel = 0;
    for (let j = 0; j < n; j++) {
      const yj = (y >> j) & 1;
      prob *= yj ? p[j] : 1 - p[j];
      const sj = mask[j] ? 1 : 0;
      pos += yj;
      sel += sj;
      tp += yj & sj;
    }
    if (prob === 0) continue;
    const union = sel + pos - tp;
    if (sel + pos === 0 && smooth === 0) {
      const both = conv === 'conv1' ? 1 : 0;
      dice += prob * both;
      iou += prob * both;
      continue;
    }
    dice += (prob * (2 * tp + smooth)) / (sel + pos + smooth);
    iou += (prob * (tp + smooth)) / (union + smooth);
  }
  return { dice, iou };
}

/** Full (untrimmed) Poisson-binomial PMF by the O(N²) recursion. */
export function fullPmf(ps: readonly number[]): number[] {
  let f = [1];
  for (const q of ps) {
    const g = new Array<number>(f.length + 1).fill(0);
    for (let l = 0; l < f.length; l++) {
      g[l] += (1 - q) * f[l];
      g[l + 1] += q * f[l];
    }
    f = g;
  }
  return f;
}

/** E[Dice_γ(S)], E[IoU_γ(S)] by the two-PMF double sum (§1.1), untrimmed; any N ≤ 200. */
export function dpScore(
  p: ArrayLike<number>,
  mask: ArrayLike<number>,
  smooth = 0,
  conv: Convention = 'conv0',
): { dice: number; iou: number } {
  const inside: number[] = [];
  const outside: number[] = [];
  for (let j = 0; j < p.length; j++) (mask[j] ? inside : outside).push(p[j]);
  const tp = fullPmf(inside);
  const fn = fullPmf(outside);
  const tau = inside.length;
  let dice = 0;
  let iou = 0;
  for (let a = 0; a < tp.length; a++) {
    for (let b = 0; b < fn.length; b++) {
      const w = tp[a] * fn[b];
      if (tau + a + b === 0 && smooth === 0) {
        const both = conv === 'conv1' ? 1 : 0;
        dice += w * both;
        iou += w * both;
        continue;
      }
      dice += (w * (2 * a + smooth)) / (tau + a + b + smooth);
      iou += (w * (a + smooth)) / (tau + b + smooth);
    }
  }
  return { dice, iou };
}

/** Indices sorted by (−p, index). */
export function rankOrder(p: ArrayLike<number>): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
}

/** The exact top-τ optimum by evaluating every τ with dpScore: { k, dice } for Dice and { kIou, iou }. */
export function bruteTopTau(
  p: ArrayLike<number>,
  smooth = 0,
  conv: Convention = 'conv0',
): { k: number; dice: number; kIou: number; iou: number; curve: number[] } {
  const order = rankOrder(p);
  const mask = new Array<number>(p.length).fill(0);
  const curve: number[] = [];
  const ious: number[] = [];
  for (let tau = 0; tau <= p.length; tau++) {
    if (tau > 0) mask[order[tau - 1]] = 1;
    const s = dpScore(p, mask, smooth, conv);
    curve.push(s.dice);
    ious.push(s.iou);
  }
  // Ties: the smallest τ within 1e-13 of the maximum (the documented rule).
  const maxD = Math.max(...curve);
  const maxI = Math.max(...ious);
  const k = curve.findIndex((v) => v >= maxD - 1e-13);
  const kIou = ious.findIndex((v) => v >= maxI - 1e-13);
  return { k, dice: curve[k], kIou, iou: ious[kIou], curve };
}
