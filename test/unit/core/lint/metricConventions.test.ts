// Issue 15 §8: in a function passed to compile(metrics=[...]) the empty-target conventions (LL301 no epsilon,
// LL302 misplaced smoothing, LL303 large smoothing) are reported at info; the same code used as a loss keeps its
// severity, and so does a function only named like a metric.
import assert from 'node:assert/strict';
import { getLinter } from './helpers';

const BODY = `from tensorflow.keras import backend as K


def iou_metric(y_true, y_pred):
    inter = K.sum(y_true * y_pred, axis=[1, 2, 3])
    union = K.sum(y_true + y_pred, axis=[1, 2, 3]) - inter
    return K.mean(inter / union)


def dice_metric(y_true, y_pred, smooth=100.0):
    inter = K.sum(y_true * y_pred, axis=[1, 2, 3])
    return K.mean((2 * inter + smooth) / (K.sum(y_true + y_pred, axis=[1, 2, 3]) + smooth))
`;

async function severities(text: string): Promise<string[]> {
  const linter = await getLinter();
  const r = linter.lint(text);
  r.tree.dispose();
  return r.findings
    .filter((f) => ['LL301', 'LL302', 'LL303'].includes(f.rule))
    .map((f) => `${f.rule} ${f.severity} ${f.range.start.line + 1}`);
}

describe('core/lint empty-target conventions in metrics', () => {
  it('compile(metrics=[...]): info', async () => {
    const text = BODY + '\nmodel.compile(optimizer="adam", loss="bce", metrics=[iou_metric, dice_metric])\n';
    assert.deepEqual(await severities(text), ['LL301 info 7', 'LL303 info 10']);
  });

  it('compile(loss=...): the usual severities', async () => {
    const text = BODY + '\nmodel.compile(optimizer="adam", loss=iou_metric, metrics=[dice_metric])\n';
    assert.deepEqual(await severities(text), ['LL301 error 7', 'LL303 info 10']);
  });

  it('only named like a metric: the usual severities', async () => {
    assert.deepEqual(await severities(BODY), ['LL301 error 7', 'LL303 warning 10']);
  });
});
