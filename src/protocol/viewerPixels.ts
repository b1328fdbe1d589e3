/**
 * Compact pixels for the viewer's messages (issue 13, viewer transfer): label maps and masks cross to the webview
 * run-length encoded or bit-packed, whichever is smallest, and a probability map crosses as its 8-bit heatmap
 * levels (packed the same way) while the exact floats stay on the host for the hover read-out.
 *
 * Why: VS Code copies every buffer of a posted message (whole ArrayBuffers, not just the viewed bytes) into its
 * RPC message, and in the browser workbench sends it over a web socket; a 4096² trio with its decoders' masks was
 * several hundred MB per load. Masks are mostly long runs (4096² disc: ~8 k runs instead of 16 MB) or, when noisy,
 * few classes (1 bit per pixel for a binary mask).
 *
 * Encoding is a generator that yields between slices of pixels, so the host can spread a 4096² map over several
 * event-loop turns (src/vscode/viewer/wire.ts); `runToEnd` runs it in one go. Decoding validates everything it
 * reads (sizes, run lengths, table indices) and throws `PixelsError` naming the problem, never reading out of
 * bounds, since a webview can also receive messages from other frames.
 */

/** The integer sample types a label map travels in. */
export type LabelDtype = 'uint8' | 'uint16' | 'int32';
export const LABEL_DTYPES: readonly LabelDtype[] = ['uint8', 'uint16', 'int32'];
export type LabelArray = Uint8Array | Uint16Array | Int32Array;

/**
 * A label array (one integer per pixel, row-major) in its smallest form:
 * - `raw`: the samples as they are;
 * - `runs`: one value per run (`values`, of `dtype`) and the run lengths as LEB128 varints (`lengths`), so runs of
 *   any length (a whole 4096² map is one run) cost a few bytes;
 * - `bits`: for at most 16 distinct values, each pixel's index into `table` (of `dtype`) in `bits` bits, packed
 *   little-end first into bytes.
 */
export type PackedLabels =
  | { codec: 'raw'; dtype: LabelDtype; length: number; data: ArrayBuffer }
  | {
      codec: 'runs';
      dtype: LabelDtype;
      length: number;
      runs: number;
      values: ArrayBuffer;
      lengths: ArrayBuffer;
    }
  | {
      codec: 'bits';
      dtype: LabelDtype;
      length: number;
      bits: 1 | 2 | 4;
      table: ArrayBuffer;
      data: ArrayBuffer;
    };

/** A packed buffer that does not decode (its message names the field). */
export class PixelsError extends Error {}

/** Pixels handled between two yields of an encoding generator (a few ms of work). */
export const SLICE_PIXELS = 1 << 18;

const BYTES: Readonly<Record<LabelDtype, number>> = { uint8: 1, uint16: 2, int32: 4 };

export function labelDtypeOf(a: LabelArray): LabelDtype {
  return a instanceof Uint8Array ? 'uint8' : a instanceof Uint16Array ? 'uint16' : 'int32';
}

function makeArray(dtype: LabelDtype, n: number): LabelArray {
  return dtype === 'uint8' ? new Uint8Array(n) : dtype === 'uint16' ? new Uint16Array(n) : new Int32Array(n);
}

function view(dtype: LabelDtype, buf: ArrayBuffer): LabelArray {
  if (buf.byteLength % BYTES[dtype] !== 0)
    throw new PixelsError(`${dtype} buffer of ${buf.byteLength} bytes`);
  return dtype === 'uint8'
    ? new Uint8Array(buf)
    : dtype === 'uint16'
      ? new Uint16Array(buf)
      : new Int32Array(buf);
}

/** Bytes of the LEB128 varint of `n` (n ≥ 1). */
function varintBytes(n: number): number {
  let b = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    b++;
  }
  return b;
}

/** A standalone copy of exactly the array's bytes (never the rest of a larger buffer it views). */
function ownBytes(a: LabelArray): ArrayBuffer {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  out.set(bytes);
  return out.buffer;
}

/** Most distinct values the `bits` codec takes. */
const MAX_TABLE = 16;

