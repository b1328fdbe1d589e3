/**
 * Poisson-binomial PMFs of many pixels from their characteristic function (issue 13): one pass of power sums
 * over the pixels instead of the convolution tree of ./pmf (about 8× faster at 1024²).
 *
 * Write every Bernoulli(p) with e = min(p, 1 − p) ≤ ½: a pixel with p ≤ ½ contributes the factor 1 + p·z to
 * G(θ) = E[e^{iθΓ}], z = e^{iθ} − 1, and one with p > ½ the factor e^{iθ}·(1 + (1 − p)·z̄). So
 *
 *   log G(θ) = iθ·n_high + Σ_{m ≥ 1} (−1)^{m+1}/m · (P_m·z^m + Q_m·z̄^m),
 *
 * with P_m = Σ_{p ≤ ½} p^m and Q_m = Σ_{p > ½} (1 − p)^m. The series converges (|e·z| ≤ ½·|z| < 1).
 *
 * Error budget. |G(θ)| ≤ exp(−σ²(1 − cos θ)) (each factor has |·|² = 1 − 2pq(1 − cos θ)), so frequencies with
 * σ²(1 − cos θ) > 50 are dropped (each PMF entry moves by < 2e-22). A pixel stops adding powers once its next
 * term, weighted by that envelope at its worst θ, is below 1e-17/N: (e·|z|)^{m+1}·exp(−σ²|z|²/2) ≤
 * e^{m+1}·((m+1)/(ℯσ²))^{(m+1)/2}. Near-0 and near-1 pixels, most of a map, need a handful of terms. The PMF is
 * the inverse DFT of G on a grid longer than the window [μ − t, μ + t] outside which Bernstein's inequality
 * leaves < 2e-35 of mass, summed directly from a cosine table (tens of frequencies × the window).
 *
 * Entries then carry an absolute error of about 1e-16 of the peak, so they are trimmed where they fall below
 * 1e-15 of the peak (dropped mass < 1e-13). The consumers take positive-weight sums of the PMF whose weights
 * vary little across the window, so expected scores keep about 1e-13 relative accuracy (tested against the DP).
 * Narrow distributions (σ² < SIGMA2_MIN) use the exact DP of ./pmf, which is cheap there.
 */
import { Pmf, pmfOfRange } from './pmf';

/**
 * Below this variance the DP of ./pmf is used. The transform is accurate to ~1e-14 relative from σ² ≈ 50 up
 * (test/unit/core/decoders/fastExpected.test.ts checks it from here to 20× here); the DP costs O(n·σ), the
 * transform O(n·terms + σ), so the transform wins as soon as it is accurate: a 256² map's background has σ² in
 * the hundreds, where the DP took over half of a dataset evaluation's time.
 */
export const SIGMA2_MIN = 100;
/** Most powers a pixel may need (far more than any map with σ² ≥ SIGMA2_MIN asks for). */
export const MAX_TERMS = 40;
/** Powers added without a per-power test for the pixels that need no more (addPower's fast path). */
const FAST_TERMS = 8;
/** Entries below this fraction of the peak are trimmed from the ends (they are within rounding noise). */
const TRIM = 1e-15;

/** Count, moments and power sums of one set of Bernoullis, accumulated pixel by pixel. */
export class BernoulliSums {
  n = 0;
  mu = 0;
  variance = 0;
  nHigh = 0;
  nPos = 0;
  nOne = 0;
  /** P[m] = Σ_{p ≤ ½} p^m, Q[m] = Σ_{p > ½} (1 − p)^m, m = 1..terms. */
  P = new Float64Array(MAX_TERMS + 2);
  Q = new Float64Array(MAX_TERMS + 2);
  terms = 1;
  /** Stopping weights: a power x = e^m is the last one added when x·e·stop[m] ≤ tolerance. */
  stop = new Float64Array(MAX_TERMS + 2);
  tolerance = 0;
  /** False when a pixel needed more than MAX_TERMS powers (the caller then uses the DP). */
  ok = true;
  /** Largest e = min(p, 1 − p) that FAST_TERMS powers are enough for (set by startPowers). */
  fastE = 0;

  resetMoments(): void {
    this.n = this.mu = this.variance = this.nHigh = this.nPos = this.nOne = 0;
  }

  /** Sets the moments at once (a caller that accumulated them itself, in addMoment's order). */
  setMoments(n: number, mu: number, variance: number, nHigh: number, nPos: number, nOne: number): void {
    this.n = n;
    this.mu = mu;
    this.variance = variance;
    this.nHigh = nHigh;
    this.nPos = nPos;
    this.nOne = nOne;
  }

