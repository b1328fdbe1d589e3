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

  /**
   * Sets the count and moments at once (a caller that accumulated them itself, in addMoment's order). The counts
   * nHigh, nPos and nOne are left unknown (−1): addPowers counts them, so a caller that gathers the values first
   * and adds their powers next need not count them in its pass over the pixels (three tests a pixel).
   */
  setMoments(n: number, mu: number, variance: number): void {
    this.n = n;
    this.mu = mu;
    this.variance = variance;
    this.nHigh = this.nPos = this.nOne = -1;
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

  /**
   * addPower of values[from .. to) in order, bit for bit the same sums; returns ok. Also sets nHigh, nPos and
   * nOne to the counts addMoment forms over the same values. After false (a value needed more than MAX_TERMS
   * powers) the sums and counts are unspecified: the caller builds the PMF by the DP, as with addPower.
   */
  addPowers(values: Float64Array, from: number, to: number): boolean {
    // The side most values are likely on (mean above ½: the high side) gets the register-held sums; only the
    // speed depends on this choice.
    return this.ok && addSide(this, values, from, to, 2 * this.mu > this.n);
  }
}

/**
 * addPower for the values of one side (p ≤ ½ into P, or p > ½ into Q) of values[from .. to), in order. Each sum
 * P[m] (Q[m]) receives the same terms in the same order as from addPower, so the bits are the same; but powers
 * 1..FAST_TERMS accumulate in locals, which V8 keeps in registers, instead of a load and a store of the array per
 * term. A side per pass keeps the number of live accumulators within the registers (the other side's pixels are
 * skipped, and the two sides' sums never meet). Returns false as soon as a value needs more than MAX_TERMS powers.
 */
function addSide(s: BernoulliSums, values: Float64Array, from: number, to: number, high: boolean): boolean {
  const acc = high ? s.Q : s.P;
  const fastE = s.fastE;
  const stop = s.stop;
  const tol = s.tolerance;
  let terms = s.terms;
  // Values on the other side, and values at the side's end (p ≥ 1 high, p ≤ 0 low) on this side and the other.
  let other = 0;
  let edge = 0;
  let otherEdge = 0;
  let a1 = acc[1];
  let a2 = acc[2];
  let a3 = acc[3];
  let a4 = acc[4];
  let a5 = acc[5];
  let a6 = acc[6];
  let a7 = acc[7];
  let a8 = acc[8];
  for (let i = from; i < to; i++) {
    const p = values[i];
    if (p > 0.5 !== high) {
      // The other side's sums are only ever added in the arrays, so their order is addPower's too.
      other++;
      if (high ? p <= 0 : p >= 1) otherEdge++;
      s.addPower(p);
      if (!s.ok) return false;
      continue;
    }
    const e = high ? 1 - p : p;
    if (e <= 0) {
      edge++; // p ≥ 1 on the high side, p ≤ 0 on the low side
      continue;
    }
    if (e <= fastE) {
      const e2 = e * e;
      const e3 = e2 * e;
      const e4 = e2 * e2;
      a1 += e;
      a2 += e2;
      a3 += e3;
      a4 += e4;
      a5 += e4 * e;
      a6 += e4 * e2;
      a7 += e4 * e3;
      a8 += e4 * e4;
      continue;
    }
    // addPower's loop written out for m ≤ FAST_TERMS (no bound check needed there: MAX_TERMS is larger).
    let x = e;
    let m = 1;
    a1 += x;
    let more = x * e * stop[1] > tol;
    if (more) {
      x *= e;
      a2 += x;
      m = 2;
      more = x * e * stop[2] > tol;
    }
    if (more) {
      x *= e;
      a3 += x;
      m = 3;
      more = x * e * stop[3] > tol;
    }
    if (more) {
      x *= e;
      a4 += x;
      m = 4;
      more = x * e * stop[4] > tol;
    }
    if (more) {
      x *= e;
      a5 += x;
      m = 5;
      more = x * e * stop[5] > tol;
    }
    if (more) {
      x *= e;
      a6 += x;
      m = 6;
      more = x * e * stop[6] > tol;
    }
    if (more) {
      x *= e;
      a7 += x;
      m = 7;
      more = x * e * stop[7] > tol;
    }
    if (more) {
      x *= e;
      a8 += x;
      m = 8;
      more = x * e * stop[8] > tol;
    }
    while (more) {
      if (m >= MAX_TERMS) {
        s.ok = false;
        return false;
      }
      x *= e;
      m++;
      acc[m] += x;
      more = x * e * stop[m] > tol;
    }
    if (m > terms) terms = m;
  }
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
  acc[4] = a4;
  acc[5] = a5;
  acc[6] = a6;
  acc[7] = a7;
  acc[8] = a8;
  if (terms > s.terms) s.terms = terms;
  // Ones are all on the high side (p ≥ 1 > ½) and zeros all on the low side.
  const own = to - from - other;
  s.nHigh = high ? own : other;
  s.nOne = high ? edge : otherEdge;
  s.nPos = to - from - (high ? otherEdge : edge);
  return true;
}