/** What the counting pass learns: runs, their varint bytes, distinct values (up to MAX_TABLE + 1). */
interface Count {
  runs: number;
  varBytes: number;
  runStart: number;
  table: number[];
}

// The hot loops are plain functions over one slice (V8 optimises them better than loops inside a generator), and
// they skip along runs a 32-bit word at a time (4 pixels of uint8, 2 of uint16): masks are mostly long runs.

/** 32-bit words over the array's bytes when aligned (uint8 and uint16 only), else undefined. */
function wordsOf(a: LabelArray): Uint32Array | undefined {
  if (a instanceof Int32Array || a.byteOffset % 4 !== 0) return undefined;
  return new Uint32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
}

/** The first index in [i, end) whose label is not `prev`, or `end`. `per` = pixels per word of `words`. */
function nextChange(
  labels: LabelArray,
  words: Uint32Array | undefined,
  per: number,
  i: number,
  end: number,
  prev: number,
): number {
  if (words) {
    while (i < end && i % per !== 0) {
      if (labels[i] !== prev) return i;
      i++;
    }
    const rep = per === 4 ? (prev * 0x01010101) >>> 0 : (prev * 0x10001) >>> 0;
    let w = i / per;
    const wEnd = Math.floor(end / per);
    while (w < wEnd && words[w] === rep) w++;
    if (w * per > i) i = w * per;
  }
  while (i < end && labels[i] === prev) i++;
  return i;
}

interface Scan {
  labels: LabelArray;
  words: Uint32Array | undefined;
  per: number;
}

function scanOf(labels: LabelArray): Scan {
  return { labels, words: wordsOf(labels), per: labels instanceof Uint8Array ? 4 : 2 };
}

/** Counting pass over [s, end): values are looked at only where a run starts. */
function countSlice(sc: Scan, s: number, end: number, c: Count): void {
  const { labels, words, per } = sc;
  let runStart = c.runStart;
  let runs = c.runs;
  let varBytes = c.varBytes;
  let prev = labels[s > 0 ? s - 1 : 0];
  for (let i = nextChange(labels, words, per, s > 0 ? s : 1, end, prev); i < end;) {
    const v = labels[i];
    runs++;
    varBytes += varintBytes(i - runStart);
    runStart = i;
    prev = v;
    if (c.table.length <= MAX_TABLE && !c.table.includes(v)) c.table.push(v);
    i = nextChange(labels, words, per, i + 1, end, prev);
  }
  c.runStart = runStart;
  c.runs = runs;
  c.varBytes = varBytes;
}

interface RunsOut {
  values: LabelArray;
  lengths: Uint8Array;
  r: number;
  o: number;
  start: number;
}

function putVarint(out: RunsOut, len: number): void {
  const lengths = out.lengths;
  let o = out.o;
  while (len >= 128) {
    lengths[o++] = (len % 128) | 128;
    len = Math.floor(len / 128);
  }
  lengths[o++] = len;
  out.o = o;
}

/** Writing pass of the runs over [s, end). */
function runsSlice(sc: Scan, s: number, end: number, out: RunsOut): void {
  const { labels, words, per } = sc;
  let prev = labels[s > 0 ? s - 1 : 0];
  for (let i = nextChange(labels, words, per, s > 0 ? s : 1, end, prev); i < end;) {
    out.values[out.r++] = prev;
    putVarint(out, i - out.start);
    out.start = i;
    prev = labels[i];
    i = nextChange(labels, words, per, i + 1, end, prev);
  }
}

/** Sets the `bits`-bit index of pixels [i, j) to `index` (the bytes start zeroed): whole bytes at once. */
function fillBits(data: Uint8Array, i: number, j: number, index: number, bits: number): void {
  const perByte = 8 / bits;
  while (i < j && i % perByte !== 0) {
    data[(i / perByte) | 0] |= index << ((i % perByte) * bits);
    i++;
  }
  const pattern = bits === 1 ? 0xff : bits === 2 ? index * 0x55 : index * 0x11;
  const fullEnd = j - (j % perByte);
  if (fullEnd > i) {
    data.fill(pattern, i / perByte, fullEnd / perByte);
    i = fullEnd;
  }
  for (; i < j; i++) data[(i / perByte) | 0] |= index << ((i % perByte) * bits);
}

