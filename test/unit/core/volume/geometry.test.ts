/**
 * Volume geometry in the core: the NIfTI transform precedence and quaternion (hand-computed rotations), orientation
 * letters (nibabel's aff2axcodes conventions, worked by hand), and the geometry tolerances at their edges.
 */
import { strict as assert } from 'node:assert';
import {
  geometryDifferences,
  GEOMETRY_TOLERANCES,
  commonGeometry,
} from '../../../../src/core/volume/compare';
import {
  Vec3,
  VolumeGeometry,
  arrayShape,
  arraySpacing,
  isColumnProblem,
  splitColumns,
} from '../../../../src/core/volume/geometry';
import { niftiTransform, quaternionOf, quaternionRotation } from '../../../../src/core/volume/niftiTransform';
import { axisEnds, fileAxisAlong, orientationCode } from '../../../../src/core/volume/orientation';

const grid = (direction: [Vec3, Vec3, Vec3], over: Partial<VolumeGeometry> = {}): VolumeGeometry => ({
  rank: 3,
  dims: [4, 5, 6],
  spacing: [1, 2, 3],
  direction,
  origin: [10, 20, 30],
  ...over,
});
const I3: [Vec3, Vec3, Vec3] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const near = (a: readonly number[], b: readonly number[], tol = 1e-12): void =>
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol, `${a} vs ${b}`));

