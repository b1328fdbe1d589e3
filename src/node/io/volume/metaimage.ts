/**
 * MetaImage (`.mha` with the data after the header, `.mhd` + `.raw` / `.zraw`): ITK's `Key = Value` header.
 * ITK's world is LPS, so x and y are negated into RAS. `TransformMatrix` (alias `Rotation`, `Orientation`) lists the
 * axis directions one after another (ITK's MetaImageIO reads element [axis·N + component]); `Offset` (alias
 * `Position`, `Origin`) is voxel (0, 0, 0); `CompressedData = True` is a zlib stream (what `.zraw` holds);
 * `ElementNumberOfChannels` > 1 is interleaved (channels fastest) and becomes the channel axis, as does a 4th
 * dimension.
 */
import { InputError } from '../../../core/errors';
import { DEFAULT_MAX_ELEMENTS } from '../../../core/io/load';
import {
  Vec3,
  VolumeGeometry,
  completeThirdAxis,
  flipXY,
  isColumnProblem,
  splitColumns,
} from '../../../core/volume/geometry';
import { VOXEL_BYTES, checkRawSize, checkVoxelLimit, inflateExactly, voxelsFromBytes } from './binary';
import { MAX_HEADER_BYTES, deinterleave, numbers } from './header';
import type { Volume, VolumeReadOptions, VoxelType } from './types';

const TYPES: Record<string, VoxelType> = {
  MET_UCHAR: 'uint8',
  MET_CHAR: 'int8',
  MET_USHORT: 'uint16',
  MET_SHORT: 'int16',
  MET_UINT: 'uint32',
  MET_INT: 'int32',
  MET_ULONG: 'uint32',
  MET_LONG: 'int32',
  MET_ULONG_LONG: 'uint64',
  MET_LONG_LONG: 'int64',
  MET_FLOAT: 'float32',
  MET_DOUBLE: 'float64',
};

/** A MetaImage header: its first line is one of the keys ITK writes first. */
export function isMetaImage(bytes: Uint8Array): boolean {
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 64)));
  return /^(ObjectType|NDims|Comment|ObjectSubType)\s*=/.test(head);
}

function parseHeader(bytes: Uint8Array, source: string): { fields: Map<string, string>; dataStart: number } {
  const fields = new Map<string, string>();
  let pos = 0;
  const limit = Math.min(bytes.length, MAX_HEADER_BYTES);
  while (pos < limit) {
    let end = bytes.indexOf(10, pos);
    if (end < 0) end = bytes.length;
    const line = new TextDecoder('latin1').decode(bytes.subarray(pos, end)).replace(/\r$/, '');
    pos = end + 1;
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0 || !/^[A-Za-z_]\w*\s*=/.test(line))
      throw new InputError(`MetaImage header line without '=': '${line.slice(0, 80)}'`, source);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    fields.set(key, value);
    // ElementDataFile is the last header line (MetaIO rule); with LOCAL the data starts right after it.
    if (key === 'ElementDataFile') return { fields, dataStart: Math.min(pos, bytes.length) };
  }
  throw new InputError('the MetaImage header has no ElementDataFile line', source);
}

const isTrue = (v: string | undefined): boolean => v !== undefined && /^(true|1)$/i.test(v);

