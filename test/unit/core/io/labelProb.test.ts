/** Label-map normalisation, probability layout detection and logits handling (hand-built arrays). */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { NDArray } from '../../../../src/core/ndarray';
import { normaliseLabelMap } from '../../../../src/core/io/labelMap';
import { decodePngImage } from '../../../../src/core/io/png';
import {
  detectProbLayout,
  detectValueKind,
  logitsToProbabilities,
  toProbMap,
} from '../../../../src/core/io/probMap';
import { loadLabelMap, loadProbMap } from '../../../../src/core/io/load';
import { writeNpy } from '../../../../src/core/io/npy';
import { parsePalette } from '../../../../src/core/io/palette';
import { encode } from 'fast-png';
import { repoPath } from '../../../support/repo';

type Kind = 'uint8' | 'float32' | 'int32';
const CTOR = { uint8: Uint8Array, float32: Float32Array, int32: Int32Array };
const arr = (data: ArrayLike<number>, shape: number[], dtype: Kind = 'uint8'): NDArray => ({
  dtype,
  shape,
  data: CTOR[dtype].from(data),
});
const IO = repoPath('test/fixtures/io');

describe('io/labelMap', () => {
  it('maps a 0/255 mask to 0/1 and keeps 255 as ignore next to other labels', () => {
    const bin = normaliseLabelMap(arr([0, 255, 255, 0], [2, 2]));
    assert.deepEqual(Array.from(bin.data), [0, 1, 1, 0]);
    assert.equal(bin.ignoreIndex, undefined);
    const multi = normaliseLabelMap(arr([0, 1, 2, 255], [2, 2]));
    assert.deepEqual(Array.from(multi.data), [0, 1, 2, 255]);
    assert.equal(multi.ignoreIndex, 255);
    const forced = normaliseLabelMap(arr([0, 255, 0, 0], [2, 2]), { binary255: false });
    assert.deepEqual(Array.from(forced.data), [0, 255, 0, 0]);
  });
  it('maps RGB colours through a palette and names an unknown colour', () => {
    const rgb = arr([0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 0, 0], [2, 2, 3]);
    const palette = [
      [0, 0, 0],
      [255, 0, 0],
      [0, 255, 0],
    ];
    assert.deepEqual(Array.from(normaliseLabelMap(rgb, { palette }).data), [0, 1, 2, 1]);
    assert.throws(
      () => normaliseLabelMap(rgb, { source: 'm.png' }),
      /m\.png: colour mask \(RGB\) needs a palette/,
    );
    assert.throws(
      () => normaliseLabelMap(rgb, { palette: palette.slice(0, 2) }),
      /colour \(0, 255, 0\) at row 1, column 0/,
    );
    // Grey stored as RGB needs no palette.
    const grey = arr([3, 3, 3, 0, 0, 0], [1, 2, 3]);
    assert.deepEqual(Array.from(normaliseLabelMap(grey).data), [3, 0]);
  });
  it('keeps palette PNG indices (not colours) and reads 16-bit labels into Uint16', () => {
    const png = decodePngImage(new Uint8Array(readFileSync(join(IO, 'palette.png'))));
    const m = normaliseLabelMap(png);
    assert.deepEqual(Array.from(m.data), Array.from(png.data));
    assert.ok(Math.max(...m.data) <= 3);
    const g16 = normaliseLabelMap(decodePngImage(new Uint8Array(readFileSync(join(IO, 'grey16.png')))));
    assert.ok(g16.data instanceof Uint16Array);
  });
  it('refuses fractional floats, negative labels and odd shapes', () => {
    assert.throws(() => normaliseLabelMap(arr([0, 0.5], [1, 2], 'float32')), /not a whole number/);
    assert.deepEqual(Array.from(normaliseLabelMap(arr([0, 2], [1, 2], 'float32')).data), [0, 2]);
    assert.throws(() => normaliseLabelMap(arr([0, -1], [1, 2], 'int32')), /negative label -1/);
    assert.throws(() => normaliseLabelMap(arr([0, 0], [1, 1, 1, 2])), InputError);
  });
  it('loads masks by magic bytes (PNG and NPY)', () => {
    const fromNpy = loadLabelMap(writeNpy(arr([0, 255, 0, 255], [2, 2])), { source: 'm.npy' });
    assert.deepEqual(Array.from(fromNpy.data), [0, 1, 0, 1]);
    assert.throws(
      () => loadLabelMap(new Uint8Array([1, 2, 3]), { source: 'x.jpg' }),
      /x\.jpg: unsupported file format/,
    );
  });
});

