/**
 * A volume through the 2-D decode path (the format table's rows for NIfTI, NRRD and MetaImage): the middle slice
 * across file axis k of the first volume, as an image, a label map or a displayable probability, with a note giving
 * the volume's size, orientation and spacing and which slice is shown. The slice is in file order (i across, j
 * down), not flipped into a radiological or neurological view. A header that names a separate data file (`.mhd`)
 * cannot be read from bytes alone and is refused with the file's name.
 */
import { formatDims, formatSpacing } from '../../../core/volume/compare';
import { orientationCode } from '../../../core/volume/orientation';
import { labelRaster, imageRaster } from '../build';
import { displayProbability } from '../decodeProb';
import { DecodeOptions, tooLarge } from '../options';
import type { Raster } from '../raster';
import { volumeImage, volumeLabelMap, volumeProbMap } from './maps';
import { readVolume } from './read';

export function volumeSliceRaster(bytes: Uint8Array, format: string, o: DecodeOptions): Raster {
  const v = readVolume(bytes, { source: o.source });
  const g = v.geometry;
  const [ni, nj, nk] = g.dims;
  if (ni * nj > o.maxPixels) throw tooLarge(ni, nj, o.maxPixels, o.source, o.limitHint);
  const k = Math.floor(nk / 2);
  const n = ni * nj;
  const from = k * n;
  const where =
    `volume ${formatDims(g)} (${orientationCode(g)}, ${formatSpacing(g)}): showing the middle slice k = ${k} ` +
    `of ${nk} in file order (i across, j down)`;
  if (o.role === 'labels') {
    const map = volumeLabelMap(v);
    return labelRaster(ni, nj, map.data.slice(from, from + n), format, v.dtype, o.source, [
      where,
      ...v.notes,
    ]);
  }
  if (o.role === 'prob') {
    const prob = volumeProbMap(v);
    const c = v.channels;
    const total = n * nk;
    const data = new Float32Array(c * n);
    for (let ch = 0; ch < c; ch++)
      data.set(prob.data.subarray(ch * total + from, ch * total + from + n), ch * n);
    const r = displayProbability({ data, shape: [c, nj, ni] }, format, o);
    return { ...r, notes: [where, ...v.notes, ...r.notes] };
  }
  const img = volumeImage(v);
  return imageRaster(ni, nj, 1, 'float32', img.data.slice(from, from + n), format, v.dtype, [
    where,
    ...v.notes,
  ]);
}
