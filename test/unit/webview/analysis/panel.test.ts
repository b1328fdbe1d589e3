// The thin panel over its widgets: host events in, widgets filled, requests out; a new sample starts clean.
import assert from 'node:assert/strict';
import type { FromWebview, ToWebview } from '../../../../src/protocol';
import { DEFAULT_ANALYSIS_VIEW, DEFAULT_VIEW_OPTIONS, type AnalysisEvent } from '../../../../src/protocol';
import { AnalysisPanel } from '../../../../webview/analysis/analysisPanel';
import { initialModel, type ViewModel } from '../../../../webview/viewModel';
import { useDom } from './domShim';
import { base, view } from './fixture';

describe('webview analysis panel (DOM shim)', () => {
  useDom();

  function setup() {
    const posted: FromWebview[] = [];
    const analysis = DEFAULT_ANALYSIS_VIEW;
    let model: ViewModel = { ...initialModel(), view: { ...DEFAULT_VIEW_OPTIONS, analysis } };
    let defaults = 0;
    const panel = new AnalysisPanel({
      defaultLayers: () => defaults++,
      post: (m) => posted.push(m),
      model: () => model,
      setAnalysis: (a) => (model = { ...model, view: { ...model.view, analysis: a } }),
      stageWindow: () => undefined,
      showOnStage: () => undefined,
    });
    document.body.append(panel.element);
    const send = (requestId: number, event: AnalysisEvent) =>
      panel.receive({ type: 'analysis', requestId, event } as ToWebview);
    return { panel, posted, send, model: () => model, defaults: () => defaults };
  }

  it('fills the tables as results arrive and says how many decoders are ready', () => {
    const { panel, send, posted } = setup();
    send(1, { type: 'started', models: ['unet'], model: 'unet', label: 'Starting…' });
    assert.equal(panel.element.hidden, false);
    send(1, { type: 'base', base: base({ hasGt: false }) });
    send(1, { type: 'decoder', view: view('rankdice', [1, 1, 0, 1, 0, 0, 1, 0], { metrics: undefined }) });
    assert.match(panel.element.textContent ?? '', /1 of 6 decoders ready/);
    assert.equal(panel.element.querySelectorAll('tr[data-decoder]').length, 6);
    // A drawn report names decoder A (threshold, drawn from the live engine).
    const drawn = posted.filter((m) => m.type === 'analysis' && m.request.type === 'drawn');
    assert.ok(drawn.length >= 1);
  });

  it('the first analysis of a panel asks for the clean default view, once', () => {
    const { send, defaults } = setup();
    send(1, { type: 'base', base: base({ hasGt: false }) });
    assert.equal(defaults(), 1);
    send(2, { type: 'base', base: base({ hasGt: false }) });
    assert.equal(defaults(), 1, 'a later sample keeps the layers the user chose');
  });

  it('a new sample clears the previous one’s status, tables and problems', () => {
    const { panel, send } = setup();
    send(1, { type: 'base', base: base({ hasGt: false }) });
    send(1, { type: 'decoder', view: view('rankdice', [1, 1, 0, 1, 0, 0, 1, 0]) });
    send(1, { type: 'problem', message: 'Something is off' });
    assert.match(panel.element.textContent ?? '', /Something is off/);
    panel.receive({
      type: 'sample',
      requestId: 2,
      sample: {},
      layers: [],
      notes: [],
    } as unknown as ToWebview);
    assert.equal(panel.element.hidden, true);
    assert.doesNotMatch(panel.element.textContent ?? '', /Something is off|decoders ready/);
    assert.equal(panel.element.querySelectorAll('tr[data-decoder]').length, 0);
  });

  it('the slider’s release asks the host to recompute the threshold decoders', () => {
    const { panel, send, posted, model } = setup();
    send(1, { type: 'base', base: base({ hasGt: false }) });
    const slider = panel.element.querySelector('input[type=range]') as HTMLInputElement;
    slider.value = '0.65';
    slider.dispatchEvent(new Event('input'));
    slider.dispatchEvent(new Event('change'));
    const settings = posted.filter((m) => m.type === 'analysis' && m.request.type === 'settings');
    assert.equal(settings.length, 1);
    assert.equal(model().view.analysis?.settings.threshold, 0.65);
    assert.match(panel.decisions({ x: 0, y: 0 }), /Threshold 1/);
  });
});
