/**
 * The file-format table: one row per format SegLens reads — how its first bytes look, the file extensions it goes
 * by, and the decoder for each role it can serve (image, labels, probability map). Detection, the decode dispatch,
 * the "SegLens reads …" messages and the extension lists are derived from these rows, so adding a format is one
 * decoder file plus one row here (docs/architecture.md, "how to add a file format"). The format is always decided by
 * the magic bytes, never the name; extensions only say which files the explorer offers to open.
 */
import { isBmp } from './bmp';
import { fromBmp } from './decodeBmp';
import { fromNdarray, fromNpz, readNpyChecked } from './decodeArray';
import { fromPng } from './decodePng';
import { probFromNpy, probFromNpz, probFromTiff } from './decodeProb';
import { fromSharp } from './decodeSharp';
import type { DecodeOptions } from './options';
import type { DecodeRole, Raster } from './raster';
import { isMetaImage } from './volume/metaimage';
import { isNifti } from './volume/nifti';
import { isNrrd } from './volume/nrrd';
import { volumeSliceRaster } from './volume/sliceRaster';

export type { DecodeOptions } from './options';
export { tooLarge } from './options';

/** Decodes the bytes of one format for one role. */
export type Decoder = (bytes: Uint8Array, options: DecodeOptions) => Raster | Promise<Raster>;

export interface FormatRow {
  /** Short id, also the `format` of the decoded raster. */
  readonly format: string;
  /** Name in messages ("PNG"). */
  readonly label: string;
  /** Lower-case extensions without the dot; the first is the usual one. */
  readonly extensions: readonly string[];
  /** Whether the file's first bytes are this format's signature. */
  readonly magic: (bytes: Uint8Array) => boolean;
  /** The decoder per role this format can serve; a missing role is refused with the list of formats that can. */
  readonly decoders: Partial<Record<DecodeRole, Decoder>>;
}

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...bytes.subarray(from, to));
const startsWith = (bytes: Uint8Array, sig: readonly number[]): boolean =>
  bytes.length >= sig.length && sig.every((v, i) => bytes[i] === v);

/**
 * Volumes (src/node/io/volume/) through the 2-D path: the middle slice, with a note saying so. No extensions yet:
 * the explorer and folder pairing offer volumes once the three-plane viewer and the dataset evaluation take their
 * geometry (docs/volumes.md); the magic bytes already route a volume here when one is opened.
 */
const volumeRow = <F extends string>(
  format: F,
  label: string,
  magic: (b: Uint8Array) => boolean,
): FormatRow & { readonly format: F } => ({
  format,
  label,
  extensions: [],
  magic,
  decoders: {
    image: (b, o) => volumeSliceRaster(b, format, o),
    labels: (b, o) => volumeSliceRaster(b, format, o),
  },
});

const fromNpy: Decoder = (bytes, o) =>
  fromNdarray(readNpyChecked(bytes, o.source, o.maxPixels, o.limitHint), 'npy', o, []);

/** The rows, in detection order (the first whose magic matches wins). */
export const FORMATS = [
  {
    format: 'png',
    label: 'PNG',
    extensions: ['png'],
    magic: (b) => b.length >= 8 && startsWith(b, [0x89, 0x50, 0x4e, 0x47]),
    decoders: { image: fromPng, labels: fromPng },
  },
  {
    format: 'jpeg',
    label: 'JPEG',
    extensions: ['jpg', 'jpeg'],
    magic: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
    decoders: { image: (b, o) => fromSharp(b, 'jpeg', o), labels: (b, o) => fromSharp(b, 'jpeg', o) },
  },
  {
    format: 'tiff',
    label: 'TIFF',
    extensions: ['tif', 'tiff'],
    magic: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0]) || startsWith(b, [0x4d, 0x4d, 0, 0x2a]),
    decoders: {
      image: (b, o) => fromSharp(b, 'tiff', o),
      labels: (b, o) => fromSharp(b, 'tiff', o),
      prob: probFromTiff,
    },
  },
  {
    format: 'bmp',
    label: 'BMP',
    extensions: ['bmp'],
    magic: isBmp,
    decoders: { image: fromBmp, labels: fromBmp },
  },
  {
    format: 'webp',
    label: 'WebP',
    extensions: ['webp'],
    magic: (b) => b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
    decoders: { image: (b, o) => fromSharp(b, 'webp', o), labels: (b, o) => fromSharp(b, 'webp', o) },
  },
  volumeRow('nifti', 'NIfTI', isNifti),
  volumeRow('nrrd', 'NRRD', isNrrd),
  volumeRow('metaimage', 'MetaImage', isMetaImage),
  {
    format: 'npy',
    label: 'NPY',
    extensions: ['npy'],
    magic: (b) => b.length >= 6 && b[0] === 0x93 && ascii(b, 1, 6) === 'NUMPY',
    decoders: { image: fromNpy, labels: fromNpy, prob: probFromNpy },
  },
  {
    format: 'npz',
    label: 'NPZ',
    extensions: ['npz'],
    magic: (b) => startsWith(b, [0x50, 0x4b, 3, 4]),
    decoders: { image: fromNpz, labels: fromNpz, prob: probFromNpz },
  },
] as const satisfies readonly FormatRow[];

export type FileFormat = (typeof FORMATS)[number]['format'];

/** The row whose signature the bytes carry; undefined when none matches. */
export function formatOf(bytes: Uint8Array): FormatRow | undefined {
  return (FORMATS as readonly FormatRow[]).find((row) => row.magic(bytes));
}

/** Recognises a supported format from the first bytes of a file; undefined when none matches. */
export function detectFormat(bytes: Uint8Array): FileFormat | undefined {
  return formatOf(bytes)?.format as FileFormat | undefined;
}

/** Formats that can serve a role, in table order. */
export function formatsFor(role: DecodeRole): FormatRow[] {
  return (FORMATS as readonly FormatRow[]).filter((row) => row.decoders[role] !== undefined);
}

/** Every extension of the table (the explorer menus and the open dialog offer these). */
export function formatExtensions(role?: DecodeRole): string[] {
  const rows = role ? formatsFor(role) : (FORMATS as readonly FormatRow[]);
  return rows.flatMap((row) => row.extensions);
}

/** "PNG, JPEG, TIFF, BMP, WebP, NPY and NPZ" — the formats of a role, for messages. */
export function formatList(role?: DecodeRole, conjunction: 'and' | 'or' = 'and'): string {
  const names = (role ? formatsFor(role) : (FORMATS as readonly FormatRow[])).map((row) => row.label);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}
