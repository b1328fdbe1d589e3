/**
 * Fuzzing the volume readers (src/node/io/volume/): NIfTI-1/2 headers edited field by field (dims with huge or
 * negative sizes, datatype, bitpix, vox_offset, scaling, qform/sform codes and quaternions) and byte-mutated,
 * plain or gzip-compressed; NRRD and MetaImage text headers edited line by line (sizes, type, encoding, endian,
 * spacing, directions, data file) and byte-mutated. Each volume either reads with as many voxels as its header
 * declares, a finite geometry and one of the supported voxel types, or is refused naming the file. Driver and
 * counts: test/support/fuzz.ts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { readVolume } from '../../../src/node/io/volume/read';
import type { Volume } from '../../../src/node/io/volume/types';
import { fuzzIt } from '../../support/fuzz';
import { INTERESTING, applyTextEdit, mutatedBytes, textEdit } from '../../support/fuzzMutate';
import { repoPath } from '../../support/repo';

const VOL = (n: string): Uint8Array => new Uint8Array(readFileSync(repoPath('test/fixtures/volume', n)));
const LIMIT = 1_000_000;
const SOURCE = 'fuzz-volume';
const ZRAW = VOL('pred.zraw');

/** Uncompressed NIfTI seeds (the gzip layer is added back by the generators). */
const NIFTI = [
  gunzipSync(VOL('gt.nii.gz')),
  gunzipSync(VOL('prob.nii.gz')),
  gunzipSync(VOL('pred_qform.nii.gz')),
  VOL('pred_nifti2.nii'),
].map((b) => new Uint8Array(b));

function read(bytes: Uint8Array): Volume {
  const v = readVolume(bytes, { source: SOURCE, maxElements: LIMIT, readCompanion: () => ZRAW });
  const [ni, nj, nk] = v.geometry.dims;
  assert.ok(
    [ni, nj, nk, v.channels].every((d) => Number.isSafeInteger(d) && d >= 1),
    `dims ${v.geometry.dims}`,
  );
  assert.equal(v.data.length, ni * nj * nk * v.channels, 'voxel count disagrees with the header');
  assert.ok(v.data.length <= LIMIT);
  // A volume that reads has a finite grid (non-finite geometry is refused naming the field).
  const geometry = [...v.geometry.spacing, ...v.geometry.origin, ...v.geometry.direction.flat()];
  assert.ok(geometry.every(Number.isFinite), `geometry ${geometry}`);
  assert.ok(
    v.geometry.spacing.every((s) => s > 0),
    `spacing ${v.geometry.spacing}`,
  );
  assert.ok(Number.isFinite(v.scale.slope) && Number.isFinite(v.scale.inter));
  return v;
}

/** NIfTI-1 field offsets (nifti1.h) with their widths: the fields a lying header lies in. */
const NIFTI1_FIELDS: [offset: number, kind: 'i16' | 'f32'][] = [
  ...Array.from({ length: 8 }, (_, i): [number, 'i16'] => [40 + 2 * i, 'i16']), // dim[0..7]
  [70, 'i16'], // datatype
  [72, 'i16'], // bitpix
  ...Array.from({ length: 8 }, (_, i): [number, 'f32'] => [76 + 4 * i, 'f32']), // pixdim
  [108, 'f32'], // vox_offset
  [112, 'f32'], // scl_slope
  [116, 'f32'], // scl_inter
  [252, 'i16'], // qform_code
  [254, 'i16'], // sform_code
  ...Array.from({ length: 18 }, (_, i): [number, 'f32'] => [256 + 4 * i, 'f32']), // quatern, qoffset, srow
];
/** NIfTI-2: dims and vox_offset are 64-bit integers, the rest doubles. */
const NIFTI2_FIELDS: [offset: number, kind: 'i16' | 'i64' | 'f64' | 'i32'][] = [
  ...Array.from({ length: 8 }, (_, i): [number, 'i64'] => [16 + 8 * i, 'i64']),
  [12, 'i16'],
  [14, 'i16'],
  ...Array.from({ length: 8 }, (_, i): [number, 'f64'] => [104 + 8 * i, 'f64']),
  [168, 'i64'],
  [176, 'f64'],
  [184, 'f64'],
  [344, 'i32'],
  [348, 'i32'],
  ...Array.from({ length: 18 }, (_, i): [number, 'f64'] => [352 + 8 * i, 'f64']),
];

const FIELD_VALUES = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 40 }) },
  fc.constantFrom(...INTERESTING, -1, -32768, 32767, 2 ** 31, 2 ** 53, -(2 ** 31)),
  fc.constantFrom(NaN, Infinity, -Infinity, 1e-40, 1e38, -0.5, 0.5, 352.5),
);

interface NiftiCase {
  seed: number;
  edits: { field: number; value: number }[];
  gzip: boolean;
  cut: number | undefined;
}

const niftiCase: fc.Arbitrary<NiftiCase> = fc.record({
  seed: fc.integer({ min: 0, max: NIFTI.length - 1 }),
  edits: fc.array(fc.record({ field: fc.nat(), value: FIELD_VALUES }), { minLength: 1, maxLength: 4 }),
  gzip: fc.boolean(),
  cut: fc.option(fc.nat(), { freq: 5, nil: undefined }),
});

