// The dataset table's DOM in a DOM shim: 10,000 rows draw only a window of rows, headers sort, clicks and keys open.
import assert from 'node:assert/strict';
import { TABLE_METRICS, type TableLayout, columnCount } from '../../../../../src/protocol/dataset';
import { VirtualTable } from '../../../../../webview/dataset/table';
import { addRows, defaultView, emptyTable } from '../../../../../webview/dataset/tableModel';
import { useDom } from '../../analysis/domShim';

const layout: TableLayout = {
  models: ['m'],
  decoders: ['threshold', 'rankdice'],
  scopes: [{ key: 'macro', label: 'all' }],
  metrics: TABLE_METRICS,
  thumbSize: 0,
};

const tick = () => new Promise((r) => setTimeout(r, 5));

/**
 * The few DOM members these tests touch, typed structurally: the root tsconfig (plain node) has no DOM library, and
 * the shim installs the real objects as globals.
 */
interface Clickable {
  click(): void;
  textContent: string | null;
  dispatchEvent(e: unknown): boolean;
}
const dom = () =>
  globalThis as unknown as {
    document: { body: { append(e: unknown): void } };
    window: { KeyboardEvent: new (type: string, init: { key: string; bubbles: boolean }) => unknown };
  };

describe('webview dataset table (DOM shim)', () => {
  useDom();

  function build(n: number) {
    const cols = columnCount(layout);
    const t = emptyTable(layout, n);
    const values = new Float64Array(n * cols).fill(0.5);
    // Dice of the first decoder: a permutation of i/n, so the worst row is known.
    for (let i = 0; i < n; i++) values[i * cols] = ((i * 7919) % n) / n;
    addRows(t, {
      indices: Array.from({ length: n }, (_, i) => i),
      ids: Array.from({ length: n }, (_, i) => `img_${i}`),
      flags: new Array<number>(n).fill(0),
      errors: new Array<string>(n).fill(''),
      values,
    });
    const opened: number[] = [];
    const rendered: { rows: number; drawn: number; first: number }[] = [];
    const table = new VirtualTable({
      open: (r) => opened.push(r),
      orderChanged: () => undefined,
      rendered: (info) => rendered.push(info),
    });
    dom().document.body.append(table.element);
    table.reset(t, defaultView(layout), ['Threshold', 'RankDice']);
    return { table, opened, rendered };
  }

  it('10,000 rows: only a window of rows is in the DOM, worst first', async () => {
    const { table, rendered } = build(10_000);
    await tick();
    const drawn = table.element.querySelectorAll('.rows .row').length;
    assert.ok(drawn > 0 && drawn < 60, `${drawn} rows drawn`);
    const last = rendered[rendered.length - 1];
    assert.equal(last.rows, 10_000);
    assert.equal(last.drawn, drawn);
    assert.equal(last.first, 0, 'row 0 has Dice 0: the worst');
    assert.equal(table.element.querySelector('.rows .row .cell.id')?.textContent, 'img_0');
  });

  it('a header click sorts by that column, a second click reverses it', async () => {
    const { table } = build(100);
    await tick();
    const header = [...table.element.querySelectorAll('.hcell.sortable')].find((h) =>
      h.textContent?.startsWith('Image'),
    );
    (header as unknown as Clickable).click();
    await tick();
    assert.equal(table.currentView?.sort.kind, 'id');
    assert.equal(table.element.querySelector('.rows .row .cell.id')?.textContent, 'img_0');
    const again = [...table.element.querySelectorAll('.hcell.sortable')].find((h) =>
      h.textContent?.startsWith('Image'),
    );
    (again as unknown as Clickable).click();
    await tick();
    assert.equal(table.currentView?.descending, true);
    assert.equal(table.element.querySelector('.rows .row .cell.id')?.textContent, 'img_99');
  });

  it('a click opens its row; ↓ then Enter opens the next; J moves and opens', async () => {
    const { table, opened } = build(50);
    await tick();
    const order = table.currentOrder;
    (table.element.querySelector('.rows .row') as unknown as Clickable).click();
    assert.deepEqual(opened, [order[0]]);
    const body = table.element.querySelector('.tbody') as unknown as Clickable;
    const key = (k: string) =>
      body.dispatchEvent(new (dom().window.KeyboardEvent)('keydown', { key: k, bubbles: true }));
    key('ArrowDown');
    key('Enter');
    assert.deepEqual(opened, [order[0], order[1]]);
    key('j');
    assert.deepEqual(opened, [order[0], order[1], order[2]]);
    key('k');
    assert.equal(opened[opened.length - 1], order[1]);
  });
});
