// SegLens' evaluated expression against the real debugger users run: Debian's debugpy serves the seed training step
// (test/fixtures/debug), a plain DAP client attaches, stops inside dice_coeff, and sends exactly what the extension
// sends. The numbers are checked against the reference the script writes with NumPy after the step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluateExpression, replyJson } from '../../../../src/node/debug/request';
import { parseLossReply, parseViewReply } from '../../../../src/node/debug/reply';
import { lossTableOf } from '../../../../src/node/debug/prepare';
import { pythonAvailable, PYTHON } from '../../core/dataset/python';
import { repoPath } from '../../../support/repo';
import { useTempDir } from '../../../support/tempDir';
import { startPaused, type PausedDebuggee } from './dapClient';

const SCRIPT = repoPath('test', 'fixtures', 'debug', 'train_step.py');

describe('node/debug with a real debugpy server', function () {
  this.timeout(180_000);
  const tmp = useTempDir('seglens-debugpy');
  let paused: PausedDebuggee | undefined;

  before(function () {
    if (!pythonAvailable(['debugpy', 'numpy'])) {
      console.warn(
        '    skipped: /usr/bin/python3 with debugpy and numpy is needed (apt install python3-debugpy)',
      );
      this.skip();
    }
  });
  after(async () => {
    await paused?.stop();
  });

  it('stops inside dice_coeff; view and loss requests answer with what NumPy computes', async () => {
    const line =
      readFileSync(SCRIPT, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('intersection = np.sum(')) + 1;
    const reference = path.join(tmp.path, 'reference.json');
    paused = await startPaused({
      python: PYTHON,
      serve: repoPath('test', 'fixtures', 'debug', 'serve.py'),
      script: SCRIPT,
      breakAt: SCRIPT,
      line,
      portFile: path.join(tmp.path, 'port.json'),
      env: { SEGLENS_DEBUG_REFERENCE: reference },
    });
    const { client, frameId } = paused;
    const evaluate = async (request: Parameters<typeof evaluateExpression>[0]) => {
      const body = await client.request('evaluate', {
        expression: evaluateExpression(request),
        frameId,
        context: 'repl',
      });
      return replyJson(String(body.result));
    };
    const view = parseViewReply(
      await evaluate({
        op: 'view',
        expressions: ['y_true', 'y_pred'],
        folder: tmp.path,
        limitBytes: 1 << 24,
      }),
    );
    assert.ok(view.ok, JSON.stringify(view));
    const loss = parseLossReply(
      await evaluate({
        op: 'loss',
        function: 'dice_coeff',
        prediction: 'y_pred',
        target: 'y_true',
        targetFirst: true,
        folder: tmp.path,
        limitBytes: 1 << 24,
      }),
    );
    assert.ok(loss.ok, JSON.stringify(loss));
    const table = lossTableOf(loss, 'dice_coeff', tmp.path, 1 << 24);
    // Let the program finish (its reference is written after the step), without stopping again.
    await client.request('setBreakpoints', { source: { path: SCRIPT }, breakpoints: [] });
    const exited = new Promise<number | null>((r) => paused?.process.once('exit', (code) => r(code)));
    await client.request('continue', { threadId: paused.threadId });
    assert.equal(await exited, 0);
    const ref = JSON.parse(readFileSync(reference, 'utf8')) as {
      batchValue: number;
      images: { dice: number; iou: number; yourValue: number }[];
      probs: { shape: number[]; min: number; max: number };
    };
    assert.deepEqual(view.values[1].shape, ref.probs.shape);
    assert.equal(view.values[1].min, ref.probs.min);
    assert.equal(view.values[1].max, ref.probs.max);
    assert.ok(Math.abs(table.batchValue - ref.batchValue) < 1e-6);
    table.rows.forEach((row, i) => {
      assert.ok(Math.abs(row.dice - ref.images[i].dice) < 1e-12, `Dice ${i}`);
      assert.ok(Math.abs(row.iou - ref.images[i].iou) < 1e-12, `IoU ${i}`);
      assert.ok(Math.abs((row.yours ?? NaN) - ref.images[i].yourValue) < 1e-6, `yours ${i}`);
    });
    assert.equal(table.disagrees, true);
  });
});
