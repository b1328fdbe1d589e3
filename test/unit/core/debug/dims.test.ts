// Axis guessing of training-step tensors: every layout segmentation code uses, checked by hand.
import assert from 'node:assert/strict';
import { explainDims } from '../../../../src/core/debug/dims';

describe('core/debug/dims', () => {
  const axes = (shape: number[]) => {
    const d = explainDims(shape);
    return { batch: d.batch, channel: d.channel, spatial: d.spatial };
  };

  it('Keras batches [B, H, W, C] read channels_last', () => {
    assert.deepEqual(axes([4, 48, 48, 1]), { batch: 0, channel: 3, spatial: [1, 2] });
    assert.equal(
      explainDims([4, 48, 48, 1]).text,
      'batch of 4 (axis 0) · 48×48 image (axes 1, 2) · 1 channel (axis 3, channels_last)',
    );
  });

  it('PyTorch batches [B, C, H, W] read channels_first', () => {
    assert.deepEqual(axes([8, 3, 64, 32]), { batch: 0, channel: 1, spatial: [2, 3] });
    assert.match(
      explainDims([8, 3, 64, 32]).text,
      /64×32 image \(axes 2, 3\) · 3 channels \(axis 1, channels_first\)/,
    );
  });

  it('both ends small: the last wins (Keras default), and the text says so', () => {
    assert.deepEqual(axes([2, 3, 64, 3]), { batch: 0, channel: 3, spatial: [1, 2] });
    assert.match(explainDims([2, 3, 64, 3]).text, /axis 1 is small too; read as channels_last/);
  });

  it('single images and batches without channels', () => {
    assert.deepEqual(axes([48, 64]), { batch: undefined, channel: undefined, spatial: [0, 1] });
    assert.deepEqual(axes([48, 64, 3]), { batch: undefined, channel: 2, spatial: [0, 1] });
    assert.deepEqual(axes([32, 48, 64]), { batch: 0, channel: undefined, spatial: [1, 2] });
    // A small leading axis is read as a batch of maps, with a note that it may be channels.
    assert.deepEqual(axes([3, 48, 64]), { batch: 0, channel: undefined, spatial: [1, 2] });
    assert.match(explainDims([3, 48, 64]).text, /axis 0 may also be channels/);
  });

  it('volumes: [B, D, H, W] and [B, C, D, H, W] / [B, D, H, W, C]', () => {
    assert.deepEqual(axes([2, 40, 64, 64]), { batch: 0, channel: undefined, spatial: [1, 2, 3] });
    assert.deepEqual(axes([2, 1, 40, 64, 64]), { batch: 0, channel: 1, spatial: [2, 3, 4] });
    assert.deepEqual(axes([2, 40, 64, 64, 4]), { batch: 0, channel: 4, spatial: [1, 2, 3] });
    assert.match(explainDims([2, 40, 64, 64, 4]).text, /40×64×64 volume/);
  });
});
