// The slider budget: which maps get the ranking in the webview and which ask the worker, checked at hand-computed
// boundaries; the worker's threshold mask against a brute-force p > t over the foreground channels.
import assert from 'node:assert/strict';
import { writeNpy } from '../../../../src/core/io/npy';
import { SLIDER_RANKING_BUDGET, sliderMode } from '../../../../src/core/viewmodel/sliderBudget';
import { rankingOf } from '../../../../src/core/viewmodel/thresholdIndex';
import {
  analysisBase,
  analysisDecode,
  analysisThresholdMask,
  loadAnalysisSample,
} from '../../../../src/node/analysis/analysisTasks';

/** A deterministic [C, H, W] map (not normalised: one sigmoid channel per foreground class). */
function sigmoidMap(C: number, H: number, W: number): Float32Array {
  const data = new Float32Array(C * H * W);
  let x = 12345;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    data[i] = Math.round((x / 2147483648) * 100) / 100;
  }
  return data;
}

function filesOf(data: Float32Array, shape: number[]) {
  return {
    probBytes: writeNpy({ dtype: 'float32', shape, data }),
    probSource: 'probs/map.npy',
    maxPixels: 1e6,
  };
}

describe('analysis: slider budget', () => {
  it('keeps the ranking local up to the budget of pixel·class entries, the worker above it', () => {
    assert.equal(SLIDER_RANKING_BUDGET, 16_000_000);
    // 1024² × 5 = 5 242 880 entries: local. 4096² × 1 = 16 777 216: over. 2000² × 4 = 16 000 000: exactly the budget.
    assert.equal(sliderMode(1024 * 1024, 5), 'local');
    assert.equal(sliderMode(4096 * 4096, 1), 'worker');
    assert.equal(sliderMode(4096 * 4096, 5), 'worker');
    assert.equal(sliderMode(2000 * 2000, 4), 'local');
    assert.equal(sliderMode(2000 * 2000 + 1, 4), 'worker');
    // No foreground class still counts one entry per pixel.
    assert.equal(sliderMode(10, 0, 10), 'local');
    assert.equal(sliderMode(11, 0, 10), 'worker');
    assert.equal(sliderMode(6, 2, 12), 'local');
    assert.equal(sliderMode(7, 2, 12), 'worker');
  });

  it('the base carries the ranking only under the budget, and says so above it', async () => {
    const [C, H, W] = [3, 5, 7];
    const s = await loadAnalysisSample(filesOf(sigmoidMap(C, H, W), [C, H, W]), {
      threshold: 0.5,
      solver: 'auto',
    });
    const local = analysisBase(s, H * W * C);
    assert.equal(local.slider, 'local');
    assert.equal(rankingOf(local)?.order.length, H * W);
    const worker = analysisBase(s, H * W * C - 1);
    assert.equal(worker.slider, 'worker');
    assert.equal(rankingOf(worker), undefined);
    assert.deepEqual([worker.order, worker.sorted, worker.classOf], [undefined, undefined, undefined]);
    assert.ok(worker.notes.some((n) => /Large map \(7×5, 3 classes\).*worker/.test(n)));
  });

  for (const C of [1, 3]) {
    it(`the worker's threshold mask is p > t on the best foreground channel (${C} channel${C > 1 ? 's' : ''})`, async () => {
      const [H, W] = [6, 9];
      const data = sigmoidMap(C, H, W);
      const s = await loadAnalysisSample(filesOf(data, [C, H, W]), { threshold: 0.5, solver: 'auto' });
      const n = H * W;
      for (const t of [0, 0.3, 0.5, 0.99, 1]) {
        const r = analysisThresholdMask(s, t);
        // Brute force: the first channel holding the pixel's maximum wins; selected when that maximum is > t.
        let selected = 0;
        for (let i = 0; i < n; i++) {
          let best = -1;
          let cls = 0;
          for (let c = 0; c < C; c++)
            if (data[c * n + i] > best) {
              best = data[c * n + i];
              cls = c + 1;
            }
          const want = best > t ? cls : 0;
          if (want) selected++;
          assert.equal(r.labels[i], want, `t=${t} pixel ${i}`);
        }
        assert.equal(r.selected, selected);
        // And the same mask as the full threshold decoder the panel gets on release.
        const full = analysisDecode(s, 'threshold', { threshold: t, solver: 'auto' });
        assert.deepEqual(Array.from(r.labels), Array.from(full.labels ?? []));
      }
    });
  }
});
