/**
 * The refined normal approximation (RNA) of a Poisson-binomial (Volkova 1996), as the package uses it for BA
 * and TRNA (docs/specs/decoders.md §3.1–3.2): a skew-corrected normal CDF with continuity correction, evaluated on
 * a truncation window [lq, uq) and renormalised.
 */

/** float32 machine epsilon: the package clamps σ² here for float32 input, which is what our API takes. */
export const F32_EPS = 1.1920928955078125e-7;

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * erfc(z) for z ≥ 0 to near float64 precision: a positive-term series for erf when z < 2 (no cancellation),
 * the Lentz continued fraction otherwise.
 */
function erfcPos(z: number): number {
  if (z < 2) {
    // erf(z) = 2/√π·e^{−z²}·Σ 2ⁿ z^{2n+1} / (1·3·…·(2n+1))
    let term = z;
    let sum = z;
    const z2 = 2 * z * z;
    for (let n = 1; n < 200; n++) {
      term *= z2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - 2 * INV_SQRT_PI * Math.exp(-z * z) * sum;
  }
  // erfc(z) = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), modified Lentz.
  const tiny = 1e-300;
  let f = z;
  let C = z;
  let D = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    D = z + a * D;
    D = D === 0 ? tiny : 1 / D;
    C = z + a / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_PI * Math.exp(-z * z)) / f;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  const z = Math.abs(x) * SQRT1_2;
  const half = 0.5 * erfcPos(z);
  return x < 0 ? half : 1 - half;
}

export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** The RNA CDF on the standardised scale: clip(Φ(x) + κ(1−x²)φ(x)/6, 0, 1). */
export function rnaCdf(x: number, skew: number): number {
  const v = normalCdf(x) + (skew * (1 - x * x) * normalPdf(x)) / 6;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Moments of a Poisson-binomial with σ² clamped at the float32 epsilon, as in the package. */
export interface PbMoments {
  mu: number;
  sigma: number;
  skew: number;
}

export function moments(mu: number, variance: number, m3: number): PbMoments {
  const v = Math.max(variance, F32_EPS);
  const sigma = Math.sqrt(v);
  return { mu, sigma, skew: m3 / (v * sigma) };
}

/** Standardised quantile of the RNA: the root of rnaCdf(x) = q, by bracketing and bisection to 1e-15. */
export function rnaQuantile(q: number, skew: number): number {
  let left = -10;
  let right = 10;
  while (rnaCdf(left, skew) > q) left *= 10;
  while (rnaCdf(right, skew) < q) right *= 10;
  for (let i = 0; i < 200 && right - left > 1e-15 * Math.max(1, Math.abs(left)); i++) {
    const mid = 0.5 * (left + right);
    if (rnaCdf(mid, skew) < q) left = mid;
    else right = mid;
  }
  return 0.5 * (left + right);
}

/**
 * The package's truncation window for tail mass `eps`: lq = max(⌊σ·q_lo + μ⌋ − 1, 0),
 * uq = min(⌈σ·q_hi + μ⌉, d), with q_lo, q_hi the eps/2 and 1 − eps/2 quantiles. The PMF lives on lq..uq−1.
 */
export function truncationWindow(m: PbMoments, eps: number, d: number): { lq: number; uq: number } {
  const qLo = rnaQuantile(eps / 2, m.skew);
  const qHi = rnaQuantile(1 - eps / 2, m.skew);
  const lq = Math.max(Math.floor(m.sigma * qLo + m.mu) - 1, 0);
  const uq = Math.min(Math.ceil(m.sigma * qHi + m.mu), d);
  return { lq, uq };
}

/**
 * Writes the renormalised RNA PMF of (μ, σ, κ) on the integers lq..uq−1 into out[0 .. uq−lq):
 * pmf(k) = clip(F(k) − F(k−1), 0, 1), F(k) = rnaCdf((k + ½ − μ)/σ). Returns false when the window holds no
 * mass at all (near-binary maps), in which case out is left all zero.
 */
export function rnaPmf(m: PbMoments, lq: number, uq: number, out: Float64Array): boolean {
  let prev = rnaCdf((lq - 0.5 - m.mu) / m.sigma, m.skew);
  let sum = 0;
  for (let k = lq; k < uq; k++) {
    const cur = rnaCdf((k + 0.5 - m.mu) / m.sigma, m.skew);
    let v = cur - prev;
    if (v < 0) v = 0;
    else if (v > 1) v = 1;
    out[k - lq] = v;
    sum += v;
    prev = cur;
  }
  if (!(sum > 0)) {
    out.fill(0, 0, Math.max(0, uq - lq));
    return false;
  }
  for (let i = 0; i < uq - lq; i++) out[i] /= sum;
  return true;
}
