// A probability map that crossed as its 8-bit heatmap levels (src/protocol/viewerWire.ts) looks exactly like the
// float map, and the hover read-out shows the same numbers, taken from the host's exact tiles (webview/probe.ts).
import assert from 'node:assert/strict';
import type { FromWebview, Layer } from '../../../src/protocol';
import { heatmapLevels } from '../../../src/protocol/viewerPixels';
import { probeTile } from '../../../src/protocol/viewerWire';
import { colourMapLut } from '../../../webview/colors';
import { ProbeTiles } from '../../../webview/probe';
import { probToRgba } from '../../../webview/render';
import { pixelReadout } from '../../../webview/viewModel';

const W = 130;
const H = 70;

function probMap(): Float32Array {
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  const p = new Float32Array(W * H);
  for (let i = 0; i < p.length; i++) p[i] = i % 17 === 0 ? rand() ** 6 : rand();
  p.set([0, 1, 0.5, -0.2, 1.3, NaN, 1 / 510, 0.0001234, 0.99951], 0);
  return p;
}

function probLayer(pixels: ArrayBuffer, dtype: 'float32' | 'uint8', levels: boolean): Layer {
  return {
    role: 'prob',
    name: 'p.npy',
    uri: 'file:///p.npy',
    format: 'npy',
    sourceDtype: 'float32',
    range: { min: 0, max: 1 },
    raster: {
      width: W,
      height: H,
      channels: 1,
      dtype,
      pixels,
      ...(levels ? { heatmapLevels: true as const } : {}),
    },
  };
}

describe('webview: a probability map as heatmap levels', () => {
  const p = probMap();
  const levels = new Uint8Array(p.length);
  heatmapLevels(p, levels);
  const exactLayer = probLayer(p.buffer as ArrayBuffer, 'float32', false);
  const levelLayer = probLayer(levels.buffer, 'uint8', true);

  it('draws the same pixels as the float map (every opaque pixel, and the same alpha everywhere)', () => {
    const lut = colourMapLut();
    const a = new Uint8ClampedArray(W * H * 4);
    const b = new Uint8ClampedArray(W * H * 4);
    probToRgba(exactLayer.raster, lut, a);
    probToRgba(levelLayer.raster, lut, b);
    for (let i = 0; i < W * H; i++) {
      assert.equal(b[i * 4 + 3], a[i * 4 + 3], `alpha of pixel ${i}`);
      // A transparent pixel's colour is never seen (the float path leaves NaN's colour unwritten).
      if (a[i * 4 + 3] > 0)
        assert.deepEqual([...b.subarray(i * 4, i * 4 + 3)], [...a.subarray(i * 4, i * 4 + 3)]);
    }
  });

  it('the read-out asks the host once per tile, then shows exactly the float map’s numbers', () => {
    const asked: Extract<FromWebview, { type: 'probe' }>[] = [];
    const tiles = new ProbeTiles((m) => asked.push(m), 64);
    const exact = (x: number, y: number) => tiles.valueAt(3, x, y);
    assert.equal(pixelReadout([levelLayer], 8, 0, new Map(), exact), 'x 8, y 0 · p …');
    assert.equal(pixelReadout([levelLayer], 9, 1, new Map(), exact), 'x 9, y 1 · p …');
    assert.deepEqual(asked, [{ type: 'probe', requestId: 3, x: 8, y: 0 }], 'one question for the tile');
    // The host's answers (src/vscode/viewer/viewerPanel.ts answers with probeTile over its float raster).
    const host = (x: number, y: number) => {
      const t = probeTile(3, exactLayer.raster, x, y);
      assert.ok(t);
      return tiles.receive(t);
    };
    assert.ok(host(8, 0));
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const want = pixelReadout([exactLayer], x, y);
        const got = pixelReadout([levelLayer], x, y, new Map(), exact);
        if (got.endsWith('…')) {
          assert.ok(host(x, y));
          assert.equal(pixelReadout([levelLayer], x, y, new Map(), exact), want);
        } else assert.equal(got, want);
      }
    // 130 × 70 in 64² tiles: 3 × 2 tiles, each asked for once.
    assert.equal(asked.length, 6);
  });

  it('tiles of an older load are ignored and forgotten', () => {
    const asked: unknown[] = [];
    const tiles = new ProbeTiles((m) => asked.push(m), 64);
    assert.equal(tiles.valueAt(1, 0, 0), undefined);
    const t = probeTile(1, exactLayer.raster, 0, 0);
    assert.ok(t);
    assert.equal(tiles.valueAt(2, 0, 0), undefined, 'load 2 asks again');
    assert.equal(tiles.receive(t), false, "load 1's tile is not load 2's");
    assert.equal(tiles.valueAt(2, 0, 0), undefined);
    assert.equal(asked.length, 2);
  });
});
