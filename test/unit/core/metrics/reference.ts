/**
 * Independent brute-force references for the metric tests: written straight from the spec's definitions with
 * the slowest obvious algorithm (all pairs, flood fill, per-pixel loops), sharing no code with src/core/metrics.
 */

export function parseMask(rows: string[]): { data: Uint8Array; shape: number[] } {
  const h = rows.length;
  const w = rows[0].length;
  const data = new Uint8Array(h * w);
  rows.forEach((r, y) => {
    for (let x = 0; x < w; x++) data[y * w + x] = r[x] === '.' ? 0 : Number(r[x]) || 1;
  });
  return { data, shape: [h, w] };
}

function coords(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    c[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return c;
}

function index(c: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let a = 0; a < shape.length; a++) i = i * shape[a] + c[a];
  return i;
}

function inside(c: readonly number[], shape: readonly number[]): boolean {
  return c.every((v, a) => v >= 0 && v < shape[a]);
}

/** Surface pixels: in the mask with a face neighbour outside it (or outside the image). */
export function bruteSurface(mask: ArrayLike<number>, shape: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const c = coords(i, shape);
    let surf = false;
    for (let a = 0; a < shape.length && !surf; a++) {
      for (const d of [-1, 1]) {
        const n = [...c];
        n[a] += d;
        if (!inside(n, shape) || !mask[index(n, shape)]) surf = true;
      }
    }
    if (surf) out.push(i);
  }
  return out;
}

export function dist(i: number, j: number, shape: readonly number[], spacing: readonly number[]): number {
  const a = coords(i, shape);
  const b = coords(j, shape);
  let s = 0;
  for (let k = 0; k < shape.length; k++) s += ((a[k] - b[k]) * spacing[k]) ** 2;
  return Math.sqrt(s);
}

/** numpy "linear" percentile. */
export function percentile(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const h = ((v.length - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

export interface BruteSurface {
  hd: number;
  hd95: number;
  assd: number;
  meanDistGtToPred: number;
  meanDistPredToGt: number;
  nsd: number;
  boundaryIou: number;
}

/** Surface metrics of two non-empty masks by all-pairs distances (spec §3.2–§3.7). */
export function bruteSurfaceMetrics(
  g: ArrayLike<number>,
  p: ArrayLike<number>,
  shape: readonly number[],
  spacing: readonly number[],
  tau: number,
  bandWidth: number,
): BruteSurface {
  const sg = bruteSurface(g, shape);
  const sp = bruteSurface(p, shape);
  const dGP = sg.map((i) => Math.min(...sp.map((j) => dist(i, j, shape, spacing))));
  const dPG = sp.map((j) => Math.min(...sg.map((i) => dist(i, j, shape, spacing))));
  const all = [...dGP, ...dPG];
  const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
  const band = (m: ArrayLike<number>): Set<number> => {
    // Distance to the nearest non-mask pixel, with a one-pixel frame standing for "outside the image".
    const padded = shape.map((s) => s + 2);
    const outside: number[] = [];
    const total = padded.reduce((a, b) => a * b, 1);
    for (let k = 0; k < total; k++) {
      const c = coords(k, padded).map((v) => v - 1);
      if (!inside(c, shape) || !m[index(c, shape)]) outside.push(k);
    }
    const res = new Set<number>();
    for (let i = 0; i < m.length; i++) {
      if (!m[i]) continue;
      const pi = index(
        coords(i, shape).map((v) => v + 1),
        padded,
      );
      const d = Math.min(...outside.map((k) => dist(pi, k, padded, spacing)));
      if (d <= bandWidth + 1e-9) res.add(i);
    }
    return res;
  };
  const bg = band(g);
  const bp = band(p);
  let inter = 0;
  for (const i of bg) if (bp.has(i)) inter++;
  return {
    hd: Math.max(...all),
    hd95: Math.max(percentile(dGP, 95), percentile(dPG, 95)),
    assd: sum(all) / all.length,
    meanDistGtToPred: sum(dGP) / dGP.length,
    meanDistPredToGt: sum(dPG) / dPG.length,
    nsd: all.filter((d) => d <= tau + 1e-9).length / all.length,
    boundaryIou: inter / (bg.size + bp.size - inter),
  };
}

/** Connected components by flood fill, numbered in raster order of their first pixel. */
export function bruteComponents(
  mask: ArrayLike<number>,
  shape: readonly number[],
  connectivity: number,
): Int32Array {
  const nd = shape.length;
  const maxChanged = { 4: 1, 8: 2, 6: 1, 18: 2, 26: 3 }[connectivity] ?? 1;
  const offsets: number[][] = [];
  for (let code = 0; code < 3 ** nd; code++) {
    const off = coords(code, new Array<number>(nd).fill(3)).map((v) => v - 1);
    const changed = off.filter((v) => v !== 0).length;
    if (changed > 0 && changed <= maxChanged) offsets.push(off);
  }
  const labels = new Int32Array(mask.length);
  let next = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || labels[i]) continue;
    next++;
    const stack = [i];
    labels[i] = next;
    while (stack.length) {
      const k = stack.pop() as number;
      const c = coords(k, shape);
      for (const off of offsets) {
        const n = c.map((v, a) => v + off[a]);
        if (!inside(n, shape)) continue;
        const j = index(n, shape);
        if (mask[j] && !labels[j]) {
          labels[j] = next;
          stack.push(j);
        }
      }
    }
  }
  return labels;
}

/** Squared EDT by brute force: min over all sites of the squared physical distance (+∞ without sites). */
export function bruteSquaredEdt(
  sites: ArrayLike<number>,
  shape: readonly number[],
  spacing: readonly number[],
): number[] {
  const s: number[] = [];
  for (let i = 0; i < sites.length; i++) if (sites[i]) s.push(i);
  const out: number[] = [];
  for (let i = 0; i < sites.length; i++) {
    let best = Infinity;
    for (const j of s) best = Math.min(best, dist(i, j, shape, spacing) ** 2);
    out.push(best);
  }
  return out;
}
