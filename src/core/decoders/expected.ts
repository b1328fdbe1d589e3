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

/** Largest map whose two sets are gathered in the first pass (the shared workspace's size in ./statistics). */
const GATHER_MAX_PIXELS = 1 << 20;

/** Scratch buffers for repeated evaluations (one per class in decode()). */
export class ScoreWorkspace {
  inside: Float64Array = new Float64Array(0);
  outside: Float64Array = new Float64Array(0);
  tp = new Pmf(0);
  fn = new Pmf(0);
  inSums = new BernoulliSums();
  outSums = new BernoulliSums();
  transform = new TransformWorkspace();
  recip = new Float64Array(0);
  /**
   * Size of the last evaluated mask and its smallest probability (Infinity when empty): decode() reads its k and
   * cutoff from here rather than scanning the pixels once more.
   */
  selected = 0;
  cutoff = Number.POSITIVE_INFINITY;
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
 * One pass over the pixels splits them into the sets of TP (inside) and N (outside) with their moments; a pass
 * over each set's values then forms its power sums, from which ./pmfTransform builds its PMF (a set with a small
 * variance is built by the exact DP of ./pmf instead).
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
  const inS = ws.inSums;
  const outS = ws.outSums;
  // Up to GATHER_MAX_PIXELS the pass gathers both sets' values (16 bytes a pixel of scratch); a larger map is read
  // a second time instead, so that a 4096² map does not take a quarter of a gigabyte of buffers.
  const gather = n <= GATHER_MAX_PIXELS;
  if (gather && ws.inside.length < n) ws.inside = new Float64Array(n);
  if (gather && ws.outside.length < n) ws.outside = new Float64Array(n);
  const split = gather
    ? splitByMask(probs, offset, n, sel, ws.inside, ws.outside, inS, outS)
    : momentsByMask(probs, offset, n, sel, inS, outS);
  const sumIn = split.sumIn;
  const tau = inS.n;
  ws.selected = tau;
  ws.cutoff = split.minIn;
  const out = outS.n;
  // A wide set's PMF comes from its power sums (the DP when a value needs too many powers).
  const inWide = inS.wide;
  const outWide = outS.wide;
  let inSums: boolean;
  let outSums: boolean;
  if (gather) {
    inSums = inWide && powerSums(inS, ws.inside, tau);
    outSums = outWide && powerSums(outS, ws.outside, out);
  } else {
    [inSums, outSums] = secondPass(probs, offset, n, sel, ws);
  }
  const g = options.smooth ?? 0;
  const fn = outSums ? pmfFromSums(outS, ws.fn, ws.transform) : pmfOfRange(ws.outside, 0, out, ws.fn);
  if (tau === 0 && g === 0) {
    // Only "both empty" can score: 0 under conv0, P(Γ = 0) under conv1.
    const v = convention === 'conv1' ? fn.at(0) : 0;
    return { dice: v, iou: v };
  }
  const tp = inSums ? pmfFromSums(inS, ws.tp, ws.transform) : pmfOfRange(ws.inside, 0, tau, ws.tp);
  const iouE = meanReciprocal(fn, tau + g);
  // Large windows: the denominator of (a, b) is a table entry, one table instead of W_TP·W_N divisions.
  const dice = inWide || outWide ? diceByTable(tp, fn, tau, g, ws) : diceDirect(tp, fn, tau, g);
  return { dice, iou: (sumIn + g) * iouE };
}

// The sums over the PMFs are functions of their own so that the code V8 optimises while a loop runs has type
// feedback for what follows it (a loop inside a long function was optimised mid-loop and then deoptimised).

/** E[1/(x + N)] for N ~ fn. */
function meanReciprocal(fn: Pmf, x: number): number {
  const fd = fn.data;
  let s = 0;
  for (let b = 0; b < fn.len; b++) s += fd[b] / (x + fn.lo + b);
  return s;
}

/**
 * E[(2·TP + γ)/(τ + TP + N + γ)] with the denominators read from a table R[a + b]. Exported for the unit test
 * that checks it, bit for bit, against the one-row-at-a-time sum it replaced.
 */