/** Scratch reused across calls. */
export class TransformWorkspace {
  re = new Float64Array(0);
  im = new Float64Array(0);
  cos = new Float64Array(0);
  sin = new Float64Array(0);
  /**
   * The angle tables made so far, by grid length M (a power of two). The TP and N windows of one mask usually
   * take different M, so keeping only the last table rebuilt it on every call. At most one table per power of
   * two, so this holds less than twice the largest.
   */
  tables = new Map<number, { cos: Float64Array<ArrayBuffer>; sin: Float64Array<ArrayBuffer> }>();
}

/** The PMF of a wide set (s.wide, s.ok) from its power sums. Same window convention as pmfOfRange. */
export function pmfFromSums(s: BernoulliSums, into: Pmf, ws: TransformWorkspace): Pmf {
  if (s.nHigh < 0) throw new Error('pmfFromSums: the counts are unknown (setMoments without addPowers)');
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
  let t = ws.tables.get(M);
  if (!t) {
    t = { cos: new Float64Array(M), sin: new Float64Array(M) };
    for (let j = 0; j < M; j++) {
      t.cos[j] = Math.cos((2 * Math.PI * j) / M);
      t.sin[j] = Math.sin((2 * Math.PI * j) / M);
    }
    ws.tables.set(M, t);
  }
  ws.cos = t.cos;
  ws.sin = t.sin;
}

/**
 * f(c + d) = (1/M)·[G̃_0 + 2·Σ_k Re(G̃_k·e^{−iθ_k·d})] for d = d0 … d0 + width − 1 into out (negative values
 * clamped to 0); returns the largest entry. ws.cos / ws.sin must hold the angle table of M. Exported for the
 * unit test that checks it, bit for bit, against the one-entry-at-a-time sum it replaced.
 */
export function inverseDft(
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
  const g0 = gr[0];
  let i = 0;
  // Eight entries at once: each entry's sum still runs over k in increasing order (the same bits), but the eight
  // independent chains of additions overlap instead of each waiting on the latency of the one before, and G̃_k is
  // loaded once for eight entries.
  for (; i + 7 < width; i += 8) {
    const d = d0 + i;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let k = 1; k <= K; k++) {
      const r = gr[k];
      const m = gi[k];
      const j = k * d;
      const j0 = j & wrap;
      const j1 = (j + k) & wrap;
      const j2 = (j + 2 * k) & wrap;
      const j3 = (j + 3 * k) & wrap;
      const j4 = (j + 4 * k) & wrap;
      const j5 = (j + 5 * k) & wrap;
      const j6 = (j + 6 * k) & wrap;
      const j7 = (j + 7 * k) & wrap;
      a0 += r * cosT[j0] + m * sinT[j0];
      a1 += r * cosT[j1] + m * sinT[j1];
      a2 += r * cosT[j2] + m * sinT[j2];
      a3 += r * cosT[j3] + m * sinT[j3];
      a4 += r * cosT[j4] + m * sinT[j4];
      a5 += r * cosT[j5] + m * sinT[j5];
      a6 += r * cosT[j6] + m * sinT[j6];
      a7 += r * cosT[j7] + m * sinT[j7];
    }
    const v0 = (g0 + 2 * a0) / M;
    const v1 = (g0 + 2 * a1) / M;
    const v2 = (g0 + 2 * a2) / M;
    const v3 = (g0 + 2 * a3) / M;
    const v4 = (g0 + 2 * a4) / M;
    const v5 = (g0 + 2 * a5) / M;
    const v6 = (g0 + 2 * a6) / M;
    const v7 = (g0 + 2 * a7) / M;
    out[i] = v0 > 0 ? v0 : 0;
    out[i + 1] = v1 > 0 ? v1 : 0;
    out[i + 2] = v2 > 0 ? v2 : 0;
    out[i + 3] = v3 > 0 ? v3 : 0;
    out[i + 4] = v4 > 0 ? v4 : 0;
    out[i + 5] = v5 > 0 ? v5 : 0;
    out[i + 6] = v6 > 0 ? v6 : 0;
    out[i + 7] = v7 > 0 ? v7 : 0;
  }
  for (; i < width; i++) {
    const d = d0 + i;
    let acc = 0;
    for (let k = 1; k <= K; k++) {
      const j = (k * d) & wrap;
      acc += gr[k] * cosT[j] + gi[k] * sinT[j];
    }
    const val = (g0 + 2 * acc) / M;
    out[i] = val > 0 ? val : 0;
  }
  let peak = 0;
  for (let t = 0; t < width; t++) if (out[t] > peak) peak = out[t];
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
  return sums.addPowers(values, from, to) ? pmfFromSums(sums, into, ws) : pmfOfRange(values, from, to, into);
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
