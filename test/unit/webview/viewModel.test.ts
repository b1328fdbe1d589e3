import assert from 'node:assert/strict';
import { asToWebview, sanitizeSample } from '../../../webview/incoming';
import {
  describeLayer,
  drawScale,
  formatValue,
  initialModel,
  persistedState,
  pixelReadout,
  classNames,
  colourOverrides,
  reduce,
  toggleRole,
  toggleClass,
  isClassVisible,
  withView,
  zoomStep,
  isOtherSample,
} from '../../../webview/viewModel';
import { Layer, PROTOCOL_VERSION, ToWebview } from '../../../src/protocol';

function layer(role: 'image' | 'gt', extra: Partial<Layer> = {}): Layer {
  return {
    role,
    name: role === 'gt' ? 'a_mask.png' : 'a.png',
    uri: `file:///d/${role}.png`,
    format: 'png',
    sourceDtype: 'uint16',
    range: { min: 3, max: 4095 },
    raster: { width: 4, height: 2, channels: 1, dtype: 'uint16', pixels: new ArrayBuffer(16) },
    ...extra,
  };
}

const sample = (requestId: number, layers = [layer('image')]): Extract<ToWebview, { type: 'sample' }> => ({
  type: 'sample',
  requestId,
  sample: { image: 'file:///d/image.png' },
  layers,
  notes: ['n'],
});

