import assert from 'node:assert/strict';
import { ANALYSIS_DECODERS } from '../../../../src/protocol';
import { METRIC_HELP, decoderHelp, whyRankK } from '../../../../webview/analysis/explain';
import { view } from './fixture';

const name = (k: number) => (k === 1 ? 'tumour' : String(k));

describe('webview explanations', () => {
  it('every decoder and every metric column has a tooltip naming where it is defined', () => {
    for (const d of ANALYSIS_DECODERS) assert.match(decoderHelp(d), /docs\/decoders\.md §/);
    for (const m of ['Dice', 'IoU', 'Precision', 'Recall', 'ECE', 'E[Dice]', 'HD95', 'ASSD', 'NSD'])
      assert.match(METRIC_HELP[m], /docs\/(metrics|decoders)\.md §/, m);
  });

  it('why RankDice chose k: the rule, the threshold to compare with, per class k, cut-off and E[Dice]', () => {
    const v = view('rankdice', [1, 1, 0, 1, 0, 0, 0, 0], {
      perClass: [{ cls: 1, k: 3, expectedDice: 0.8, expectedIoU: 0.7, cutoffProb: 0.6 }],
    });
    assert.equal(
      whyRankK(v, name, 4, 0.9),
      'Why k = 3 (the threshold selects 4): per class it keeps the most probable pixels and stops where one more ' +
        'pixel would lower the expected Dice — tumour 3 (p ≥ 0.600, E[Dice] 0.800).',
    );
    // RankIoU speaks of IoU and its own expected score.
    assert.match(
      whyRankK({ ...v, decoder: 'rankiou' }, name, undefined, 0.9) ?? '',
      /expected IoU — tumour 3 \(p ≥ 0\.600, E\[IoU\] 0\.700\)/,
    );
    assert.equal(whyRankK({ ...v, decoder: 'threshold' }, name, 4), undefined);
  });

  it('a nearly empty map is said so (the axis-bug model: max p 0.004)', () => {
    const v = view('rankdice', [1, 0, 0, 0, 0, 0, 0, 0], {
      perClass: [{ cls: 1, k: 1, expectedDice: 0.01, expectedIoU: 0.005, cutoffProb: 0.004 }],
    });
    assert.match(
      whyRankK(v, name, 0, 0.004) ?? '',
      /most probable pixel has p = 0\.004: the map is nearly empty/,
    );
  });
});
