import * as assert from 'node:assert/strict';
import { FunctionEval } from '../../../../src/core/lint/engine';
import { resolveOptions } from '../../../../src/core/lint/linter';
import { buildModule } from '../../../../src/core/lint/module';
import { PythonParser } from '../../../../src/core/lint/parser';
import { wasmBytes } from './helpers';

let parser: PythonParser;

/** Axes of the value a one-line function returns, with the function's parameters seeded from the layout. */
function axesOf(header: string, params: string, expr: string): string[] | null {
  const text = `${header}\ndef loss_fn(${params}):\n    return ${expr}\n`;
  const parsed = parser.parse(text);
  const model = buildModule(parsed.syntax, resolveOptions());
  const fn = model.functions.find((f) => f.name === 'loss_fn');
  assert.ok(fn);
  const axes = new FunctionEval(model, fn).returnValue().axes;
  parsed.dispose();
  return axes;
}

const TORCH = 'import torch\nimport torch.nn.functional as F';
const KERAS = 'from tensorflow.keras import backend as K';

describe('lint axis engine (hand-derived axis lists)', () => {
  before(async () => {
    parser = await PythonParser.create(wasmBytes());
  });

  const torchCases: Array<[string, string[] | null]> = [
    ['pred', ['B', 'C', 'H', 'W']],
    ['pred.sum(dim=1)', ['B', 'H', 'W']],
    ['pred.sum(1)', ['B', 'H', 'W']],
    ['torch.sum(pred, dim=(2, 3))', ['B', 'C']],
    ['torch.sum(pred, dim=(2, 3), keepdim=True)', ['B', 'C', '1', '1']],
    ['pred.sum(dim=1).sum(dim=1)', ['B', 'W']],
    ['pred.sum()', []],
    ['pred.view(-1)', ['BCHW']],
    ['pred.view(pred.shape[0], -1)', ['B', 'CHW']],
    ['pred.reshape(pred.size(0), pred.size(1), -1)', ['B', 'C', 'HW']],
    ['pred.flatten(2)', ['B', 'C', 'HW']],
    ['pred.flatten()', ['BCHW']],
    ['pred.permute(0, 2, 3, 1)', ['B', 'H', 'W', 'C']],
    ['pred.transpose(1, 3)', ['B', 'W', 'H', 'C']],
    ['pred[:, 1:]', ['B', 'C', 'H', 'W']],
    ['pred[:, 0]', ['B', 'H', 'W']],
    ['pred[..., 0]', ['B', 'C', 'H']],
    ['pred[:, None]', ['B', '1', 'C', 'H', 'W']],
    ['pred.unsqueeze(1)', ['B', '1', 'C', 'H', 'W']],
    ['pred.squeeze(1)', ['B', 'H', 'W']],
    ['pred * target', ['B', 'C', 'H', 'W']],
    ['F.one_hot(labels, 3).permute(0, 3, 1, 2)', ['B', 'C', 'H', 'W']],
    ['torch.argmax(pred, dim=1)', ['B', 'H', 'W']],
    ['pred.squeeze(1) * target', null],
  ];
  for (const [expr, expected] of torchCases) {
    it(`PyTorch (B, C, H, W): ${expr} -> ${expected === null ? 'unknown' : `(${expected.join(', ')})`}`, () => {
      // labels is the one_hot argument, so it is seeded as a label map (B, H, W).
      const params = expr.includes('labels') ? 'pred, labels' : 'pred, target';
      assert.deepEqual(axesOf(TORCH, params, expr), expected);
    });
  }

  const kerasCases: Array<[string, string[] | null]> = [
    ['y_pred', ['B', 'H', 'W', 'C']],
    ['K.sum(y_pred, axis=-1)', ['B', 'H', 'W']],
    ['K.sum(y_pred, -1)', ['B', 'H', 'W']],
    ['K.sum(y_pred, axis=[1, 2])', ['B', 'C']],
    ['K.sum(y_pred, axis=[1, 2, 3])', ['B']],
    ['K.flatten(y_pred)', ['BHWC']],
    ['K.batch_flatten(y_pred)', ['B', 'HWC']],
    ['K.sum(K.batch_flatten(y_pred), axis=-1)', ['B']],
    ['K.permute_dimensions(y_pred, (0, 3, 1, 2))', ['B', 'C', 'H', 'W']],
    ['K.expand_dims(y_pred, -1)', ['B', 'H', 'W', 'C', '1']],
    ['y_pred[..., 1:]', ['B', 'H', 'W', 'C']],
  ];
  for (const [expr, expected] of kerasCases) {
    it(`Keras (B, H, W, C): ${expr} -> ${expected === null ? 'unknown' : `(${expected.join(', ')})`}`, () => {
      assert.deepEqual(axesOf(KERAS, 'y_true, y_pred', expr), expected);
    });
  }
});
