/**
 * NumPy .npy reader and writer (format versions 1.0, 2.0 and 3.0).
 *
 * The reader validates the header before touching the data: the magic string, the header length, the dtype,
 * the shape against `maxElements`, and the data length against the shape. Fortran-ordered arrays are
 * transposed to C order so every consumer sees one layout. Nothing is allocated per element.
 */
import { InputError } from '../errors';
import { DType, NDArray, TypedArray, sizeOf } from '../ndarray';
import { halfToFloat } from '../float16';
import { parsePyLiteral, type PyValue } from './pyLiteral';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

export interface NpyReadOptions {
  /** Name used in error messages (a path or URI). @default "array.npy" */
  source?: string;
  /** Refuse arrays with more elements than this (checked from the header). @default 2**31 - 1 */
  maxElements?: number;
}

interface DtypeInfo {
  dtype: DType;
  bytes: number;
}

const DESCR: Record<string, DtypeInfo> = {
  b1: { dtype: 'bool', bytes: 1 },
  u1: { dtype: 'uint8', bytes: 1 },
  u2: { dtype: 'uint16', bytes: 2 },
  u4: { dtype: 'uint32', bytes: 4 },
  u8: { dtype: 'uint64', bytes: 8 },
  i1: { dtype: 'int8', bytes: 1 },
  i2: { dtype: 'int16', bytes: 2 },
  i4: { dtype: 'int32', bytes: 4 },
  i8: { dtype: 'int64', bytes: 8 },
  f2: { dtype: 'float16', bytes: 2 },
  f4: { dtype: 'float32', bytes: 4 },
  f8: { dtype: 'float64', bytes: 8 },
};

export interface NpyHeader {
  dtype: DType;
  littleEndian: boolean;
  bytesPerElement: number;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data in the file. */
  dataOffset: number;
}

/** Parses and validates the header only (cheap; use it to check sizes before reading). */
export function readNpyHeader(bytes: Uint8Array, options: NpyReadOptions = {}): NpyHeader {
  const source = options.source ?? 'array.npy';
  const maxElements = options.maxElements ?? 2 ** 31 - 1;
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new InputError('not a .npy file (missing the \\x93NUMPY magic string)', source);
  }
  const major = bytes[6];
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = bytes[8] | (bytes[9] << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InputError('truncated .npy header', source);
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
    headerStart = 12;
  } else {
    throw new InputError(`unsupported .npy format version ${major}.${bytes[7]}`, source);
  }
  // numpy itself refuses headers above 10 kB unless told otherwise; 1 MiB keeps a lying length from making us
  // build a huge string out of the data section.
  if (headerLen > 1 << 20)
    throw new InputError(`.npy header length ${headerLen} is implausibly large`, source);
  const dataOffset = headerStart + headerLen;
  if (dataOffset > bytes.length) {
    throw new InputError(
      `truncated .npy header (needs ${dataOffset} bytes, file has ${bytes.length})`,
      source,
    );
  }
  let header = '';
  for (let i = headerStart; i < dataOffset; i++) header += String.fromCharCode(bytes[i]);

  const { descr, fortranOrder, shape } = parseHeaderDict(header, source);
  const m = /^([<>|=]?)(.+)$/.exec(descr);
  const order = m?.[1] ?? '';
  const code = m?.[2] ?? descr;
  const info = DESCR[code === '?' ? 'b1' : code];
  if (!info) {
    throw new InputError(
      `unsupported dtype '${descr}'${dtypeHint(code)} (supported: bool, uint8–64, int8–64, float16/32/64)`,
      source,
    );
  }
  // A big-endian single byte is still a single byte; '>' matters only from two bytes up.
  const littleEndian = order !== '>';
  const n = sizeOf(shape);
  if (!Number.isSafeInteger(n) || n > maxElements) {
    throw new InputError(
      `array of shape (${shape.join(', ')}) has ${n} elements, above the limit of ${maxElements}`,
      source,
    );
  }
  const needed = n * info.bytes;
  if (bytes.length - dataOffset < needed) {
    throw new InputError(
      `truncated .npy data: shape (${shape.join(', ')}) of ${info.dtype} needs ${needed} bytes, file has ${
        bytes.length - dataOffset
      }`,
      source,
    );
  }
  return {
    dtype: info.dtype,
    littleEndian,
    bytesPerElement: info.bytes,
    fortranOrder,
    shape,
    dataOffset,
  };
}

/** True on little-endian hosts (every platform node runs on today, but the check keeps the fast path honest). */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedCtor = { new (buffer: ArrayBuffer): TypedArray };

const CTORS: Partial<Record<DType, TypedCtor>> = {
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  uint64: BigUint64Array,
  int64: BigInt64Array,
  float32: Float32Array,
  float64: Float64Array,
};

/**
 * Decodes the data section. When the file's byte order is the host's, one memcpy of the bytes into a fresh
 * (aligned) buffer and a typed-array view give the values at memory speed; otherwise the values are byte-swapped
 * in place on that copy, still without a JS object per element.
 */
