/**
 * PNG decoding through fast-png (pure JavaScript), used for masks and label maps because it keeps palette
 * **indices** intact (sharp expands palettes to RGB) and 16-bit samples exact.
 *
 * The header (IHDR) is read and checked against the pixel limit before any inflation happens.
 */
import { decode } from 'fast-png';
import { InputError, errorMessage } from '../errors';

export interface PngHeader {
  width: number;
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  bitDepth: number;
  /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
}

export interface DecodedPngImage extends PngHeader {
  /** Samples per pixel in `data` (1 for grey and palette indices, 2 GA, 3 RGB, 4 RGBA). */
  channels: number;
  /** Interleaved samples, row-major; sub-byte depths are unpacked to one sample per byte. */
  data: Uint8Array | Uint16Array;
  /** For palette PNGs: the palette as [r,g,b] triples; `data` then holds indices. */
  palette?: number[][];
}

export interface PngReadOptions {
  /** Name used in error messages. @default "image.png" */
  source?: string;
  /** Refuse images with more pixels than this (checked from the header). @default 100_000_000 */
  maxPixels?: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Reads width, height, bit depth and colour type from the IHDR chunk without decoding. */
export function readPngHeader(bytes: Uint8Array, source = 'image.png'): PngHeader {
  if (!isPng(bytes)) throw new InputError('not a PNG file (bad signature)', source);
  if (bytes.length < 33) throw new InputError('truncated PNG (no complete IHDR chunk)', source);
  const type = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (type !== 'IHDR') throw new InputError(`corrupt PNG: first chunk is '${type}', expected IHDR`, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24];
  const colorType = bytes[25];
  if (width === 0 || height === 0) throw new InputError(`PNG has an empty size ${width}×${height}`, source);
  if (![1, 2, 4, 8, 16].includes(bitDepth) || ![0, 2, 3, 4, 6].includes(colorType)) {
    throw new InputError(`corrupt PNG header: bit depth ${bitDepth}, colour type ${colorType}`, source);
  }
  return { width, height, bitDepth, colorType };
}

/** Decodes a PNG, keeping palette indices and 16-bit samples. Throws InputError naming `source`. */
export function decodePngImage(bytes: Uint8Array, options: PngReadOptions = {}): DecodedPngImage {
  const source = options.source ?? 'image.png';
  const maxPixels = options.maxPixels ?? 100_000_000;
  const header = readPngHeader(bytes, source);
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    throw new InputError(
      `image is ${header.width}×${header.height} (${pixels} pixels), above the limit of ${maxPixels} pixels`,
      source,
    );
  }
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (e) {
    throw new InputError(describeDecodeFailure(bytes, e), source);
  }
  const channels = png.channels;
  let data: Uint8Array | Uint16Array;
  const expected = pixels * channels;
  if (png.depth < 8) {
    data = unpackBits(png.data as Uint8Array, header.width, header.height, channels, png.depth);
  } else if (png.data instanceof Uint16Array) {
    data = png.data;
  } else {
    // A view on the same memory for any other 8-bit array type, honouring its offset and length.
    data =
      png.data instanceof Uint8Array
        ? png.data
        : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
  }
  if (data.length < expected) {
    throw new InputError(
      `corrupt or truncated PNG: ${data.length} samples decoded, expected ${expected}`,
      source,
    );
  }
  return {
    ...header,
    channels,
    data: data.length === expected ? data : data.subarray(0, expected),
    palette: png.palette ? png.palette.map((c) => [c[0], c[1], c[2]]) : undefined,
  };
}

/**
 * Where the chunk layout of a PNG breaks, if it does: a chunk that runs past the end of the file, or a file that
 * ends without its IEND chunk. Both mean the file was cut short (an interrupted copy or download).
 */
function findTruncation(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > bytes.length) {
      // A garbled type is not worth printing; chunk types are four ASCII letters.
      const name = /^[A-Za-z]{4}$/.test(type) ? `its ${type} chunk` : 'a chunk';
      return (
        `corrupt or truncated PNG: the file ends inside ${name} ` +
        `(the chunk at byte ${offset} needs ${length + 12} bytes, ${bytes.length - offset} are left)`
      );
    }
    if (type === 'IEND') return undefined;
    offset = end;
  }
  return `corrupt or truncated PNG: the file ends at byte ${bytes.length} without an IEND chunk`;
}

/**
 * A message for a PNG that fast-png could not decode. fast-png wraps inflate failures as "Error while
 * decompressing the data:" with the reason only in `cause`, which would leave the user a sentence ending in a
 * colon; a cut-short file is named as such, and anything else as corrupt compressed data.
 */
function describeDecodeFailure(bytes: Uint8Array, e: unknown): string {
  const truncation = findTruncation(bytes);
  if (truncation) return truncation;
  const message = errorMessage(e).trim();
  if (/decompress/i.test(message) || message === '' || message.endsWith(':')) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message.trim() : '';
    return `corrupt or truncated PNG: the compressed image data is corrupt${cause ? ` (${cause})` : ''}`;
  }
  return `corrupt or truncated PNG: ${message}`;
}

/** Unpacks 1/2/4-bit rows (each row starts on a byte boundary) into one byte per sample. */
function unpackBits(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  depth: number,
): Uint8Array {
  const samplesPerRow = width * channels;
  const bytesPerRow = Math.ceil((samplesPerRow * depth) / 8);
  if (src.length === samplesPerRow * height) return src; // already unpacked by the decoder
  const out = new Uint8Array(samplesPerRow * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    const row = y * bytesPerRow;
    for (let x = 0; x < samplesPerRow; x++) {
      const bit = x * depth;
      const byte = src[row + (bit >> 3)];
      out[y * samplesPerRow + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}
