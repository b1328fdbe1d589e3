import assert from 'node:assert/strict';
import {
  CLASS_PALETTE,
  VIRIDIS_STOPS,
  colourMapLut,
  buildLut,
  classColour,
  defaultClassColour,
  hslToRgb,
  isColourful,
} from '../../../webview/colors';
import {
  displayWindow,
  imageToRgba,
  labelsToRgba,
  percentileWindow,
  probToRgba,
  rasterProblem,
} from '../../../webview/render';
import type { PixelDtype, RasterPayload } from '../../../src/protocol';

/** Parses an ASCII-art label map: one character per pixel, '.' = 0, digits = classes. */
function ascii(art: string): { raster: RasterPayload; classes: number[] } {
  const rows = art
    .trim()
    .split('\n')
    .map((r) => r.trim());
  const h = rows.length;
  const w = rows[0].length;
  const data = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (data[y * w + x] = c === '.' ? 0 : Number(c))));
  const classes = [...new Set(data)].sort((a, b) => a - b);
  return { raster: { width: w, height: h, channels: 1, dtype: 'uint8', pixels: data.buffer }, classes };
}

/** Renders which pixels are opaque as ASCII art ('#' drawn, '.' transparent). */
function opaque(out: Uint8ClampedArray, w: number): string {
  const rows: string[] = [];
  for (let i = 0; i < out.length / 4; i += w) {
    let row = '';
    for (let x = 0; x < w; x++) row += out[(i + x) * 4 + 3] ? '#' : '.';
    rows.push(row);
  }
  return rows.join('\n');
}

function raster(dtype: PixelDtype, channels: 1 | 2 | 3 | 4, values: number[], width: number): RasterPayload {
  const T = { uint8: Uint8Array, uint16: Uint16Array, int32: Int32Array, float32: Float32Array }[dtype];
  const data = new T(values);
  return {
    width,
    height: values.length / channels / width,
    channels,
    dtype,
    pixels: data.buffer as ArrayBuffer,
  };
}

describe('webview: colours', () => {
  it('label 0 is transparent and classes 1…20 get the fixed, pairwise distinct palette', () => {
    const lut = buildLut([0, 1, 2, 20], undefined, 21);
    assert.deepEqual([...lut.subarray(0, 4)], [0, 0, 0, 0]);
    assert.deepEqual([...lut.subarray(4, 8)], [...CLASS_PALETTE[0], 255]);
    assert.deepEqual([...lut.subarray(80, 84)], [...CLASS_PALETTE[19], 255]);
    assert.deepEqual([...lut.subarray(12, 16)], [0, 0, 0, 0], 'class 3 is absent, so transparent');
    const keys = new Set(CLASS_PALETTE.map((c) => c.join(',')));
    assert.equal(keys.size, 20);
  });

  it('classes above 20 get stable golden-angle colours', () => {
    assert.deepEqual(defaultClassColour(21), defaultClassColour(21));
    assert.notDeepEqual(defaultClassColour(21), defaultClassColour(22));
    assert.deepEqual(hslToRgb(0, 1, 0.5), [255, 0, 0]);
    assert.deepEqual(hslToRgb(120, 1, 0.5), [0, 255, 0]);
    assert.deepEqual(hslToRgb(240, 1, 0.5), [0, 0, 255]);
    assert.deepEqual(hslToRgb(0, 0, 1), [255, 255, 255]);
  });

  it("uses a mask file's palette when it is colourful, not when it is a grey ramp", () => {
    const voc = [
      [0, 0, 0],
      [128, 0, 0],
      [0, 128, 0],
    ] as const;
    assert.equal(isColourful(voc as never, [0, 1, 2]), true);
    assert.deepEqual(classColour(1, voc as never, true), [128, 0, 0]);
    const grey = Array.from({ length: 256 }, (_, i) => [i, i, i] as const);
    assert.equal(isColourful(grey as never, [0, 1, 2]), false);
    assert.deepEqual([...buildLut([0, 1], grey as never, 2).subarray(4, 8)], [...CLASS_PALETTE[0], 255]);
    assert.equal(
      isColourful(voc as never, [0, 7]),
      false,
      'a class outside the palette falls back to defaults',
    );
  });
});

