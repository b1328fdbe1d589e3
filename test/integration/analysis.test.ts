// The decoder comparison end to end in a real extension host: open a demo slice (image + AAL mask + the BCE
// model's probabilities from probs/unet_bce/) → overlays and the error map drawn → switch decoder A → the panel
// reports the new metrics → export writes the mask and the metrics (dialog answered through the test hooks, the
// overwrite question asked on the second write). Each state is saved as a screenshot.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readNpy } from '../../src/core/io/npy';
import { decodePngImage } from '../../src/core/io/png';
import type { SegLensApi } from '../../src/extension';
import type { SegLensTestApi } from '../../src/vscode/testApi';
import type { ViewerEvent } from '../../src/vscode/viewer/context';
import { analysisEvent, waitForViewerEvent } from './support/viewerEvents';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { seglensTestApi } from './support/testApi';
import { makeTempDir } from '../support/tempDir';

const events: ViewerEvent[] = [];

const waitFor = <T extends ViewerEvent>(from: number, match: (e: ViewerEvent) => e is T, ms = 90_000) =>
  waitForViewerEvent(events, from, match, ms);

const analysis = analysisEvent;

let hooks: SegLensTestApi;

function controller() {
  const all = hooks.analysisControllers();
  assert.ok(all.length > 0, 'a viewer panel with an analysis controller is open');
  return all[all.length - 1];
}

const setHooks: SegLensTestApi['setExportHooks'] = (h) => hooks.setExportHooks(h);