describe('core/volume geometry', () => {
  it('array order reverses the file axes (shape [nk, nj, ni], spacing [sk, sj, si])', () => {
    assert.deepEqual(arrayShape(grid(I3)), [6, 5, 4]);
    assert.deepEqual(arraySpacing(grid(I3)), [3, 2, 1]);
    assert.deepEqual(arrayShape(grid(I3, { rank: 2, dims: [4, 5, 1] })), [5, 4]);
  });

  it('splits axis columns into spacing and unit directions; refuses shear, zero and non-finite axes', () => {
    const s = splitColumns([
      [0, 2, 0],
      [-3, 0, 0],
      [0, 0, 0.5],
    ]);
    assert.ok(!isColumnProblem(s));
    assert.deepEqual(s.spacing, [2, 3, 0.5]);
    assert.deepEqual(s.direction[1], [-1, 0, 0]);
    const shear = splitColumns([
      [1, 0, 0],
      [0.01, 1, 0],
      [0, 0, 1],
    ]);
    assert.ok(isColumnProblem(shear) && shear.kind === 'non-orthogonal');
    assert.match(shear.text, /axes i and j meet at 89\.427°/); // acos(0.01/√1.0001) = 89.4271°
    const zero = splitColumns([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 1],
    ]);
    assert.ok(isColumnProblem(zero) && zero.kind === 'zero');
    const nan = splitColumns([
      [1, 0, 0],
      [0, NaN, 0],
      [0, 0, 1],
    ]);
    assert.ok(isColumnProblem(nan) && nan.kind === 'not-finite');
  });

  it('NIfTI: sform wins when sform_code > 0, else the qform, else pixdim', () => {
    const fields = {
      pixdim: [-1, 2, 3, 4],
      qformCode: 1,
      sformCode: 1,
      // 90° about z: (b, c, d) = (0, 0, sin 45°), a = cos 45°.
      quatern: [0, 0, Math.SQRT1_2] as Vec3,
      qoffset: [1, 2, 3] as Vec3,
      srow: [
        [-5, 0, 0, 7],
        [0, 6, 0, 8],
        [0, 0, 7, 9],
      ] as [number[], number[], number[]],
    };
    const s = niftiTransform(fields);
    assert.ok(!isColumnProblem(s) && s.method === 'sform');
    assert.deepEqual(s.spacing, [5, 6, 7]);
    assert.deepEqual(s.origin, [7, 8, 9]);
    assert.deepEqual(s.direction[0], [-1, 0, 0]);
    const q = niftiTransform({ ...fields, sformCode: 0 });
    assert.ok(!isColumnProblem(q) && q.method === 'qform');
    near(q.spacing, [2, 3, 4]);
    near(q.direction[0], [0, 1, 0]); // x rotated 90° about z is +y
    near(q.direction[1], [-1, 0, 0]);
    near(q.direction[2], [0, 0, -1]); // qfac = −1 flips the third axis
    assert.deepEqual(q.origin, [1, 2, 3]);
    const p = niftiTransform({ ...fields, sformCode: 0, qformCode: 0 });
    assert.ok(!isColumnProblem(p) && p.method === 'pixdim');
    assert.deepEqual(p.direction, I3);
    assert.deepEqual(p.origin, [0, 0, 0]);
  });

  it('quaternionOf inverts quaternionRotation, also near 180° rotations and for left-handed axes', () => {
    const cases: [Vec3, Vec3, Vec3][] = [
      I3,
      [
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, 1],
      ], // 180° about z
      [
        [1, 0, 0],
        [0, -1, 0],
        [0, 0, -1],
      ], // 180° about x
      [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, -1],
      ], // 180° about x = y
      [
        [-1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ], // left-handed (qfac −1)
      [
        [0.6, 0.8, 0],
        [-0.8, 0.6, 0],
        [0, 0, 1],
      ],
    ];
    for (const d of cases) {
      const q = quaternionOf(d);
      const r = quaternionRotation(q.b, q.c, q.d);
      for (let a = 0; a < 3; a++) {
        const col: Vec3 = [r[0][a], r[1][a], r[2][a]];
        near(a === 2 ? col.map((x) => x * q.qfac) : col, d[a], 1e-12);
      }
    }
  });

  it('orientation letters: RAS, LPS, a coronal RSP, and the ends of each axis', () => {
    assert.equal(orientationCode(grid(I3)), 'RAS');
    assert.equal(
      orientationCode(
        grid([
          [-1, 0, 0],
          [0, -1, 0],
          [0, 0, 1],
        ]),
      ),
      'LPS',
    );
    const coronal = grid([
      [1, 0, 0],
      [0, 0, 1],
      [0, -1, 0],
    ]);
    assert.equal(orientationCode(coronal), 'RSP');
    assert.deepEqual(axisEnds(coronal), [
      ['L', 'R'],
      ['I', 'S'],
      ['A', 'P'],
    ]);
    assert.equal(fileAxisAlong(coronal, 2), 1, 'axial slices are taken across file axis j');
    assert.equal(fileAxisAlong(coronal, 1), 2);
    // A 45° oblique in x/y: one axis per world direction, never "RR".
    const c = Math.SQRT1_2;
    assert.equal(
      orientationCode(
        grid([
          [c, c, 0],
          [-c, c, 0],
          [0, 0, 1],
        ]),
      ),
      'RAS',
    );
  });

  it('tolerances: just inside agrees, just outside is named', () => {
    const a = grid(I3);
    const t = GEOMETRY_TOLERANCES;
    assert.deepEqual(geometryDifferences(a, grid(I3, { spacing: [1, 2, 3 * (1 + 0.9 * t.spacing)] })), []);
    assert.deepEqual(
      geometryDifferences(a, grid(I3, { spacing: [1, 2, 3 * (1 + 1.1 * t.spacing)] })).map((d) => d.property),
      ['spacing'],
    );
    assert.deepEqual(geometryDifferences(a, grid(I3, { origin: [10 + 0.9 * t.origin, 20, 30] })), []);
    const o = geometryDifferences(a, grid(I3, { origin: [10 + 1.1 * t.origin, 20, 30] }));
    assert.deepEqual(
      o.map((d) => d.property),
      ['origin'],
    );
    assert.deepEqual(
      geometryDifferences(
        a,
        grid([
          [1, 0.9 * t.direction, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]),
      ),
      [],
    );
    assert.deepEqual(
      geometryDifferences(
        a,
        grid([
          [1, 1.1 * t.direction, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]),
      ).map((d) => d.property),
      ['direction'],
    );
    const shape = geometryDifferences(a, grid(I3, { dims: [4, 5, 7] }));
    assert.deepEqual(shape, [{ property: 'shape', a: '4×5×6', b: '4×5×7' }]);
  });

  it('commonGeometry skips inputs without a header and names the first disagreeing pair', () => {
    assert.equal(commonGeometry([{ source: 'a.npy' }]), undefined);
    const g = commonGeometry([{ source: 'a.npy' }, { source: 'b.nii', geometry: grid(I3) }]);
    assert.equal(g?.source, 'b.nii');
    assert.throws(
      () =>
        commonGeometry([
          { source: 'b.nii', geometry: grid(I3) },
          { source: 'c.nrrd', geometry: grid(I3, { spacing: [1, 2, 4] }) },
        ]),
      /b\.nii and c\.nrrd are not on the same voxel grid: spacing 1×2×3 mm \(b\.nii\) vs 1×2×4 mm \(c\.nrrd\)/,
    );
  });
});
