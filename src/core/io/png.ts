/**
 * PNG decoding through fast-png (pure JavaScript), used for masks and label maps because it keeps palette
 * **indices** intact (sharp expands palettes to RGB) and 16-bit samples exact.
 *
 * The header (IHDR) is read and checked against the pixel and byte limits before any inflation happens, and a
 * file whose compressed data could inflate far beyond what its header declares (a decompression bomb with a lying
 * header) is first inflated by a counting stream that stops at the declared size — so memory stays bounded by
 * what the header promised, never by what the data would expand to.
 */
import { decode } from 'fast-png';
import { Unzlib } from 'fflate';
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
  /**
   * Refuse images whose decoded samples would take more bytes than this (checked from the header: width × height ×
   * channels × bytes per sample). @default DEFAULT_MAX_PNG_BYTES (1 GiB: a 16384² grey16 or an 8192² RGBA16 image)
   */
  maxBytes?: number;
}

export const DEFAULT_MAX_PNG_BYTES = 2 ** 30;

/** The bit depths each PNG colour type allows: grey, RGB, palette, grey + alpha, RGBA. */
const LEGAL_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Samples per pixel of each PNG colour type. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Deflate never expands data by more than about 1032:1; above this a stream cannot hide a bomb. */
const MAX_DEFLATE_RATIO = 1032;

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
  // The combinations the PNG specification allows (table 11.1); others (RGB at 4 bits, a 16-bit palette) are
  // not images any decoder agrees on.
  if (!LEGAL_DEPTHS[colorType]?.includes(bitDepth)) {
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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PNG_BYTES;
  const channelsDeclared = CHANNELS[header.colorType] ?? 4;
  const decodedBytes = pixels * channelsDeclared * (header.bitDepth === 16 ? 2 : 1);
  if (decodedBytes > maxBytes) {
    throw new InputError(
      `image is ${header.width}×${header.height} with ${channelsDeclared} channel(s) of ${header.bitDepth} bits: ` +
        `${decodedBytes} bytes decoded, above the limit of ${maxBytes} bytes`,
      source,
    );
  }
  // fast-png 8 deinterlaces 1/2/4-bit images as if every packed byte were a pixel, which returns wrong samples
  // without an error; refuse them by name rather than show a wrong mask.
  if (bytes[28] === 1 && header.bitDepth < 8) {
    throw new InputError(
      `interlaced (Adam7) PNGs of ${header.bitDepth}-bit samples are not supported; save it without interlacing`,
      source,
    );
  }
  checkInflatedSize(bytes, header, source);
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
  // Packed rows are what the decoder returns; a row of one sample is one byte either way, so the packed length is
  // tested first (testing the unpacked length first returned a 1-pixel-wide image's packed bytes as its samples).
  if (src.length !== bytesPerRow * height && src.length === samplesPerRow * height) return src;
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

/** The bytes of filtered scanlines the header promises (each pass of an interlaced image adds its own rows). */
function scanlineBytes(h: PngHeader, interlaced: boolean): number {
  const bitsPerPixel = (CHANNELS[h.colorType] ?? 4) * h.bitDepth;
  const rows = (w: number, hh: number): number =>
    w === 0 || hh === 0 ? 0 : hh * (1 + Math.ceil((w * bitsPerPixel) / 8));
  if (!interlaced) return rows(h.width, h.height);
  // Adam7: seven passes, each a sub-image with its own filter bytes.
  const passes: [number, number, number, number][] = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    total += rows(Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy));
  }
  return total;
}

/**
 * When the IDAT data could inflate to much more than the header declares, inflate it once through a counting
 * stream that stops as soon as the output passes the declared size: a bomb is refused after at most that many
 * bytes, instead of after the decoder has allocated everything the data expands to.
 */
function checkInflatedSize(bytes: Uint8Array, header: PngHeader, source: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const interlaced = bytes[28] === 1;
  const declared = scanlineBytes(header, interlaced);
  const idat: Uint8Array[] = [];
  let compressed = 0;
  for (let offset = 8; offset + 12 <= bytes.length;) {
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > bytes.length) break; // The decoder reports the truncation with its own message.
    if (
      bytes[offset + 4] === 0x49 &&
      bytes[offset + 5] === 0x44 &&
      bytes[offset + 6] === 0x41 &&
      bytes[offset + 7] === 0x54
    ) {
      idat.push(bytes.subarray(offset + 8, offset + 8 + length));
      compressed += length;
    }
    offset = end;
  }
  // When even deflate's largest expansion of the compressed data stays under the cap, nothing can hide in it.
  const cap = 2 * declared + 65536;
  if (compressed * MAX_DEFLATE_RATIO <= cap) return;
  let produced = 0;
  const stream = new Unzlib((chunk) => {
    produced += chunk.length;
    if (produced > cap) throw new InputError(inflatesBeyond(header, declared), source);
  });
  // Pushes of 8 KiB keep each inflated piece ≤ ~8.3 MiB (deflate expands at most ~1032:1), so the count stops a
  // bomb early; 1 KiB pushes did too, but cost a 1024² photo 250–350 ms of streaming overhead.
  const STEP = 8192;
  try {
    for (let i = 0; i < idat.length; i++) {
      const part = idat[i]!;
      for (let o = 0; o < part.length; o += STEP) {
        stream.push(
          part.subarray(o, Math.min(o + STEP, part.length)),
          i === idat.length - 1 && o + STEP >= part.length,
        );
      }
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    // Corrupt deflate data: the decoder below names it in its own words.
  }
}

function inflatesBeyond(h: PngHeader, declared: number): string {
  return (
    `corrupt PNG (decompression bomb?): its image data inflates to more than the ${declared} bytes ` +
    `its ${h.width}×${h.height} header declares; refused before decoding`
  );
}
