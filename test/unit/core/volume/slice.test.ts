// The three-plane slicing of the volume viewer: hand-computed slices of small volumes stored RAS, LPS and as a
// coronal acquisition (RSP), the display conventions, and on oblique and flipped grids a check against the world
// coordinates: one pixel to the right on screen moves towards the letter shown on the right, one pixel down
// towards the letter shown at the bottom, the slice axis towards the plane's normal.
import assert from 'node:assert/strict';
import type { Vec3, VolumeGeometry } from '../../../../src/core/volume/geometry';
import {
  extractSlice,
  pixelToVoxel,
  planeMapping,
  planeMappings,
  voxelToPixel,
  voxelToWorld,
  type PlaneName,
} from '../../../../src/core/volume/slice';

function geometry(direction: [Vec3, Vec3, Vec3], dims: [number, number, number] = [3, 2, 2]): VolumeGeometry {
  return { rank: 3, dims, spacing: [0.5, 2, 3], direction, origin: [10, -20, 30] };
}
const RAS = geometry([
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
]);
const LPS = geometry([
  [-1, 0, 0],
  [0, -1, 0],
  [0, 0, 1],
]);
// A coronal acquisition: i → R, j → S, k → P ("RSP").
const RSP = geometry([
  [1, 0, 0],
  [0, 0, 1],
  [0, -1, 0],
]);
/** The flat index i + 3j + 6k as the voxel's value, so a slice lists the voxels it took. */
const ramp = Float32Array.from({ length: 12 }, (_, n) => n);

function slice(
  g: VolumeGeometry,
  plane: PlaneName,
  index: number,
  conv?: 'radiological' | 'neurological',
): number[] {
  const m = planeMapping(g, plane, conv);
  return [...extractSlice(ramp, g.dims, m, index, new Float32Array(m.width * m.height))];
}