  addMoment(p: number): void {
    this.n++;
    this.mu += p;
    this.variance += p * (1 - p);
    if (p > 0.5) this.nHigh++;
    if (p > 0) this.nPos++;
    if (p >= 1) this.nOne++;
  }

  /** Whether the transform applies (else build the PMF by the DP). */
  get wide(): boolean {
    return this.variance >= SIGMA2_MIN;
  }

  /** Prepares the power sums once the moments are known. */
  startPowers(): void {
    this.P.fill(0);
    this.Q.fill(0);
    this.terms = 1;
    this.ok = true;
    this.tolerance = 1e-17 / Math.max(1, this.n);
    const s = Math.E * this.variance;
    for (let m = 1; m <= MAX_TERMS; m++) this.stop[m] = Math.pow((m + 1) / s, (m + 1) / 2);
    // The loop of addPower stops after m powers once e^(m+1)·stop[m] ≤ tolerance, and the power count it needs
    // grows with e; so every e ≤ (tolerance/stop[F])^(1/(F+1)) needs at most F = FAST_TERMS powers.
    this.fastE = Math.pow(this.tolerance / this.stop[FAST_TERMS], 1 / (FAST_TERMS + 1));
    if (this.fastE > 0 && this.terms < FAST_TERMS) this.terms = FAST_TERMS;
  }

  addPower(p: number): void {
    const high = p > 0.5;
    const e = high ? 1 - p : p;
    if (e <= 0) return;
    const acc = high ? this.Q : this.P;
    if (e <= this.fastE) {
      // Most pixels of a map are near 0 or 1: FAST_TERMS powers always suffice for them (see startPowers), and
      // adding a fixed count without the per-power test is several times faster. Extra powers only add accuracy.
      const e2 = e * e;
      const e3 = e2 * e;
      const e4 = e2 * e2;
      acc[1] += e;
      acc[2] += e2;
      acc[3] += e3;
      acc[4] += e4;
      acc[5] += e4 * e;
      acc[6] += e4 * e2;
      acc[7] += e4 * e3;
      acc[8] += e4 * e4;
      return;
    }
    const stop = this.stop;
    const tol = this.tolerance;
    let x = e;
    let m = 1;
    acc[1] += x;
    while (x * e * stop[m] > tol) {
      if (m >= MAX_TERMS) {
        this.ok = false;
        return;
      }
      x *= e;
      m++;
      acc[m] += x;
    }
    if (m > this.terms) this.terms = m;
  }
}

/** Scratch reused across calls. */
export class TransformWorkspace {
  re = new Float64Array(0);
  im = new Float64Array(0);
  cos = new Float64Array(0);
  sin = new Float64Array(0);
}

/** The PMF of a wide set (s.wide, s.ok) from its power sums. Same window convention as pmfOfRange. */
export function pmfFromSums(s: BernoulliSums, into: Pmf, ws: TransformWorkspace): Pmf {
  const v = s.variance;
  const mu = s.mu;
  const thetaMax = Math.acos(1 - 50 / v);
  const t = (160 / 3 + Math.sqrt((160 / 3) ** 2 + 640 * v)) / 2;
  const lo = Math.max(s.nOne, Math.floor(mu - t));
  const hi = Math.min(s.nPos, Math.ceil(mu + t));
  const width = hi - lo + 1;
  let M = 1;
  while (M < width + 1) M *= 2;

  // G̃(θ_k) = G(θ_k)·e^{−iθ_k·c} at θ_k = 2πk/M, k = 0..K, centred on c = round(μ) so the phase stays small.
  const c = Math.round(mu);
  const K = Math.min(Math.floor(M / 2) - 1, Math.floor((thetaMax * M) / (2 * Math.PI)));
  if (ws.re.length < K + 1) {
    ws.re = new Float64Array(K + 1);
    ws.im = new Float64Array(K + 1);
  }
  characteristic(s, c, K, M, ws.re, ws.im);
  if (ws.cos.length !== M) angleTable(M, ws);
  into.reset(width);
  const peak = inverseDft(ws, K, M, lo - c, width, into.data);
  trimTails(into, lo, width, peak);
  return into;
}

// The three steps below are separate functions, not one: each has its own hot loop, and V8 optimises a loop
// inside a long function before the code after it has run (no type feedback there), then deoptimises on every
// call of the first samples of a run.

