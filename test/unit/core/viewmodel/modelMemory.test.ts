// The model memory's path rules and record, against hand-written paths and records.
import assert from 'node:assert/strict';
import {
  modelPath,
  parseModelRecord,
  rememberModel,
  withModel,
} from '../../../../src/core/viewmodel/modelMemory';

describe('analysis: remembered model per folder', () => {
  it('recognises probs/<model>/<file> and probabilities/<model>/<file> only', () => {
    assert.deepEqual(modelPath('/w/demo/probs/unet_bce/slice_068.npy'), {
      root: '/w/demo/probs',
      model: 'unet_bce',
      file: 'slice_068.npy',
    });
    assert.equal(modelPath('/w/Probabilities/m/a.npy')?.model, 'm');
    assert.equal(modelPath('/w/demo/probs/slice_068.npy'), undefined);
    assert.equal(modelPath('/w/demo/masks/unet/slice_068.png'), undefined);
    assert.equal(modelPath('a.npy'), undefined);
  });

  it('swaps the model folder and nothing else', () => {
    assert.equal(
      withModel('/w/demo/probs/unet_bce/slice_068.npy', 'unet_dice_axis_bug'),
      '/w/demo/probs/unet_dice_axis_bug/slice_068.npy',
    );
  });

  it('remembers the latest choice per folder, most recent last, oldest dropped beyond the cap', () => {
    let r = rememberModel({}, 'a', 'm1');
    r = rememberModel(r, 'b', 'm2');
    r = rememberModel(r, 'a', 'm3');
    assert.deepEqual(Object.entries(r), [
      ['b', 'm2'],
      ['a', 'm3'],
    ]);
    const capped = rememberModel(r, 'c', 'm4', 2);
    assert.deepEqual(Object.entries(capped), [
      ['a', 'm3'],
      ['c', 'm4'],
    ]);
    // The input record is not changed.
    assert.deepEqual(Object.keys(r), ['b', 'a']);
  });

  it('keeps only string entries of a persisted record', () => {
    assert.deepEqual(parseModelRecord({ a: 'x', b: 3, c: null }), { a: 'x' });
    assert.deepEqual(parseModelRecord(['x']), {});
    assert.deepEqual(parseModelRecord(undefined), {});
  });
});