describe('volume slices (core/volume/slice)', () => {
  it('RAS volume: axial with the patient right on the left and anterior at the top (radiological)', () => {
    const m = planeMapping(RAS, 'axial');
    assert.deepEqual([m.normalAxis, m.uAxis, m.uFlip, m.vAxis, m.vFlip], [2, 0, true, 1, true]);
    assert.deepEqual(m.letters, { left: 'R', right: 'L', top: 'A', bottom: 'P' });
    assert.deepEqual(m.sliceLetters, ['I', 'S']);
    assert.deepEqual([m.width, m.height, m.slices, m.pixelWidth, m.pixelHeight], [3, 2, 2, 0.5, 2]);
    // k = 1: top row j = 1 read from i = 2 down to 0, then j = 0.
    assert.deepEqual(slice(RAS, 'axial', 1), [11, 10, 9, 8, 7, 6]);
    // Neurological: the patient's right on the screen's right.
    assert.deepEqual(slice(RAS, 'axial', 1, 'neurological'), [9, 10, 11, 6, 7, 8]);
    assert.deepEqual(planeMapping(RAS, 'axial', 'neurological').letters.right, 'R');
  });

  it('RAS volume: coronal (superior at the top) and sagittal (anterior on the left)', () => {
    // Coronal slice j = 0: rows k = 1, 0; columns i = 2, 1, 0.
    assert.deepEqual(slice(RAS, 'coronal', 0), [8, 7, 6, 2, 1, 0]);
    const sag = planeMapping(RAS, 'sagittal');
    assert.deepEqual(sag.letters, { left: 'A', right: 'P', top: 'S', bottom: 'I' });
    assert.deepEqual([sag.pixelWidth, sag.pixelHeight], [2, 3]);
    // Sagittal slice i = 2: rows k = 1, 0; columns j = 1, 0 (anterior first).
    assert.deepEqual(slice(RAS, 'sagittal', 2), [11, 8, 5, 2]);
  });

  it('LPS volume (ITK order read in RAS): the same anatomy needs no flips on axial', () => {
    const m = planeMapping(LPS, 'axial');
    assert.deepEqual([m.uFlip, m.vFlip], [false, false]);
    assert.deepEqual(slice(LPS, 'axial', 1), [6, 7, 8, 9, 10, 11]);
    assert.deepEqual(m.sliceLetters, ['I', 'S']);
  });

  it('coronal acquisition (RSP): the axial plane is cut across j and its rows run along k', () => {
    const m = planeMapping(RSP, 'axial');
    assert.deepEqual([m.normalAxis, m.uAxis, m.uFlip, m.vAxis, m.vFlip], [1, 0, true, 2, false]);
    assert.deepEqual([m.width, m.height, m.pixelWidth, m.pixelHeight], [3, 2, 0.5, 3]);
    // j = 1: top row k = 0 (the most anterior), i = 2, 1, 0.
    assert.deepEqual(slice(RSP, 'axial', 1), [5, 4, 3, 11, 10, 9]);
    const cor = planeMapping(RSP, 'coronal');
    assert.equal(cor.normalAxis, 2);
    assert.deepEqual(cor.sliceLetters, ['A', 'P']);
  });

  it('a slice index outside the volume and a wrong buffer size are refused', () => {
    const m = planeMapping(RAS, 'axial');
    assert.throws(() => extractSlice(ramp, RAS.dims, m, 2, new Float32Array(6)), /outside 0…1/);
    assert.throws(() => extractSlice(ramp, RAS.dims, m, 0, new Float32Array(5)), /holds 5 values/);
  });

  it('pixel ↔ voxel: a click moves the in-plane axes and keeps the slice', () => {
    for (const m of planeMappings(RSP)) {
      const cursor = [1, 1, 0];
      const p = voxelToPixel(m, cursor);
      assert.deepEqual(
        pixelToVoxel(m, p.u, p.v, [0, 0, 0]).filter((_, a) => a !== m.normalAxis),
        cursor.filter((_, a) => a !== m.normalAxis),
      );
      const moved = pixelToVoxel(m, 0, 0, cursor);
      assert.equal(moved[m.normalAxis], cursor[m.normalAxis]);
    }
  });

  // Oblique and flipped grids: rotations of 25° and 40° about two axes, with each axis possibly negated.
  const rot = (ax: number, deg: number): number[][] => {
    const c = Math.cos((deg * Math.PI) / 180);
    const s = Math.sin((deg * Math.PI) / 180);
    const m = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const [a, b] = [0, 1, 2].filter((x) => x !== ax);
    m[a][a] = c;
    m[a][b] = -s;
    m[b][a] = s;
    m[b][b] = c;
    return m;
  };
  const mul = (a: number[][], b: number[][]) =>
    a.map((r) => [0, 1, 2].map((c) => r[0] * b[0][c] + r[1] * b[1][c] + r[2] * b[2][c]));
  const WORLD: Record<string, Vec3> = {
    R: [1, 0, 0],
    L: [-1, 0, 0],
    A: [0, 1, 0],
    P: [0, -1, 0],
    S: [0, 0, 1],
    I: [0, 0, -1],
  };
  const cases: { name: string; dir: [Vec3, Vec3, Vec3] }[] = [];
  for (const perm of [
    [0, 1, 2],
    [0, 2, 1],
    [2, 0, 1],
    [1, 2, 0],
  ]) {
    for (const signs of [
      [1, 1, 1],
      [-1, 1, -1],
      [1, -1, 1],
    ]) {
      const r = mul(rot(2, 25), rot(0, -40 / 2));
      // Columns of r are the rotated world axes; file axis a takes column perm[a] with its sign.
      const dir = [0, 1, 2].map((a) => [0, 1, 2].map((w) => r[w][perm[a]] * signs[a]) as unknown as Vec3);
      cases.push({ name: `perm ${perm.join('')} signs ${signs.join(',')}`, dir: dir as [Vec3, Vec3, Vec3] });
    }
  }
  for (const c of cases) {
    it(`oblique/flipped grid (${c.name}): screen right, down and the slice axis point to their letters`, () => {
      const g = geometry(c.dir, [4, 5, 6]);
      for (const conv of ['radiological', 'neurological'] as const) {
        for (const m of planeMappings(g, conv)) {
          const cursor = [1, 2, 3];
          const at = (u: number, v: number) => voxelToWorld(g, pixelToVoxel(m, u, v, cursor));
          const step = (a: number[], b: number[]) => [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
          const towards = (d: number[], l: string) => {
            const w = WORLD[l];
            return d[0] * w[0] + d[1] * w[1] + d[2] * w[2];
          };
          assert.ok(
            towards(step(at(1, 1), at(2, 1)), m.letters.right) > 0,
            `${m.plane}: u → ${m.letters.right}`,
          );
          assert.ok(
            towards(step(at(1, 1), at(1, 2)), m.letters.bottom) > 0,
            `${m.plane}: v → ${m.letters.bottom}`,
          );
          const next = [...cursor];
          next[m.normalAxis]++;
          assert.ok(towards(step(voxelToWorld(g, cursor), voxelToWorld(g, next)), m.sliceLetters[1]) > 0);
          // The three planes cut along three different file axes.
        }
        assert.equal(new Set(planeMappings(g, conv).map((m) => m.normalAxis)).size, 3);
      }
      // Every pixel of every slice is the voxel pixelToVoxel names (brute force against the strided copy).
      const n = 4 * 5 * 6;
      const data = Float32Array.from({ length: n }, (_, x) => x);
      for (const m of planeMappings(g)) {
        for (let s = 0; s < m.slices; s++) {
          const out = extractSlice(data, g.dims, m, s, new Float32Array(m.width * m.height));
          const cur = [0, 0, 0];
          cur[m.normalAxis] = s;
          for (let v = 0; v < m.height; v++)
            for (let u = 0; u < m.width; u++) {
              const [i, j, k] = pixelToVoxel(m, u, v, cur);
              assert.equal(out[v * m.width + u], i + 4 * j + 20 * k);
            }
        }
      }
    });
  }
});
