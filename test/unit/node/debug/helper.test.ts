// The Python helper run by the system Python in a plain function frame, the way a debugger evaluates: values of
// every dtype and layout come back as .npy files that our reader reads exactly; the size limit refuses before
// anything is written; the user's text is one expression, never statements.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readNpy } from '../../../../src/core/io/npy';
import { evaluateExpression, replyJson, type DebugRequest } from '../../../../src/node/debug/request';
import { parseLossReply, parseViewReply, type SavedValue } from '../../../../src/node/debug/reply';
import { materialize } from '../../../../src/node/debug/prepare';
import { pythonAvailable, PYTHON } from '../../core/dataset/python';
import { useTempDir } from '../../../support/tempDir';

// A training-step frame: the expression is evaluated with its globals and locals, as debugpy does.
const FRAME = `
import sys
import numpy as np

def dice_coeff(y_true, y_pred, smooth=1.0):
    inter = np.sum(y_true * y_pred, axis=(1, 2, 3))
    return (2 * inter + smooth) / (np.sum(y_true, axis=(1, 2, 3)) + np.sum(y_pred, axis=(1, 2, 3)) + smooth)

def step(expression):
    y_true = np.zeros((2, 4, 4, 1), dtype="float32"); y_true[0, :2, :2, 0] = 1; y_true[1, 1:, 1:, 0] = 1
    y_pred = np.zeros((2, 4, 4, 1), dtype="float32"); y_pred[0, :2, :, 0] = 0.9; y_pred[1, 0, 0, 0] = 0.8
    big_endian = np.arange(6, dtype=">f4").reshape(2, 3)
    fortran = np.asfortranarray(np.arange(12, dtype="int16").reshape(3, 4))
    halves = np.array([[0.5, -2.0], [float("nan"), float("inf")]], dtype="float16")
    flags = np.array([[True, False], [False, True]])
    words = np.array(["a", "b"])
    return eval(expression, globals(), locals())

print(step(sys.stdin.read()))
`;

