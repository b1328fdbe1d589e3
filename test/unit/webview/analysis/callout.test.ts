// The "no pixel reaches the threshold" callout: shown from the host's 'explain' event when the map's maximum is at
// or below the threshold on screen, with the loss-lint findings and a link that asks the host to open the file;
// hidden again when the slider goes below the maximum; gone with the next sample.
import assert from 'node:assert/strict';
import type { FromWebview, ToWebview } from '../../../../src/protocol';
import { DEFAULT_ANALYSIS_VIEW, DEFAULT_VIEW_OPTIONS, type AnalysisEvent } from '../../../../src/protocol';
import { AnalysisPanel } from '../../../../webview/analysis/analysisPanel';
import { ThresholdCallout, calloutParts, probText } from '../../../../webview/analysis/callout';
import { initialModel, type ViewModel } from '../../../../webview/viewModel';
import { useDom } from './domShim';
import { base } from './fixture';

const LINT = {
  findings: 3,
  files: [{ label: 'losses/dice_keras.py', uri: 'file:///w/losses/dice_keras.py', findings: 3, line: 22 }],
};

describe('webview analysis: no pixel reaches the threshold', () => {
  useDom();

  it('words the maximum without rounding it away, and only when nothing is selected', () => {
    assert.equal(probText(0.0041234), '0.00412');
    assert.equal(probText(0.5), '0.5');
    assert.equal(probText(0), '0');
    assert.equal(calloutParts(0.6, 0.5, LINT), undefined);
    const p = calloutParts(0.004, 0.5, LINT)!;
    assert.match(
      p.lead,
      /No pixel reaches the threshold 0\.5: the largest probability in this map is 0\.004\./,
    );
    assert.equal(p.lint?.before, 'Look at the loss: 3 lint findings in');
    assert.match(calloutParts(0.004, 0.5, { findings: 0, files: [] })!.lead, /found nothing/);
    // p > t selects: a maximum equal to the threshold selects nothing either.
    assert.ok(calloutParts(0.5, 0.5, undefined));
  });

  it('the panel shows it from the explain event, links the loss file, and hides it below the maximum', () => {
    const posted: FromWebview[] = [];
    let model: ViewModel = {
      ...initialModel(),
      view: { ...DEFAULT_VIEW_OPTIONS, analysis: DEFAULT_ANALYSIS_VIEW },
    };
    const panel = new AnalysisPanel({
      post: (m) => posted.push(m),
      model: () => model,
      setAnalysis: (a) => (model = { ...model, view: { ...model.view, analysis: a } }),
      stageWindow: () => undefined,
      showOnStage: () => undefined,
    });
    document.body.append(panel.element);
    const send = (requestId: number, event: AnalysisEvent) =>
      panel.receive({ type: 'analysis', requestId, event } as ToWebview);
    send(1, { type: 'base', base: base({ hasGt: false, maxProb: 0.004 }) });
    send(1, { type: 'explain', maxProb: 0.004, lint: LINT });
    const callout = panel.element.querySelector('.threshold-callout') as HTMLElement;
    assert.ok(callout && !callout.hidden);
    assert.match(callout.textContent ?? '', /largest probability in this map is 0\.004/);
    assert.match(callout.textContent ?? '', /3 lint findings in losses\/dice_keras\.py\./);
    (callout.querySelector('a') as HTMLElement).click();
    const open = posted.find((m) => m.type === 'analysis' && m.request.type === 'openLossFile');
    assert.deepEqual(open && open.type === 'analysis' && open.request, {
      type: 'openLossFile',
      uri: 'file:///w/losses/dice_keras.py',
    });
    // The slider below the maximum selects pixels: the callout goes.
    send(1, { type: 'apply', patch: { settings: { ...DEFAULT_ANALYSIS_VIEW.settings, threshold: 0.001 } } });
    assert.equal(callout.hidden, true);
    // A new sample starts without it.
    send(2, { type: 'base', base: base({ hasGt: false }) });
    assert.equal(callout.hidden, true);
  });
});

describe('webview analysis: the callout names at most a few files', () => {
  useDom();

  it('links the first three files and counts the rest', () => {
    const files = Array.from({ length: 5 }, (_, i) => ({
      label: `l/f${i}.py`,
      uri: `file:///w/l/f${i}.py`,
      findings: 5 - i,
      line: 0,
    }));
    const box = new ThresholdCallout(() => undefined);
    box.set(0.001, { findings: 15, files });
    box.update(0.5);
    assert.equal(box.element.querySelectorAll('a').length, 3);
    assert.match(box.element.textContent ?? '', /l\/f2\.py \(3\) and 2 more files\./);
  });
});