describe('webview: view model', () => {
  it('goes loading → shown and keeps the sample URIs for persistence (never pixels)', () => {
    let m = initialModel();
    m = reduce(m, { type: 'loading', requestId: 1, label: 'Loading a.png…' });
    assert.equal(m.status, 'loading');
    m = reduce(m, sample(1));
    assert.equal(m.status, 'shown');
    const s = persistedState(m);
    assert.deepEqual(s, {
      version: PROTOCOL_VERSION,
      sample: { image: 'file:///d/image.png' },
      view: m.view,
    });
    assert.doesNotMatch(JSON.stringify(s), /pixels|raster/);
  });

  it('a large image: its preview stands in for it until the image completes the sample; never read as the image', () => {
    const preview = layer('image', {
      raster: { width: 2, height: 1, channels: 1, dtype: 'uint16', pixels: new ArrayBuffer(4) },
      previewOf: { width: 4, height: 2 },
    });
    let m = reduce(initialModel(), { type: 'loading', requestId: 3, label: '' });
    m = reduce(m, sample(3, [preview, layer('gt')]));
    assert.equal(m.status, 'shown');
    assert.equal(m.preview, preview);
    assert.deepEqual(
      m.layers.map((l) => l.role),
      ['gt'],
      'the preview is not a layer: the read-out and the info never take its samples for the image’s',
    );
    // A late image of an older load completes nothing.
    assert.equal(reduce(m, { ...sample(2, [layer('image')]), completes: true }), m);
    const full = layer('image');
    m = reduce(m, { ...sample(3, [full]), completes: true });
    assert.equal(m.preview, undefined);
    assert.deepEqual(
      m.layers.map((l) => l.role),
      ['image', 'gt'],
      'the image first: the base the others are drawn over',
    );
    assert.equal(m.layers[0], full);
    // A newer load that failed (status loading, then problems) leaves no preview behind.
    let n = reduce(initialModel(), { type: 'loading', requestId: 1, label: '' });
    n = reduce(n, sample(1, [preview]));
    n = reduce(n, { type: 'loading', requestId: 2, label: '' });
    n = reduce(n, { type: 'problems', requestId: 2, problems: [{ severity: 'error', message: 'x' }] });
    assert.deepEqual([n.status, n.preview, n.layers.length], ['empty', undefined, 0]);
    // A completing message for a load that is not shown yet (still loading) is ignored.
    const loading = reduce(initialModel(), { type: 'loading', requestId: 5, label: '' });
    assert.equal(reduce(loading, { ...sample(5, [full]), completes: true }), loading);
  });

  it('ignores results of an older load that arrive late', () => {
    let m = reduce(initialModel(), { type: 'loading', requestId: 2, label: '' });
    const stale = reduce(m, sample(1));
    assert.equal(stale, m);
    m = reduce(m, sample(2));
    assert.equal(
      reduce(m, { type: 'problems', requestId: 1, problems: [{ severity: 'error', message: 'old' }] }),
      m,
    );
  });

  it('a load that fails empties the panel and shows its problems; the next load clears them', () => {
    let m = reduce(initialModel(), sample(1));
    m = reduce(m, { type: 'loading', requestId: 2, label: '' });
    m = reduce(m, {
      type: 'problems',
      requestId: 2,
      problems: [{ severity: 'error', message: 'x: corrupt' }],
    });
    assert.equal(m.status, 'empty');
    assert.equal(m.layers.length, 0);
    assert.equal(m.problems.length, 1);
    m = reduce(m, { type: 'loading', requestId: 3, label: '' });
    assert.deepEqual(m.problems, []);
  });

  it('problems after a drawn sample (e.g. a mismatched mask) keep the picture', () => {
    let m = reduce(reduce(initialModel(), { type: 'loading', requestId: 1, label: '' }), sample(1));
    m = reduce(m, {
      type: 'problems',
      requestId: 1,
      problems: [{ severity: 'error', message: 'size mismatch' }],
    });
    assert.equal(m.status, 'shown');
    assert.equal(m.layers.length, 1);
    assert.equal(m.problems.length, 1);
  });

  it('view options: init, opacity, visibility', () => {
    let m = reduce(initialModel(), {
      type: 'init',
      version: 1,
      view: { opacity: 0.2, hidden: [], overlay: 'fill', zoom: 'fit' },
    });
    assert.equal(m.view.opacity, 0.2);
    m = toggleRole(m, 'gt', false);
    assert.deepEqual(m.view.hidden, ['gt']);
    m = toggleRole(toggleRole(m, 'gt', false), 'gt', true);
    assert.deepEqual(m.view.hidden, []);
    assert.equal(withView(m, { zoom: 2 }).view.zoom, 2);
    m = toggleClass(toggleClass(toggleClass(m, 5), 2), 9);
    assert.deepEqual(m.view.hiddenClasses, [2, 5, 9]);
    m = toggleClass(m, 5);
    assert.deepEqual(m.view.hiddenClasses, [2, 9]);
    assert.equal(isClassVisible(m, 5), true);
    assert.equal(isClassVisible(m, 2), false);
  });

  it('describes layers with name, size, dtype and range or labels', () => {
    assert.equal(describeLayer(layer('image')), 'a.png · 4×2 · grey uint16 · range 3…4095');
    const gt = layer('gt', { classes: [0, 1, 2, 5], sourceDtype: 'uint8 palette' });
    assert.equal(describeLayer(gt), 'a_mask.png · 4×2 · uint8 palette · 4 labels (0, 1, 2, 5)');
    const f = layer('image', { sourceDtype: 'float32', range: { min: -0.123456, max: 1e-5 } });
    assert.equal(describeLayer(f), 'a.png · 4×2 · grey float32 · range -0.1235…1.000e-5');
    assert.equal(
      describeLayer(layer('image', { range: { min: NaN, max: NaN } })),
      'a.png · 4×2 · grey uint16 · no finite values',
    );
    assert.equal(formatValue(Infinity), '∞');
    const prob = {
      ...layer('image', { sourceDtype: 'probabilities [2, 2, 4]', range: { min: 0.05, max: 1 } }),
      role: 'prob' as const,
    };
    assert.equal(describeLayer(prob), 'a.png · 4×2 · probabilities [2, 2, 4] · range 0.05…1');
  });

  it('fit scale fills the stage, capped; zoom steps go by powers of two', () => {
    assert.equal(drawScale('fit', { width: 400, height: 200 }, { width: 800, height: 800 }), 2);
    assert.equal(drawScale('fit', { width: 4096, height: 4096 }, { width: 1024, height: 512 }), 0.125);
    assert.equal(drawScale('fit', { width: 2, height: 2 }, { width: 1000, height: 1000 }), 16);
    assert.equal(drawScale(3, { width: 1, height: 1 }, { width: 1, height: 1 }), 3);
    assert.equal(drawScale('fit', { width: 0, height: 0 }, { width: 10, height: 10 }), 1);
    assert.equal(zoomStep(1, 1), 2);
    assert.equal(zoomStep(1, -1), 0.5);
    assert.equal(zoomStep(0.3, 1), 0.5);
    assert.equal(zoomStep(0.3, -1), 0.25);
    assert.equal(zoomStep(64, 1), 64);
  });
});

