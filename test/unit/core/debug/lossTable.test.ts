// The loss-vs-true-Dice table on hand-drawn masks: Dice and IoU counted by hand from the pictures, the verdict for
// a metric, a loss and the seed's per-pixel Dice, several channels, logits, both-empty images and bad shapes.
import assert from 'node:assert/strict';
import { agrees, functionKind, lossTable } from '../../../../src/core/debug/lossTable';
import type { NDArray } from '../../../../src/core/ndarray';

/** Rows of '#' (1) and '.' (0) per image, stacked as a [B, H, W, 1] float32 batch. */
function batch(images: string[][], value = 1): NDArray {
  const h = images[0].length;
  const w = images[0][0].length;
  const data = new Float32Array(images.length * h * w);
  images.forEach((rows, b) =>
    rows.forEach((row, y) =>
      [...row].forEach((ch, x) => (data[(b * h + y) * w + x] = ch === '#' ? value : 0)),
    ),
  );
  return { dtype: 'float32', shape: [images.length, h, w, 1], data };
}

// Image 0: target 4 px, prediction 4 px, 2 shared → Dice 2·2/8 = 0.5, IoU 2/6 = 1/3.
// Image 1: target 3 px, prediction 0 px → Dice 0, IoU 0.
const TARGET = batch([
  ['##..', '##..', '....'],
  ['#...', '#...', '#...'],
]);
const PRED = batch([
  ['.##.', '.##.', '....'],
  ['....', '....', '....'],
]);

describe('core/debug/lossTable', () => {
  it('true Dice and IoU per image, counted by hand', () => {
    const t = lossTable({
      functionName: 'dice_coeff',
      prediction: PRED,
      target: TARGET,
      batch: { mean: 0.25, shape: [] },
      perImage: [0.5, 0],
    });
    assert.deepEqual(
      t.rows.map((r) => [r.index, r.dice, r.iou, r.gtPixels, r.predPixels, r.yours, r.agrees]),
      [
        [0, 0.5, 1 / 3, 4, 4, 0.5, true],
        [1, 0, 0, 3, 0, 0, true],
      ],
    );
    assert.equal(t.meanDice, 0.25);
    assert.equal(t.minDice, 0);
    assert.equal(t.maxDice, 0.5);
    assert.equal(t.disagrees, false);
    assert.equal(t.verdict, 'dice_coeff returns 0.250, close to the per-image Dice (0.000–0.500).');
    assert.equal(t.hardening, 'probabilities > 0.5');
  });

  it('the seed: a per-pixel Dice near 1 against a true Dice near 0 is flagged, not taken for a loss', () => {
    const t = lossTable({
      functionName: 'dice_coeff',
      prediction: PRED,
      target: TARGET,
      batch: { mean: 0.75, shape: [2, 3, 4] },
      perImage: [0.8, 0.7],
    });
    assert.equal(t.disagrees, true);
    assert.equal(t.verdict, 'dice_coeff returns 0.750, but the per-image Dice is 0.000–0.500 (mean 0.250).');
    assert.deepEqual(
      t.rows.map((r) => r.agrees),
      [false, false],
    );
  });

  it('a loss is compared with 1 − Dice; a name that says neither, with both', () => {
    const loss = lossTable({
      functionName: 'dice_loss',
      prediction: PRED,
      target: TARGET,
      batch: { mean: 0.75, shape: [] },
      perImage: [0.5, 1],
    });
    assert.equal(loss.disagrees, false);
    assert.match(loss.verdict, /close to 1 − the per-image Dice \(0\.000–0\.500\): a Dice loss\./);
    assert.equal(functionKind('dice_coeff'), 'metric');
    assert.equal(functionKind('self.criterion'), 'loss');
    assert.equal(functionKind('soft_dice_loss'), 'loss');
    assert.equal(functionKind('f'), 'unknown');
    assert.equal(agrees('unknown', 0.75, 0.25), true);
    assert.equal(agrees('metric', 0.75, 0.25), false);
    assert.equal(agrees('loss', 0.25, 0.25), false);
  });

  it('an image where target and prediction are both empty scores 1 (docs/metrics.md)', () => {
    const empty = batch([['....', '....']]);
    const t = lossTable({
      functionName: 'f',
      prediction: empty,
      target: empty,
      batch: { mean: 1, shape: [] },
      perImage: [],
    });
    assert.deepEqual(
      t.rows.map((r) => [r.dice, r.iou, r.yours]),
      [[1, 1, undefined]],
    );
  });

  it('logits are thresholded at 0; targets with integer labels and [B, H, W] shapes are read as labels', () => {
    const logits: NDArray = {
      dtype: 'float32',
      shape: [1, 2, 2, 1],
      data: Float32Array.from([2, -1, -3, 0.5]),
    };
    const target: NDArray = { dtype: 'int64', shape: [1, 2, 2], data: BigInt64Array.from([1n, 1n, 0n, 0n]) };
    const t = lossTable({
      functionName: 'f',
      prediction: logits,
      target,
      batch: { mean: 0, shape: [] },
      perImage: [],
      logits: true,
    });
    // Prediction {0, 3}, target {0, 1}: TP 1, FP 1, FN 1 → Dice 2/4, IoU 1/3.
    assert.equal(t.rows[0].dice, 0.5);
    assert.equal(t.rows[0].iou, 1 / 3);
    assert.equal(t.hardening, 'logits > 0');
  });

  it('several channels: argmax, macro over the foreground classes present', () => {
    // [1, 2, 2, 3] softmax-like scores; argmax = [[1, 2], [0, 2]]. One-hot target [[1, 1], [0, 2]].
    const prob: NDArray = {
      dtype: 'float32',
      shape: [1, 2, 2, 3],
      data: Float32Array.from([0.1, 0.8, 0.1, 0.2, 0.1, 0.7, 0.9, 0.05, 0.05, 0.1, 0.1, 0.8]),
    };
    const onehot: NDArray = {
      dtype: 'float32',
      shape: [1, 2, 2, 3],
      data: Float32Array.from([0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]),
    };
    const t = lossTable({
      functionName: 'f',
      prediction: prob,
      target: onehot,
      batch: { mean: 0, shape: [] },
      perImage: [],
    });
    // Class 1: pred {0}, gt {0, 1} → Dice 2/3. Class 2: pred {1, 3}, gt {3} → Dice 2/3. Macro 2/3.
    assert.ok(Math.abs(t.rows[0].dice - 2 / 3) < 1e-15);
    assert.ok(Math.abs(t.rows[0].iou - 0.5) < 1e-15);
    assert.match(t.hardening, /argmax over 3 channels/);
  });

  it('refuses a prediction and target that do not hold the same images', () => {
    assert.throws(
      () =>
        lossTable({
          functionName: 'f',
          prediction: PRED,
          target: batch([['##..', '##..', '....']]),
          batch: { mean: 0, shape: [] },
          perImage: [],
        }),
      /do not hold the same images/,
    );
  });
});