/** Writing pass of the bit-packed indices over [s, end); `s` is a multiple of 8 (whole bytes per slice). */
function bitsSlice(sc: Scan, s: number, end: number, table: number[], bits: number, data: Uint8Array): void {
  const { labels, words, per } = sc;
  for (let i = s; i < end;) {
    const v = labels[i];
    const j = nextChange(labels, words, per, i + 1, end, v);
    const index = table.indexOf(v);
    if (index > 0) fillBits(data, i, j, index, bits);
    i = j;
  }
}

/**
 * Packs `labels` into its smallest form (ties go to the simpler codec: raw, then runs). A generator: it yields
 * after every `slice` pixels of each pass (two passes: count, then write).
 */
export function* packLabelsSteps(labels: LabelArray, slice = SLICE_PIXELS): Generator<void, PackedLabels> {
  const dtype = labelDtypeOf(labels);
  const n = labels.length;
  const bpv = BYTES[dtype];
  // Whole bytes of bit-packed indices per slice, so slices never share a byte.
  slice = Math.max(8, slice - (slice % 8));
  const c: Count = { runs: 0, varBytes: 0, runStart: 0, table: n > 0 ? [labels[0]] : [] };
  const sc = scanOf(labels);
  for (let s = 0; s < n; s += slice) {
    const end = Math.min(n, s + slice);
    countSlice(sc, s, end, c);
    if (end < n) yield;
  }
  let { runs, varBytes } = c;
  if (n > 0) {
    runs++;
    varBytes += varintBytes(n - c.runStart);
  }
  const table = c.table;
  const rawSize = n * bpv;
  const runsSize = runs * bpv + varBytes;
  const bits = table.length > MAX_TABLE ? 0 : table.length <= 2 ? 1 : table.length <= 4 ? 2 : 4;
  const bitsSize = bits ? Math.ceil((n * bits) / 8) + table.length * bpv : Infinity;
  if (rawSize <= runsSize && rawSize <= bitsSize)
    return { codec: 'raw', dtype, length: n, data: ownBytes(labels) };
  if (runsSize <= bitsSize) {
    const out: RunsOut = {
      values: makeArray(dtype, runs),
      lengths: new Uint8Array(varBytes),
      r: 0,
      o: 0,
      start: 0,
    };
    for (let s = 0; s < n; s += slice) {
      const end = Math.min(n, s + slice);
      runsSlice(sc, s, end, out);
      if (end < n) yield;
    }
    out.values[out.r] = labels[n - 1];
    putVarint(out, n - out.start);
    return {
      codec: 'runs',
      dtype,
      length: n,
      runs,
      values: out.values.buffer as ArrayBuffer,
      lengths: out.lengths.buffer as ArrayBuffer,
    };
  }
  // bitsSize is finite here, so bits is 1, 2 or 4.
  const width = bits as 1 | 2 | 4;
  const tab = makeArray(dtype, table.length);
  tab.set(table);
  const data = new Uint8Array(Math.ceil((n * width) / 8));
  for (let s = 0; s < n; s += slice) {
    const end = Math.min(n, s + slice);
    bitsSlice(sc, s, end, table, width, data);
    if (end < n) yield;
  }
  return {
    codec: 'bits',
    dtype,
    length: n,
    bits: width,
    table: tab.buffer as ArrayBuffer,
    data: data.buffer,
  };
}

/** Runs an encoding generator to its end in one go. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** `packLabelsSteps` in one go. */
export function packLabels(labels: LabelArray): PackedLabels {
  return runToEnd(packLabelsSteps(labels));
}

/** Bytes a packed array occupies in a message (its buffers). */
export function packedBytes(p: PackedLabels): number {
  switch (p.codec) {
    case 'raw':
      return p.data.byteLength;
    case 'runs':
      return p.values.byteLength + p.lengths.byteLength;
    case 'bits':
      return p.table.byteLength + p.data.byteLength;
  }
}

const isBuffer = (x: unknown): x is ArrayBuffer =>
  x instanceof ArrayBuffer || Object.prototype.toString.call(x) === '[object ArrayBuffer]';