describe('webview: imageToRgba', () => {
  it('8-bit data shown as stored: the samples themselves, grey replicated, alpha kept (1–4 channels)', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (const c of [1, 2, 3, 4] as const) {
      const n = 37;
      const data = Array.from({ length: n * c }, next);
      const out = new Uint8ClampedArray(n * 4);
      imageToRgba(raster('uint8', c, data, n), { min: 0, max: 255 }, out);
      // By hand: pixel i is (g, g, g, 255) for grey, (g, g, g, a) grey+alpha, (r, g, b, 255), (r, g, b, a).
      const expected: number[] = [];
      for (let i = 0; i < n; i++) {
        const px = data.slice(i * c, i * c + c);
        if (c === 1) expected.push(px[0], px[0], px[0], 255);
        else if (c === 2) expected.push(px[0], px[0], px[0], px[1]);
        else if (c === 3) expected.push(px[0], px[1], px[2], 255);
        else expected.push(...px);
      }
      assert.deepEqual([...out], expected, `${c} channel(s)`);
    }
  });

  it('shows 8-bit data as stored and replicates grey', () => {
    const out = new Uint8ClampedArray(8);
    imageToRgba(raster('uint8', 1, [0, 200], 2), { min: 0, max: 200 }, out);
    assert.deepEqual([...out], [0, 0, 0, 255, 200, 200, 200, 255]);
  });

  it('stretches 16-bit data over its range', () => {
    const out = new Uint8ClampedArray(12);
    imageToRgba(raster('uint16', 1, [1000, 2000, 3000], 3), { min: 1000, max: 3000 }, out);
    assert.deepEqual(
      [0, 4, 8].map((i) => out[i]),
      [0, 128, 255],
    );
  });

  it('draws NaN transparent and handles a constant float image', () => {
    const out = new Uint8ClampedArray(8);
    imageToRgba(raster('float32', 1, [NaN, 0.5], 2), { min: 0.5, max: 0.5 }, out);
    assert.equal(out[3], 0);
    assert.deepEqual([...out.subarray(4)], [128, 128, 128, 255]);
    assert.deepEqual(displayWindow('float32', { min: NaN, max: NaN }), { lo: 0, hi: 1 });
  });

  it('keeps RGB and scales 16-bit alpha', () => {
    const out = new Uint8ClampedArray(4);
    imageToRgba(raster('uint8', 3, [10, 20, 30], 1), { min: 10, max: 30 }, out);
    assert.deepEqual([...out], [10, 20, 30, 255]);
    const ga = new Uint8ClampedArray(4);
    imageToRgba(raster('uint16', 2, [65535, 32768], 1), { min: 0, max: 65535 }, ga);
    assert.deepEqual([...ga], [255, 255, 255, 128]);
  });
});

describe('webview: labelsToRgba on ASCII-art masks', () => {
  const art = `
    ........
    .1111...
    .1111.22
    .1111.22
    ........`;

  it('fill paints every labelled pixel in its class colour, background transparent', () => {
    const { raster: r, classes } = ascii(art);
    const out = new Uint8ClampedArray(8 * 5 * 4);
    labelsToRgba(r, classes, undefined, 'fill', out);
    assert.equal(opaque(out, 8), ['........', '.####...', '.####.##', '.####.##', '........'].join('\n'));
    const at = (x: number, y: number) => [...out.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 3)];
    assert.deepEqual(at(1, 1), [...CLASS_PALETTE[0]]);
    assert.deepEqual(at(7, 2), [...CLASS_PALETTE[1]]);
  });

  it('contour keeps only pixels on a region boundary (4-neighbourhood, image border counts)', () => {
    const { raster: r, classes } = ascii(art);
    const out = new Uint8ClampedArray(8 * 5 * 4);
    labelsToRgba(r, classes, undefined, 'contour', out);
    assert.equal(opaque(out, 8), ['........', '.####...', '.#..#.##', '.####.##', '........'].join('\n'));
  });

  it('hidden classes are transparent', () => {
    const { raster: r, classes } = ascii(art);
    const out = new Uint8ClampedArray(8 * 5 * 4);
    labelsToRgba(r, classes, undefined, 'fill', out, new Set([1]));
    assert.equal(opaque(out, 8), ['........', '........', '......##', '......##', '........'].join('\n'));
  });

  it('works for uint16 and int32 labels', () => {
    for (const dtype of ['uint16', 'int32'] as const) {
      const r = raster(dtype, 1, [0, 300, 300, 0], 2);
      const out = new Uint8ClampedArray(16);
      labelsToRgba(r, [0, 300], undefined, 'fill', out);
      assert.deepEqual([out[3], out[7], out[11], out[15]], [0, 255, 255, 0]);
    }
  });
});