function buildNifti(c: NiftiCase): Uint8Array {
  const out = NIFTI[c.seed]!.slice();
  const view = new DataView(out.buffer);
  const two = view.getInt32(0, true) === 540;
  for (const e of c.edits) {
    const fields = two ? NIFTI2_FIELDS : NIFTI1_FIELDS;
    const [at, kind] = fields[e.field % fields.length]!;
    const int = Number.isFinite(e.value) ? Math.trunc(e.value) : 0;
    if (kind === 'i16') view.setInt16(at, int, true);
    else if (kind === 'i32') view.setInt32(at, int, true);
    else if (kind === 'i64') view.setBigInt64(at, BigInt.asIntN(64, BigInt(int)), true);
    else if (kind === 'f32') view.setFloat32(at, e.value, true);
    else view.setFloat64(at, e.value, true);
  }
  const cut = c.cut === undefined ? out : out.subarray(0, c.cut % (out.length + 1));
  return c.gzip ? new Uint8Array(gzipSync(cut, { level: 1 })) : cut;
}

/** Text-header seeds: [header text, binary payload]. */
function splitHeader(b: Uint8Array, end: RegExp): [string, Uint8Array] {
  const text = Buffer.from(b).toString('latin1');
  const m = end.exec(text);
  const at = m ? m.index + m[0].length : text.length;
  return [text.slice(0, at), b.subarray(at)];
}
const TEXT_SEEDS: [string, Uint8Array][] = [
  splitHeader(VOL('gt.nrrd'), /\n\n/),
  splitHeader(VOL('pred.seg.nrrd'), /\n\n/),
  splitHeader(VOL('gt.mha'), /ElementDataFile = LOCAL\n/),
  splitHeader(VOL('pred.mhd'), /$/),
];

describe('fuzz: volume headers (NIfTI, NRRD, MetaImage)', () => {
  fuzzIt(
    'NIfTI-1/2: headers edited field by field (plain and gzip) read consistently or are refused naming the file',
    () => ({
      name: 'nifti-fields',
      source: SOURCE,
      inputs: niftiCase,
      parse: (c) => read(buildNifti(c)),
      dump: (c) => buildNifti(c),
    }),
    { seed: 31, minParsedShare: 0.05 },
  );

  fuzzIt(
    'NIfTI-1/2: byte-mutated files (plain and gzip) read consistently or are refused naming the file',
    () => ({
      name: 'nifti-bytes',
      source: SOURCE,
      inputs: fc
        .tuple(mutatedBytes(NIFTI, 352), fc.boolean())
        .map(([m, gz]) => (gz ? new Uint8Array(gzipSync(m.bytes, { level: 1 })) : m.bytes)),
      parse: (b) => read(b),
      dump: (b) => b,
    }),
    { seed: 32, minParsedShare: 0.05 },
  );

  fuzzIt(
    'NRRD and MetaImage: headers edited line by line read consistently or are refused naming the file',
    () => ({
      name: 'nrrd-mha-text',
      source: SOURCE,
      inputs: fc
        .record({
          seed: fc.integer({ min: 0, max: TEXT_SEEDS.length - 1 }),
          edits: fc.array(textEdit(), { minLength: 1, maxLength: 3 }),
        })
        .map(({ seed, edits }) => {
          const [text, payload] = TEXT_SEEDS[seed]!;
          const head = new Uint8Array(Buffer.from(edits.reduce(applyTextEdit, text), 'latin1'));
          const out = new Uint8Array(head.length + payload.length);
          out.set(head);
          out.set(payload, head.length);
          return out;
        }),
      parse: (b) => read(b),
      dump: (b) => b,
    }),
    { seed: 33, minParsedShare: 0.05 },
  );

  fuzzIt(
    'NRRD and MetaImage: byte-mutated files read consistently or are refused naming the file',
    () => ({
      name: 'nrrd-mha-bytes',
      source: SOURCE,
      inputs: mutatedBytes(
        TEXT_SEEDS.map(([t, p]) => {
          const out = new Uint8Array(t.length + p.length);
          out.set(Buffer.from(t, 'latin1'));
          out.set(p, t.length);
          return out;
        }),
        600,
      ).map((m) => m.bytes),
      parse: (b) => read(b),
      dump: (b) => b,
    }),
    { seed: 34, minParsedShare: 0.05 },
  );
});

/** A NIfTI-1 seed (0: sform, 2: qform only) with one float field replaced. */
function niftiWith(seed: number, offset: number, value: number): Uint8Array {
  const b = NIFTI[seed]!.slice();
  new DataView(b.buffer).setFloat32(offset, value, true);
  return b;
}

// Found by the fuzz suite: the readers accepted non-finite geometry, which then compared as "different grid" or
// poisoned distances in mm with NaN; header.ts `numbers()` and nifti.ts now refuse it naming the field.
describe('volume headers: non-finite geometry (found by fuzzing)', () => {
  const refused = (bytes: Uint8Array, field: RegExp): void => {
    assert.throws(
      () => readVolume(bytes, { source: 'bad.vol', readCompanion: () => ZRAW }),
      (e: Error) => e.name === 'InputError' && e.message.startsWith('bad.vol: ') && field.test(e.message),
    );
  };
  it('MetaImage `Offset = 1e309` is refused naming the field', () => {
    const [text, payload] = TEXT_SEEDS[3]!;
    const head = Buffer.from(text.replace(/^Offset = .*$/m, 'Offset = 1e309'), 'latin1');
    refused(new Uint8Array(Buffer.concat([head, payload])), /Offset/);
  });
  it('NRRD `space origin: (1e309,0,0)` is refused naming the field', () => {
    const [text, payload] = TEXT_SEEDS[0]!;
    const head = Buffer.from(text.replace(/^space origin: .*$/m, 'space origin: (1e309,0,0)'), 'latin1');
    refused(new Uint8Array(Buffer.concat([head, payload])), /origin/);
  });
  it('NIfTI-1 qoffset_y = Inf (qform) is refused naming the field', () => {
    refused(niftiWith(2, 272, Infinity), /qoffset|origin/);
  });
  it('NIfTI-1 srow_y[3] = Inf (sform) is refused naming the field', () => {
    refused(niftiWith(0, 280 + 16 + 12, Infinity), /srow|origin/);
  });
});
