// The analysis parts of webview messages and persisted state are validated field by field (the webview is untrusted).
import assert from 'node:assert/strict';
import { parseFromWebview, parseViewerState } from '../../../src/protocol';

const view = {
  opacity: 0.5,
  hidden: [],
  overlay: 'fill',
  zoom: 'fit',
  analysis: {
    decoderA: 'rankdice',
    decoderB: 'threshold',
    show: 'errors',
    settings: { threshold: 0.3, solver: 'rma' },
  },
};

describe('analysis: message and state validation', () => {
  it('accepts well-formed requests and rebuilds them without extra keys', () => {
    const r = parseFromWebview({
      type: 'analysis',
      request: {
        type: 'settings',
        settings: { threshold: 0.4, solver: 'auto', topK: 10, evil: 1 },
        decoders: ['topk', 'topk'],
      },
    });
    assert.deepEqual(r, {
      ok: true,
      value: {
        type: 'analysis',
        request: {
          type: 'settings',
          settings: { threshold: 0.4, solver: 'auto', topK: 10 },
          decoders: ['topk'],
        },
      },
    });
    const e = parseFromWebview({
      type: 'analysis',
      request: { type: 'export', decoder: 'argmax', what: 'mask-npy' },
    });
    assert.equal(e.ok, true);
    assert.deepEqual(parseFromWebview({ type: 'analysis', request: { type: 'cancel', extra: 1 } }), {
      ok: true,
      value: { type: 'analysis', request: { type: 'cancel' } },
    });
    assert.deepEqual(
      parseFromWebview({ type: 'analysis', request: { type: 'threshold', threshold: 0.25 } }),
      {
        ok: true,
        value: { type: 'analysis', request: { type: 'threshold', threshold: 0.25 } },
      },
    );
  });

  it('refuses bad values, naming the field', () => {
    const bad = [
      { type: 'settings', settings: { threshold: 1.5, solver: 'auto' }, decoders: [] },
      { type: 'settings', settings: { threshold: 0.5, solver: 'magic' }, decoders: [] },
      { type: 'settings', settings: { threshold: 0.5, solver: 'auto', topK: 0 }, decoders: [] },
      { type: 'export', decoder: 'rm -rf', what: 'mask-png' },
      { type: 'export', decoder: 'topk', what: 'exe' },
      { type: 'model', model: '../secrets' },
      { type: 'model', model: '..' },
      { type: 'consent', consent: 'everything' },
      { type: 'threshold', threshold: -0.1 },
      { type: 'threshold', threshold: '0.5' },
      { type: 'drawn', decoderA: 'topk', show: 'errors', summary: 'x'.repeat(5000) },
      { type: 'unknown' },
    ];
    for (const request of bad) {
      const r = parseFromWebview({ type: 'analysis', request });
      assert.equal(r.ok, false, JSON.stringify(request));
    }
    const r = parseFromWebview({ type: 'analysis', request: { type: 'model', model: 'a/b' } });
    assert.deepEqual(r, { ok: false, error: 'model must be a folder name' });
  });

  it('persisted view options keep the analysis choices; a broken one fails the state', () => {
    const ok = parseViewerState({ version: 1, sample: {}, view });
    assert.ok(
      ok.ok &&
        ok.value.view.analysis?.decoderA === 'rankdice' &&
        ok.value.view.analysis.settings.threshold === 0.3,
    );
    const broken = parseViewerState({
      version: 1,
      sample: {},
      view: { ...view, analysis: { ...view.analysis, show: 'pixels' } },
    });
    assert.equal(broken.ok, false);
  });
});