function decodeData(bytes: Uint8Array, h: NpyHeader, n: number): TypedArray {
  const len = n * h.bytesPerElement;
  // A real copy into a fresh buffer: Uint8Array.prototype.slice on a node Buffer returns a view into the shared
  // pool, whose `.buffer` would be the whole pool.
  const copy = new Uint8Array(len);
  copy.set(bytes.subarray(h.dataOffset, h.dataOffset + len));
  switch (h.dtype) {
    case 'bool':
    case 'uint8':
      return copy;
    case 'int8':
      return new Int8Array(copy.buffer);
    case 'float16': {
      const view = new DataView(copy.buffer);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, h.littleEndian));
      return out;
    }
    default: {
      if (h.littleEndian !== HOST_LITTLE_ENDIAN) {
        const w = h.bytesPerElement;
        for (let i = 0; i < len; i += w) {
          for (let a = i, b = i + w - 1; a < b; a++, b--) {
            const t = copy[a];
            copy[a] = copy[b];
            copy[b] = t;
          }
        }
      }
      return new (CTORS[h.dtype] as TypedCtor)(copy.buffer);
    }
  }
}

/** Permutes Fortran-ordered data (first index fastest) into C order. */
function fortranToC<T extends TypedArray>(src: T, shape: readonly number[]): T {
  const nd = shape.length;
  if (nd < 2) return src;
  const n = src.length;
  const out = new (src.constructor as { new (len: number): T })(n);
  // Strides of the Fortran layout, walked in C order with an odometer (no per-element allocation).
  const fstride = new Array<number>(nd);
  let s = 1;
  for (let d = 0; d < nd; d++) {
    fstride[d] = s;
    s *= shape[d];
  }
  const idx = new Array<number>(nd).fill(0);
  let fpos = 0;
  for (let i = 0; i < n; i++) {
    out[i] = src[fpos];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      fpos += fstride[d];
      if (idx[d] < shape[d]) break;
      fpos -= fstride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Reads a whole .npy file into a C-ordered NDArray. Throws InputError naming the source on any problem. */
export function readNpy(bytes: Uint8Array, options: NpyReadOptions = {}): NDArray {
  const h = readNpyHeader(bytes, options);
  const n = sizeOf(h.shape);
  let data = decodeData(bytes, h, n);
  if (h.fortranOrder) data = fortranToC(data, h.shape);
  return { dtype: h.dtype, shape: h.shape, data };
}

const WRITE_DESCR: Partial<Record<DType, string>> = {
  bool: '|b1',
  uint8: '|u1',
  int8: '|i1',
  uint16: '<u2',
  int16: '<i2',
  uint32: '<u4',
  int32: '<i4',
  uint64: '<u8',
  int64: '<i8',
  float32: '<f4',
  float64: '<f8',
};

/** Serialises an NDArray as a version 1.0 .npy file (little-endian, C order). */
export function writeNpy(a: NDArray): Uint8Array {
  const descr = WRITE_DESCR[a.dtype];
  if (!descr) throw new RangeError(`writeNpy: dtype ${a.dtype} is not writable`);
  const shapeStr = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad so that the data starts on a 64-byte boundary, header ends with '\n'.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const dataBytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const out = new Uint8Array(10 + header.length + dataBytes.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(dataBytes, 10 + header.length);
  return out;
}

/**
 * The header dict as NumPy reads it (`ast.literal_eval`, then exactly the keys descr, fortran_order and shape).
 */
function parseHeaderDict(
  header: string,
  source: string,
): { descr: string; fortranOrder: boolean; shape: number[] } {
  let v: PyValue;
  try {
    v = parsePyLiteral(header.trim());
  } catch (e) {
    throw new InputError(
      `malformed .npy header (${e instanceof Error ? e.message : String(e)}): ${JSON.stringify(header.trim().slice(0, 120))}`,
      source,
    );
  }
  if (!(v instanceof Map)) throw new InputError('malformed .npy header: not a dict', source);
  const keys = [...v.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') {
    throw new InputError(
      `malformed .npy header: keys are {${keys}}, expected {descr, fortran_order, shape}`,
      source,
    );
  }
  const descr = v.get('descr');
  const fortranOrder = v.get('fortran_order');
  const shape = v.get('shape');
  if (typeof descr !== 'string') {
    throw new InputError(
      'unsupported dtype: a structured (record) dtype; save a plain numeric array',
      source,
    );
  }
  if (typeof fortranOrder !== 'boolean')
    throw new InputError('malformed .npy header: fortran_order is not True/False', source);
  if (typeof shape !== 'object' || shape === null || !('tuple' in shape)) {
    throw new InputError('malformed .npy header: shape is not a tuple', source);
  }
  const dims = shape.tuple;
  if (!dims.every((d): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new InputError(`malformed shape in .npy header: (${dims.map(String).join(', ')})`, source);
  }
  return { descr, fortranOrder, shape: dims };
}

/** Names the kinds of dtype users meet that we do not read, so the message says what the file holds. */
function dtypeHint(code: string): string {
  const kind = code[0];
  if (kind === 'M') return ' (datetime64)';
  if (kind === 'm') return ' (timedelta64)';
  if (kind === 'c') return ' (complex)';
  if (kind === 'U' || kind === 'S' || kind === 'a') return ' (strings)';
  if (kind === 'O') return ' (Python objects)';
  if (kind === 'V') return ' (raw bytes)';
  return '';
}
