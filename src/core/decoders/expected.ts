/**
 * Exact expected Dice and IoU of ANY mask under independent Bernoulli labels (docs/specs/decoders.md §1.1, §1.4).
 *
 * With TP = Σ_{j∈S} Y_j and N = Σ_{j∉S} Y_j independent Poisson-binomials,
 *   E[Dice_γ] = Σ_a Σ_b P(TP=a)·P(N=b)·(2a+γ)/(τ+a+b+γ),   E[IoU_γ] = (Σ_{j∈S} p_j + γ)·E[1/(τ+γ+N)].
 * Both PMFs come from ./pmf (trimmed windows), so the cost is O(N log N) to build plus O(W_TP·W_N) to sum.
 */
import { InputError } from '../errors';
import { checkedProbabilities, normalizeInput } from './input';
import { diceCurve } from './curve';
import { Ranker, gatherSorted } from './order';
import { Pmf, pmfOfRange } from './pmf';
import { BernoulliSums, TransformWorkspace, pmfFromSums } from './pmfTransform';
import { ExpectedScore, MulticlassMask, MultilabelMask, ProbInput, ScoreOptions } from './primitives';

/** Scratch buffers for repeated evaluations (one per class in decode()). */
export class ScoreWorkspace {
  inside = new Float64Array(0);
  outside = new Float64Array(0);
  tp = new Pmf(0);
  fn = new Pmf(0);
  inSums = new BernoulliSums();
  outSums = new BernoulliSums();
  transform = new TransformWorkspace();
  recip = new Float64Array(0);
}

/**
 * Which pixels of a mask buffer form the mask: mask[maskOffset + j] !== 0 when `label` is −1 (0/1 masks),
 * mask[maskOffset + j] === label otherwise (one class of a label map).
 */
export interface MaskRef {
  mask: Uint8Array | Int32Array;
  maskOffset: number;
  label: number;
}

/**
 * Expected Dice/IoU of the mask `sel` over probs[offset .. offset+n). Internal form used by decode() for masks
 * that live inside larger [B, C, N] buffers; `workspace` (default: a new one) is reused across calls.
 *
 * Two passes over the pixels: moments of TP (inside) and N (outside), then their power sums, from which
 * ./pmfTransform builds both PMFs (sets with a small variance are gathered and built by the exact DP instead).
 */
export function expectedScoreOf(
  probs: Float32Array | Float64Array,
  offset: number,
  n: number,
  sel: MaskRef,
  options: ScoreOptions & { workspace?: ScoreWorkspace } = {},
): ExpectedScore {
  const convention = options.emptyConvention ?? 'conv0';
  const ws = options.workspace ?? new ScoreWorkspace();
  const { mask, maskOffset, label } = sel;
  // The selection test is written inline in both passes (a closure call per pixel cost a third of the time).
  const any = label < 0;
  const hit = (j: number) => (any ? mask[maskOffset + j] !== 0 : mask[maskOffset + j] === label);
  const inS = ws.inSums;
  const outS = ws.outSums;
  inS.resetMoments();
  outS.resetMoments();
  let sumIn = 0;
  for (let j = 0; j < n; j++) {
    const p = probs[offset + j];
    const v = mask[maskOffset + j];
    if (any ? v !== 0 : v === label) {
      inS.addMoment(p);
      sumIn += p;
    } else outS.addMoment(p);
  }
  const tau = inS.n;
  const out = outS.n;
  const inWide = inS.wide;
  const outWide = outS.wide;
  if (inWide) inS.startPowers();
  if (outWide) outS.startPowers();
  if (!inWide && ws.inside.length < tau) ws.inside = new Float64Array(tau);
  if (!outWide && ws.outside.length < out) ws.outside = new Float64Array(out);
  let ti = 0;
  let to = 0;
  for (let j = 0; j < n; j++) {
    const p = probs[offset + j];
    const v = mask[maskOffset + j];
    if (any ? v !== 0 : v === label) {
      if (inWide) inS.addPower(p);
      else ws.inside[ti++] = p;
    } else if (outWide) outS.addPower(p);
    else ws.outside[to++] = p;
  }
  const g = options.smooth ?? 0;
  const fn =
    outWide && outS.ok
      ? pmfFromSums(outS, ws.fn, ws.transform)
      : narrowPmf(probs, offset, n, hit, false, out, ws.outside, outWide, ws.fn);
  if (tau === 0 && g === 0) {
    // Only "both empty" can score: 0 under conv0, P(Γ = 0) under conv1.
    const v = convention === 'conv1' ? fn.at(0) : 0;
    return { dice: v, iou: v };
  }
  const tp =
    inWide && inS.ok
      ? pmfFromSums(inS, ws.tp, ws.transform)
      : narrowPmf(probs, offset, n, hit, true, tau, ws.inside, inWide, ws.tp);
  const fd = fn.data;
  const td = tp.data;
  let iouE = 0;
  for (let b = 0; b < fn.len; b++) iouE += fd[b] / (tau + g + fn.lo + b);
  let dice = 0;
  if (inWide || outWide) {
    // Large windows: the denominator of (a, b) is R[a + b], one table instead of W_TP·W_N divisions.
    const rlen = tp.len + fn.len;
    if (ws.recip.length < rlen) ws.recip = new Float64Array(rlen);
    const R = ws.recip;
    const base = tau + g + tp.lo + fn.lo;
    for (let i = 0; i < rlen; i++) R[i] = 1 / (base + i);
    for (let a = 0; a < tp.len; a++) {
      let inner = 0;
      for (let b = 0; b < fn.len; b++) inner += fd[b] * R[a + b];
      dice += td[a] * (2 * (tp.lo + a) + g) * inner;
    }
  } else {
    for (let a = 0; a < tp.len; a++) {
      const av = tp.lo + a;
      const base = tau + g + av + fn.lo;
      let inner = 0;
      for (let b = 0; b < fn.len; b++) inner += fd[b] / (base + b);
      dice += td[a] * (2 * av + g) * inner;
    }
  }
  return { dice, iou: (sumIn + g) * iouE };
}

