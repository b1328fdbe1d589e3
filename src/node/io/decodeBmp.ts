/** BMP files through our own reader (bmp.ts; libvips has no BMP loader), as an image or as class indices. */
import { decodeBmp } from './bmp';
import { finish, imageRaster, labelRaster } from './build';
import type { DecodeOptions } from './options';
import type { Raster } from './raster';

export function fromBmp(bytes: Uint8Array, o: DecodeOptions): Raster {
  const bmp = decodeBmp(bytes, o.source, o.maxPixels, o.limitHint);
  if (bmp.palette) {
    if (o.role === 'labels') {
      return labelRaster(bmp.width, bmp.height, bmp.data, 'bmp', 'uint8 palette', o.source, [], bmp.palette);
    }
    const rgb = new Uint8Array(bmp.width * bmp.height * 3);
    for (let i = 0; i < bmp.data.length; i++) {
      const c = bmp.palette[bmp.data[i]] ?? [0, 0, 0];
      rgb.set(c, i * 3);
    }
    return imageRaster(bmp.width, bmp.height, 3, 'uint8', rgb, 'bmp', 'uint8 palette', []);
  }
  return finish(bmp.width, bmp.height, bmp.channels, 'uint8', bmp.data, 'bmp', 'uint8', o, []);
}
