/**
 * NRRD (`.nrrd`, `.seg.nrrd`, detached `.nhdr`): the text header (teem's NRRD0001–0005 fields), raw, gzip and ascii
 * encodings, `space` (RAS, LPS, LAS …: converted to RAS), `space directions` and `space origin`, or `spacings` when
 * there are no directions. One non-spatial axis (its direction "none", e.g. the segment layers of a Slicer
 * `.seg.nrrd` or the classes of a probability volume) becomes the channel axis, wherever it sits.
 */
import { InputError } from '../../../core/errors';
import { DEFAULT_MAX_ELEMENTS } from '../../../core/io/load';
import {
  Vec3,
  VolumeGeometry,
  completeThirdAxis,
  isColumnProblem,
  splitColumns,
} from '../../../core/volume/geometry';
import { VOXEL_BYTES, checkRawSize, checkVoxelLimit, inflateExactly, voxelsFromBytes } from './binary';
import { MAX_HEADER_BYTES, deinterleave, numbers } from './header';
import type { Volume, VolumeReadOptions, VoxelArray, VoxelType } from './types';

const TYPES: [VoxelType, string[]][] = [
  ['int8', ['signed char', 'int8', 'int8_t']],
  ['uint8', ['uchar', 'unsigned char', 'uint8', 'uint8_t']],
  ['int16', ['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t']],
  ['uint16', ['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t']],
  ['int32', ['int', 'signed int', 'int32', 'int32_t']],
  ['uint32', ['uint', 'unsigned int', 'uint32', 'uint32_t']],
  [
    'int64',
    [
      'longlong',
      'long long',
      'long long int',
      'signed long long',
      'signed long long int',
      'int64',
      'int64_t',
    ],
  ],
  ['uint64', ['ulonglong', 'unsigned long long', 'unsigned long long int', 'uint64', 'uint64_t']],
  ['float32', ['float']],
  ['float64', ['double']],
];

export function isNrrd(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(0, 7)) === 'NRRD000';
}

/** Each word of a `space` value → sign of RAS x, y, z it points to. */
const SPACES: Record<string, Vec3> = {
  'right-anterior-superior': [1, 1, 1],
  ras: [1, 1, 1],
  'left-anterior-superior': [-1, 1, 1],
  las: [-1, 1, 1],
  'left-posterior-superior': [-1, -1, 1],
  lps: [-1, -1, 1],
};

function headerEnd(bytes: Uint8Array, source: string): { text: string; dataStart: number } {
  const limit = Math.min(bytes.length, MAX_HEADER_BYTES);
  for (let i = 0; i + 1 < limit; i++) {
    if (bytes[i] === 10 && bytes[i + 1] === 10) {
      return { text: new TextDecoder('latin1').decode(bytes.subarray(0, i)), dataStart: i + 2 };
    }
    if (bytes[i] === 10 && bytes[i + 1] === 13 && bytes[i + 2] === 10) {
      return { text: new TextDecoder('latin1').decode(bytes.subarray(0, i)), dataStart: i + 3 };
    }
  }
  // A detached header (.nhdr) may end without a blank line.
  if (bytes.length <= MAX_HEADER_BYTES)
    return { text: new TextDecoder('latin1').decode(bytes), dataStart: bytes.length };
  throw new InputError('the NRRD header has no end (no blank line in the first MiB)', source);
}

function vectors(text: string, source: string): (Vec3 | undefined)[] {
  const out: (Vec3 | undefined)[] = [];
  for (const m of text.matchAll(/\(([^)]*)\)|none/g)) {
    if (m[0] === 'none') {
      out.push(undefined);
      continue;
    }
    const v = numbers(m[1], 'space directions', source);
    // A 2-D space ("space dimension: 2") gives 2-vectors: they lie in the x/y plane.
    if (v.length !== 3 && v.length !== 2) {
      throw new InputError(`space directions must be 2- or 3-vectors, got '(${m[1]})'`, source);
    }
    out.push([v[0], v[1], v[2] ?? 0]);
  }
  return out;
}