describe('webview: rasterProblem', () => {
  it('accepts a sound raster and names what is wrong with a broken one', () => {
    assert.equal(rasterProblem(raster('uint16', 1, [1, 2], 2)), undefined);
    assert.match(
      rasterProblem({ width: 2, height: 2, channels: 1, dtype: 'uint16', pixels: new ArrayBuffer(6) }) ?? '',
      /6 bytes, expected 8/,
    );
    assert.match(
      rasterProblem({ width: 0, height: 2, channels: 1, dtype: 'uint8', pixels: new ArrayBuffer(0) }) ?? '',
      /invalid raster size/,
    );
    assert.match(
      rasterProblem({ width: 1, height: 1, channels: 1, dtype: 'uint8', pixels: [1] as never }) ?? '',
      /not an ArrayBuffer/,
    );
  });
});

describe('webview: probability heatmap', () => {
  it('the colour map hits its stops exactly and interpolates between them', () => {
    const lut = colourMapLut();
    assert.deepEqual([...lut.subarray(0, 3)], [...VIRIDIS_STOPS[0]]);
    assert.deepEqual([...lut.subarray(255 * 3, 256 * 3)], [...VIRIDIS_STOPS[8]]);
    // 127.5/255 is the middle stop; index 127 and 128 straddle it.
    const mid = VIRIDIS_STOPS[4];
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(lut[128 * 3 + c] - mid[c]) <= 3);
    const two = colourMapLut([
      [0, 0, 0],
      [255, 255, 255],
    ]);
    for (let i = 0; i < 256; i++) assert.equal(two[i * 3], i);
  });

  it('alpha equals the probability, colour comes from the map, NaN and out-of-range are handled', () => {
    const lut = colourMapLut();
    const out = new Uint8ClampedArray(5 * 4);
    probToRgba(raster('float32', 1, [0, 1, 0.5, NaN, 7], 5), lut, out);
    assert.deepEqual([out[3], out[7], out[11], out[15], out[19]], [0, 255, 128, 0, 255]);
    assert.deepEqual([...out.subarray(4, 7)], [...VIRIDIS_STOPS[8]]);
  });
});

describe('webview: labels-file colours', () => {
  it('override the file palette and the defaults, only for the classes they name', () => {
    const voc = [
      [0, 0, 0],
      [128, 0, 0],
      [0, 128, 0],
    ] as const;
    const overrides = new Map([[2, [1, 2, 3] as const]]);
    const lut = buildLut([0, 1, 2], voc as never, 3, overrides as never);
    assert.deepEqual([...lut.subarray(4, 8)], [128, 0, 0, 255]);
    assert.deepEqual([...lut.subarray(8, 12)], [1, 2, 3, 255]);
    assert.deepEqual(classColour(7, undefined, false, overrides as never), defaultClassColour(7));
  });
});

describe('webview: robust contrast window', () => {
  it('percentiles of 16-bit data are exact (histogram), ignoring alpha', () => {
    // 100 samples 0..99 plus one outlier (101 in all): the 1st percentile is the ceil(0.01·101) = 2nd smallest
    // value, 1; the 99th is the ceil(0.99·101) = 100th, 99. The outlier 60000 is outside the window.
    const values = [...Array.from({ length: 100 }, (_, i) => i), 60000];
    assert.deepEqual(percentileWindow(raster('uint16', 1, values, 101)), { lo: 1, hi: 99 });
    // Grey+alpha: the alpha channel (all 65535) does not count.
    const ga = values.flatMap((v) => [v, 65535]);
    assert.deepEqual(percentileWindow(raster('uint16', 2, ga, 101)), { lo: 1, hi: 99 });
  });

  it('float percentiles skip NaN and ±∞, and agree with a brute-force sort', () => {
    const values = [5, NaN, -3, Infinity, 2, 2, 9, 1, 0.5, 7];
    const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
    const brute = (q: number) => finite[Math.ceil(q * finite.length) - 1];
    assert.deepEqual(percentileWindow(raster('float32', 1, values, 10), 0.25, 0.75), {
      lo: brute(0.25),
      hi: brute(0.75),
    });
    assert.deepEqual(percentileWindow(raster('float32', 1, [NaN, NaN], 2)), { lo: 0, hi: 1 });
  });

  it('imageToRgba maps a given window to 0…255 and clamps outside it', () => {
    const out = new Uint8ClampedArray(12);
    imageToRgba(raster('uint16', 1, [0, 256, 60000], 3), { min: 0, max: 60000 }, out, { lo: 0, hi: 510 });
    assert.deepEqual([out[0], out[4], out[8]], [0, 128, 255]);
    const flat = new Uint8ClampedArray(4);
    imageToRgba(raster('uint8', 1, [7], 1), { min: 7, max: 7 }, flat, { lo: 7, hi: 7 });
    assert.equal(flat[0], 128, 'an empty window is widened instead of dividing by zero');
  });
});