function run(request: DebugRequest): unknown {
  const out = execFileSync(PYTHON, ['-c', FRAME], {
    input: evaluateExpression(request),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return replyJson(out);
}

const read = (v: SavedValue) => readNpy(readFileSync(v.file));

describe('node/debug/pythonHelper in the system Python', function () {
  this.timeout(120_000);
  const tmp = useTempDir('seglens-helper', { each: true });
  before(function () {
    if (!pythonAvailable(['numpy'])) {
      console.warn('    skipped: /usr/bin/python3 with numpy is needed (apt install python3-numpy)');
      this.skip();
    }
  });

  it('saves each value as C-ordered little-endian .npy with its facts', () => {
    const r = parseViewReply(
      run({
        op: 'view',
        expressions: ['big_endian', 'fortran', 'halves', 'flags', 'y_pred[0, :, :, 0] > 0.5'],
        folder: tmp.path,
        limitBytes: 1 << 20,
      }),
    );
    assert.ok(r.ok, JSON.stringify(r));
    const [be, fo, ha, fl, cmp] = r.values;
    assert.deepEqual([...read(be).data], [0, 1, 2, 3, 4, 5]);
    assert.equal(be.dtype, 'float32');
    assert.deepEqual([be.min, be.max, be.kind], [0, 5, 'numpy']);
    const f = read(fo);
    assert.deepEqual(f.shape, [3, 4]);
    assert.deepEqual([...f.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(fo.distinct, 12);
    // float16 stays float16 (our reader widens it); NaN and ∞ are counted, min/max are of the finite values.
    assert.equal(ha.dtype, 'float16');
    assert.equal(ha.nonFinite, 2);
    assert.deepEqual([ha.min, ha.max], [-2, 0.5]);
    const h = read(ha).data;
    assert.deepEqual([h[0], h[1], h[3]], [0.5, -2, Infinity]);
    assert.ok(Number.isNaN(h[2]));
    assert.equal(fl.dtype, 'bool');
    assert.deepEqual(fl.values, [0, 1]);
    assert.deepEqual([...read(cmp).data], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(cmp.expression, 'y_pred[0, :, :, 0] > 0.5');
  });

  it('refuses values over the limit before writing anything', () => {
    const r = parseViewReply(
      run({ op: 'view', expressions: ['y_true', 'y_pred'], folder: tmp.path, limitBytes: 200 }),
    );
    assert.deepEqual(r, {
      ok: false,
      error: '256 bytes exceed the limit of 200 bytes',
      tooLarge: { bytes: 256, limit: 200 },
    });
    assert.deepEqual(readdirSync(tmp.path), []);
  });

  it("compiles the user's text as one expression: statements and errors come back as failures", () => {
    const stmt = parseViewReply(
      run({
        op: 'view',
        expressions: ['y_true; open("/tmp/x", "w")'],
        folder: tmp.path,
        limitBytes: 1 << 20,
      }),
    );
    assert.ok(!stmt.ok);
    assert.match(stmt.error, /^SyntaxError/);
    const missing = parseViewReply(
      run({ op: 'view', expressions: ['nope'], folder: tmp.path, limitBytes: 1 << 20 }),
    );
    assert.ok(!missing.ok);
    assert.equal(missing.error, "NameError: name 'nope' is not defined");
    const text = parseViewReply(
      run({ op: 'view', expressions: ['words'], folder: tmp.path, limitBytes: 1 << 20 }),
    );
    assert.ok(!text.ok);
    assert.match(text.error, /numeric arrays; this value has dtype <U1/);
    const away = parseViewReply(
      run({ op: 'view', expressions: ['y_true'], folder: `${tmp.path}/no/such`, limitBytes: 1 << 20 }),
    );
    assert.ok(!away.ok && away.noFolder);
    assert.match(away.error, /over the 0 bytes sent in the reply/);
    assert.equal(existsSync(`${tmp.path}/no`), false);
  });

  it('a folder the program cannot see: small values come inside the reply, written locally by materialize()', () => {
    const away = `${tmp.path}/not/on/the/program/side`;
    const r = parseViewReply(
      run({
        op: 'view',
        expressions: ['fortran', 'flags'],
        folder: away,
        limitBytes: 1 << 20,
        inlineBytes: 1000,
      }),
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(existsSync(`${tmp.path}/not`), false, 'nothing written on the program side');
    const [fo, fl] = r.values.map((v) => materialize(v, tmp.path));
    assert.equal(fo.file, `${tmp.path}/value0.npy`);
    assert.equal(fo.data, undefined);
    assert.deepEqual([...read(fo).data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual([...read(fl).data], [1, 0, 0, 1]);
    const over = parseViewReply(
      run({ op: 'view', expressions: ['fortran'], folder: away, limitBytes: 1 << 20, inlineBytes: 10 }),
    );
    assert.ok(!over.ok && over.noFolder);
    assert.match(over.error, /the values \(24 bytes\) are over the 10 bytes sent in the reply/);
  });

  it('calls the function on the batch and on each image, in the order asked', () => {
    const r = parseLossReply(
      run({
        op: 'loss',
        function: 'dice_coeff',
        prediction: 'y_pred',
        target: 'y_true',
        targetFirst: true,
        folder: tmp.path,
        limitBytes: 1 << 20,
      }),
    );
    assert.ok(r.ok, JSON.stringify(r));
    // Image 0: y_true 4 px, y_pred 8 px of 0.9, overlap 4·0.9 → (2·3.6 + 1) / (4 + 7.2 + 1).
    // Image 1: y_true 9 px, y_pred one px 0.8 outside → (0 + 1) / (9 + 0.8 + 1). (float32 sums: 1e-6.)
    const d0 = (2 * 3.6 + 1) / (4 + 7.2 + 1);
    const d1 = 1 / (9 + 0.8 + 1);
    assert.deepEqual(r.batch.shape, [2]);
    assert.ok(Math.abs(r.batch.mean - (d0 + d1) / 2) < 1e-6);
    assert.ok(Math.abs(r.perImage[0] - d0) < 1e-6 && Math.abs(r.perImage[1] - d1) < 1e-6);
    assert.deepEqual(read(r.target).shape, [2, 4, 4, 1]);
    const notCallable = parseLossReply(
      run({
        op: 'loss',
        function: 'y_true',
        prediction: 'y_pred',
        target: 'y_true',
        targetFirst: true,
        folder: tmp.path,
        limitBytes: 1 << 20,
      }),
    );
    assert.deepEqual(notCallable, { ok: false, error: 'y_true is not callable' });
  });
});