/** G̃(θ_k) for k = 0..K into (gr, gi). */
function characteristic(
  s: BernoulliSums,
  c: number,
  K: number,
  M: number,
  gr: Float64Array,
  gi: Float64Array,
): void {
  const P = s.P;
  const Q = s.Q;
  const terms = s.terms;
  const muOff = s.nHigh + P[1] - Q[1] - c; // μ − c from the same sums as the series
  for (let k = 0; k <= K; k++) {
    const th = (2 * Math.PI * k) / M;
    const sh = Math.sin(th / 2);
    const zr = -2 * sh * sh; // cos θ − 1 without cancellation
    const zi = Math.sin(th);
    // The m = 1 phase is written as θ(μ − c) + (P_1 − Q_1)(sin θ − θ): no large cancelling angles.
    let re = (P[1] + Q[1]) * zr;
    let im = th * muOff + (P[1] - Q[1]) * sinMinusX(th);
    let pr = zr;
    let pi = zi;
    for (let m = 2; m <= terms; m++) {
      const nr = pr * zr - pi * zi;
      pi = pr * zi + pi * zr;
      pr = nr;
      const w = m % 2 === 0 ? -1 / m : 1 / m;
      re += w * (P[m] + Q[m]) * pr;
      im += w * (P[m] - Q[m]) * pi;
    }
    const mag = Math.exp(re);
    gr[k] = mag * Math.cos(im);
    gi[k] = mag * Math.sin(im);
  }
}

/** cos and sin of 2πj/M, j = 0..M−1 (read by index in inverseDft: no drift from repeated rotation). */
function angleTable(M: number, ws: TransformWorkspace): void {
  ws.cos = new Float64Array(M);
  ws.sin = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    ws.cos[j] = Math.cos((2 * Math.PI * j) / M);
    ws.sin[j] = Math.sin((2 * Math.PI * j) / M);
  }
}

/**
 * f(c + d) = (1/M)·[G̃_0 + 2·Σ_k Re(G̃_k·e^{−iθ_k·d})] for d = d0 … d0 + width − 1 into out (negative values
 * clamped to 0); returns the largest entry.
 */
function inverseDft(
  ws: TransformWorkspace,
  K: number,
  M: number,
  d0: number,
  width: number,
  out: Float64Array,
): number {
  const gr = ws.re;
  const gi = ws.im;
  const cosT = ws.cos;
  const sinT = ws.sin;
  const wrap = M - 1;
  let peak = 0;
  for (let i = 0; i < width; i++) {
    const d = d0 + i;
    let acc = 0;
    for (let k = 1; k <= K; k++) {
      const j = (k * d) & wrap;
      acc += gr[k] * cosT[j] + gi[k] * sinT[j];
    }
    const val = (gr[0] + 2 * acc) / M;
    out[i] = val > 0 ? val : 0;
    if (out[i] > peak) peak = out[i];
  }
  return peak;
}

/** Drops the entries below TRIM × peak from both ends of into.data[0, width) (value lo at index 0). */
function trimTails(into: Pmf, lo: number, width: number, peak: number): void {
  const out = into.data;
  const floor = peak * TRIM;
  let s0 = 0;
  let e0 = width;
  while (e0 - 1 > s0 && out[e0 - 1] < floor) e0--;
  while (s0 < e0 - 1 && out[s0] < floor) s0++;
  into.start = s0;
  into.len = e0 - s0;
  into.lo = lo + s0;
  into.compact();
}

/**
 * PMF of Σ Bernoulli(values[i]), i ∈ [from, to): by the characteristic function when σ² ≥ SIGMA2_MIN,
 * otherwise by the exact DP of ./pmf.
 */
export function pmfOfRangeFast(
  values: Float64Array,
  from: number,
  to: number,
  into: Pmf = new Pmf(to - from),
  ws: TransformWorkspace = new TransformWorkspace(),
  sums: BernoulliSums = new BernoulliSums(),
): Pmf {
  sums.resetMoments();
  for (let i = from; i < to; i++) sums.addMoment(values[i]);
  if (!sums.wide) return pmfOfRange(values, from, to, into);
  sums.startPowers();
  for (let i = from; i < to && sums.ok; i++) sums.addPower(values[i]);
  return sums.ok ? pmfFromSums(sums, into, ws) : pmfOfRange(values, from, to, into);
}

/** sin x − x for |x| ≤ π/3, by its series (no cancellation for small x). */
function sinMinusX(x: number): number {
  const x2 = x * x;
  let term = (-x * x2) / 6;
  let sum = term;
  for (let k = 2; k < 14; k++) {
    term *= -x2 / (2 * k * (2 * k + 1));
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}