/**
 * The PMF of a set built by the DP: its values were gathered in the second pass, except when the set was
 * wide but a pixel needed too many powers (never seen in practice), in which case they are gathered now.
 */
function narrowPmf(
  probs: Float32Array | Float64Array,
  offset: number,
  n: number,
  hit: (j: number) => boolean,
  inside: boolean,
  count: number,
  gathered: Float64Array,
  wasWide: boolean,
  into: Pmf,
): Pmf {
  let values = gathered;
  if (wasWide) {
    values = new Float64Array(count);
    let k = 0;
    for (let j = 0; j < n; j++) if (hit(j) === inside) values[k++] = probs[offset + j];
  }
  return pmfOfRange(values, 0, count, into);
}

/**
 * Exact expected Dice and IoU of `mask` (nonzero = selected) for one image and class, under independent
 * Bernoulli(probs) labels. The empty mask with smooth = 0 scores 0 (conv0, the default) or P(no positive
 * pixel) (conv1).
 */
export function expectedScore(
  probs: Float32Array | Float64Array,
  mask: Uint8Array,
  options: ScoreOptions = {},
): ExpectedScore {
  if (probs.length !== mask.length) {
    throw new InputError(
      `mask has ${mask.length} pixels but the probability map has ${probs.length}`,
      'mask',
    );
  }
  const p = checkedProbabilities(probs, 'probabilities');
  return expectedScoreOf(p, 0, probs.length, { mask, maskOffset: 0, label: -1 }, options);
}

/** The k values at which expectedDiceByK samples the curve: all of 0..n, or m evenly spaced ones. */
export function curveKs(n: number, maxPoints: number): Int32Array {
  const m = Math.min(n + 1, Math.max(2, Math.floor(maxPoints)));
  const ks = new Int32Array(m);
  for (let i = 0; i < m; i++) ks[i] = m === n + 1 ? i : Math.round((i * n) / (m - 1));
  return ks;
}

/**
 * Exact E[Dice] of the top-k mask (pixels ranked by (−p, flat index)) for k = curveKs(maxK, maxPoints): every
 * k from 0 to maxK (default N) when maxK < maxPoints (default 4096), otherwise maxPoints evenly spaced k
 * including 0 and maxK. Every returned value is exact to ~1e-15 relative (./curve: one PMF of Γ, prefix power
 * sums and a series of positive terms with a bounded remainder); only the sampling is coarser. The whole
 * curve of a 1024² map costs well under a second. `shouldCancel` is polled every 64 sampled k (CancelledError).
 */
export function expectedDiceByK(
  probs: Float32Array | Float64Array,
  options: ScoreOptions & { maxPoints?: number; maxK?: number; shouldCancel?: () => boolean } = {},
): Float64Array {
  const p = checkedProbabilities(probs, 'probabilities');
  const n = p.length;
  const maxK = Math.min(n, Math.max(0, Math.floor(options.maxK ?? n)));
  const order = new Ranker().rank(p, 0, n);
  const sorted = gatherSorted(p, 0, order, new Float64Array(n));
  const ks = curveKs(maxK, options.maxPoints ?? 4096);
  return diceCurve(sorted, n, ks, {
    smooth: options.smooth ?? 0,
    emptyConvention: options.emptyConvention,
    shouldCancel: options.shouldCancel,
  });
}

/**
 * Exact expected Dice/IoU per (image, class) of an existing mask, e.g. a saved prediction: a multilabel
 * [B, C, ...spatial] 0/1 mask, or a multiclass [B, ...spatial] label map (pixels labelled c form class c's
 * mask; labels outside 0..C−1, such as a void index, belong to no class). `input` is validated like decode().
 */
export function expectedScoresOfMask(
  input: ProbInput,
  mask: MultilabelMask | MulticlassMask,
  options: ScoreOptions = {},
): ExpectedScore[][] {
  const x = normalizeInput(input, 'none');
  const { batch: B, classes: C, pixels: N } = x;
  const want = mask.kind === 'multilabel' ? B * C * N : B * N;
  if (mask.data.length !== want) {
    throw new InputError(
      `mask has ${mask.data.length} values, expected ${want} for ${mask.kind} output of [${x.shape.join(', ')}]`,
      'mask',
    );
  }
  const ws = new ScoreWorkspace();
  const out: ExpectedScore[][] = [];
  for (let b = 0; b < B; b++) {
    const row: ExpectedScore[] = [];
    for (let c = 0; c < C; c++) {
      const off = (b * C + c) * N;
      const sel: MaskRef =
        mask.kind === 'multilabel'
          ? { mask: mask.data, maskOffset: off, label: -1 }
          : { mask: mask.data, maskOffset: b * N, label: c };
      row.push(expectedScoreOf(x.data, off, N, sel, { ...options, workspace: ws }));
    }
    out.push(row);
  }
  return out;
}
