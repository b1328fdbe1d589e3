/**
 * Dataset statistics of the dataset view and `seglens eval`: paired comparison of two score lists (decoder A vs B,
 * model A vs B) with a seeded paired bootstrap, Spearman's rank correlation (expected vs true Dice), and the
 * dataset-tuned threshold, which is tuned on the very set it is reported on and therefore optimistic.
 * Every function is pure and deterministic (the bootstrap takes a seed).
 */
import type { DatasetMetrics } from '../metrics/types';

/** mulberry32: a small, well-known 32-bit PRNG; returns uniforms in [0, 1) (k / 2^32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear-interpolation quantile of sorted values (NumPy's default "linear" method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface PairedComparison {
  /** Pairs used (both values finite). */
  n: number;
  /** Pairs left out because a value was NaN or infinite. */
  skipped: number;
  /** a > b + tolerance. */
  wins: number;
  /** |a − b| ≤ tolerance. */
  ties: number;
  /** a < b − tolerance. */
  losses: number;
  /** Mean of a − b over the pairs. */
  meanDifference: number;
  /** Percentile bootstrap interval of the mean difference (pairs resampled together). */
  ci: { level: number; low: number; high: number; resamples: number; seed: number };
}

export interface PairedOptions {
  /** Differences within this count as ties. @default 1e-9 */
  tolerance?: number;
  /** @default 2000 */
  resamples?: number;
  /** @default 1 */
  seed?: number;
  /** @default 0.95 */
  level?: number;
}

/**
 * Paired comparison of a[i] vs b[i] (e.g. per-image Dice of decoder A and decoder B on the same images).
 * Bootstrap: `resamples` times, draw n indices uniformly with replacement (index = floor(u·n), u from
 * mulberry32(seed) in draw order), take the mean difference; the interval is the (1−level)/2 and (1+level)/2
 * linear-interpolation quantiles of those means.
 */
export function pairedComparison(
  a: readonly number[],
  b: readonly number[],
  options: PairedOptions = {},
): PairedComparison {
  const steps = pairedComparisonSteps(a, b, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Bootstrap draws between two yields of pairedComparisonSteps (a few milliseconds of work). */
export const DRAWS_PER_STEP = 50_000;

/**
 * pairedComparison as a generator that yields after about `drawsPerStep` bootstrap draws, for a caller that must not
 * hold its thread long (the dataset view on the extension host); the result is the same, draw for draw.
 */
export function* pairedComparisonSteps(
  a: readonly number[],
  b: readonly number[],
  options: PairedOptions = {},
  drawsPerStep = DRAWS_PER_STEP,
): Generator<string, PairedComparison> {
  if (a.length !== b.length)
    throw new RangeError(`paired lists differ in length (${a.length} vs ${b.length})`);
  const tol = options.tolerance ?? 1e-9;
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  const d: number[] = [];
  let wins = 0;
  let ties = 0;
  let losses = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) continue;
    const x = a[i] - b[i];
    d.push(x);
    if (x > tol) wins++;
    else if (x < -tol) losses++;
    else ties++;
  }
  const n = d.length;
  let sum = 0;
  for (const x of d) sum += x;
  const mean = n ? sum / n : NaN;
  const means = new Float64Array(n ? resamples : 0);
  if (n) {
    const rand = mulberry32(seed);
    let drawn = 0;
    for (let r = 0; r < resamples; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += d[Math.floor(rand() * n)];
      means[r] = s / n;
      drawn += n;
      if (drawn >= drawsPerStep && r < resamples - 1) {
        drawn = 0;
        yield `bootstrap ${r + 1}/${resamples}`;
      }
    }
    means.sort();
  }
  return {
    n,
    skipped: a.length - n,
    wins,
    ties,
    losses,
    meanDifference: mean,
    ci: {
      level,
      low: quantileSorted(means, (1 - level) / 2),
      high: quantileSorted(means, (1 + level) / 2),
      resamples,
      seed,
    },
  };
}

/** Ranks 1…n with ties given the average of the ranks they span. */
export function averageRanks(x: readonly number[]): number[] {
  const idx = x.map((_, i) => i).sort((i, j) => x[i] - x[j]);
  const r = new Array<number>(x.length);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

/**
 * Spearman's ρ of paired values (pairs with a non-finite value are left out): the Pearson correlation of the
 * average ranks, as scipy.stats.spearmanr computes it. NaN for fewer than 2 pairs or a constant side.
 */
export function spearman(x: readonly number[], y: readonly number[]): { rho: number; n: number } {
  if (x.length !== y.length) throw new RangeError(`lists differ in length (${x.length} vs ${y.length})`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  const n = xs.length;
  if (n < 2) return { rho: NaN, n };
  const rx = averageRanks(xs);
  const ry = averageRanks(ys);
  const mx = rx.reduce((s, v) => s + v, 0) / n;
  const my = ry.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return { rho: sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy), n };
}

export interface TunedThreshold {
  class: string;
  /** The threshold t maximising the per-image mean Dice of p ≥ t over this set. */
  threshold: number;
  /** Per-image mean Dice at that threshold. */
  imageMeanDice: number;
  /** Per-image mean Dice of the same rule at 0.5 (the untuned baseline), from the same sweep. */
  atHalf: number;
  /** Always true: the threshold was chosen on the data it is scored on, so its score is optimistic. */
  optimistic: true;
  label: string;
}

/**
 * The dataset-tuned threshold per class from the sweep of a DATASET object (needs probability maps). Its score
 * is measured on the set it was tuned on, so it is labelled optimistic; report it beside, never instead of, the
 * decoders' scores.
 */
export function tunedThresholds(dataset: DatasetMetrics): TunedThreshold[] {
  const sweep = dataset.sweep;
  if (!sweep) return [];
  const half = sweep.thresholds.findIndex((t) => Math.abs(t - 0.5) < 1e-12);
  return Object.entries(sweep.perClass).map(([c, s]) => ({
    class: c,
    threshold: s.best.imageMeanDice.threshold,
    imageMeanDice: s.best.imageMeanDice.value,
    atHalf: half >= 0 ? s.imageMeanDice[half] : NaN,
    optimistic: true as const,
    label: 'tuned on this set (optimistic)',
  }));
}
