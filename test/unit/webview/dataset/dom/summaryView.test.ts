// The summary's DOM in a DOM shim: each "check this label" candidate opens by its index (the host looks up its
// region), with the region in its tooltip; the gap sentence is shown as the host sent it.
import assert from 'node:assert/strict';
import type { DatasetSummary, DecoderSummary } from '../../../../../src/protocol/dataset';
import { SummaryView } from '../../../../../webview/dataset/summaryView';
import { useDom } from '../../analysis/domShim';

interface Node {
  click(): void;
  title: string;
  textContent: string | null;
}
interface Root {
  querySelectorAll(s: string): ArrayLike<Node>;
  querySelector(s: string): Node | null;
}

const spread = { mean: 0.7, sd: 0.1, median: 0.72, n: 2 };
const decoder: DecoderSummary = {
  model: 'a',
  decoder: 'threshold',
  dice: spread,
  pooledDice: 0.8,
  pixelAccuracy: 0.99,
  gapSentence: 'Pooled Dice (0.800) exceeds the per-image mean (0.700): …',
  perClass: [],
  histogram: new Array<number>(10).fill(0),
  ranking: { rho: 0.5, n: 2 },
  confusion: null,
};
const candidate = (row: number, region: DatasetSummary['labelErrors'][number]['region']) => ({
  row,
  id: `case_${row}`,
  classIndex: 1,
  className: 'tumour',
  model: 'a',
  score: 0.9,
  detail: '12 px …',
  region,
});
const summary: DatasetSummary = {
  classNames: ['background', 'tumour'],
  images: 2,
  evaluated: 2,
  skipped: 0,
  withGt: 2,
  perDecoder: [decoder],
  comparisons: [],
  labelErrors: [candidate(7, { x: 3, y: 4, width: 5, height: 6 }), candidate(2, null)],
  tuned: [],
};

describe('webview dataset summary (DOM shim)', () => {
  useDom();

  it('a candidate click opens it by index with its row; the region is named in the tooltip', () => {
    const opened: [number, number][] = [];
    const view = new SummaryView({
      openCandidate: (index, row) => opened.push([index, row]),
      cell: () => undefined,
      scatter: () => ({ expected: [], truth: [] }),
    });
    view.show(summary, (d) => d);
    const root = view.element as unknown as Root;
    const links = root.querySelectorAll('.label-errors li a');
    assert.equal(links.length, 2);
    assert.match(links[0].title, /x 3, y 4, 5 × 6 px/);
    assert.equal(links[1].title, 'Open this image in the viewer');
    links[1].click();
    links[0].click();
    assert.deepEqual(opened, [
      [1, 2],
      [0, 7],
    ]);
    assert.equal(root.querySelector('.card .gap')?.textContent, decoder.gapSentence);
  });
});
