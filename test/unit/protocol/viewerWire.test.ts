// The viewer's messages on the wire: what the host packs (masks, large probability maps as heatmap levels, the
// analysis' label maps), that the webview gets back exactly the arrays the host had (levels for a large map), that
// nothing else changes, and that broken pixels become problems.
import * as assert from 'node:assert/strict';
import {
  type AnalysisEvent,
  type DecoderView,
  type Layer,
  type ToWebview,
  asToWebview,
  parseFromWebview,
} from '../../../src/protocol';
import { heatmapLevels, runToEnd } from '../../../src/protocol/viewerPixels';
import {
  EXACT_PROB_MAX_PIXELS,
  PROBE_TILE,
  type PackCache,
  WireReceiver,
  fromWire,
  probeTile,
  splitSteps,
  toWireSteps,
  wireBytes,
} from '../../../src/protocol/viewerWire';

const W = 300;
const H = 250; // 75,000 pixels: over EXACT_PROB_MAX_PIXELS

function layer(
  role: Layer['role'],
  dtype: Layer['raster']['dtype'],
  data: ArrayBufferView,
  channels = 1,
): Layer {
  return {
    role,
    name: `${role}.x`,
    uri: `file:///${role}.x`,
    format: 'npy',
    sourceDtype: dtype,
    range: { min: 0, max: 1 },
    raster: { width: W, height: H, channels: channels as 1, dtype, pixels: data.buffer as ArrayBuffer },
  };
}

function trio(): {
  msg: Extract<ToWebview, { type: 'sample' }>;
  gt: Uint8Array;
  prob: Float32Array;
  image: Uint8Array;
} {
  const image = new Uint8Array(W * H * 3).map((_, i) => (i * 37) & 255);
  const gt = new Uint8Array(W * H);
  const prob = new Float32Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = Math.hypot(x - 150, y - 120);
      gt[y * W + x] = d < 60 ? 1 : d < 90 ? 2 : 0;
      prob[y * W + x] = 1 / (1 + Math.exp((d - 70) / 9));
    }
  prob[5] = NaN;
  const msg: Extract<ToWebview, { type: 'sample' }> = {
    type: 'sample',
    requestId: 4,
    sample: { image: 'file:///image.x' },
    layers: [layer('image', 'uint8', image, 3), layer('gt', 'uint8', gt), layer('prob', 'float32', prob)],
    notes: ['a note'],
  };
  return { msg, gt, prob, image };
}

const wire = (m: ToWebview, cache?: PackCache) => runToEnd(toWireSteps(m, cache, 4096));

