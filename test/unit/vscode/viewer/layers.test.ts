import assert from 'node:assert/strict';
import { checkSizes, pixelsBuffer, toLayer } from '../../../../src/vscode/viewer/layers';
import type { Raster } from '../../../../src/node/io/raster';

function raster(width: number, height: number, data = new Uint8Array(width * height)): Raster {
  return {
    width,
    height,
    channels: 1,
    dtype: 'uint8',
    data,
    format: 'png',
    sourceDtype: 'uint8',
    range: { min: 0, max: 0 },
    notes: [],
  };
}

describe('host/viewer: layers', () => {
  it('passes a whole buffer through without copying, and copies only the samples of a view', () => {
    const whole = new Uint16Array([1, 2, 3]);
    assert.equal(pixelsBuffer(whole), whole.buffer);
    const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const view = big.subarray(2, 5);
    const b = pixelsBuffer(view);
    assert.notEqual(b, big.buffer);
    assert.deepEqual([...new Uint8Array(b)], [1, 2, 3]);
  });

  it('builds a protocol layer with the raster header and metadata', () => {
    const l = toLayer(
      'gt',
      { ...raster(2, 1, new Uint8Array([0, 3])), classes: [0, 3] },
      'a.png',
      'file:///a.png',
    );
    assert.deepEqual(
      { ...l, raster: { ...l.raster, pixels: [...new Uint8Array(l.raster.pixels)] } },
      {
        role: 'gt',
        name: 'a.png',
        uri: 'file:///a.png',
        format: 'png',
        sourceDtype: 'uint8',
        range: { min: 0, max: 0 },
        classes: [0, 3],
        palette: undefined,
        raster: { width: 2, height: 1, channels: 1, dtype: 'uint8', pixels: [0, 3] },
      },
    );
  });

  it('drops an overlay whose size differs from the image, naming both files', () => {
    const { kept, problems } = checkSizes([
      { role: 'image', raster: raster(32, 24), label: 'images/a.png' },
      { role: 'gt', raster: raster(30, 20), label: 'masks/a.png' },
    ]);
    assert.deepEqual(
      kept.map((k) => k.role),
      ['image'],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].source, 'masks/a.png');
    assert.equal(
      problems[0].message,
      'masks/a.png: size mismatch: the ground-truth mask is 30×20 but the image images/a.png is 32×24; the overlay is not drawn.',
    );
  });

  it('keeps matching layers and handles empty input', () => {
    assert.equal(
      checkSizes([
        { role: 'image', raster: raster(3, 2), label: 'a' },
        { role: 'gt', raster: raster(3, 2), label: 'b' },
      ]).kept.length,
      2,
    );
    assert.deepEqual(checkSizes([]), { kept: [], problems: [] });
    // Transposed sizes are a mismatch too (a common H/W mix-up).
    assert.equal(
      checkSizes([
        { role: 'image', raster: raster(3, 2), label: 'a' },
        { role: 'gt', raster: raster(2, 3), label: 'b' },
      ]).problems.length,
      1,
    );
  });
});
