import assert from 'node:assert/strict';
import { DEFAULT_ANALYSIS_VIEW } from '../../../../src/protocol';
import { AnalysisSession } from '../../../../webview/analysis/session';
import { drawnSummary, liveNumbers } from '../../../../webview/analysis/summaries';
import { GT, base, view } from './fixture';

describe('webview analysis summaries', () => {
  it('live numbers: the threshold’s pixels and its live macro scores (hand-computed: tp 3, fp 1, fn 1)', () => {
    const s = new AnalysisSession();
    assert.equal(liveNumbers(s, DEFAULT_ANALYSIS_VIEW), '');
    s.setBase(base(), GT, 0.5);
    assert.equal(
      liveNumbers(s, DEFAULT_ANALYSIS_VIEW),
      'Threshold 0.5: 4 px selected · macro Dice 0.750 · IoU 0.600 · precision 0.750 · recall 0.750',
    );
    // Decoder A another decoder: its macro Dice follows (RankDice on the ground truth exactly: 1).
    s.addDecoder(view('rankdice', [1, 1, 0, 1, 0, 0, 1, 0], { label: 'RankDice' }));
    assert.match(
      liveNumbers(s, { ...DEFAULT_ANALYSIS_VIEW, decoderA: 'rankdice' }),
      / · A = RankDice: macro Dice 1$/,
    );
  });

  it('drawn summary: decoder A, the threshold on screen, its macro Dice and the selected pixels', () => {
    const s = new AnalysisSession();
    s.setBase(base(), GT, 0.5);
    assert.equal(drawnSummary(s, { ...DEFAULT_ANALYSIS_VIEW, decoderA: 'rankdice' }), undefined);
    s.addDecoder(view('threshold', [1, 1, 1, 1, 0, 0, 0, 0], { label: 'Threshold 0.5', threshold: 0.5 }));
    assert.equal(
      drawnSummary(s, DEFAULT_ANALYSIS_VIEW),
      'Threshold 0.5; t=0.5; macro Dice 0.750; selected 4',
    );
  });
});
