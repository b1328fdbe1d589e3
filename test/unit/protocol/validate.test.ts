import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_VIEW_OPTIONS,
  PROTOCOL_VERSION,
  parseFromWebview,
  parseViewerState,
  rasterByteLength,
} from '../../../src/protocol';

function ok(x: unknown) {
  const r = parseFromWebview(x);
  assert.equal(r.ok, true, r.ok ? '' : r.error);
  return r.ok ? r.value : undefined;
}

function bad(x: unknown, pattern: RegExp) {
  const r = parseFromWebview(x);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(x)}`);
  if (!r.ok) assert.match(r.error, pattern);
}

describe('protocol: parseFromWebview', () => {
  it('accepts each well-formed message and returns an equal, fresh object', () => {
    const msgs = [
      { type: 'ready', version: PROTOCOL_VERSION },
      { type: 'rendered', requestId: 3, width: 512, height: 256, layers: ['image', 'gt'] },
      { type: 'rendered', requestId: 3, width: 512, height: 256, layers: ['image'], drawMs: 12.5 },
      {
        type: 'rendered',
        requestId: 3,
        width: 512,
        height: 256,
        layers: ['image', 'gt', 'prob'],
        drawMs: 80,
        timings: {
          receivedAt: 1_796_000_000_000,
          unpackMs: 3.5,
          modelMs: 1,
          imageMs: 40,
          gtMs: 10,
          probMs: 20,
          frameMs: 5.5,
          busyMs: 120,
          pageAt: 1_795_999_999_000,
          readyAt: 1_795_999_999_500,
        },
      },
      { type: 'viewChanged', view: { opacity: 0.3, hidden: ['gt'], overlay: 'contour', zoom: 2 } },
      { type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS } },
      { type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, hiddenClasses: [2, 5] } },
      { type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, contrast: 'robust' } },
      { type: 'previewed', requestId: 4, at: 1_796_000_000_000 },
      { type: 'command', command: 'openFiles' },
      { type: 'command', command: 'reload' },
      { type: 'failed', message: 'canvas too large' },
      { type: 'failed', requestId: 7, message: 'x' },
    ];
    for (const m of msgs) {
      const v = ok(m);
      assert.deepEqual(v, m);
      assert.notEqual(v, m);
    }
  });

  it('drops unknown extra keys instead of passing them on', () => {
    const v = ok({ type: 'ready', version: 1, evil: '<script>', then: () => 1 });
    assert.deepEqual(Object.keys(v as object).sort(), ['type', 'version']);
  });

  it('normalises hidden classes: unique and ascending', () => {
    const v = ok({ type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, hiddenClasses: [5, 2, 5] } });
    assert.deepEqual(v, { type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, hiddenClasses: [2, 5] } });
  });

  it('deduplicates layer roles', () => {
    const v = ok({ type: 'rendered', requestId: 1, width: 1, height: 1, layers: ['gt', 'gt', 'image'] });
    assert.deepEqual(v, { type: 'rendered', requestId: 1, width: 1, height: 1, layers: ['gt', 'image'] });
  });

  it('rejects non-objects and unknown types', () => {
    bad(null, /plain object/);
    bad(undefined, /plain object/);
    bad('ready', /plain object/);
    bad(42, /plain object/);
    bad([{ type: 'ready', version: 1 }], /plain object/);
    bad({}, /unknown message type undefined/);
    bad({ type: 'exec', command: 'rm -rf /' }, /unknown message type "exec"/);
    bad({ type: 'x'.repeat(10_000) }, /unknown message type "x{40}"$/);
    bad({ type: 7 }, /unknown message type number/);
    bad({ type: 'previewed', requestId: -1, at: 1 }, /requestId/);
    bad({ type: 'previewed', requestId: 1, at: Number.NaN }, /at/);
  });

  it('rejects objects with foreign prototypes, including a type inherited from the prototype', () => {
    bad(Object.create({ type: 'ready', version: 1 }), /plain object/);
    class Fake {
      type = 'ready';
      version = 1;
    }
    bad(new Fake(), /plain object/);
    bad(new Date(), /plain object/);
    // JSON.parse creates an own "__proto__" key; it must not be read as the message.
    bad(JSON.parse('{"__proto__": {"type": "ready", "version": 1}}'), /unknown message type/);
  });

  it('rejects wrong field types and out-of-range numbers', () => {
    bad({ type: 'ready' }, /version/);
    bad({ type: 'ready', version: '1' }, /version/);
    bad({ type: 'ready', version: 1.5 }, /version/);
    bad({ type: 'rendered', requestId: -1, width: 1, height: 1, layers: [] }, /requestId/);
    const timings = {
      receivedAt: 1,
      unpackMs: 0,
      modelMs: 0,
      imageMs: 0,
      gtMs: 0,
      probMs: 0,
      frameMs: 0,
      busyMs: 0,
      pageAt: 1,
      readyAt: 1,
    };
    const rendered = { type: 'rendered', requestId: 1, width: 1, height: 1, layers: [] };
    bad({ ...rendered, timings: { ...timings, probMs: -1 } }, /timings\.probMs/);
    bad({ ...rendered, timings: { ...timings, frameMs: Infinity } }, /timings\.frameMs/);
    bad({ ...rendered, timings: { ...timings, unpackMs: '3' } }, /timings\.unpackMs/);
    bad({ ...rendered, timings: { ...timings, receivedAt: undefined } }, /timings\.receivedAt/);
    bad({ ...rendered, timings: { ...timings, readyAt: -5 } }, /timings\.readyAt/);
    bad({ ...rendered, timings: 5 }, /timings/);
    bad({ type: 'rendered', requestId: 1, width: 0, height: 1, layers: [] }, /width/);
    bad({ type: 'rendered', requestId: 1, width: NaN, height: 1, layers: [] }, /width/);
    bad({ type: 'rendered', requestId: 1, width: 1, height: Infinity, layers: [] }, /height/);
    bad({ type: 'rendered', requestId: 1, width: 2 ** 40, height: 1, layers: [] }, /width/);
    bad({ type: 'rendered', requestId: 1, width: 1, height: 1, layers: ['image', 'shell'] }, /layers\[\]/);
    bad({ type: 'rendered', requestId: 1, width: 1, height: 1, layers: 'image' }, /layers/);
    bad({ type: 'rendered', requestId: 1, width: 1, height: 1, layers: [], drawMs: -1 }, /drawMs/);
    bad({ type: 'rendered', requestId: 1, width: 1, height: 1, layers: [], drawMs: '5' }, /drawMs/);
    bad(
      { type: 'rendered', requestId: 1, width: 1, height: 1, layers: new Array(1000).fill('gt') },
      /layers/,
    );
    bad({ type: 'viewChanged', view: { opacity: 2, hidden: [], overlay: 'fill', zoom: 'fit' } }, /opacity/);
    bad(
      { type: 'viewChanged', view: { opacity: -0.1, hidden: [], overlay: 'fill', zoom: 'fit' } },
      /opacity/,
    );
    bad({ type: 'viewChanged', view: { opacity: 0.5, hidden: [], overlay: 'glow', zoom: 'fit' } }, /overlay/);
    bad({ type: 'viewChanged', view: { opacity: 0.5, hidden: [], overlay: 'fill', zoom: 0 } }, /zoom/);
    bad({ type: 'viewChanged', view: { opacity: 0.5, hidden: [], overlay: 'fill', zoom: 'huge' } }, /zoom/);
    bad({ type: 'viewChanged', view: null }, /view/);
    bad({ type: 'command', command: 'eval' }, /command/);
    bad({ type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, hiddenClasses: [-1] } }, /hiddenClasses/);
    bad({ type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, contrast: 'max' } }, /contrast/);
    bad({ type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, hiddenClasses: [1.5] } }, /hiddenClasses/);
    bad({ type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, hiddenClasses: '1,2' } }, /hiddenClasses/);
    bad(
      { type: 'viewChanged', view: { ...DEFAULT_VIEW_OPTIONS, hiddenClasses: new Array(5000).fill(1) } },
      /hiddenClasses/,
    );
    bad({ type: 'failed', message: 'm'.repeat(5000) }, /message/);
    bad({ type: 'failed', message: { toString: () => 'x' } }, /message/);
  });

  it('never throws and never returns a message with an unknown type (fuzzed)', () => {
    const known = ['ready', 'rendered', 'viewChanged', 'command', 'failed'];
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (x) => {
        const r = parseFromWebview(x);
        if (r.ok) assert.ok(known.includes(r.value.type));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts what it returns (idempotent on fuzzed near-valid messages)', () => {
    const arb = fc.record({
      type: fc.constantFrom('rendered'),
      requestId: fc.integer({ min: -2, max: 100 }),
      width: fc.integer({ min: -2, max: 5000 }),
      height: fc.integer({ min: -2, max: 5000 }),
      layers: fc.array(fc.constantFrom('image', 'gt', 'pred', 'prob', 'bogus'), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(arb, (m) => {
        const r = parseFromWebview(m);
        const valid = m.requestId >= 0 && m.width >= 1 && m.height >= 1 && !m.layers.includes('bogus');
        assert.equal(r.ok, valid);
        if (r.ok) assert.deepEqual(parseFromWebview(r.value), r);
      }),
    );
  });
});

describe('protocol: parseViewerState', () => {
  const view = { opacity: 0.5, hidden: [], overlay: 'fill', zoom: 'fit' };
  it('accepts URIs and view options', () => {
    const s = {
      version: 1,
      sample: { image: 'file:///d/images/a.png', gt: 'vscode-remote://h/d/masks/a.png' },
      view,
    };
    const r = parseViewerState(s);
    assert.deepEqual(r, { ok: true, value: s });
  });
  it('rejects states without a URI scheme, with pixels, or of the wrong shape', () => {
    assert.equal(parseViewerState({ version: 1, sample: { image: '/etc/passwd' }, view }).ok, false);
    assert.equal(parseViewerState({ version: 1, sample: { image: 42 }, view }).ok, false);
    assert.equal(parseViewerState({ version: 1, sample: {}, view: { ...view, opacity: 'x' } }).ok, false);
    assert.equal(parseViewerState(undefined).ok, false);
    assert.equal(parseViewerState({ version: 1, view }).ok, false);
  });
  it('keeps only the known sample keys (pixels never survive a restore)', () => {
    const r = parseViewerState({ version: 1, sample: { image: 'file:///a.png', pixels: [1, 2, 3] }, view });
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.value.sample, { image: 'file:///a.png' });
  });
});

describe('protocol: rasterByteLength', () => {
  it('multiplies size, channels and sample width', () => {
    assert.equal(rasterByteLength({ width: 3, height: 2, channels: 1, dtype: 'uint8' }), 6);
    assert.equal(rasterByteLength({ width: 3, height: 2, channels: 3, dtype: 'uint16' }), 36);
    assert.equal(rasterByteLength({ width: 3, height: 2, channels: 1, dtype: 'float32' }), 24);
    assert.equal(rasterByteLength({ width: 3, height: 2, channels: 4, dtype: 'int32' }), 96);
  });
});
