import assert from 'node:assert/strict';
import { AnalysisSession } from '../../../../webview/analysis/session';
import { GT, base, view } from './fixture';

const names = new Map([
  [0, 'background'],
  [1, 'tumour'],
]);
const name = (k: number) => names.get(k) ?? String(k);

describe('webview analysis session (the panel’s data, no DOM)', () => {
  it('a local base gives a live threshold engine with counts against the ground truth', () => {
    const s = new AnalysisSession();
    s.setBase(base(), GT, 0.5);
    assert.equal(s.isLocal(), true);
    assert.deepEqual(Array.from(s.labelsOf('threshold') ?? []), [1, 1, 1, 1, 0, 0, 0, 0]);
    assert.equal(s.thresholdSelected(), 4);
    // tp 3, fp 1, fn 1: Dice 6/8, IoU 3/5.
    const m = s.liveMacro();
    assert.equal(m.dice, 0.75);
    assert.equal(m.iou, 0.6);
    assert.equal(m.precision, 0.75);
    assert.equal(m.recall, 0.75);
    s.engine?.setThreshold(0.85);
    assert.equal(s.thresholdSelected(), 1);
  });

  it('a ground truth of another size is not used; a worker base has no engine and takes the worker’s masks', () => {
    const s = new AnalysisSession();
    s.setBase(base({ slider: 'worker' }), new Uint8Array(3), 0.5);
    assert.equal(s.gt, undefined);
    assert.equal(s.engine, undefined);
    assert.equal(s.labelsOf('threshold'), undefined);
    assert.ok(s.setMask(0.3, Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0]), 5));
    assert.equal(s.thresholdSelected(), 5);
    assert.equal(s.shownThreshold(), 0.3);
    // The host's exact result of the same threshold supersedes the worker's mask.
    s.addDecoder(view('threshold', [1, 1, 1, 1, 1, 0, 0, 0], { threshold: 0.3 }));
    assert.equal(s.remote, undefined);
    assert.equal(s.thresholdSelected(), 5);
  });

  it('is complete once the base, every decoder and the curve arrived; clear forgets all', () => {
    const s = new AnalysisSession();
    s.setBase(base(), GT, 0.5);
    for (const d of ['threshold', 'argmax', 'tunedThreshold', 'topk', 'rankdice', 'rankiou'] as const)
      s.addDecoder(view(d, [1, 1, 0, 1, 0, 0, 1, 0]));
    assert.equal(s.complete, false);
    s.curve = { ks: [1], perClass: { '1': [0.5] }, maxK: 1 };
    assert.equal(s.complete, true);
    s.clear();
    assert.equal(s.ready, 0);
    assert.equal(s.base, undefined);
  });

  it('the pixel read-out names classes, not numbers', () => {
    const s = new AnalysisSession();
    s.setBase(base(), GT, 0.5);
    s.addDecoder(view('rankdice', [1, 1, 0, 1, 0, 0, 1, 0]));
    const parts = s.pixelParts({ x: 2, y: 0 }, true, name, (d) => d);
    assert.deepEqual(parts, [
      'GT background',
      'threshold tumour',
      'rankdice background',
      'max p 0.700 (tumour)',
    ]);
    assert.deepEqual(
      s.pixelParts({ x: 9, y: 0 }, true, name, (d) => d),
      [],
    );
  });
});