export function readMetaImage(bytes: Uint8Array, o: VolumeReadOptions): Volume {
  const { source } = o;
  const { fields, dataStart } = parseHeader(bytes, source);
  const need = (k: string): string => {
    const v = fields.get(k);
    if (v === undefined) throw new InputError(`the MetaImage header has no ${k}`, source);
    return v;
  };
  const ndims = Number(need('NDims'));
  if (!Number.isInteger(ndims) || ndims < 2 || ndims > 4)
    throw new InputError(`NDims = ${need('NDims')}: SegLens reads 2-D to 4-D MetaImage`, source);
  const size = numbers(need('DimSize'), 'DimSize', source);
  if (size.length !== ndims || size.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new InputError(`DimSize '${need('DimSize')}' does not give ${ndims} sizes ≥ 1`, source);
  }
  const typeName = need('ElementType');
  const type = TYPES[typeName];
  if (!type) throw new InputError(`unsupported MetaImage ElementType '${typeName}'`, source);
  const notes: string[] = [];
  const perVoxel = Number(fields.get('ElementNumberOfChannels') ?? 1);
  if (!Number.isInteger(perVoxel) || perVoxel < 1)
    throw new InputError(`ElementNumberOfChannels = ${perVoxel}`, source);
  const spatialRank = Math.min(ndims, 3);
  const timeSize = ndims === 4 ? size[3] : 1;
  if (perVoxel > 1 && timeSize > 1)
    throw new InputError('both ElementNumberOfChannels > 1 and a 4th dimension: not supported', source);
  const channels = perVoxel * timeSize;
  const spatial = [size[0], size[1], spatialRank === 3 ? size[2] : 1];
  const count = spatial[0] * spatial[1] * spatial[2] * channels;
  checkVoxelLimit(
    count,
    o.maxElements ?? DEFAULT_MAX_ELEMENTS,
    [...size, ...(perVoxel > 1 ? [perVoxel] : [])].join('×'),
    source,
  );

  const dataFile = need('ElementDataFile');
  let payload: Uint8Array;
  if (dataFile === 'LOCAL') payload = bytes.subarray(dataStart);
  else if (/^LIST\b|%/.test(dataFile) || dataFile.includes(' '))
    throw new InputError(`ElementDataFile '${dataFile}': lists of slice files are not supported`, source);
  else if (!o.readCompanion)
    throw new InputError(
      `the voxels are in a separate file '${dataFile}', which cannot be read from here`,
      source,
    );
  else payload = o.readCompanion(dataFile);
  const nbytes = count * VOXEL_BYTES[type];
  const headerSize = Number(fields.get('HeaderSize') ?? 0);
  let raw: Uint8Array;
  if (isTrue(fields.get('CompressedData'))) {
    raw = inflateExactly(payload, 'zlib', nbytes, source);
  } else {
    const body =
      headerSize === -1
        ? payload.subarray(Math.max(0, payload.length - nbytes))
        : payload.subarray(headerSize);
    checkRawSize(body.length, nbytes, source);
    raw = body;
  }
  const msb = isTrue(fields.get('BinaryDataByteOrderMSB') ?? fields.get('ElementByteOrderMSB'));
  const inflated = isTrue(fields.get('CompressedData'));
  let data = voxelsFromBytes(raw, 0, count, type, !msb, source, inflated);
  if (perVoxel > 1) {
    data = deinterleave(data, perVoxel);
    notes.push(`${perVoxel} channels per voxel (ElementNumberOfChannels)`);
  }
  if (timeSize > 1) notes.push(`4-D file: ${timeSize} volumes`);

  const spacingText = fields.get('ElementSpacing') ?? fields.get('ElementSize');
  const sp = spacingText ? numbers(spacingText, 'ElementSpacing', source) : [];
  const spacing = [0, 1, 2].map((a) => (a < spatialRank ? (sp[a] ?? 1) : 1));
  const matText = fields.get('TransformMatrix') ?? fields.get('Rotation') ?? fields.get('Orientation');
  const mat = matText ? numbers(matText, 'TransformMatrix', source) : [];
  const n = mat.length === ndims * ndims ? ndims : mat.length === 9 ? 3 : mat.length === 4 ? 2 : 0;
  const axis = (a: number): Vec3 => {
    if (n === 0 || a >= n) return [a === 0 ? 1 : 0, a === 1 ? 1 : 0, a === 2 ? 1 : 0];
    return [mat[a * n], mat[a * n + 1], n >= 3 ? mat[a * n + 2] : 0];
  };
  const cols: Vec3[] = [0, 1].map((a) => flipXY(axis(a)).map((c) => c * spacing[a]) as unknown as Vec3);
  if (spatialRank === 3) cols.push(flipXY(axis(2)).map((c) => c * spacing[2]) as unknown as Vec3);
  else cols.push(completeThirdAxis(cols[0], cols[1]));
  const split = splitColumns([cols[0], cols[1], cols[2]]);
  if (isColumnProblem(split)) throw new InputError(split.text, source);
  const offText = fields.get('Offset') ?? fields.get('Position') ?? fields.get('Origin');
  const off = offText ? numbers(offText, 'Offset', source) : [0, 0, 0];
  const origin = flipXY([off[0] ?? 0, off[1] ?? 0, off[2] ?? 0]);
  const geometry: VolumeGeometry = {
    rank: spatialRank === 3 ? 3 : 2,
    dims: [spatial[0], spatial[1], spatial[2]],
    spacing: split.spacing,
    direction: split.direction,
    origin,
  };
  return {
    format: 'metaimage',
    source,
    geometry,
    data,
    dtype: type,
    channels,
    scale: { slope: 1, inter: 0 },
    notes,
  };
}
