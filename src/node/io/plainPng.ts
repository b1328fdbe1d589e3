/**
 * A native way through the most common PNG (issue 13: command to overlay). A 1024² photo takes fast-png, which is
 * JavaScript, 140–250 ms on a warm thread and several times that on a fresh worker's cold code; libvips (sharp)
 * decodes the same file in ~15 ms. PNG is lossless, so for the files taken here both give the same samples bit for
 * bit — but only for those, so the way is narrow on purpose:
 *
 * - 8 bits per sample, grey, RGB or RGBA (no palette: masks keep raw indices through fast-png; no
 *   16-bit; no sub-byte depths), not interlaced, standard compression and filter methods;
 * - every chunk complete with a correct CRC, the file ending with IEND, and no chunk besides the image data and
 *   text, time, physical size or sRGB — nothing that asks a decoder to change the samples (gAMA, cHRM, iCCP, sBIT,
 *   tRNS, eXIf, animation);
 * - the image data inflates to exactly the bytes the header declares (a decompression bomb never gets here: the
 *   inflation stops one byte past the declared size) and each row names one of the five filters;
 * - within the pixel limit and the byte limit of the fast-png path, and not tiny (PLAIN_PNG_MIN_PIXELS).
 *
 * Anything else — including every file the fast-png path refuses — returns undefined and takes that path, which
 * words the refusal as before (the same message for a bomb, a truncated file, a bad CRC, a size over the limit).
 */
import { crc32, inflateSync } from 'node:zlib';
import { DEFAULT_MAX_PNG_BYTES, type DecodedPngImage, type PngHeader, isPng } from '../../core/io/png';
import { loadSharp } from './decodeSharp';

/** Chunks that change no sample of an 8-bit grey or colour image (besides IHDR, IDAT, IEND). */
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'tIME', 'pHYs', 'sRGB']);

/**
 * Samples per pixel of the colour types taken here: grey, RGB, RGBA. Not grey + alpha: sharp hands it out as
 * sRGB + alpha, or as grey without its alpha.
 */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 6: 4 };

/**
 * Smaller images stay on fast-png: it decodes them in a few milliseconds, while loading sharp costs a process
 * ~40 ms the first time (a CLI run over a small mask must not pay it).
 */
export const PLAIN_PNG_MIN_PIXELS = 1 << 16;

/** A PNG the native decoder may read: its header and its samples per pixel. */
export interface PlainPng extends PngHeader {
  channels: number;
}

const chunkType = (bytes: Uint8Array, at: number): string =>
  String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);

/**
 * Whether `bytes` is a PNG of the narrow kind described above (its header, or undefined). Reads the whole file
 * once: the chunk walk with CRCs and one native inflation of the image data.
 */
export function plainPng(
  bytes: Uint8Array,
  maxPixels: number,
  minPixels = PLAIN_PNG_MIN_PIXELS,
): PlainPng | undefined {
  if (typeof crc32 !== 'function' || !isPng(bytes) || bytes.length < 45) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || chunkType(bytes, 12) !== 'IHDR') return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24];
  const colorType = bytes[25];
  const channels = CHANNELS[colorType];
  // Compression, filter and interlace methods: 0, 0 and 0 (no Adam7).
  if (bitDepth !== 8 || channels === undefined || bytes[26] !== 0 || bytes[27] !== 0 || bytes[28] !== 0)
    return undefined;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return undefined;
  const pixels = width * height;
  if (pixels < minPixels || pixels > maxPixels || pixels * channels > DEFAULT_MAX_PNG_BYTES) return undefined;
  const idat: Uint8Array[] = [];
  let offset = 8;
  let ended = false;
  let idatDone = false;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) return undefined;
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) return undefined;
    const type = chunkType(bytes, offset + 4);
    const crc = crc32(bytes.subarray(offset + 4, offset + 8 + length));
    if (crc !== view.getUint32(offset + 8 + length)) return undefined;
    if (type === 'IDAT') {
      // Image data must be one run of consecutive chunks.
      if (idatDone) return undefined;
      idat.push(bytes.subarray(offset + 8, offset + 8 + length));
    } else {
      if (idat.length > 0) idatDone = true;
      if (type === 'IEND') {
        ended = end === bytes.length;
        break;
      }
      if (offset === 8 ? type !== 'IHDR' : !HARMLESS.has(type)) return undefined;
    }
    offset = end;
  }
  if (!ended || idat.length === 0) return undefined;
  const rowBytes = 1 + width * channels;
  const declared = rowBytes * height;
  let raw: Buffer;
  try {
    // One byte past the declared size is enough to know the data holds more than it should.
    raw = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), { maxOutputLength: declared + 1 });
  } catch {
    return undefined;
  }
  if (raw.length !== declared) return undefined;
  for (let at = 0; at < declared; at += rowBytes) if (raw[at] > 4) return undefined;
  return { width, height, bitDepth, colorType, channels };
}

/** A 1×1 grey PNG (the smallest file libvips decodes), for warmPlainPng. */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55' +
    '0000000a49444154789c636000000002000148afa4710000000049454e44ae426082',
  'hex',
);

/**
 * Loads sharp and runs libvips once, so the first real decode on this thread pays neither: a pool thread calls
 * this as it starts (measured on a busy 2-core machine: a fresh thread's first 1024² PNG took 200–300 ms after
 * its boot, a warm one's 40–70 ms). Never throws.
 */
export async function warmPlainPng(): Promise<void> {
  try {
    const sharp = await loadSharp();
    await sharp(TINY_PNG).raw().toBuffer();
  } catch {
    // A thread without sharp decodes every PNG through fast-png; nothing to warm.
  }
}

/**
 * The samples of a plain PNG (see plainPng) decoded natively, in the shape of the fast-png path's result; undefined
 * when the file is not of that kind or libvips does not hand back exactly the declared samples (the caller then
 * decodes it the usual way).
 */
export async function decodePlainPng(
  bytes: Uint8Array,
  maxPixels: number,
  /** @default PLAIN_PNG_MIN_PIXELS */
  minPixels?: number,
): Promise<DecodedPngImage | undefined> {
  const plain = plainPng(bytes, maxPixels, minPixels);
  if (!plain) return undefined;
  try {
    const sharp = await loadSharp();
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const open = sharp(input, { limitInputPixels: false, failOn: 'error', sequentialRead: true });
    // sharp hands out sRGB unless told otherwise; grey stays grey (libvips' b-w to b-w is no conversion at all).
    const grey = plain.colorType === 0;
    const { data, info } = await (grey ? open.toColourspace('b-w') : open)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const n = plain.width * plain.height * plain.channels;
    if (info.width !== plain.width || info.height !== plain.height || info.channels !== plain.channels)
      return undefined;
    if (data.length !== n) return undefined;
    // A buffer of its own (sharp's may be a view on a pooled one), so the worker can transfer it.
    const samples = new Uint8Array(n);
    samples.set(data);
    const { channels, ...header } = plain;
    return { ...header, channels, data: samples };
  } catch {
    return undefined;
  }
}