describe('webview: incoming host messages', () => {
  it('ignores foreign messages', () => {
    assert.equal(asToWebview(null), undefined);
    assert.equal(asToWebview({ type: 'evil' }), undefined);
    assert.equal(asToWebview({ type: 'sample', layers: 'x' }), undefined);
    assert.ok(asToWebview({ type: 'init', version: 1, view: {} }));
  });
  it('turns layers with inconsistent buffers into problems instead of drawing them', () => {
    const broken = layer('gt', {
      raster: { width: 4, height: 2, channels: 1, dtype: 'uint8', pixels: new ArrayBuffer(3) },
    });
    const s = sanitizeSample(sample(1, [layer('image'), broken]) as Extract<ToWebview, { type: 'sample' }>);
    assert.deepEqual(
      s.msg.layers.map((l) => l.role),
      ['image'],
    );
    assert.match(s.problems[0].message, /a_mask\.png: pixel buffer has 3 bytes, expected 8/);
  });
});

describe('webview: hover read-out', () => {
  const rgb = layer('image', {
    raster: {
      width: 2,
      height: 1,
      channels: 3,
      dtype: 'uint8',
      pixels: new Uint8Array([1, 2, 3, 4, 5, 6]).buffer,
    },
  });
  const gt = layer('gt', {
    classes: [0, 7],
    raster: { width: 2, height: 1, channels: 1, dtype: 'uint8', pixels: new Uint8Array([0, 7]).buffer },
  });
  const prob = {
    ...layer('image', {
      raster: {
        width: 2,
        height: 1,
        channels: 1,
        dtype: 'float32',
        pixels: new Float32Array([0.12345, 0.9]).buffer,
      },
    }),
    role: 'prob' as const,
  };
  it('reads every layer at the pixel, in layer order', () => {
    assert.equal(pixelReadout([rgb, gt, prob], 1, 0), 'x 1, y 0 · value (4, 5, 6) · GT class 7 · p 0.9');
    assert.equal(pixelReadout([rgb, gt, prob], 0, 0), 'x 0, y 0 · value (1, 2, 3) · GT class 0 · p 0.123');
  });
  it('is empty outside the image', () => {
    assert.equal(pixelReadout([rgb], 2, 0), '');
    assert.equal(pixelReadout([rgb], -1, 0), '');
    assert.equal(pixelReadout([rgb], 0, 1), '');
  });
});

describe('webview: class labels', () => {
  const labels = [
    { index: 1, name: 'caudate', color: [67, 99, 216] as [number, number, number] },
    { index: 2, name: 'putamen' },
  ];
  it('a sample carries its labels; a later sample without labels clears them', () => {
    let m = reduce(initialModel(), {
      ...(sample(1) as Extract<ToWebview, { type: 'sample' }>),
      classLabels: labels,
    });
    assert.deepEqual(
      [...classNames(m)],
      [
        [1, 'caudate'],
        [2, 'putamen'],
      ],
    );
    assert.deepEqual([...colourOverrides(m)], [[1, [67, 99, 216]]]);
    m = reduce(m, sample(2));
    assert.equal(classNames(m).size, 0);
  });
  it('names classes in the hover read-out', () => {
    const gt = layer('gt', {
      raster: { width: 2, height: 1, channels: 1, dtype: 'uint8', pixels: new Uint8Array([0, 2]).buffer },
    });
    const names = classNames({ classLabels: labels });
    assert.equal(pixelReadout([gt], 1, 0, names), 'x 1, y 0 · GT class 2 putamen');
    assert.equal(pixelReadout([gt], 0, 0, names), 'x 0, y 0 · GT class 0');
  });
});

describe('webview: a new sample starts fitted', () => {
  it('another image is another sample; the same image again (a reload, another model) is not', () => {
    const a = { image: 'file:///d/images/a.png', gt: 'file:///d/masks/a.png' };
    assert.equal(isOtherSample(a, { ...a }), false);
    assert.equal(isOtherSample(a, { ...a, image: 'file:///d/images/b.png' }), true);
    // Another model's map (or mask) for the same image keeps the zoom: models are compared at the same place.
    assert.equal(isOtherSample(a, { ...a, prob: 'file:///d/probs/a.npy' }), false);
    assert.equal(isOtherSample({ prob: 'file:///p/a.npy' }, { prob: 'file:///p/b.npy' }), true);
    assert.equal(isOtherSample({}, a), true);
  });
});
