import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DATASET_PROTOCOL_VERSION,
  TABLE_METRICS,
  asToDatasetWebview,
  columnCount,
  columnIndex,
  parseFromDatasetWebview,
  type TableLayout,
} from '../../../src/protocol/dataset';

function ok(x: unknown) {
  const r = parseFromDatasetWebview(x);
  assert.equal(r.ok, true, r.ok ? '' : r.error);
  return r.ok ? r.value : undefined;
}

function bad(x: unknown, pattern: RegExp) {
  const r = parseFromDatasetWebview(x);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(x)}`);
  if (!r.ok) assert.match(r.error, pattern);
}

describe('protocol: dataset panel messages', () => {
  it('accepts each well-formed message and returns an equal, fresh object', () => {
    const msgs = [
      { type: 'ready', version: DATASET_PROTOCOL_VERSION },
      { type: 'evaluate', models: ['unet_bce', 'unet_dice_axis_bug'], decoders: ['threshold', 'rankdice'] },
      { type: 'cancel' },
      { type: 'replan' },
      { type: 'open', row: 3, model: 'unet_bce', decoders: ['threshold', 'rankdice'] },
      { type: 'open', row: 0, model: '', decoders: [] },
      { type: 'export', what: 'table-csv' },
      { type: 'cell', model: 'unet_bce', decoder: 'threshold', gt: 1, pred: 0 },
      { type: 'order', rows: [3, 1, 2], selected: 1 },
      { type: 'export', what: 'summary-json' },
      { type: 'rendered', rows: 12, drawn: 12, first: 0, sort: 'dice@threshold asc' },
      { type: 'failed', message: 'canvas' },
      { type: 'evaluate', models: [], decoders: ['threshold'], onnx: 'models/unet_bce.onnx' },
      { type: 'evaluate', models: ['unet_bce'], decoders: ['threshold'], onnx: 'models/unet_bce.onnx' },
      { type: 'pickModel' },
      { type: 'openCandidate', index: 4 },
    ];
    for (const m of msgs) {
      const v = ok(m);
      assert.deepEqual(v, m);
      assert.notEqual(v, m);
    }
  });

  it('drops extra keys and duplicate names', () => {
    assert.deepEqual(ok({ type: 'cancel', extra: 1 }), { type: 'cancel' });
    assert.deepEqual(ok({ type: 'evaluate', models: ['a', 'a'], decoders: ['threshold'] }), {
      type: 'evaluate',
      models: ['a'],
      decoders: ['threshold'],
    });
  });

  it('refuses bad values, naming the field', () => {
    bad(null, /plain object/);
    bad([], /plain object/);
    bad({ type: 'nope' }, /unknown message type "nope"/);
    bad({ type: 42 }, /unknown message type number/);
    bad({ type: 'toString' }, /unknown message type/);
    bad({ type: 'ready' }, /version/);
    bad({ type: 'evaluate', models: [], decoders: ['threshold'] }, /models must name a probability folder/);
    bad({ type: 'evaluate', models: [], decoders: ['threshold'], onnx: 'a\u0000.onnx' }, /onnx/);
    bad({ type: 'evaluate', models: [], decoders: ['threshold'], onnx: 3 }, /onnx/);
    bad({ type: 'openCandidate', index: -1 }, /index/);
    bad({ type: 'openCandidate' }, /index/);
    bad({ type: 'evaluate', models: ['a'], decoders: 'threshold' }, /decoders/);
    bad({ type: 'evaluate', models: ['a\n'], decoders: ['threshold'] }, /models\[\]/);
    bad({ type: 'evaluate', models: Array(33).fill('m'), decoders: ['t'] }, /models/);
    bad({ type: 'open', row: -1, model: 'm', decoders: [] }, /row/);
    bad({ type: 'open', row: 1.5, model: 'm', decoders: [] }, /row/);
    bad({ type: 'open', row: 1, model: 'x'.repeat(600), decoders: [] }, /model/);
    bad({ type: 'export', what: 'png' }, /what/);
    bad({ type: 'cell', model: 'm', decoder: 'd', gt: -1, pred: 0 }, /gt/);
    bad({ type: 'order', rows: [1, -2], selected: 0 }, /rows/);
    bad({ type: 'order', rows: [1], selected: -2 }, /selected/);
    bad({ type: 'failed', message: 'x'.repeat(5000) }, /message/);
    bad(Object.create({ type: 'cancel' }), /plain object/);
    // An inherited property never counts as present.
    const proto = { version: 1 };
    const m = Object.assign(Object.create(null), { type: 'ready' });
    Object.setPrototypeOf(m, null);
    void proto;
    bad(m, /version/);
  });

  it('property: never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        parseFromDatasetWebview(x);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom('ready', 'evaluate', 'open', 'export', 'rendered'),
          a: fc.anything(),
        }),
        (x) => {
          parseFromDatasetWebview(x);
        },
      ),
    );
  });

  it('the column layout is dense and in order', () => {
    const l: TableLayout = {
      models: ['a', 'b'],
      decoders: ['t', 'r', 'x'],
      scopes: [
        { key: 'macro', label: 'm' },
        { key: 1, label: 'one' },
      ],
      metrics: TABLE_METRICS,
      thumbSize: 0,
    };
    const seen = new Set<number>();
    for (let m = 0; m < 2; m++)
      for (let d = 0; d < 3; d++)
        for (let s = 0; s < 2; s++)
          for (let k = 0; k < TABLE_METRICS.length; k++) seen.add(columnIndex(l, m, d, s, k));
    assert.equal(seen.size, columnCount(l));
    assert.equal(Math.max(...seen), columnCount(l) - 1);
  });

  it('the webview refuses host messages of the wrong shape, and row batches whose buffer does not fit', () => {
    const layout: TableLayout = {
      models: ['a'],
      decoders: ['t'],
      scopes: [{ key: 'macro', label: 'm' }],
      metrics: TABLE_METRICS,
      thumbSize: 2,
    };
    const rows = (n: number, bytes: number) => ({
      type: 'rows',
      runId: 1,
      indices: Array.from({ length: n }, (_, i) => i),
      ids: Array(n).fill('x'),
      flags: Array(n).fill(0),
      errors: Array(n).fill(''),
      values: new ArrayBuffer(bytes),
      thumbs: new ArrayBuffer(n * 4),
      thumbDims: Array(n * 2).fill(2),
    });
    assert.ok(asToDatasetWebview(rows(2, 2 * 6 * 8), layout));
    assert.equal(asToDatasetWebview(rows(2, 2 * 6 * 8 - 8), layout), undefined);
    assert.equal(asToDatasetWebview({ ...rows(2, 96), ids: ['x'] }, layout), undefined);
    assert.equal(asToDatasetWebview({ ...rows(2, 96), thumbs: new ArrayBuffer(7) }, layout), undefined);
    assert.equal(asToDatasetWebview({ ...rows(2, 96), thumbDims: [2, 2] }, layout), undefined);
    assert.equal(asToDatasetWebview({ type: 'sample' }), undefined);
    assert.equal(asToDatasetWebview('ready'), undefined);
    assert.ok(asToDatasetWebview({ type: 'select', row: 2 }));
    assert.equal(
      asToDatasetWebview({ type: 'started', runId: 1, total: 2, layout: { models: [] } }),
      undefined,
    );
  });
});