describe('io/probMap', () => {
  it('detects the layouts and honours an override', () => {
    assert.equal(detectProbLayout([64, 48]).layout, 'HW');
    assert.equal(detectProbLayout([3, 64, 48]).layout, 'CHW');
    assert.equal(detectProbLayout([64, 48, 3]).layout, 'HWC');
    assert.equal(detectProbLayout([1, 4, 64, 48]).layout, 'NCHW');
    assert.equal(detectProbLayout([1, 64, 48, 4]).layout, 'NHWC');
    assert.equal(detectProbLayout([4, 4, 64], { numClasses: 4 }).reason, 'numClasses');
    assert.throws(() => detectProbLayout([4, 64, 4], { numClasses: 4 }), /ambiguous/);
    assert.throws(() => detectProbLayout([100, 100, 100]), /cannot tell the channel axis/);
    assert.equal(detectProbLayout([4, 64, 4], { override: 'HWC' }).channels, 4);
    assert.throws(() => detectProbLayout([2, 3, 64, 48]), /batch of 2/);
    assert.throws(() => detectProbLayout([64, 48], { override: 'CHW' }), /does not fit/);
  });
  it('matches the label map shape when it is known (2-D and 3-D), and names a mismatch', () => {
    assert.equal(detectProbLayout([3, 64, 48], { spatial: [64, 48] }).layout, 'CHW');
    assert.equal(detectProbLayout([64, 48, 3], { spatial: [64, 48] }).layout, 'HWC');
    assert.equal(detectProbLayout([100, 100, 100], { spatial: [100, 100, 100] }).layout, 'HW');
    const vol = detectProbLayout([1, 4, 10, 20, 30], { spatial: [10, 20, 30], numClasses: 4 });
    assert.deepEqual([vol.layout, vol.channels, vol.spatial], ['NCHW', 4, [10, 20, 30]]);
    assert.equal(
      detectProbLayout([4, 4, 4], { spatial: [4, 4], numClasses: 4, override: 'HWC' }).layout,
      'HWC',
    );
    assert.throws(() => detectProbLayout([4, 4, 4], { spatial: [4, 4] }), /ambiguous \(CHW or HWC\)/);
    assert.equal(detectProbLayout([4, 64, 4], { spatial: [64, 4] }).layout, 'CHW');
    assert.throws(
      () => detectProbLayout([3, 64, 48], { spatial: [48, 64], source: 'p.npy' }),
      /p\.npy: shape \[3, 64, 48\] does not fit the label map's \[48, 64\]/,
    );
    // [D, H, W, C] channels-last volume to channel-first.
    const a = arr([0.1, 0.9, 0.2, 0.8], [1, 2, 1, 2], 'float32');
    const p = toProbMap(a, detectProbLayout(a.shape, { spatial: [1, 2, 1], numClasses: 2 }));
    assert.deepEqual(p.shape, [2, 1, 2, 1]);
    assert.deepEqual(Array.from(p.data), Array.from(new Float32Array([0.1, 0.2, 0.9, 0.8])));
  });
  it('transposes [H,W,C] to channel-first', () => {
    const a = arr([0.1, 0.9, 0.2, 0.8, 0.3, 0.7], [1, 3, 2], 'float32');
    const p = toProbMap(a, detectProbLayout(a.shape, { override: 'HWC' }));
    assert.deepEqual(p.shape, [2, 1, 3]);
    assert.deepEqual(Array.from(p.data), Array.from(new Float32Array([0.1, 0.2, 0.3, 0.9, 0.8, 0.7])));
  });
  it('detects logits and converts them only when asked', () => {
    assert.equal(detectValueKind([0, 0.5, 1]).kind, 'probabilities');
    assert.equal(detectValueKind([-2, 3]).kind, 'logits');
    assert.equal(detectValueKind([0, NaN]).kind, 'invalid');
    const npy = writeNpy(arr([-2, 0, 2, 4], [2, 2], 'float32'));
    assert.throws(() => loadProbMap(npy, { source: 'l.npy' }), /l\.npy: values range over \[-2, 4\].*logits/);
    const sig = loadProbMap(npy, { source: 'l.npy', logits: 'sigmoid' });
    assert.ok(Math.abs(sig.data[0] - 1 / (1 + Math.exp(2))) < 1e-7);
    const sm = logitsToProbabilities(
      { data: new Float32Array([1000, 0, 0, 1000]), shape: [2, 1, 2] },
      'softmax',
    );
    assert.deepEqual(Array.from(sm.data), [1, 0, 0, 1]);
    assert.throws(
      () => loadProbMap(writeNpy(arr([0, 1], [1, 2])), { source: 'u.npy' }),
      /must be a float array/,
    );
  });
});

describe('io/palette', () => {
  it('parses triples, hex strings and labels.json; leaves out classes without a colour', () => {
    assert.deepEqual(
      parsePalette([
        [0, 0, 0],
        [255, 0, 0],
      ]),
      [
        [0, 0, 0],
        [255, 0, 0],
      ],
    );
    assert.deepEqual(parsePalette(['#000000', '00ff00']), [
      [0, 0, 0],
      [0, 255, 0],
    ]);
    const labels = parsePalette({
      classes: [
        { index: 0, name: 'background' },
        { index: 2, color: '#4363d8' },
        { index: 1, color: [1, 2, 3] },
      ],
    });
    assert.deepEqual(labels, [undefined, [1, 2, 3], [0x43, 0x63, 0xd8]]);
  });
  it('refuses bad colours, duplicates and unknown forms, naming the file', () => {
    assert.throws(
      () => parsePalette(['#12345'], 'p.json'),
      /p\.json: entry 0: '#12345' is not a #rrggbb colour/,
    );
    assert.throws(
      () => parsePalette([[0, 0, 0], '#000000'], 'p.json'),
      /classes 0 and 1 have the same colour/,
    );
    assert.throws(() => parsePalette({ colours: [] }, 'p.json'), /p\.json: a palette is/);
    assert.throws(() => parsePalette([[0, 0, 256]], 'p.json'), /integers 0–255/);
  });
  it('maps an RGB PNG mask through a labels.json palette; a colour of a class without one is an error', () => {
    const png = encode({
      width: 2,
      height: 1,
      data: Uint8Array.from([0, 0, 0, 0x43, 0x63, 0xd8]),
      channels: 3,
      depth: 8,
    });
    const palette = parsePalette({
      classes: [
        { index: 0, color: '#000000' },
        { index: 1, color: '#4363d8' },
      ],
    });
    assert.deepEqual(Array.from(loadLabelMap(png, { source: 'm.png', palette }).data), [0, 1]);
    const noBackground = parsePalette({ classes: [{ index: 1, color: '#4363d8' }] });
    assert.throws(
      () => loadLabelMap(png, { source: 'm.png', palette: noBackground }),
      /colour \(0, 0, 0\) at row 0, column 0/,
    );
  });
});
