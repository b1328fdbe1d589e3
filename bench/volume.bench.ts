/**
 * Volumes at 256³ (issue 16 budgets: open a 256³ float32 volume with its labels ≤ 2 s; per-structure 3-D metrics
 * ≤ 1 s): reading gzip NIfTI files (header, bounded gunzip, label/image conversion) against zlib's gunzip of the
 * same bytes alone, and every metric of a 5-structure label volume with anisotropic spacing taken from the header.
 */
import { gunzipSync } from 'node:zlib';
import { computeImageMetrics } from '../src/core/metrics/imageMetrics';
import { arraySpacing, VolumeGeometry } from '../src/core/volume/geometry';
import { volumeImage, volumeLabelMap } from '../src/node/io/volume/maps';
import { readVolume } from '../src/node/io/volume/read';
import { writeNifti } from '../src/node/io/volume/writeNifti';
import { report, rng, timeMs } from './util';

const S = 256;
const GRID: VolumeGeometry = {
  rank: 3,
  dims: [S, S, S],
  spacing: [0.9, 0.9, 1.5],
  direction: [
    [-1, 0, 0],
    [0, -1, 0],
    [0, 0, 1],
  ],
  origin: [115, 115, -190],
};

/** Five ellipsoid structures (classes 1–5) as GT; the prediction shifts and rescales each a little. */
function labels(): { gt: Uint8Array; pred: Uint8Array; image: Float32Array } {
  const r = rng(256);
  const n = S * S * S;
  const gt = new Uint8Array(n);
  const pred = new Uint8Array(n);
  const image = new Float32Array(n);
  for (let i = 0; i < n; i++) image[i] = 100 + 20 * r();
  for (let c = 1; c <= 5; c++) {
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
  return { gt, pred, image };
}

export async function run(): Promise<void> {
  const { gt, pred, image } = labels();
  const gtFile = writeNifti(gt, GRID, { gzip: true });
  const predFile = writeNifti(pred, GRID, { gzip: true });
  const imageFile = writeNifti(image, GRID, { gzip: true });
  const mb = (b: Uint8Array) => (b.length / 1e6).toFixed(1);
  console.log(`256³ NIfTI .nii.gz: labels ${mb(gtFile)} MB, float32 image ${mb(imageFile)} MB compressed`);

  const gunzipAll = timeMs(() => [gtFile, imageFile].map((b) => gunzipSync(b)), 3, 1);
  const open = timeMs(
    () => {
      volumeLabelMap(readVolume(gtFile, { source: 'gt.nii.gz' }));
      volumeImage(readVolume(imageFile, { source: 'image.nii.gz' }));
    },
    3,
    1,
  );
  report(
    'open a 256³ float32 image + its label volume (read, check, convert)',
    open,
    { name: 'zlib gunzip alone', ms: gunzipAll },
    2000,
  );

  const g = readVolume(gtFile, { source: 'gt' });
  const p = readVolume(predFile, { source: 'pred' });
  const gtMap = volumeLabelMap(g);
  const predMap = volumeLabelMap(p);
  const config = { numClasses: 6 };
  const metrics = timeMs(
    () => computeImageMetrics(gtMap, predMap, { spacing: arraySpacing(g.geometry), config }),
    3,
    1,
  );
  report(
    'every metric, 5 structures at 256³, spacing 1.5×0.9×0.9 mm from the header',
    metrics,
    undefined,
    1000,
  );
}
