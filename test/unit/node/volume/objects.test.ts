// Missed and spurious 3-D objects for the volume viewer's jumps, on a hand-drawn 5 × 4 × 3 volume.
import assert from 'node:assert/strict';
import { missedAndSpurious } from '../../../../src/node/volume/objects';

const dims: [number, number, number] = [5, 4, 3];
const at = (i: number, j: number, k: number) => i + 5 * j + 20 * k;

describe('volume objects (node/volume/objects)', () => {
  it('a GT object no prediction touches is missed, a predicted one on no GT is spurious; largest first', () => {
    const gt = new Uint8Array(60);
    const pred = new Uint8Array(60);
    // GT object A (3 voxels along i at j 0, k 0), found by the prediction at one voxel.
    for (const i of [0, 1, 2]) gt[at(i, 0, 0)] = 1;
    pred[at(2, 0, 0)] = 1;
    // GT object B: an L of 4 voxels in k = 2 (26-connected through the corner (3,2)-(4,3)), untouched → missed.
    for (const [i, j] of [
      [3, 2],
      [4, 3],
      [3, 3],
      [2, 3],
    ])
      gt[at(i, j, 2)] = 1;
    // GT object C: one voxel, untouched → missed (smaller, listed second).
    gt[at(0, 3, 1)] = 1;
    // A predicted voxel of class 1 on the background, away from every GT object → spurious.
    pred[at(4, 0, 2)] = 1;
    // Class 2 elsewhere is never class 1's business.
    gt[at(4, 1, 0)] = 2;
    const r = missedAndSpurious(gt, pred, dims, 1);
    // B's centroid is (3, 2.75, 2): its nearest voxel is (3, 3, 2).
    assert.deepEqual(r.missed, [
      { voxel: [3, 3, 2], size: 4 },
      { voxel: [0, 3, 1], size: 1 },
    ]);
    assert.deepEqual(r.spurious, [{ voxel: [4, 0, 2], size: 1 }]);
    // Class 2: its only GT voxel is missed; nothing predicted.
    assert.deepEqual(missedAndSpurious(gt, pred, dims, 2), {
      missed: [{ voxel: [4, 1, 0], size: 1 }],
      spurious: [],
    });
    assert.deepEqual(missedAndSpurious(gt, pred, dims, 3), { missed: [], spurious: [] });
  });
});