describe('protocol: the viewer messages on the wire', () => {
  it('a sample: the mask is packed, a large map crosses as heatmap levels, the image as it is', () => {
    const { msg, gt, prob, image } = trio();
    const w = wire(msg);
    assert.ok(w.type === 'sample');
    assert.ok('packed' in w.layers[1].raster && !('pixels' in w.layers[1].raster));
    assert.ok('heatmap' in w.layers[2].raster);
    assert.equal(w.layers[0].raster, msg.layers[0].raster, 'the image is not touched');
    // The image as it is (225 kB), then mask and levels in a fifth of their 375 kB (a smooth map, many levels).
    const bytes = wireBytes(w);
    assert.ok(
      bytes < image.byteLength + 0.2 * (gt.byteLength + prob.byteLength),
      `${bytes} bytes on the wire`,
    );

    const back = fromWire(w);
    assert.deepEqual(back.problems, []);
    const m = back.msg as Extract<ToWebview, { type: 'sample' }>;
    assert.deepEqual(new Uint8Array(m.layers[0].raster.pixels), image);
    assert.deepEqual(new Uint8Array(m.layers[1].raster.pixels), gt);
    assert.equal(m.layers[1].raster.dtype, 'uint8');
    const levels = new Uint8Array(prob.length);
    heatmapLevels(prob, levels);
    assert.deepEqual(m.layers[2].raster, {
      width: W,
      height: H,
      channels: 1,
      dtype: 'uint8',
      pixels: levels.buffer,
      heatmapLevels: true,
    });
    // Everything but the pixels is what the host sent.
    const strip = (s: Extract<ToWebview, { type: 'sample' }>) => ({
      ...s,
      layers: s.layers.map((l) => ({ ...l, raster: undefined })),
    });
    assert.deepEqual(strip(m), strip(msg));
  });

  it('a probability map up to EXACT_PROB_MAX_PIXELS crosses exactly; 16-bit masks stay 16-bit', () => {
    const side = Math.floor(Math.sqrt(EXACT_PROB_MAX_PIXELS));
    const p = new Float32Array(side * side).map((_, i) => (i % 1000) / 999);
    const g = new Uint16Array(side * side).map((_, i) => (i < 100 ? 0 : 1000));
    const mk = (role: Layer['role'], dtype: Layer['raster']['dtype'], a: ArrayBufferView): Layer => ({
      ...layer(role, dtype, a),
      raster: { width: side, height: side, channels: 1, dtype, pixels: a.buffer as ArrayBuffer },
    });
    const msg: ToWebview = {
      type: 'sample',
      requestId: 1,
      sample: {},
      layers: [mk('prob', 'float32', p), mk('gt', 'uint16', g)],
      notes: [],
    };
    const back = fromWire(wire(msg)).msg as Extract<ToWebview, { type: 'sample' }>;
    assert.deepEqual(new Float32Array(back.layers[0].raster.pixels), p);
    assert.equal(back.layers[0].raster.heatmapLevels, undefined);
    assert.equal(back.layers[1].raster.dtype, 'uint16');
    assert.deepEqual(new Uint16Array(back.layers[1].raster.pixels), g);
  });

  it('analysis events: decoder masks, the worker mask and the ranking classes round-trip; the rest is untouched', () => {
    const labels = new Uint8Array(W * H).map((_, i) => (i > 20_000 && i < 30_000 ? 1 : 0));
    const view = {
      decoder: 'threshold',
      label: 'Threshold 0.5',
      labels,
      perClass: [],
      notes: [],
    } as unknown as DecoderView;
    const order = Uint32Array.from({ length: 50 }, (_, i) => 49 - i);
    const events: AnalysisEvent[] = [
      { type: 'decoder', view },
      { type: 'mask', threshold: 0.3, labels: new Uint16Array(W * H).fill(3), selected: W * H },
      {
        type: 'base',
        base: {
          width: W,
          height: H,
          slider: 'local',
          order,
          classOf: labels,
          hasGt: false,
          notes: [],
        } as unknown as Extract<AnalysisEvent, { type: 'base' }>['base'],
      },
      { type: 'progress', label: 'x', fraction: 0.5 },
    ];
    for (const event of events) {
      const msg: ToWebview = { type: 'analysis', requestId: 9, event };
      const w = wire(msg);
      const back = fromWire(w);
      assert.deepEqual(back.problems, []);
      assert.deepEqual(back.msg, msg, event.type);
    }
    const w = wire({ type: 'analysis', requestId: 9, event: events[0] });
    assert.ok(wireBytes(w) < 100, `a two-run mask takes ${wireBytes(w)} bytes`);
  });

  it('a re-posted message packs nothing again (the cache holds the packed form by array)', () => {
    const { msg } = trio();
    const cache: PackCache = new WeakMap();
    const a = wire(msg, cache);
    const b = wire({ ...msg, requestId: 5 }, cache);
    assert.ok(a.type === 'sample' && b.type === 'sample');
    assert.equal(
      (a.layers[1].raster as { packed: unknown }).packed,
      (b.layers[1].raster as { packed: unknown }).packed,
    );
  });

  it('pixels that do not unpack become a problem naming the layer; the other layers are kept', () => {
    const { msg } = trio();
    const w = wire(msg);
    assert.ok(w.type === 'sample');
    const broken = {
      ...w,
      layers: w.layers.map((l, i) => (i === 1 ? { ...l, raster: { ...l.raster, width: 7 } } : l)),
    };
    const back = fromWire(broken);
    assert.equal((back.msg as { layers: unknown[] }).layers.length, 2);
    assert.match(back.problems[0].message, /^gt\.x: packed pixels hold 75000 samples, expected 1750$/);
    const badEvent = fromWire({
      type: 'analysis',
      requestId: 1,
      event: { type: 'mask', labels: { codec: 'runs', dtype: 'uint8', length: 2 ** 40 } },
    });
    assert.equal(badEvent.msg, undefined);
    assert.match(badEvent.problems[0].message, /no usable length/);
    // Not ours: passed through for the protocol's own check to ignore.
    assert.deepEqual(fromWire('hello'), { msg: 'hello', problems: [] });
  });

  it('probe tiles hold the exact floats around the pixel, clipped at the edges', () => {
    const { msg, prob } = trio();
    const raster = msg.layers[2].raster;
    const t = probeTile(4, raster, 299, 249);
    assert.ok(t);
    assert.deepEqual([t.x, t.y, t.width, t.height], [256, 192, W - 256, H - 192]);
    const v = new Float32Array(t.values);
    for (let y = 0; y < t.height; y++)
      for (let x = 0; x < t.width; x++) assert.equal(v[y * t.width + x], prob[(t.y + y) * W + t.x + x]);
    const first = probeTile(4, raster, 5, 0);
    assert.ok(first && Number.isNaN(new Float32Array(first.values)[5]));
    assert.equal(first.width, PROBE_TILE);
    assert.equal(probeTile(4, raster, W, 0), undefined);
    assert.equal(probeTile(4, msg.layers[1].raster, 0, 0), undefined, 'a mask has no probabilities');
  });

  it('probe and probeTile: the host validates the question, the webview checks the tile fits its values', () => {
    assert.deepEqual(parseFromWebview({ type: 'probe', requestId: 2, x: 3, y: 4 }), {
      ok: true,
      value: { type: 'probe', requestId: 2, x: 3, y: 4 },
    });
    for (const bad of [
      { type: 'probe', requestId: 2, x: -1, y: 4 },
      { type: 'probe', requestId: 2, x: 1.5, y: 4 },
      { type: 'probe', x: 1, y: 4 },
    ])
      assert.equal(parseFromWebview(bad).ok, false, JSON.stringify(bad));
    const tile = {
      type: 'probeTile',
      requestId: 1,
      x: 0,
      y: 64,
      width: 2,
      height: 3,
      values: new ArrayBuffer(24),
    };
    assert.ok(asToWebview(tile));
    assert.equal(asToWebview({ ...tile, values: new ArrayBuffer(20) }), undefined);
    assert.equal(asToWebview({ ...tile, width: -2, height: -3 }), undefined);
    assert.equal(asToWebview({ ...tile, values: [0, 0, 0, 0, 0, 0] }), undefined);
  });

  it('large raw pixels cross in parts before their sample and are joined in the webview; missing parts are a problem', () => {
    const { msg, image } = trio();
    const parts = runToEnd(splitSteps(wire(msg), 100_000));
    // The 225,000-byte image in three parts, then the sample (whose packed layers are small).
    assert.deepEqual(
      parts.map((m) => m.type),
      ['pixelPart', 'pixelPart', 'pixelPart', 'sample'],
    );
    const r = new WireReceiver();
    for (const m of parts.slice(0, 3)) assert.deepEqual(r.receive(m), { msg: undefined, problems: [] });
    const back = r.receive(parts[3]);
    assert.deepEqual(back.problems, []);
    const m = back.msg as Extract<ToWebview, { type: 'sample' }>;
    assert.deepEqual(new Uint8Array(m.layers[0].raster.pixels), image);
    assert.deepEqual(Object.keys(m.layers[0].raster).sort(), [
      'channels',
      'dtype',
      'height',
      'pixels',
      'width',
    ]);
    // A part lost (or of an older load): the layer is dropped with a problem, the others are drawn.
    const r2 = new WireReceiver();
    r2.receive(parts[0]);
    r2.receive(parts[2]);
    const broken = r2.receive(parts[3]);
    assert.equal((broken.msg as { layers: unknown[] }).layers.length, 2);
    assert.match(broken.problems[0].message, /^image\.x: part 1 of the pixels is missing/);
    const r3 = new WireReceiver();
    for (const m of parts.slice(0, 3)) r3.receive(m);
    r3.receive({ ...parts[0], requestId: 5 });
    assert.match(r3.receive(parts[3]).problems[0].message, /arrived in 0 of 3 parts/);
  });
});