describe('analysis: decoder comparison, error map, metrics, export', function () {
  this.timeout(240_000);
  const slice = repoPath('demo', 'images', 'slice_068.png');

  before(async function () {
    if (!existsSync(slice)) this.skip();
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext);
    const api = await ext.activate();
    api.onViewerEvent((e) => events.push(e));
    hooks = await seglensTestApi();
  });

  after(async () => {
    setHooks(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the demo slice with the BCE model’s map and draws the error map of the threshold decoder', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const from = events.length;
    await vscode.commands.executeCommand('seglens.openInSegLens', vscode.Uri.file(slice), [
      vscode.Uri.file(slice),
    ]);
    const r = await waitFor(
      from,
      (e): e is Extract<ViewerEvent, { type: 'rendered' }> => e.type === 'rendered',
    );
    assert.deepEqual([r.width, r.height, r.layers.join()], [181, 217, 'image,gt,prob']);
    const base = await waitFor(from, analysis('base'));
    assert.match(base.detail, /181×217 foreground/);
    // Every decoder answers: argmax says why it cannot run on sigmoid-per-class maps.
    for (const d of ['threshold', 'tunedThreshold', 'topk', 'rankdice', 'rankiou'])
      await waitFor(from, analysis('decoder', new RegExp(`^${d}: `)));
    const argmax = await waitFor(from, analysis('decoder', /^argmax: /));
    assert.match(argmax.detail, /background channel/);
    const drawn = await waitFor(from, analysis('drawn', /^threshold errors: .*macro Dice 0\.\d+/));
    log(`drawn: ${drawn.detail}`);
    await new Promise((r) => setTimeout(r, 1500));
    await requestScreenshot('analysis-1-open-error-map');
  });

  it('switching decoder A to RankDice updates the overlay and the metrics', async () => {
    const from = events.length;
    controller().drive({ decoderA: 'rankdice', decoderB: 'threshold', show: 'difference' });
    const drawn = await waitFor(from, analysis('drawn', /^rankdice difference: RankDice.*macro Dice 0\.\d+/));
    log(`drawn: ${drawn.detail}`);
    await new Promise((r) => setTimeout(r, 1500));
    await requestScreenshot('analysis-2-rankdice-difference');
    const from2 = events.length;
    controller().drive({ show: 'errors' }, 'metrics');
    await waitFor(from2, analysis('drawn', /^rankdice errors: /));
    await new Promise((r) => setTimeout(r, 1000));
    await requestScreenshot('analysis-3-rankdice-errors-metrics');
    controller().drive({}, 'objects');
    await new Promise((r) => setTimeout(r, 1000));
    await requestScreenshot('analysis-3b-objects');
    // Zoom to the first object of the table: the side-by-side views and the main stage show the same window.
    const from3 = events.length;
    controller().drive({}, 'objects', 0);
    const view = await waitFor(from3, analysis('view'));
    const v = JSON.parse(view.detail) as {
      box: number[];
      stage: { cx: number; cy: number; zoom: number } | null;
      views: { cx: number; cy: number; zoom: number };
    };
    log(`zoom to object: ${view.detail}`);
    const [x0, y0, x1, y1] = v.box;
    assert.ok(
      Math.abs(v.views.cx - (x0 + x1 + 1) / 2) < 1e-6 && Math.abs(v.views.cy - (y0 + y1 + 1) / 2) < 1e-6,
    );
    assert.ok(v.stage, 'the stage reports its window');
    // Same magnification relative to fit, and the stage centred on the object within a pixel (scroll is integral).
    assert.ok(Math.abs(v.stage.zoom / v.views.zoom - 1) < 1e-6, view.detail);
    assert.ok(Math.abs(v.stage.cx - v.views.cx) < 1 && Math.abs(v.stage.cy - v.views.cy) < 1, view.detail);
    await new Promise((r) => setTimeout(r, 800));
    await requestScreenshot('analysis-3d-zoom-to-object');
    controller().drive({}, 'charts');
    await new Promise((r) => setTimeout(r, 1500));
    await requestScreenshot('analysis-3c-charts');
  });

  it('moving the threshold recomputes the threshold decoder on the host', async () => {
    const from = events.length;
    controller().drive({ decoderA: 'threshold', settings: { threshold: 0.2, solver: 'auto' } });
    await waitFor(from, analysis('decoder', /^threshold: Threshold 0\.2$/));
    await waitFor(from, analysis('drawn', /t=0\.2; macro Dice 0\.\d+/));
    await new Promise((r) => setTimeout(r, 1000));
    await requestScreenshot('analysis-4-threshold-0.2');
  });

  it('a threshold let go twice: the older result, finishing last, does not replace the newer one', async () => {
    // 0.2 is in the host's cache (the test above), 0.37 is not: 0.2 answers at once and 0.37 finishes after it.
    const c = controller();
    const from = events.length;
    const settings = (threshold: number) => ({ threshold, solver: 'auto' as const });
    await Promise.all([
      c.receive({ type: 'settings', settings: settings(0.37), decoders: ['threshold'] }),
      c.receive({ type: 'settings', settings: settings(0.2), decoders: ['threshold'] }),
    ]);
    const shown = events
      .slice(from)
      .filter(analysis('decoder', /^threshold: /))
      .map((e) => e.detail);
    assert.deepEqual(shown, ['threshold: Threshold 0.2']);
  });

  it('follows the high-contrast theme (charts and tables from the theme colours)', async () => {
    const config = vscode.workspace.getConfiguration('workbench');
    const before = config.inspect<string>('colorTheme')?.globalValue;
    try {
      await config.update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
      const from = events.length;
      await controller().receive({
        type: 'settings',
        settings: { threshold: 0.2, solver: 'auto' },
        decoders: ['rankdice'],
      });
      controller().drive({ decoderA: 'rankdice', show: 'errors' }, 'decoders');
      await waitFor(from, analysis('decoder', /^rankdice: /));
      await new Promise((r) => setTimeout(r, 1500));
      await requestScreenshot('analysis-4b-high-contrast');
    } finally {
      await config.update('colorTheme', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('exports the mask (PNG, NPY) and the metrics (JSON, CSV), asking before overwriting', async () => {
    const dir = makeTempDir('seglens-export').path;
    let asked = 0;
    let target = '';
    const offered: string[] = [];
    setHooks({
      saveUri: async (defaultUri) => {
        offered.push(defaultUri.path);
        return vscode.Uri.file(target);
      },
      confirmOverwrite: async () => {
        asked++;
        return true;
      },
    });
    const c = controller();
    target = path.join(dir, 'mask.png');
    await c.receive({ type: 'export', decoder: 'threshold', what: 'mask-png' });
    const png = decodePngImage(readFileSync(target));
    assert.deepEqual([png.width, png.height, png.channels], [181, 217, 1]);
    const labels = new Set(png.data);
    assert.ok([...labels].every((v) => v <= 5) && labels.has(0) && labels.size > 2, `labels ${[...labels]}`);
    assert.equal(asked, 0);
    // Offered in seglens-exports/ of the workspace, never beside the images, under a name pairing skips.
    const root = vscode.workspace.workspaceFolders![0].uri.path;
    assert.equal(offered[0], `${root}/seglens-exports/slice_068.seglens-threshold.png`);
    await c.receive({ type: 'export', decoder: 'threshold', what: 'mask-png' });
    assert.equal(asked, 1, 'the second export to the same file asked before replacing it');
    target = path.join(dir, 'mask.npy');
    await c.receive({ type: 'export', decoder: 'threshold', what: 'mask-npy' });
    const npy = readNpy(readFileSync(target));
    assert.deepEqual(npy.shape, [217, 181]);
    assert.deepEqual(Array.from(npy.data as Uint8Array), Array.from(png.data));
    target = path.join(dir, 'metrics.json');
    await c.receive({ type: 'export', decoder: 'rankdice', what: 'metrics-json' });
    const json = JSON.parse(readFileSync(target, 'utf8')) as {
      decoder: string;
      metrics: { perClass: Record<string, { overlap: { dice: number } }> };
      expected: { meanDice: number };
    };
    assert.equal(json.decoder, 'rankdice');
    assert.equal((json as unknown as { classNames: Record<string, string> }).classNames['1'], 'caudate');
    assert.ok(json.expected.meanDice > 0 && json.expected.meanDice <= 1);
    assert.ok(json.metrics.perClass['1'].overlap.dice > 0.5);
    target = path.join(dir, 'metrics.csv');
    await c.receive({ type: 'export', decoder: 'rankdice', what: 'metrics-csv' });
    const csv = readFileSync(target, 'utf8');
    assert.match(csv, /^decoder,class,name,metric,value\nrankdice,all,,pixelAccuracy,/);
    // Class names from the demo's labels.json, in the metric rows and the expected-score rows.
    assert.match(csv, /\nrankdice,1,caudate,dice,/);
    assert.match(csv, /\nrankdice,1,caudate,expectedDice,/);
    assert.equal(offered.at(-1), `${root}/seglens-exports/slice_068.seglens-rankdice-metrics.csv`);
    // No temporary file is left behind by the atomic writes.
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(dir).sort(), ['mask.npy', 'mask.png', 'metrics.csv', 'metrics.json']);
    await requestScreenshot('analysis-5-exported');
  });

  it('the model dropdown switches to the Dice-axis-bug model: the threshold selects nothing, RankDice a few pixels, Dice stays 0', async () => {
    const from = events.length;
    await controller().receive({ type: 'model', model: 'unet_dice_axis_bug' });
    const r = await waitFor(
      from,
      (e): e is Extract<ViewerEvent, { type: 'rendered' }> => e.type === 'rendered',
    );
    assert.deepEqual(r.layers, ['image', 'gt', 'prob']);
    await waitFor(from, analysis('base', /181×217 foreground with GT/));
    // The panel is told why nothing is selected: the map's maximum, and the workspace's loss-lint findings.
    const explain = await waitFor(from, analysis('explain', /^max 0\.00\d+; \d+ findings in \S+\.py/));
    log(`axis-bug explain: ${explain.detail.slice(0, 200)}`);
    const t = await waitFor(from, analysis('decoder', /^threshold: /));
    log(`axis-bug threshold: ${t.detail}`);
    const drawnT = await waitFor(from, analysis('drawn', /macro Dice 0(\.0+)?;/));
    log(`axis-bug drawn: ${drawnT.detail}`);
    await waitFor(from, analysis('decoder', /^rankdice: /));
    controller().drive({ decoderA: 'rankdice', decoderB: 'threshold', show: 'errors' }, 'decoders');
    await waitFor(from, analysis('drawn', /^rankdice errors: /));
    await new Promise((r) => setTimeout(r, 1500));
    await requestScreenshot('analysis-5b-axis-bug-model');
    // The callout's link: the host opens a file it listed (at its first finding), and nothing else.
    const first = /findings in ([^,]+\.py)/.exec(explain.detail)![1];
    const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, first);
    await controller().receive({ type: 'openLossFile', uri: 'file:///etc/passwd' });
    assert.notEqual(vscode.window.activeTextEditor?.document.uri.path, '/etc/passwd');
    await controller().receive({ type: 'openLossFile', uri: file.toString() });
    assert.equal(vscode.window.activeTextEditor?.document.uri.path, file.path, 'the link opened the file');
  });

  it('the chosen model is the default for the next sample opened from the same folder', async () => {
    const next = repoPath('demo', 'images', 'slice_072.png');
    const from = events.length;
    await vscode.commands.executeCommand('seglens.openInSegLens', vscode.Uri.file(next), [
      vscode.Uri.file(next),
    ]);
    await waitFor(from, analysis('base', /181×217 foreground with GT/));
    const prob = controller().shownProb ?? '';
    log(`next sample's map: ${prob}`);
    assert.match(prob, /\/probs\/unet_dice_axis_bug\/slice_072\.npy$/);
    await new Promise((r) => setTimeout(r, 1000));
    await requestScreenshot('analysis-5c-remembered-model');
    // Back to the first model, which is then remembered, so later suites see the pairing's default again.
    const from2 = events.length;
    await controller().receive({ type: 'model', model: 'unet_bce' });
    await waitFor(from2, analysis('base'));
    assert.match(controller().shownProb ?? '', /\/probs\/unet_bce\/slice_072\.npy$/);
    const from3 = events.length;
    await vscode.commands.executeCommand('seglens.openInSegLens', vscode.Uri.file(slice), [
      vscode.Uri.file(slice),
    ]);
    await waitFor(from3, analysis('base'));
    assert.match(controller().shownProb ?? '', /\/probs\/unet_bce\/slice_068\.npy$/);
  });

  it('restores the decoder choices and the threshold from a persisted state', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    const api = ext?.exports as SegLensApi;
    const panel = vscode.window.createWebviewPanel('seglens.viewer', 'SegLens', vscode.ViewColumn.Active);
    const from = events.length;
    await api.restoreViewer(panel, {
      version: 1,
      sample: {
        image: vscode.Uri.file(slice).toString(),
        gt: vscode.Uri.file(repoPath('demo', 'masks', 'slice_068.png')).toString(),
        prob: vscode.Uri.file(repoPath('demo', 'probs', 'unet_bce', 'slice_068.npy')).toString(),
      },
      view: {
        opacity: 0.5,
        hidden: [],
        overlay: 'fill',
        zoom: 'fit',
        analysis: {
          decoderA: 'rankiou',
          decoderB: 'rankdice',
          show: 'prediction',
          settings: { threshold: 0.3, solver: 'rma' },
        },
      },
    });
    const d = await waitFor(from, analysis('drawn', /^rankiou prediction: .*t=0\.3;/));
    log(`restored: ${d.detail}`);
  });

  describe('bad input: clear in-panel messages, fixes only with consent', () => {
    const fx = (...p: string[]) => vscode.Uri.file(repoPath('test', 'fixtures', 'analysis', ...p));
    const open = async (name: string) => {
      const from = events.length;
      const uri = fx('images', `${name}.png`);
      await vscode.commands.executeCommand('seglens.openInSegLens', uri, [uri]);
      return from;
    };

    it('logits: says so and offers sigmoid; after consent the decoders run', async () => {
      const from = await open('logits');
      const p = await waitFor(from, analysis('problem', /logits/));
      log(`logits problem: ${p.detail}`);
      await new Promise((r) => setTimeout(r, 1000));
      await requestScreenshot('analysis-6-logits-offer');
      const from2 = events.length;
      await controller().receive({ type: 'consent', consent: 'sigmoid' });
      await waitFor(from2, analysis('base', /32×24 binary with GT/));
      await waitFor(from2, analysis('drawn', /macro Dice 0\.\d+/));
    });

    it('NaN in the probability map: a problem naming the file, no fix offered', async () => {
      const from = await open('nan');
      const p = await waitFor(from, analysis('problem', /NaN/));
      assert.match(p.detail, /nan\.npy/);
    });

    it('mismatched sizes: GT metrics hidden with a note until the user asks for a resize', async () => {
      const from = await open('small');
      await waitFor(from, analysis('base', /16×12 binary without GT, needs resize/));
      await new Promise((r) => setTimeout(r, 1000));
      await requestScreenshot('analysis-7-size-mismatch');
      const from2 = events.length;
      await controller().receive({ type: 'consent', consent: 'resize' });
      await waitFor(from2, analysis('base', /32×24 binary with GT$/));
    });

    it('no ground truth: expected Dice still shown, tuned threshold says why it is unavailable', async () => {
      const from = await open('nogt');
      await waitFor(from, analysis('base', /32×24 binary without GT$/));
      const tuned = await waitFor(from, analysis('decoder', /^tunedThreshold: /));
      assert.match(tuned.detail, /needs a ground truth/);
      await waitFor(from, analysis('decoder', /^rankdice: /));
      await new Promise((r) => setTimeout(r, 1000));
      await requestScreenshot('analysis-8-no-gt');
    });
  });
});
