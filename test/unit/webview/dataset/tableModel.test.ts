import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ROW_FLAGS, TABLE_METRICS, type TableLayout, columnCount } from '../../../../src/protocol/dataset';
import {
  addRows,
  defaultView,
  emptyTable,
  flagNames,
  parseFilter,
  scrollToShow,
  sortLabel,
  virtualWindow,
  visibleOrder,
  type TableView,
} from '../../../../webview/dataset/tableModel';

const layout: TableLayout = {
  models: ['unet_bce', 'unet_dice'],
  decoders: ['threshold', 'rankdice'],
  scopes: [
    { key: 'macro', label: 'present classes' },
    { key: 1, label: 'caudate' },
  ],
  metrics: TABLE_METRICS,
  thumbSize: 0,
};
const COLS = columnCount(layout);

/** A table of rows whose macro Dice of (model 0, decoder 0) is `dice[i]` and of decoder 1 is 1 − dice[i]. */
function table(dice: number[], opts: { flags?: number[]; order?: number[] } = {}) {
  const t = emptyTable(layout, dice.length);
  const order = opts.order ?? dice.map((_, i) => i);
  for (const i of order) {
    const values = new Float64Array(COLS).fill(0.5);
    values[0] = dice[i]; // model 0, decoder 0, macro, dice
    values[2 * TABLE_METRICS.length] = 1 - dice[i]; // model 0, decoder 1, macro, dice
    addRows(t, {
      indices: [i],
      ids: [`img_${String(i).padStart(3, '0')}`],
      flags: [opts.flags?.[i] ?? 0],
      errors: [''],
      values,
    });
  }
  return t;
}

