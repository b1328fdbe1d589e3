// The evaluated expression is fixed: the user's text only travels inside base64 data; replies are parsed strictly.
import assert from 'node:assert/strict';
import { evaluateExpression, replyJson } from '../../../../src/node/debug/request';
import { parseLossReply, parseViewReply } from '../../../../src/node/debug/reply';

const reply = (obj: unknown): string =>
  `'SEGLENS1:${Buffer.from(JSON.stringify(obj), 'utf8').toString('base64')}'`;

describe('node/debug/request and reply', () => {
  it('the expression is the same template for any user text, which appears only base64-encoded', () => {
    const nasty = `x'); __import__('os').system('rm -rf /') #\n"""`;
    const a = evaluateExpression({ op: 'view', expressions: [nasty], folder: '/tmp/f', limitBytes: 1 });
    const b = evaluateExpression({ op: 'view', expressions: ['y'], folder: '/tmp/f', limitBytes: 1 });
    assert.ok(!a.includes('rm -rf') && !a.includes('system'), 'no user text in clear');
    // Outside the two base64 literals the expressions are identical.
    const skeleton = (s: string) => s.replace(/'[A-Za-z0-9+/=]+'/g, "'…'");
    assert.equal(skeleton(a), skeleton(b));
    assert.match(a, /^\(lambda g, l: .*\)\(globals\(\), locals\(\)\)$/);
    assert.equal(a.split('\n').length, 1, 'one line: an expression, not statements');
  });

  it('finds the reply in a quoted or unquoted result, and says what came back otherwise', () => {
    const obj = { ok: true, values: [] };
    assert.deepEqual(replyJson(reply(obj)), obj);
    assert.deepEqual(replyJson(reply(obj).slice(1, -1)), obj);
    assert.throws(
      () => replyJson("NameError: name 'x' is not defined"),
      /did not return SegLens' reply: NameError/,
    );
  });

  it('parses view and loss replies, with NaN and infinities spelt as strings', () => {
    const value = {
      expression: 'y',
      kind: 'torch',
      file: '/tmp/f/value0.npy',
      shape: [2, 3],
      dtype: 'float32',
      bytes: 24,
      min: 'NaN',
      max: 'Infinity',
      values: ['-Infinity', 1],
    };
    const v = parseViewReply({ ok: true, values: [value] });
    assert.ok(v.ok);
    assert.ok(Number.isNaN(v.values[0].min));
    assert.equal(v.values[0].max, Infinity);
    assert.deepEqual(v.values[0].values, [-Infinity, 1]);
    const l = parseLossReply({
      ok: true,
      batch: { shape: [2], mean: 0.5 },
      perImage: [0.25, 'NaN'],
      prediction: value,
      target: value,
    });
    assert.ok(l.ok);
    assert.equal(l.batch.mean, 0.5);
    assert.ok(Number.isNaN(l.perImage[1]));
  });

  it('failures keep their reason; malformed replies are refused naming the field', () => {
    const f = parseViewReply({ ok: false, error: 'too big', tooLarge: { bytes: 10, limit: 5 } });
    assert.deepEqual(f, { ok: false, error: 'too big', tooLarge: { bytes: 10, limit: 5 } });
    assert.throws(
      () => parseViewReply({ ok: true, values: [{ expression: 'y' }] }),
      /values\[0\]\.kind is not a string/,
    );
    assert.throws(
      () =>
        parseViewReply({
          ok: true,
          values: [{ expression: 'y', kind: 'k', file: 'f', shape: [-1], dtype: 'x', bytes: 1 }],
        }),
      /shape\[0\] is not a size/,
    );
    assert.throws(() => parseLossReply({ ok: true, batch: {}, perImage: [] }), /batch\.shape is not a shape/);
    assert.throws(() => parseViewReply([]), /the reply is not an object/);
  });
});
