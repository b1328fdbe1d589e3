// The analysis panel's widgets in a DOM shim: each renders what the session holds and reports the user's clicks.
import assert from 'node:assert/strict';
import { ERROR_COLOURS } from '../../../../src/core/viewmodel/errorMap';
import { DEFAULT_ANALYSIS_VIEW, type AnalysisViewState } from '../../../../src/protocol';
import { AnalysisControls, type ControlsHost } from '../../../../webview/analysis/controls';
import { DecoderTable } from '../../../../webview/analysis/decoderTable';
import { legendItems } from '../../../../webview/analysis/legend';
import { noGroundTruth } from '../../../../src/core/viewmodel/noGroundTruth';
import { MetricTables } from '../../../../webview/analysis/metricTables';
import { ObjectTable } from '../../../../webview/analysis/objectTable';
import { StageOverlay, paintOverlay, type OverlayInput } from '../../../../webview/analysis/overlay';
import { AnalysisSession } from '../../../../webview/analysis/session';
import { useDom } from './domShim';
import { GT, base, view } from './fixture';

const cells = (row: Element) => [...row.querySelectorAll('td')].map((c) => c.textContent ?? '');

describe('webview analysis widgets (DOM shim)', () => {
  useDom();
  const className = (k: number) => (k === 1 ? '1 tumour' : String(k));

  it('decoder table: one row per decoder, A marked, live threshold row, a click chooses A', () => {
    const s = new AnalysisSession();
    s.setBase(base(), GT, 0.5);
    s.addDecoder(view('rankdice', [1, 1, 0, 1, 0, 0, 1, 0]));
    const chosen: string[] = [];
    const t = new DecoderTable((d) => chosen.push(d));
    t.render(s, 'rankdice');
    const rows = [...t.element.querySelectorAll('tr[data-decoder]')];
    assert.equal(rows.length, 6);
    const rd = t.element.querySelector('tr[data-decoder="rankdice"]');
    assert.ok(rd?.classList.contains('current'));
    // k 4, same as the threshold's; RankDice is perfect on this ground truth.
    assert.deepEqual(cells(rd!).slice(1, 7), ['4', '+0', '0.500', '0.400', '1', '1']);
    // The threshold row's Dice/IoU come from the live engine (t = 0.5: Dice 0.75, IoU 0.6).
    const th = t.element.querySelector('tr[data-decoder="threshold"]')!;
    assert.deepEqual(cells(th).slice(5, 7), ['0.750', '0.600']);
    // Notes sit on their own row under the decoder's numbers.
    assert.match(t.element.querySelector('tr[data-notes-of="argmax"]')?.textContent ?? '', /computing/);
    (th.querySelector('button') as HTMLButtonElement).click();
    assert.deepEqual(chosen, ['threshold']);
  });

  it('metric tables: class names, the macro row and the conventions; pending and no-GT states', () => {
    const m = new MetricTables(className);
    m.render(view('threshold', [1, 1, 1, 1, 0, 0, 0, 0], { label: 'Threshold 0.5', threshold: 0.5 }));
    const rows = (t: string) => [...m.element.querySelectorAll(`table.${t} tr`)];
    assert.equal(rows('overlap').length, 3);
    assert.deepEqual(cells(rows('overlap')[1]).slice(0, 5), ['1 tumour', '0.750', '0.600', '0.750', '0.750']);
    assert.match(cells(rows('overlap')[2])[0], /^macro \(1 classes\)$/);
    assert.deepEqual(cells(rows('counts')[1]).slice(0, 6), ['1 tumour', '4', '4', '3', '1', '1']);
    assert.equal(cells(rows('surface')[1])[0], '1 tumour');
    // No table is wider than 7 columns (the side area never scrolls sideways).
    for (const t of m.element.querySelectorAll('table'))
      assert.ok(t.querySelector('tr')!.children.length <= 7);
    assert.match(m.element.textContent ?? '', /Computed at threshold 0\.5/);
    m.renderPending('RankDice');
    assert.match(m.element.textContent ?? '', /Metrics of RankDice.*computing/);
    m.renderNoGt(noGroundTruth({ gtUnusable: 'it is 32×24 and the probability map 16×12' }));
    assert.match(
      m.element.textContent ?? '',
      /The ground truth is not used: it is 32×24 and the probability map 16×12\. Metrics against the ground truth need one/,
    );
  });

  it('object table: GT objects and spurious predictions, zoom reports the pixel box', () => {
    const zooms: number[][] = [];
    const o = new ObjectTable(className, (...box) => zooms.push(box));
    // The ground truth's objects (8-connected) with their matches; each row has a zoom button.
    o.render(view('threshold', [1, 1, 1, 1, 0, 0, 0, 0]));
    const text = o.element.textContent ?? '';
    assert.match(text, /GT #1/);
    assert.equal(o.zoom(0)?.length, 4);
    assert.equal(zooms.length, 1);
    assert.deepEqual(zooms[0], o.boxOf(0));
    assert.equal(o.zoom(99), undefined);
  });

  it('controls: show the persisted choices and report changes through the host', () => {
    const calls: string[] = [];
    let state: AnalysisViewState = {
      ...DEFAULT_ANALYSIS_VIEW,
      settings: { threshold: 0.3, solver: 'exact' },
    };
    const host: ControlsHost = {
      state: () => state,
      choose: (p) => {
        calls.push(`choose ${JSON.stringify(p)}`);
        state = { ...state, ...p };
      },
      changeSettings: (s, d) => calls.push(`settings ${JSON.stringify(s)} ${d?.join() ?? 'all'}`),
      slide: (t) => calls.push(`slide ${t}`),
      commitThreshold: (t) => calls.push(`commit ${t}`),
      chooseModel: (m) => calls.push(`model ${m}`),
      cancel: () => calls.push('cancel'),
      exportAs: (w) => calls.push(`export ${w}`),
      choosePalette: (p) => calls.push(`palette ${p}`),
    };
    const c = new AnalysisControls(host);
    c.sync(state);
    assert.equal(c.slider.value, '0.3');
    assert.equal(c.solver.select.value, 'exact');
    c.a.select.value = 'rankdice';
    c.a.select.dispatchEvent(new Event('change'));
    c.slider.value = '0.42';
    c.slider.dispatchEvent(new Event('input'));
    c.slider.dispatchEvent(new Event('change'));
    c.topK.value = '7';
    c.topK.dispatchEvent(new Event('change'));
    c.cancelButton.click();
    c.palette.select.value = 'colourblind';
    c.palette.select.dispatchEvent(new Event('change'));
    assert.deepEqual(calls, [
      'choose {"decoderA":"rankdice"}',
      'slide 0.42',
      'commit 0.42',
      'settings {"threshold":0.3,"solver":"exact","topK":7} topk',
      'cancel',
      'palette colourblind',
    ]);
    c.setModels(['unet_bce'], 'unet_bce');
    assert.equal(c.modelLabel.hidden, true);
    c.setModels(['unet_bce', 'unet_dice'], 'unet_dice');
    assert.equal(c.modelLabel.hidden, false);
    assert.equal(c.modelSelect.value, 'unet_dice');
  });

  it('overlay: error codes painted per pixel; only the changed pixels on repaint; the canvas is a stage layer only', () => {
    const input: OverlayInput = {
      width: 4,
      height: 2,
      show: 'errors',
      numClasses: 2,
      a: Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]),
      gt: GT,
      colour: () => [1, 2, 3],
      errorColours: ERROR_COLOURS,
      diffColours: ERROR_COLOURS.slice(0, 4),
    };
    const out = new Uint8ClampedArray(32);
    paintOverlay(out, input);
    const px = (i: number) => [...out.slice(i * 4, i * 4 + 4)];
    assert.deepEqual(px(0), [...ERROR_COLOURS[1]]); // TP
    assert.deepEqual(px(2), [...ERROR_COLOURS[2]]); // FP
    assert.deepEqual(px(6), [...ERROR_COLOURS[3]]); // FN
    assert.deepEqual(px(4), [0, 0, 0, 0]);
    paintOverlay(out, { ...input, show: 'prediction' }, Uint32Array.from([0]));
    assert.deepEqual(px(0), [1, 2, 3, 255]);
    assert.deepEqual(px(2), [...ERROR_COLOURS[2]], 'pixels outside the list untouched');
    // A map opened without a ground truth: the error map falls back to A's prediction, not an empty picture.
    const noGt = new Uint8ClampedArray(out.length);
    paintOverlay(noGt, { ...input, gt: undefined });
    const predicted = new Uint8ClampedArray(out.length);
    paintOverlay(predicted, { ...input, show: 'prediction' });
    assert.deepEqual(noGt, predicted);
    assert.ok(noGt.some((v) => v !== 0));
    const o = new StageOverlay(() => null);
    // Issue 11: with the panel's class the panel's padding, border and max-height applied to it (overlay shifted).
    assert.deepEqual([...o.canvas.classList].sort(), ['decisions', 'layer']);
  });

  it('legend: error names with their colours; a message without ground truth; A/B names in the difference', () => {
    const common = {
      nameA: 'Threshold',
      nameB: 'RankDice',
      classes: [],
      errorColours: ERROR_COLOURS,
      diffColours: ERROR_COLOURS.slice(0, 4),
    };
    assert.equal(legendItems({ ...common, show: 'errors', hasGt: true }).items.length, 4);
    const noGt = legendItems({
      ...common,
      classes: [{ name: '1 tumour', colour: [1, 2, 3] }],
      show: 'errors',
      hasGt: false,
      noGt: noGroundTruth({
        gtUnusable: 'it has class 2, but the probability map covers classes 0…1',
      }),
    });
    assert.equal(
      noGt.message,
      "The ground truth is not used: it has class 2, but the probability map covers classes 0…1. So no error map: showing Threshold's prediction.",
    );
    assert.equal(noGroundTruth(undefined), 'No ground truth is paired with this map.');
    assert.deepEqual(noGt.items, [['1 tumour', 'rgb(1, 2, 3)']]);
    const diff = legendItems({ ...common, show: 'difference', hasGt: true }).items.map(([n]) => n);
    assert.deepEqual(diff, ['only Threshold', 'only RankDice', 'both, different class']);
  });
});