describe('dataset table model', () => {
  it('sorts worst first by default, NaN last, ties by row index', () => {
    const t = table([0.9, 0.2, NaN, 0.5, 0.2]);
    const v = defaultView(layout);
    assert.deepEqual(v.sort, { kind: 'metric', decoder: 0, metric: 'dice' });
    assert.equal(v.descending, false);
    assert.deepEqual([...visibleOrder(t, v)], [1, 4, 3, 0, 2]);
    assert.deepEqual([...visibleOrder(t, { ...v, descending: true })], [0, 3, 1, 4, 2]);
  });

  it('sorts on another decoder, on the id and on flags', () => {
    const t = table([0.9, 0.2, 0.5], { flags: [0, ROW_FLAGS.emptyGt, ROW_FLAGS.skipped] });
    const v = defaultView(layout);
    assert.deepEqual(
      [...visibleOrder(t, { ...v, sort: { kind: 'metric', decoder: 1, metric: 'dice' } })],
      [0, 2, 1],
    );
    assert.deepEqual([...visibleOrder(t, { ...v, sort: { kind: 'id' }, descending: true })], [2, 1, 0]);
    assert.deepEqual([...visibleOrder(t, { ...v, sort: { kind: 'flags' }, descending: true })], [2, 1, 0]);
  });

  it('without ground truth the default ranks by expected Dice', () => {
    assert.deepEqual(defaultView(layout, false).sort, { kind: 'metric', decoder: 0, metric: 'expectedDice' });
  });

  it('shows rows as they stream in, in any order', () => {
    const dice = [0.3, 0.1, 0.2];
    const t = emptyTable(layout, 3);
    assert.equal(visibleOrder(t, defaultView(layout)).length, 0);
    const part = table(dice, { order: [2, 0] });
    assert.equal(part.received, 2);
    assert.deepEqual([...visibleOrder(part, defaultView(layout))], [2, 0]);
  });

  it('filters on id text, flags and metric comparisons (all must hold)', () => {
    const t = table([0.9, 0.2, 0.5, 0.4], { flags: [0, ROW_FLAGS.emptyGt, 0, ROW_FLAGS.logitsConverted] });
    const v: TableView = { ...defaultView(layout), filter: 'dice<0.5' };
    assert.deepEqual([...visibleOrder(t, v)], [1, 3]);
    assert.deepEqual([...visibleOrder(t, { ...v, filter: 'dice<0.5 -is:emptyGt' })], [3]);
    assert.deepEqual([...visibleOrder(t, { ...v, filter: 'is:logits' })], [3]);
    assert.deepEqual([...visibleOrder(t, { ...v, filter: 'IMG_00' })], [1, 3, 2, 0]);
    assert.deepEqual([...visibleOrder(t, { ...v, filter: 'img_002' })], [2]);
    // The second decoder's Dice is 1 − the first's.
    assert.deepEqual([...visibleOrder(t, { ...v, filter: 'dice@2>=0.6' })], [1, 3]);
  });

  it('reports filter words it does not understand instead of guessing', () => {
    const f = parseFilter('is:nonsense dice@9<1 hd95>10 foo', layout);
    assert.deepEqual(f.unknown, ['is:nonsense', 'dice@9<1']);
    assert.deepEqual(
      f.conditions.map((c) => c.kind),
      ['compare', 'text'],
    );
  });

  it('the virtual window covers the viewport plus overscan and never more', () => {
    assert.deepEqual(virtualWindow(10_000, 22, 0, 440, 8), { first: 0, end: 28, offset: 0, height: 220_000 });
    const w = virtualWindow(10_000, 22, 22 * 5000, 440, 8);
    assert.equal(w.first, 4992);
    assert.equal(w.end, 5028);
    assert.equal(w.offset, 4992 * 22);
    // Scrolled past the end (the table shrank under a filter): clamped to the last page.
    const end = virtualWindow(100, 22, 1e6, 440, 0);
    assert.equal(end.end, 100);
    assert.equal(end.first, 80);
    assert.deepEqual(virtualWindow(0, 22, 0, 440), { first: 0, end: 0, offset: 0, height: 0 });
  });

  it('property: the window always holds the rows in view and at most viewport/rowHeight + 2·overscan + 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.nat(5_000_000),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 20 }),
        (rows, h, scroll, vh, overscan) => {
          const w = virtualWindow(rows, h, scroll, vh, overscan);
          assert.ok(w.first >= 0 && w.end <= rows && w.first <= w.end);
          assert.ok(w.end - w.first <= Math.ceil(vh / h) + 2 * overscan + 1);
          const top = Math.max(0, Math.min(scroll, Math.max(0, rows * h - vh)));
          const firstSeen = Math.floor(top / h);
          if (rows > 0 && firstSeen < rows) assert.ok(w.first <= firstSeen && w.end > firstSeen);
        },
      ),
    );
  });

  it('10,000 rows: sorting and filtering stay well under a frame budget of work', () => {
    const dice = Array.from({ length: 10_000 }, (_, i) => ((i * 7919) % 10_007) / 10_007);
    const t = table(dice);
    const v = defaultView(layout);
    const order = visibleOrder(t, v);
    assert.equal(order.length, 10_000);
    for (let i = 1; i < order.length; i++) assert.ok(dice[order[i - 1]] <= dice[order[i]]);
    assert.equal(visibleOrder(t, { ...v, filter: 'dice<0.1' }).length, dice.filter((d) => d < 0.1).length);
  });

  it('scrollToShow keeps a visible row where it is and brings others to the nearest edge', () => {
    assert.equal(scrollToShow(5, 20, 0, 200), 0);
    assert.equal(scrollToShow(20, 20, 0, 200), 220);
    assert.equal(scrollToShow(2, 20, 100, 200), 40);
  });

  it('names flags and sort keys', () => {
    assert.deepEqual(flagNames(ROW_FLAGS.emptyGt | ROW_FLAGS.logitsConverted), [
      'emptyGt',
      'logitsConverted',
    ]);
    assert.equal(
      sortLabel(layout, { kind: 'metric', decoder: 1, metric: 'hd95' }, true),
      'hd95@rankdice desc',
    );
  });
});
