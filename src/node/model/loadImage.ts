/**
 * Reads an image file for the model runner through the shared imaging decoder (PNG, JPEG, TIFF, BMP, WebP, NPY,
 * NPZ; format from the magic bytes), so a model sees exactly the pixels the viewer shows.
 */
import { readFile } from 'node:fs/promises';
import { InputError, errorMessage } from '../../core/errors';
import { ModelImage } from '../../core/model/preprocess';
import { decodeRaster } from '../io/decode';

/** Default pixel limit, checked from the file header before decoding. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export async function loadModelImage(path: string, maxPixels = DEFAULT_MAX_PIXELS): Promise<ModelImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new InputError(`cannot read the image: ${errorMessage(e)}`, path);
  }
  const raster = await decodeRaster(bytes, { source: path, maxPixels, role: 'image' });
  // Images are decoded as 8/16-bit or float samples; an integer raster (labels only) is widened to float.
  const data = raster.data instanceof Int32Array ? Float32Array.from(raster.data) : raster.data;
  return { width: raster.width, height: raster.height, channels: raster.channels, data };
}