/**
 * Unpacks a packed label array of `expected` pixels, checking every field first. Throws PixelsError for anything
 * that does not decode to exactly `expected` samples.
 */
export function unpackLabels(x: unknown, expected: number): LabelArray {
  if (typeof x !== 'object' || x === null) throw new PixelsError('packed pixels are not an object');
  const p = x as Record<string, unknown>;
  const dtype = p.dtype as LabelDtype;
  if (!LABEL_DTYPES.includes(dtype)) throw new PixelsError(`unknown label dtype ${String(p.dtype)}`);
  if (p.length !== expected)
    throw new PixelsError(`packed pixels hold ${String(p.length)} samples, expected ${expected}`);
  switch (p.codec) {
    case 'raw': {
      if (!isBuffer(p.data)) throw new PixelsError('raw pixels are not an ArrayBuffer');
      const a = view(dtype, p.data);
      if (a.length !== expected)
        throw new PixelsError(`raw pixels hold ${a.length} samples, expected ${expected}`);
      return a;
    }
    case 'runs': {
      if (!isBuffer(p.values) || !isBuffer(p.lengths)) throw new PixelsError('runs are not ArrayBuffers');
      const values = view(dtype, p.values);
      const lengths = new Uint8Array(p.lengths);
      const out = makeArray(dtype, expected);
      let o = 0;
      let at = 0;
      for (let r = 0; r < values.length; r++) {
        let len = 0;
        let scale = 1;
        for (;;) {
          if (at >= lengths.length) throw new PixelsError('run lengths end early');
          const b = lengths[at++];
          len += (b & 127) * scale;
          scale *= 128;
          if (b < 128) break;
          if (scale > 2 ** 49) throw new PixelsError('a run length is too long');
        }
        if (len === 0 || o + len > expected)
          throw new PixelsError(`runs cover more than ${expected} samples`);
        out.fill(values[r], o, o + len);
        o += len;
      }
      if (o !== expected || at !== lengths.length)
        throw new PixelsError(`runs cover ${o} samples, expected ${expected}`);
      return out;
    }
    case 'bits': {
      const bits = p.bits;
      if (bits !== 1 && bits !== 2 && bits !== 4)
        throw new PixelsError(`bits must be 1, 2 or 4, not ${String(bits)}`);
      if (!isBuffer(p.table) || !isBuffer(p.data))
        throw new PixelsError('bit-packed pixels are not ArrayBuffers');
      const table = view(dtype, p.table);
      if (table.length === 0 || table.length > 1 << bits)
        throw new PixelsError(`a table of ${table.length} values`);
      const data = new Uint8Array(p.data);
      if (data.length !== Math.ceil((expected * bits) / 8))
        throw new PixelsError(`${data.length} bytes of ${bits}-bit indices for ${expected} samples`);
      const out = makeArray(dtype, expected);
      const perByte = 8 / bits;
      const mask = (1 << bits) - 1;
      for (let i = 0; i < expected; i++) {
        const k = (data[(i / perByte) | 0] >> ((i % perByte) * bits)) & mask;
        if (k >= table.length) throw new PixelsError(`index ${k} outside a table of ${table.length}`);
        out[i] = table[k];
      }
      return out;
    }
    default:
      throw new PixelsError(`unknown codec ${String(p.codec)}`);
  }
}

/**
 * The heatmap level of each probability, as the viewer draws it: round(255·p) with p clamped to [0, 1], NaN as 0
 * (drawn transparent either way). Written into `out` from `start` to `end` (so the host can do it in slices).
 */
export function heatmapLevels(p: Float32Array, out: Uint8Array, start = 0, end = p.length): void {
  for (let i = start; i < end; i++) {
    const v = p[i];
    out[i] = v === v ? Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255) : 0;
  }
}

/** Heatmap levels of a whole map, then packed: a generator like packLabelsSteps. */
export function* packHeatmapSteps(p: Float32Array, slice = SLICE_PIXELS): Generator<void, PackedLabels> {
  const levels = new Uint8Array(p.length);
  for (let s = 0; s < p.length; s += slice) {
    heatmapLevels(p, levels, s, Math.min(p.length, s + slice));
    yield;
  }
  return yield* packLabelsSteps(levels, slice);
}
