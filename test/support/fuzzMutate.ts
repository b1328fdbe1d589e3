/**
 * Mutation generators of the fuzz suite: fast-check arbitraries that turn a valid seed file into a damaged one —
 * bit flips, overwritten bytes, truncations, insertions, deletions, duplicated runs and "interesting" integers
 * (0, −1, 2^31, 2^32 − 1, …) written over header fields in either byte order, which is how a lying header declares
 * a huge size. Text variants do the same to the lines of a text header or a JSON file.
 */
import fc from 'fast-check';

/** Integers that sit on the edges parsers get wrong: sign bits, 16/24/32-bit limits, zero, one. */
export const INTERESTING = [
  0, 1, 2, 3, 4, 7, 8, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0xffffff, 0x1000000,
  0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
] as const;

export type ByteEdit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number }
  | { op: 'duplicate'; at: number; count: number }
  | { op: 'int'; at: number; value: number; width: 2 | 4 | 8; little: boolean };

/** One edit; positions are fractions of the current length, `headerBytes` the span header edits aim at. */
function byteEdit(headerBytes: number): fc.Arbitrary<ByteEdit> {
  const pos = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: Math.max(0, headerBytes - 1) }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 << 20 }) }, // anywhere: reduced modulo the length
  );
  return fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at: pos, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ op: fc.constant('set' as const), at: pos, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.integer({ min: 0, max: 1 << 20 }) }),
    fc.record({
      op: fc.constant('insert' as const),
      at: pos,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }),
    }),
    fc.record({ op: fc.constant('delete' as const), at: pos, count: fc.integer({ min: 1, max: 32 }) }),
    fc.record({ op: fc.constant('duplicate' as const), at: pos, count: fc.integer({ min: 1, max: 64 }) }),
    fc.record({
      op: fc.constant('int' as const),
      at: pos,
      value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat()),
      width: fc.constantFrom(2 as const, 4 as const, 8 as const),
      little: fc.boolean(),
    }),
  );
}

/** Applies one edit, returning a new array (the seed is never modified). */
export function applyByteEdit(b: Uint8Array, e: ByteEdit): Uint8Array {
  if (b.length === 0) return e.op === 'insert' ? e.bytes.slice() : b;
  const at = e.at % (e.op === 'truncate' ? b.length + 1 : b.length);
  switch (e.op) {
    case 'flip': {
      const out = b.slice();
      out[at] ^= 1 << e.bit;
      return out;
    }
    case 'set': {
      const out = b.slice();
      out[at] = e.value;
      return out;
    }
    case 'truncate':
      return b.slice(0, at);
    case 'insert': {
      const out = new Uint8Array(b.length + e.bytes.length);
      out.set(b.subarray(0, at));
      out.set(e.bytes, at);
      out.set(b.subarray(at), at + e.bytes.length);
      return out;
    }
    case 'delete': {
      const end = Math.min(b.length, at + e.count);
      const out = new Uint8Array(b.length - (end - at));
      out.set(b.subarray(0, at));
      out.set(b.subarray(end), at);
      return out;
    }
    case 'duplicate': {
      const run = b.subarray(at, Math.min(b.length, at + e.count));
      return applyByteEdit(b, { op: 'insert', at, bytes: run.slice() });
    }
    case 'int': {
      const out = b.slice();
      const v = new DataView(out.buffer);
      if (at + e.width > out.length) return out;
      if (e.width === 2) v.setUint16(at, e.value & 0xffff, e.little);
      else if (e.width === 4) v.setUint32(at, e.value >>> 0, e.little);
      else v.setBigUint64(at, BigInt(e.value), e.little);
      return out;
    }
  }
}

export interface MutatedBytes {
  /** Index of the seed in the list given to `mutatedBytes`. */
  seed: number;
  edits: ByteEdit[];
  bytes: Uint8Array;
}

/** A seed with 1–4 edits, aimed mostly at its first `headerBytes` bytes. */
export function mutatedBytes(seeds: readonly Uint8Array[], headerBytes = 128): fc.Arbitrary<MutatedBytes> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      edits: fc.array(byteEdit(headerBytes), { minLength: 1, maxLength: 4 }),
    })
    .map(({ seed, edits }) => ({ seed, edits, bytes: edits.reduce(applyByteEdit, seeds[seed]!) }));
}

/** Values a text field may be edited to: huge, negative, fractional, non-numbers, empty, very long. */
export const TEXT_VALUES = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1e309',
    '-0',
    'NaN',
    'nan',
    'inf',
    '2147483648',
    '4294967296',
    '9007199254740993',
    '1e18',
    '65536 65536 65536',
    '100000 100000 100000',
    '0.5',
    '',
    ' ',
    '\\',
    '"',
    '{',
    '[',
    'null',
    'true',
  ),
  fc.integer({ min: -5, max: 1 << 30 }).map(String),
  fc.string({ maxLength: 12 }),
  fc.array(fc.integer({ min: 0, max: 70000 }), { minLength: 1, maxLength: 5 }).map((a) => a.join(' ')),
);

export type TextEdit =
  | { op: 'line'; line: number; value: string }
  | { op: 'dropLine'; line: number }
  | { op: 'dupLine'; line: number }
  | { op: 'char'; at: number; text: string }
  | { op: 'cut'; at: number };

/** Edits on a text: replace the value after the first `=`/`:` of a line, drop or repeat a line, insert, cut. */
export function textEdit(): fc.Arbitrary<TextEdit> {
  const line = fc.integer({ min: 0, max: 200 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('line' as const), line, value: TEXT_VALUES }) },
    fc.record({ op: fc.constant('dropLine' as const), line }),
    fc.record({ op: fc.constant('dupLine' as const), line }),
    fc.record({
      op: fc.constant('char' as const),
      at: fc.nat(),
      text: fc.oneof(
        fc.constantFrom('\n', '\0', '{', '}', '[', ']', ',', ':', '"', '\\', '=', ' ', '-'),
        fc.string({ maxLength: 4 }),
      ),
    }),
    fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  );
}

export function applyTextEdit(text: string, e: TextEdit): string {
  if (e.op === 'char') {
    const at = e.at % (text.length + 1);
    return text.slice(0, at) + e.text + text.slice(at);
  }
  if (e.op === 'cut') return text.slice(0, e.at % (text.length + 1));
  const lines = text.split('\n');
  const i = e.line % lines.length;
  if (e.op === 'dropLine') lines.splice(i, 1);
  else if (e.op === 'dupLine') lines.splice(i, 0, lines[i]!);
  else {
    const m = /^([^=:]*[=:]\s*)/.exec(lines[i]!);
    lines[i] = m ? m[1] + e.value : e.value;
  }
  return lines.join('\n');
}