export function diceByTable(tp: Pmf, fn: Pmf, tau: number, g: number, ws: ScoreWorkspace): number {
  const fd = fn.data;
  const td = tp.data;
  const rlen = tp.len + fn.len;
  if (ws.recip.length < rlen) ws.recip = new Float64Array(rlen);
  const R = ws.recip;
  const base = tau + g + tp.lo + fn.lo;
  for (let i = 0; i < rlen; i++) R[i] = 1 / (base + i);
  const W = fn.len;
  const lo = tp.lo;
  let dice = 0;
  let a = 0;
  // Eight rows of TP at once: each row's inner sum is still added in increasing b (the same bits), but the eight
  // independent chains of additions overlap instead of each waiting on the latency of the one before, and each
  // entry of N is loaded once for eight rows.
  for (; a + 7 < tp.len; a += 8) {
    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    let i4 = 0;
    let i5 = 0;
    let i6 = 0;
    let i7 = 0;
    for (let b = 0; b < W; b++) {
      const f = fd[b];
      const r = a + b;
      i0 += f * R[r];
      i1 += f * R[r + 1];
      i2 += f * R[r + 2];
      i3 += f * R[r + 3];
      i4 += f * R[r + 4];
      i5 += f * R[r + 5];
      i6 += f * R[r + 6];
      i7 += f * R[r + 7];
    }
    dice += td[a] * (2 * (lo + a) + g) * i0;
    dice += td[a + 1] * (2 * (lo + a + 1) + g) * i1;
    dice += td[a + 2] * (2 * (lo + a + 2) + g) * i2;
    dice += td[a + 3] * (2 * (lo + a + 3) + g) * i3;
    dice += td[a + 4] * (2 * (lo + a + 4) + g) * i4;
    dice += td[a + 5] * (2 * (lo + a + 5) + g) * i5;
    dice += td[a + 6] * (2 * (lo + a + 6) + g) * i6;
    dice += td[a + 7] * (2 * (lo + a + 7) + g) * i7;
  }
  for (; a < tp.len; a++) {
    let inner = 0;
    for (let b = 0; b < W; b++) inner += fd[b] * R[a + b];
    dice += td[a] * (2 * (lo + a) + g) * inner;
  }
  return dice;
}

/** The same expectation with one division per pair (narrow windows). */
function diceDirect(tp: Pmf, fn: Pmf, tau: number, g: number): number {
  const fd = fn.data;
  const td = tp.data;
  let dice = 0;
  for (let a = 0; a < tp.len; a++) {
    const av = tp.lo + a;
    const base = tau + g + av + fn.lo;
    let inner = 0;
    for (let b = 0; b < fn.len; b++) inner += fd[b] / (base + b);
    dice += td[a] * (2 * av + g) * inner;
  }
  return dice;
}

/**
 * One pass over the pixels: the probabilities inside the mask go to `inside` and the rest to `outside`, both in
 * pixel order, the smallest inside is found, and the count, sum and variance of each set to inS / outS (as
 * BernoulliSums.addMoment forms them, in the same order, so the sums are bit for bit the same). Accumulating in
 * locals rather than in the objects' fields, testing the mask once per pixel instead of once per pass, and leaving
 * the three counts to the power sums' pass (a wide set's only reader) is most of this function's speed.
 */
function splitByMask(
  probs: Float32Array | Float64Array,
  offset: number,
  n: number,
  sel: MaskRef,
  inside: Float64Array,
  outside: Float64Array,
  inS: BernoulliSums,
  outS: BernoulliSums,
): { sumIn: number; minIn: number } {
  const { mask, maskOffset, label } = sel;
  const any = label < 0;
  let ni = 0;
  let minI = Number.POSITIVE_INFINITY;
  let muI = 0;
  let varI = 0;
  let no = 0;
  let muO = 0;
  let varO = 0;
  for (let j = 0; j < n; j++) {
    const p = probs[offset + j];
    const v = mask[maskOffset + j];
    if (any ? v !== 0 : v === label) {
      inside[ni++] = p;
      if (p < minI) minI = p;
      muI += p;
      varI += p * (1 - p);
    } else {
      outside[no++] = p;
      muO += p;
      varO += p * (1 - p);
    }
  }
  // The counts above ½, above 0 and at 1 are left to the power sums' pass (only a wide set needs them).
  inS.setMoments(ni, muI, varI);
  outS.setMoments(no, muO, varO);
  // Σ_{j∈S} p_j is the inside mean's sum (same additions in the same order).
  return { sumIn: muI, minIn: minI };
}

