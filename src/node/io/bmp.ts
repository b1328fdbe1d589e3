/**
 * A small BMP decoder: sharp's libvips has no BMP loader, and BMP is common for older segmentation datasets.
 * Supports the uncompressed forms those datasets use (1/4/8-bit palette, 24-bit BGR, 32-bit BGRA/BGRX) in both
 * bottom-up and top-down row order. The header is validated and the pixel limit checked before any pixel is read.
 */
import { InputError } from '../../core/errors';

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  topDown: boolean;
  dataOffset: number;
  compression: number;
  paletteOffset: number;
  paletteSize: number;
}

export interface DecodedBmp {
  width: number;
  height: number;
  /** 1 for palette indices, 3 for RGB. */
  channels: 1 | 3;
  data: Uint8Array;
  palette?: [number, number, number][];
}

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function readBmpHeader(bytes: Uint8Array, source: string): BmpHeader {
  if (!isBmp(bytes)) throw new InputError('not a BMP file (missing the "BM" signature)', source);
  if (bytes.length < 54) throw new InputError('truncated BMP header', source);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = v.getUint32(10, true);
  const dibSize = v.getUint32(14, true);
  if (dibSize < 40) throw new InputError(`unsupported BMP header (DIB header of ${dibSize} bytes)`, source);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bitsPerPixel = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  const colours = v.getUint32(46, true);
  if (width <= 0 || rawHeight === 0)
    throw new InputError(`BMP has an invalid size ${width}×${rawHeight}`, source);
  if (![1, 4, 8, 24, 32].includes(bitsPerPixel)) {
    throw new InputError(`unsupported BMP bit depth ${bitsPerPixel}`, source);
  }
  // 0 = BI_RGB; 3 = BI_BITFIELDS is accepted for 32-bit files using the standard BGRA masks.
  if (!(compression === 0 || (compression === 3 && bitsPerPixel === 32))) {
    throw new InputError(`compressed BMP (compression ${compression}) is not supported`, source);
  }
  const paletteSize = bitsPerPixel <= 8 ? colours || 1 << bitsPerPixel : 0;
  return {
    width,
    height: Math.abs(rawHeight),
    bitsPerPixel,
    topDown: rawHeight < 0,
    dataOffset,
    compression,
    paletteOffset: 14 + dibSize,
    paletteSize,
  };
}

export function decodeBmp(
  bytes: Uint8Array,
  source: string,
  maxPixels: number,
  limitHint = 'setting seglens.maxPixels',
): DecodedBmp {
  const h = readBmpHeader(bytes, source);
  const pixels = h.width * h.height;
  if (pixels > maxPixels) {
    throw new InputError(
      `image is ${h.width}×${h.height} (${pixels} pixels), above the limit of ${maxPixels} pixels (${limitHint})`,
      source,
    );
  }
  const rowBytes = Math.ceil((h.width * h.bitsPerPixel) / 32) * 4;
  if (h.dataOffset + rowBytes * h.height > bytes.length) {
    throw new InputError(
      `truncated BMP: pixel data needs ${h.dataOffset + rowBytes * h.height} bytes, the file has ${bytes.length}`,
      source,
    );
  }
  const { width, height } = h;
  if (h.bitsPerPixel <= 8) {
    if (h.paletteOffset + h.paletteSize * 4 > bytes.length)
      throw new InputError('truncated BMP palette', source);
    const palette: [number, number, number][] = [];
    for (let i = 0; i < h.paletteSize; i++) {
      const p = h.paletteOffset + i * 4;
      palette.push([bytes[p + 2], bytes[p + 1], bytes[p]]);
    }
    const out = new Uint8Array(pixels);
    const bpp = h.bitsPerPixel;
    const mask = (1 << bpp) - 1;
    for (let y = 0; y < height; y++) {
      const row = h.dataOffset + (h.topDown ? y : height - 1 - y) * rowBytes;
      for (let x = 0; x < width; x++) {
        const bit = x * bpp;
        out[y * width + x] = (bytes[row + (bit >> 3)] >> (8 - bpp - (bit & 7))) & mask;
      }
    }
    return { width, height, channels: 1, data: out, palette };
  }
  // 32-bit files often leave the fourth byte at 0 (BGRX), so it is dropped rather than read as transparency.
  const channels = 3;
  const step = h.bitsPerPixel / 8;
  const out = new Uint8Array(pixels * channels);
  for (let y = 0; y < height; y++) {
    const row = h.dataOffset + (h.topDown ? y : height - 1 - y) * rowBytes;
    let o = y * width * channels;
    for (let x = 0; x < width; x++) {
      const p = row + x * step;
      out[o++] = bytes[p + 2];
      out[o++] = bytes[p + 1];
      out[o++] = bytes[p];
    }
  }
  return { width, height, channels, data: out };
}
