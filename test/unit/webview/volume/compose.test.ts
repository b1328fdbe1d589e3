// The volume panel's pixel work: window/level to grey, the TP/FP/FN colours of the 2-D viewer blended at the
// overlay's opacity, class colours, per-slice Dice by hand, and the physical-aspect placement of a slice.
import assert from 'node:assert/strict';
import { ERROR_COLOURS } from '../../../../src/core/viewmodel/errorMap';
import { greyLevels, quantiseImage } from '../../../../src/protocol/volumePixels';
import { composeSlice, placeSlice, sliceDice } from '../../../../webview/volume/compose';
import { formatMetric, formatVolume } from '../../../../webview/volume/format';

/** An image as the page gets it: levels over [min, max] and the grey table of the window [low, high]. */
function windowed(values: number[], low: number, high: number, min = low, max = high) {
  return { image: quantiseImage(values, min, max), grey: greyLevels(min, max, low, high) };
}

const base = {
  width: 4,
  height: 1,
  opacity: 1,
  numClasses: 3,
  classColours: [
    [0, 0, 0],
    [10, 20, 30],
    [200, 100, 50],
  ] as [number, number, number][],
};

describe('volume panel pixels (webview/volume/compose)', () => {
  it('window/level: low → black, high → white, linear between, NaN black', () => {
    const out = composeSlice(
      { ...base, ...windowed([-5, 50, 300, NaN], 0, 255, -5, 300), mode: 'none' },
      new Uint8ClampedArray(16),
    );
    assert.deepEqual([...out], [0, 0, 0, 255, 50, 50, 50, 255, 255, 255, 255, 255, 0, 0, 0, 255]);
  });

  it('error map: TP / FP / FN / wrong class in the 2-D viewer colours, ignore label never coloured', () => {
    const gt = Uint16Array.from([1, 0, 2, 255]);
    const pred = Uint16Array.from([1, 2, 0, 1]);
    const out = composeSlice({ ...base, gt, pred, mode: 'errors' }, new Uint8ClampedArray(16));
    // No image: black under the colours; alpha = colour alpha × opacity 1.
    const blend = (code: number) =>
      ERROR_COLOURS[code].slice(0, 3).map((c) => Math.round((c * ERROR_COLOURS[code][3]) / 255));
    assert.deepEqual([...out.slice(0, 3)], blend(1));
    assert.deepEqual([...out.slice(4, 7)], blend(2));
    assert.deepEqual([...out.slice(8, 11)], blend(3));
    assert.deepEqual([...out.slice(12, 15)], [0, 0, 0]);
  });

  it('class colours of the ground truth at half opacity over grey', () => {
    const out = composeSlice(
      {
        ...base,
        width: 2,
        ...windowed([100, 100], 0, 100),
        gt: Uint16Array.from([2, 0]),
        mode: 'gt',
        opacity: 0.5,
      },
      new Uint8ClampedArray(8),
    );
    assert.deepEqual(
      [...out], // 227.5, 177.5, 152.5 round half to even (Uint8ClampedArray).
      [228, 178, 152, 255, 255, 255, 255, 255],
    );
    assert.throws(() => composeSlice({ ...base, mode: 'none' }, new Uint8ClampedArray(3)), /needs 16/);
  });

  it('heatmap: the colour map at alpha p × opacity, transparent where p = 0', () => {
    const lut = new Uint8Array(256 * 3);
    lut.set([200, 100, 0], 255 * 3);
    lut.set([0, 50, 250], 51 * 3);
    const out = composeSlice(
      {
        ...base,
        width: 3,
        ...windowed([100, 100, 100], 0, 100),
        heat: Uint8Array.from([0, 255, 51]),
        heatLut: lut,
        mode: 'prob',
      },
      new Uint8ClampedArray(12),
    );
    // p = 1: the colour itself; p = 0.2: 80 % white + 20 % colour.
    assert.deepEqual([...out], [255, 255, 255, 255, 200, 100, 0, 255, 204, 214, 254, 255]);
  });

  it('slice Dice per class by hand; NaN when a class is in neither', () => {
    const gt = Uint16Array.from([1, 1, 0, 0, 255]);
    const pred = Uint16Array.from([1, 0, 1, 0, 1]);
    // class 1: tp 1, |gt| 2, |pred| 2 (the ignored voxel is left out) → 0.5; class 2 absent → NaN.
    const d = sliceDice(gt, pred, 3);
    assert.equal(d[0], 0.5);
    assert.ok(Number.isNaN(d[1]));
  });

  it('placement keeps the physical aspect: 0.8 × 2.5 mm voxels are drawn 3.125× taller than wide', () => {
    const p = placeSlice(
      { width: 400, height: 300 },
      { width: 24, height: 16, pixelWidth: 0.8, pixelHeight: 2.5 },
      1,
      { u: 0, v: 0 },
    );
    assert.ok(Math.abs(p.scaleY / p.scaleX - 2.5 / 0.8) < 1e-12);
    // 24·0.8 = 19.2 mm wide, 16·2.5 = 40 mm tall: height-limited, centred horizontally.
    assert.ok(Math.abs(16 * p.scaleY - 300) < 1e-9);
    assert.ok(Math.abs(p.x - (400 - 24 * p.scaleX) / 2) < 1e-9);
    assert.equal(p.y, 0);
    // Zoom 4 around voxel (20, 2): the crosshair stays in view, the slice's edge never leaves a gap.
    const z = placeSlice(
      { width: 400, height: 300 },
      { width: 24, height: 16, pixelWidth: 0.8, pixelHeight: 2.5 },
      4,
      { u: 20, v: 2 },
    );
    const cy = z.y + 2.5 * z.scaleY;
    assert.ok(z.y <= 0 && cy >= 0 && cy <= 300);
    assert.ok(Math.abs(z.scaleX / p.scaleX - 4) < 1e-12);
  });

  it('numbers: n/a, ∞, ml', () => {
    assert.equal(formatMetric(NaN), 'n/a');
    assert.equal(formatMetric(Infinity), '∞');
    assert.equal(formatMetric(0.55012, 3), '0.550');
    assert.equal(formatVolume(1432.2), '1.43');
    assert.equal(formatVolume(123456), '123');
    assert.equal(formatVolume(0), '0');
  });
});