/** splitByMask without gathering (a map too large to gather): the same moments and sums, by addMoment. */
function momentsByMask(
  probs: Float32Array | Float64Array,
  offset: number,
  n: number,
  sel: MaskRef,
  inS: BernoulliSums,
  outS: BernoulliSums,
): { sumIn: number; minIn: number } {
  const { mask, maskOffset, label } = sel;
  const any = label < 0;
  inS.resetMoments();
  outS.resetMoments();
  let minIn = Number.POSITIVE_INFINITY;
  for (let j = 0; j < n; j++) {
    const p = probs[offset + j];
    const v = mask[maskOffset + j];
    if (any ? v !== 0 : v === label) {
      inS.addMoment(p);
      if (p < minIn) minIn = p;
    } else outS.addMoment(p);
  }
  return { sumIn: inS.mu, minIn };
}

/**
 * For a map too large to gather: a second pass over the pixels adds the powers of each wide set and gathers the
 * values of each narrow one (into ws.inside / ws.outside, sized to the set), as the first pass split them. Returns
 * whether each set's power sums are usable; a wide set whose sums are not (a value needed more powers than the
 * transform allows, never seen in practice) is gathered by a third pass for the DP.
 */
function secondPass(
  probs: Float32Array | Float64Array,
  offset: number,
  n: number,
  sel: MaskRef,
  ws: ScoreWorkspace,
): [boolean, boolean] {
  const inS = ws.inSums;
  const outS = ws.outSums;
  const inWide = inS.wide;
  const outWide = outS.wide;
  if (inWide) inS.startPowers();
  if (outWide) outS.startPowers();
  // Only a narrow set is gathered here (sized to the set), as the transform needs no values.
  if (!inWide && ws.inside.length < inS.n) ws.inside = new Float64Array(inS.n);
  if (!outWide && ws.outside.length < outS.n) ws.outside = new Float64Array(outS.n);
  const { mask, maskOffset, label } = sel;
  const any = label < 0;
  const inside = ws.inside;
  const outside = ws.outside;
  let ti = 0;
  let to = 0;
  for (let j = 0; j < n; j++) {
    const p = probs[offset + j];
    const v = mask[maskOffset + j];
    if (any ? v !== 0 : v === label) {
      if (inWide) inS.addPower(p);
      else inside[ti++] = p;
    } else if (outWide) outS.addPower(p);
    else outside[to++] = p;
  }
  const inOk = inWide && inS.ok;
  const outOk = outWide && outS.ok;
  if (inWide && !inOk) ws.inside = gatherSet(probs, offset, n, sel, true, inS.n);
  if (outWide && !outOk) ws.outside = gatherSet(probs, offset, n, sel, false, outS.n);
  return [inOk, outOk];
}

/** The `count` values of the pixels inside (or outside) the mask, in pixel order. */
function gatherSet(
  probs: Float32Array | Float64Array,
  offset: number,
  n: number,
  sel: MaskRef,
  inside: boolean,
  count: number,
): Float64Array {
  const { mask, maskOffset, label } = sel;
  const into = new Float64Array(count);
  let k = 0;
  for (let j = 0; j < n; j++) {
    const v = mask[maskOffset + j];
    if ((label < 0 ? v !== 0 : v === label) === inside) into[k++] = probs[offset + j];
  }
  return into;
}

/**
 * The power sums of a wide set from its gathered values; false when a value needed more powers than the
 * transform allows (never seen in practice), in which case the caller builds the PMF by the DP.
 */
function powerSums(s: BernoulliSums, values: Float64Array, count: number): boolean {
  s.startPowers();
  return s.addPowers(values, 0, count);
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
