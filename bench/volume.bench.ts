/**
 * Volumes at 256³ (issue 16 budgets: open a 256³ float32 volume with its labels ≤ 2 s; per-structure 3-D metrics
 * ≤ 1 s): reading gzip NIfTI files (header, bounded gunzip, label/image conversion) against zlib's gunzip of the
 * same bytes alone, and every metric of a 5-structure label volume with anisotropic spacing taken from the header.
 */
import { gunzipSync } from 'node:zlib';
import { computeImageMetrics } from '../src/core/metrics/imageMetrics';
import { arraySpacing } from '../src/core/volume/geometry';
import { volumeImage, volumeLabelMap } from '../src/node/io/volume/maps';
import { readVolume } from '../src/node/io/volume/read';
import { writeNifti } from '../src/node/io/volume/writeNifti';
import { ballCase, ballGrid } from './volumeBalls';
import { report, timeMs } from './util';

const S = 256;
const GRID = ballGrid(S);

/** Five balls (classes 1–5) as GT; the prediction shifts and rescales each a little (./volumeBalls.ts). */
function labels(): { gt: Uint8Array; pred: Uint8Array; image: Float32Array } {
  const { gt, pred, image } = ballCase(S, 5, 256);
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
