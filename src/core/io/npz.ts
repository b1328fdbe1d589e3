/**
 * NumPy .npz reader (a ZIP archive of .npy members, stored or deflated) through fflate.
 *
 * Sizes are checked from the ZIP directory before anything is inflated (a member larger than the limit is refused
 * without decompressing it), and every member then goes through the validating .npy reader, so a lying directory
 * entry ends as an InputError about the member, not as a crash or a silent truncation.
 */
import { unzipSync, Unzipped, UnzipFileInfo } from 'fflate';
import { InputError, errorMessage } from '../errors';
import { NDArray } from '../ndarray';
import { readNpy } from './npy';

export interface NpzReadOptions {
  /** Name used in error messages. @default "arrays.npz" */
  source?: string;
  /** Refuse any member array with more elements than this. @default 2**31 - 1 */
  maxElements?: number;
  /** Refuse archives whose members inflate to more bytes than this in total. @default 2**31 - 1 */
  maxBytes?: number;
  /** Read only these arrays (names without ".npy"); others are skipped without inflating. */
  only?: readonly string[];
}

/** Deflate never expands data by more than about 1032:1 (258 bytes from a 2-bit code at best). */
const MAX_DEFLATE_RATIO = 1032;

/** ZIP local-file-header signature "PK\x03\x04" (an empty archive starts with the end record "PK\x05\x06"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** The array names of an .npz (members without ".npy"), read from the ZIP directory without inflating anything. */
export function listNpz(bytes: Uint8Array, source = 'arrays.npz'): string[] {
  if (!isZip(bytes)) throw new InputError('not an .npz file (no ZIP signature)', source);
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('.npy')) names.push(f.name.slice(0, -4));
        return false;
      },
    });
  } catch (e) {
    throw new InputError(`corrupt or truncated .npz archive: ${errorMessage(e)}`, source);
  }
  return names;
}

/**
 * Reads every array of an .npz file, keyed by its name without the ".npy" suffix (`np.savez(f, probs=a)` → "probs",
 * positional arrays → "arr_0", …). Arrays come out in C order like readNpy.
 * @throws InputError naming the file (and the member) on a corrupt archive, a size above the limits, a member
 *   that is not a valid .npy, or an archive without arrays.
 */
export function readNpz(bytes: Uint8Array, options: NpzReadOptions = {}): Record<string, NDArray> {
  const source = options.source ?? 'arrays.npz';
  const maxBytes = options.maxBytes ?? 2 ** 31 - 1;
  if (!isZip(bytes)) throw new InputError('not an .npz file (no ZIP signature)', source);
  let total = 0;
  let refused: string | undefined;
  const filter = (f: UnzipFileInfo): boolean => {
    if (!f.name.endsWith('.npy')) return false;
    if (options.only && !options.only.includes(f.name.slice(0, -4))) return false;
    // Deflate expands at most ~1032:1, so a directory claiming more than that is lying — and fflate would allocate
    // the claimed size up front (2 GiB for a 200-byte file).
    if (f.compression === 8 && f.originalSize > f.size * MAX_DEFLATE_RATIO + 1024) {
      refused ??= `member ${f.name} claims ${f.originalSize} bytes from ${f.size} compressed bytes, more than deflate can produce: the archive is corrupt`;
      return false;
    }
    total += f.originalSize;
    if (f.originalSize > maxBytes || total > maxBytes) {
      refused ??= `member ${f.name} would inflate to ${f.originalSize} bytes (${total} in total), above the limit of ${maxBytes}`;
      return false;
    }
    if (f.compression !== 0 && f.compression !== 8) {
      refused ??= `member ${f.name} uses ZIP compression method ${f.compression}; only stored and deflate are supported`;
      return false;
    }
    return true;
  };
  let files: Unzipped;
  try {
    files = unzipSync(bytes, { filter });
  } catch (e) {
    throw new InputError(`corrupt or truncated .npz archive: ${errorMessage(e)}`, source);
  }
  if (refused) throw new InputError(refused, source);
  const out: Record<string, NDArray> = {};
  for (const [name, data] of Object.entries(files)) {
    out[name.slice(0, -4)] = readNpy(data, { source: `${source}/${name}`, maxElements: options.maxElements });
  }
  if (Object.keys(out).length === 0) {
    throw new InputError(
      options.only ? `no array named ${options.only.join(' or ')}` : 'the archive holds no .npy arrays',
      source,
    );
  }
  return out;
}
