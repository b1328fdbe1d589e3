// What the volume panel sends: each plane's slice of every layer against a brute-force walk of the voxels (the
// plane's u/v axes and flips applied by hand), labels one byte or two, the image as levels of its exact values,
// and the read-out's exact float — not the level — at the crosshair. Label and heat slices are packed (runs / bits)
// and unpack to the same values.
import assert from 'node:assert/strict';
import { planeMappings } from '../../../../src/core/volume/slice';
import type { VolumeGeometry } from '../../../../src/core/volume/geometry';
import { unpackLabels } from '../../../../src/protocol/viewerPixels';
import { imageLevelValue } from '../../../../src/protocol/volumePixels';
import { cutSlice, labelTypeOf, voxelValues, type SliceSource } from '../../../../src/vscode/volume/slices';

const dims: [number, number, number] = [5, 4, 3];
// LPS-ordered axes (x and y flipped), so some planes run against the index.
const geometry: VolumeGeometry = {
  rank: 3,
  dims,
  spacing: [0.8, 1.1, 2.5],
  direction: [
    [-1, 0, 0],
    [0, -1, 0],
    [0, 0, 1],
  ],
  origin: [0, 0, 0],
};
const n = 5 * 4 * 3;
const at = (i: number, j: number, k: number) => (k * 4 + j) * 5 + i;

function source(wide: boolean): SliceSource {
  const image = Float32Array.from({ length: n }, (_, p) => -100 + p * 3.7);
  image[at(1, 2, 1)] = NaN;
  const gt = wide ? new Uint16Array(n) : new Uint8Array(n);
  const pred = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    gt[p] = wide ? 250 + (p % 9) : p % 4;
    pred[p] = (p * 7) % 5;
  }
  const heat = Uint8Array.from({ length: n }, (_, p) => (p * 13) % 256);
  return {
    geometry,
    image: { data: image, min: -100, max: -100 + 59 * 3.7, low: 0, high: 1 },
    gt,
    pred,
    heat,
  };
}

describe('volume panel slices (vscode/volume/slices)', () => {
  for (const wide of [false, true]) {
    it(`every plane and index equals a brute-force walk (${wide ? 'uint16' : 'uint8'} labels)`, () => {
      const r = source(wide);
      const type = labelTypeOf(r);
      assert.equal(type, wide ? 'uint16' : 'uint8');
      for (const m of planeMappings(geometry)) {
        for (let index = 0; index < m.slices; index++) {
          const s = cutSlice(r, m, index, type);
          assert.equal(s.plane, m.plane);
          assert.equal(s.index, index);
          const image = new Uint16Array(s.image as ArrayBuffer);
          const gt = unpackLabels(s.gt, m.width * m.height);
          const pred = unpackLabels(s.pred, m.width * m.height);
          const heat = unpackLabels(s.heat, m.width * m.height);
          // Labels keep the wire type; the heatmap is bytes.
          assert.ok(gt instanceof (wide ? Uint16Array : Uint8Array));
          assert.ok(pred instanceof (wide ? Uint16Array : Uint8Array));
          assert.ok(heat instanceof Uint8Array);
          assert.equal(gt.length, m.width * m.height);
          for (let v = 0; v < m.height; v++)
            for (let u = 0; u < m.width; u++) {
              const ijk = [0, 0, 0];
              ijk[m.normalAxis] = index;
              ijk[m.uAxis] = m.uFlip ? m.width - 1 - u : u;
              ijk[m.vAxis] = m.vFlip ? m.height - 1 - v : v;
              const p = at(ijk[0], ijk[1], ijk[2]);
              const o = v * m.width + u;
              assert.equal(gt[o], r.gt![p], `${m.plane} ${index} gt (${u}, ${v})`);
              assert.equal(pred[o], r.pred![p]);
              assert.equal(heat[o], r.heat![p]);
              const x = r.image!.data[p];
              const back = imageLevelValue(image[o], r.image!.min, r.image!.max);
              if (Number.isNaN(x)) assert.equal(image[o], 0);
              else assert.ok(Math.abs(back - x) <= (59 * 3.7) / 65534 / 2 + 1e-6, `${x} came back ${back}`);
            }
        }
      }
    });
  }

  it('the read-out gets the exact float at the voxel (null for NaN) and the stored labels', () => {
    const r = source(false);
    const v = voxelValues(r, [3, 2, 1], 7);
    assert.deepEqual(v, {
      type: 'voxel',
      generation: 7,
      voxel: [3, 2, 1],
      image: Math.fround(-100 + at(3, 2, 1) * 3.7),
      gt: at(3, 2, 1) % 4,
      pred: (at(3, 2, 1) * 7) % 5,
    });
    assert.equal(voxelValues(r, [1, 2, 1], 7).image, null);
    const bare = voxelValues({ geometry }, [0, 0, 0], 1);
    assert.deepEqual(bare, { type: 'voxel', generation: 1, voxel: [0, 0, 0] });
  });
});
