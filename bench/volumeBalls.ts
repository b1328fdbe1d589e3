/**
 * The 256³ test volumes of the volume benches: `structures` balls (classes 1…structures) as the
 * ground truth on a noisy image, and a "prediction" that shifts and rescales each ball a little.
 */
import type { VolumeGeometry } from '../src/core/volume/geometry';
import { rng } from './util';

/** The benches' grid: anisotropic spacing (0.9 × 0.9 × 1.5 mm) and a non-identity (LPS-like) direction. */
export function ballGrid(side: number): VolumeGeometry {
  return {
    rank: 3,
    dims: [side, side, side],
    spacing: [0.9, 0.9, 1.5],
    direction: [
      [-1, 0, 0],
      [0, -1, 0],
      [0, 0, 1],
    ],
    origin: [115, 115, -190],
  };
}

export function ballCase(
  side: number,
  structures: number,
  seed: number,
): { gt: Uint8Array; pred: Uint8Array; image: Float32Array; r: () => number } {
  const S = side;
  const r = rng(seed);
  const n = S * S * S;
  const gt = new Uint8Array(n);
  const pred = new Uint8Array(n);
  const image = new Float32Array(n);
  for (let i = 0; i < n; i++) image[i] = 100 + 20 * r();
  for (let c = 1; c <= structures; c++) {
    const cz = 60 + r() * 136;
    const cy = 60 + r() * 136;
    const cx = 60 + r() * 136;
    const rad = 15 + r() * 30;
    const sh = [r() * 4 - 2, r() * 4 - 2, r() * 4 - 2];
    const prad = rad * (0.9 + r() * 0.2);
    for (let z = Math.floor(cz - rad - 4); z <= cz + rad + 4; z++)
      for (let y = Math.floor(cy - rad - 4); y <= cy + rad + 4; y++)
        for (let x = Math.floor(cx - rad - 4); x <= cx + rad + 4; x++) {
          const i = (z * S + y) * S + x;
          if (Math.hypot(z - cz, y - cy, x - cx) <= rad) {
            gt[i] = c;
            image[i] += 50 * c;
          }
          if (Math.hypot(z - cz - sh[0], y - cy - sh[1], x - cx - sh[2]) <= prad) pred[i] = c;
        }
  }
  return { gt, pred, image, r };
}