export function readNrrd(bytes: Uint8Array, o: VolumeReadOptions): Volume {
  const { source } = o;
  const { text, dataStart } = headerEnd(bytes, source);
  const lines = text.split(/\r?\n/);
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const kv = line.indexOf(':=');
    const colon = line.indexOf(': ');
    if (colon < 0 || (kv >= 0 && kv < colon)) continue; // key:=value pairs are metadata
    fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 2).trim());
  }
  const need = (k: string): string => {
    const v = fields.get(k);
    if (v === undefined) throw new InputError(`the NRRD header has no '${k}' field`, source);
    return v;
  };
  const typeName = need('type').toLowerCase();
  const type = TYPES.find(([, names]) => names.includes(typeName))?.[0];
  if (!type) throw new InputError(`unsupported NRRD type '${typeName}'`, source);
  const dimension = Number(need('dimension'));
  const sizes = numbers(need('sizes'), 'sizes', source);
  if (!Number.isInteger(dimension) || dimension < 2 || dimension > 4 || sizes.length !== dimension) {
    throw new InputError(
      `dimension ${dimension} with sizes '${need('sizes')}': SegLens reads 2-D to 4-D NRRD`,
      source,
    );
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new InputError(`bad sizes '${need('sizes')}'`, source);
  const encoding = need('encoding').toLowerCase();
  const notes: string[] = [];

  // Spatial axes: those with a direction; without space directions, all axes but a "list"/"vector" kind one.
  const kinds = (fields.get('kinds') ?? '').split(/\s+/).filter(Boolean);
  const dirText = fields.get('space directions');
  let dirs: (Vec3 | undefined)[];
  let origin: Vec3 = [0, 0, 0];
  let sign: Vec3 = [1, 1, 1];
  if (dirText !== undefined) {
    dirs = vectors(dirText, source);
    if (dirs.length !== dimension)
      throw new InputError(`space directions lists ${dirs.length} axes, dimension is ${dimension}`, source);
    const space = (fields.get('space') ?? '').toLowerCase();
    const s = SPACES[space];
    if (s) sign = s;
    else notes.push(`space '${space || 'unset'}' taken as RAS`);
    const org = fields.get('space origin');
    if (org !== undefined) {
      const v = numbers(org.replace(/[()]/g, ' '), 'space origin', source);
      if (v.length !== 3 && v.length !== 2)
        throw new InputError(`space origin must be a 3-vector, got '${org}'`, source);
      origin = [v[0], v[1], v[2] ?? 0];
    }
  } else {
    const sp = (fields.get('spacings') ?? '').split(/\s+/).filter(Boolean).map(Number);
    dirs = sizes.map((_, a) => {
      if (
        ['list', 'vector', 'point', 'covariant-vector', 'normal', 'rgb-color', 'rgba-color'].includes(
          (kinds[a] ?? '').toLowerCase(),
        )
      ) {
        return undefined;
      }
      return [0, 0, 0] as Vec3;
    });
    let spatialIndex = 0;
    dirs = dirs.map((d, a) => {
      if (!d) return d;
      const s = Number.isFinite(sp[a]) && sp[a] > 0 ? sp[a] : 1;
      const v: [number, number, number] = [0, 0, 0];
      v[spatialIndex++] = s;
      return v;
    });
    notes.push('no space directions: axes taken as R, A, S with the given spacings, origin 0');
  }
  const spatialAxes = dirs.map((d, a) => (d ? a : -1)).filter((a) => a >= 0);
  const listAxes = dirs.map((d, a) => (d ? -1 : a)).filter((a) => a >= 0);
  if (spatialAxes.length < 2 || spatialAxes.length > 3 || listAxes.length > 1) {
    throw new InputError(
      `${spatialAxes.length} spatial and ${listAxes.length} non-spatial axes: SegLens reads 2-D or 3-D volumes with at most one channel axis`,
      source,
    );
  }
  const listAxis = listAxes[0];
  if (listAxis !== undefined && listAxis !== 0 && listAxis !== dimension - 1) {
    throw new InputError(
      `the non-spatial axis is axis ${listAxis}; it must be the first or the last`,
      source,
    );
  }
  const channels = listAxis === undefined ? 1 : sizes[listAxis];
  const count = sizes.reduce((a, b) => a * b, 1);
  checkVoxelLimit(count, o.maxElements ?? DEFAULT_MAX_ELEMENTS, sizes.join('×'), source);

  // The bytes of the data: attached after the blank line, or a detached data file.
  let payload = bytes.subarray(dataStart);
  const dataFile = fields.get('data file') ?? fields.get('datafile');
  if (dataFile !== undefined) {
    if (/^LIST$|%/.test(dataFile) || dataFile.includes(' '))
      throw new InputError(`data file '${dataFile}': lists of data files are not supported`, source);
    if (!o.readCompanion)
      throw new InputError(
        `the voxels are in a separate file '${dataFile}', which cannot be read from here`,
        source,
      );
    payload = o.readCompanion(dataFile);
  }
  const skip = Number(fields.get('byte skip') ?? 0);
  if (fields.has('line skip') && Number(fields.get('line skip')) !== 0)
    throw new InputError('NRRD line skip is not supported', source);
  const nbytes = count * VOXEL_BYTES[type];
  let raw: Uint8Array;
  if (encoding === 'raw') {
    if (skip === -1) payload = payload.subarray(payload.length - nbytes);
    else payload = payload.subarray(skip);
    checkRawSize(payload.length, nbytes, source);
    raw = payload;
  } else if (encoding === 'gzip' || encoding === 'gz') {
    raw = inflateExactly(payload, 'gzip', nbytes, source);
  } else if (encoding === 'ascii' || encoding === 'text' || encoding === 'txt') {
    const values = numbers(new TextDecoder().decode(payload), 'ascii data', source, false);
    if (values.length !== count)
      throw new InputError(
        `the ascii data holds ${values.length} values, the header announces ${count}`,
        source,
      );
    raw = new Uint8Array(new Float64Array(values).buffer);
  } else {
    throw new InputError(
      `unsupported NRRD encoding '${encoding}' (SegLens reads raw, gzip and ascii)`,
      source,
    );
  }
  const ascii = encoding === 'ascii' || encoding === 'text' || encoding === 'txt';
  const endian = (fields.get('endian') ?? 'little').toLowerCase();
  let data: VoxelArray = ascii
    ? voxelsFromBytes(raw, 0, count, 'float64', true, source)
    : voxelsFromBytes(raw, 0, count, type, endian !== 'big', source, encoding !== 'raw');
  if (ascii && type !== 'float64' && type !== 'float32') data = Int32Array.from(data);
  if (listAxis === 0) data = deinterleave(data, channels);
  if (channels > 1) notes.push(`${channels} channels along the non-spatial axis ${listAxis}`);

  const cols = spatialAxes.map((a) => {
    const d = dirs[a] as Vec3;
    return [d[0] * sign[0], d[1] * sign[1], d[2] * sign[2]] as Vec3;
  });
  const rank = cols.length === 2 ? 2 : 3;
  if (rank === 2) cols.push(completeThirdAxis(cols[0], cols[1]));
  const split = splitColumns([cols[0], cols[1], cols[2]]);
  if (isColumnProblem(split)) throw new InputError(split.text, source);
  const ssizes = spatialAxes.map((a) => sizes[a]);
  const geometry: VolumeGeometry = {
    rank,
    dims: [ssizes[0], ssizes[1], ssizes[2] ?? 1],
    spacing: split.spacing,
    direction: split.direction,
    origin: [origin[0] * sign[0], origin[1] * sign[1], origin[2] * sign[2]],
  };
  return {
    format: 'nrrd',
    source,
    geometry,
    data,
    dtype: type,
    channels,
    scale: { slope: 1, inter: 0 },
    notes,
  };
}
