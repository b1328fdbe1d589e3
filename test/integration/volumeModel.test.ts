// "Run Model Slice by Slice…" inside a real extension host: the demo volume open in the SegLens Volume panel, the
// BCE demo U-Net run on its axial slices in the model worker; the probability volume it wrote becomes the panel's
// (heatmap, decoders, per-structure metrics), and those metrics equal the panel's own when the same three files
// are opened together — "as if the probability volume had been opened".
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VolumeModelOutcome } from '../../src/vscode/volume/runModel';
import type { VolumePanelSnapshot } from '../../src/vscode/volume/volumePanel';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';

const DEMO = (name: string) => vscode.Uri.file(repoPath('demo', 'volume', name));
const MODEL = repoPath('demo', 'models', 'unet_bce.onnx');

type Win = {
  showInformationMessage: (...a: unknown[]) => Thenable<unknown>;
  showQuickPick: (...a: unknown[]) => Thenable<unknown>;
};
const win = vscode.window as unknown as Win;

/** Answers the quick picks with `pick` and records the notifications while `body` runs. */
async function withPicks<T>(
  pick: (items: { label: string }[]) => unknown,
  body: (infos: string[], titles: string[]) => Promise<T>,
): Promise<T> {
  const original = { showInformationMessage: win.showInformationMessage, showQuickPick: win.showQuickPick };
  const infos: string[] = [];
  const titles: string[] = [];
  win.showInformationMessage = async (text: unknown) => {
    infos.push(String(text));
    return undefined;
  };
  win.showQuickPick = async (items: unknown, options: unknown) => {
    titles.push(String((options as { title?: string }).title));
    return pick(await (items as { label: string }[]));
  };
  try {
    return await body(infos, titles);
  } finally {
    Object.assign(win, original);
  }
}

describe('volume model run', function () {
  this.timeout(180_000);

  before(async () => {
    const ext = vscode.extensions.getExtension('seglens.seglens');
    assert.ok(ext);
    await ext.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs the 2-D demo model on the axial slices and shows its probability volume with metrics', async () => {
    const opened = await vscode.commands.executeCommand<VolumePanelSnapshot>(
      'seglens.volume.openFromExplorer',
      DEMO('t1.nii.gz'),
      [DEMO('t1.nii.gz')],
    );
    assert.equal(opened.state, 'shown', opened.message);
    assert.deepEqual(
      opened.header!.files.map((f) => `${f.role}:${f.name}`),
      ['image:t1.nii.gz', 'gt:labels.nii.gz', 'prob:prob_unet_bce.nii.gz'],
    );

    const t0 = Date.now();
    const outcome = await vscode.commands.executeCommand<VolumeModelOutcome | undefined>(
      'seglens.volume.runModel',
      { model: MODEL, axis: 'axial', panelId: opened.panelId },
    );
    assert.ok(outcome, 'the run gave no outcome (see the notifications in the log)');
    const { summary, snapshot } = outcome;
    log(
      `volume model run: ${summary.slices} axial slices → [${summary.shape.join(', ')}] in ` +
        `${Date.now() - t0} ms (model ${summary.timings.runMs.toFixed(0)} ms); ${summary.intensity}`,
    );
    assert.equal(summary.slices, 68);
    assert.deepEqual(summary.shape, [5, 68, 82, 94]);
    assert.ok(existsSync(summary.output), summary.output);
    assert.equal(path.basename(summary.output), 't1_prob_unet_bce_axial.nii');

    assert.equal(snapshot.state, 'shown', snapshot.message);
    assert.equal(snapshot.panelId, opened.panelId, 'the same panel shows the result');
    const h = snapshot.header!;
    assert.deepEqual(
      h.files.map((f) => `${f.role}:${f.name}`),
      ['image:t1.nii.gz', 'gt:labels.nii.gz', 'prob:t1_prob_unet_bce_axial.nii'],
    );
    assert.equal(h.hasHeat, true, 'the probability overlay');
    assert.match(h.predLabel ?? '', /of t1_prob_unet_bce_axial\.nii/);
    assert.ok(h.decoders.some((d) => d.name === 'rankdice'));
    assert.ok(
      h.notes.some((n) =>
        n.startsWith('Probability volume of unet_bce.onnx, run slice by slice on the 68 axial'),
      ),
    );
    assert.deepEqual(
      h.rows.map((r) => r.name),
      ['caudate', 'putamen', 'pallidum', 'thalamus', 'hippocampus+amygdala'],
    );
    // Trained on the axial slices of this volume: the structures are found (numbers are optimistic, demo/volume).
    for (const r of h.rows) {
      log(`  ${r.name}: Dice ${r.dice.toFixed(4)}, HD95 ${r.hd95.toFixed(2)} mm`);
      assert.ok(r.dice > 0.5 && r.dice <= 1, `${r.name} Dice ${r.dice}`);
    }
    await requestScreenshot('volume-model-run');

    // The same three files opened together give the same numbers.
    const reopened = await vscode.commands.executeCommand<VolumePanelSnapshot>('seglens.volume.open', [
      DEMO('t1.nii.gz'),
      DEMO('labels.nii.gz'),
      vscode.Uri.file(summary.output),
    ]);
    assert.equal(reopened.state, 'shown', reopened.message);
    const r2 = reopened.header!;
    assert.equal(r2.files.find((f) => f.role === 'prob')?.name, 't1_prob_unet_bce_axial.nii');
    assert.deepEqual(
      r2.rows.map((r) => [r.cls, r.dice, r.hd95, r.gtVoxels, r.predVoxels]),
      h.rows.map((r) => [r.cls, r.dice, r.hd95, r.gtVoxels, r.predVoxels]),
    );
    assert.equal(r2.macroDice, h.macroDice);
  });

  it('without a volume panel it says to open one; on a float LAS volume it asks the plane and the window', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await withPicks(
      () => undefined,
      async (infos) => {
        const none = await vscode.commands.executeCommand('seglens.volume.runModel', { model: MODEL });
        assert.equal(none, undefined);
        assert.ok(
          infos.some((m) => m.includes('open a volume first')),
          infos.join('\n'),
        );
      },
    );
    const fix = (name: string) => vscode.Uri.file(repoPath('test', 'fixtures', 'volume', name));
    const opened = await vscode.commands.executeCommand<VolumePanelSnapshot>(
      'seglens.volume.openFromExplorer',
      fix('image.nii.gz'),
      [fix('image.nii.gz'), fix('gt.nii.gz')],
    );
    assert.equal(opened.state, 'shown', opened.message);
    const img = opened.header!.image!;
    assert.ok(img.min < 0, 'the fixture image (float64, −21…200) leaves 0…255');
    const outcome = await withPicks(
      (items) => items.find((i) => i.label === 'coronal' || i.label.startsWith('Window ')),
      async (_infos, titles) => {
        const o = await vscode.commands.executeCommand<VolumeModelOutcome | undefined>(
          'seglens.volume.runModel',
          { model: MODEL },
        );
        assert.deepEqual(titles, [
          'SegLens: Run Model Slice by Slice — the plane',
          'SegLens: Run Model Slice by Slice — the intensities',
        ]);
        return o;
      },
    );
    assert.ok(outcome);
    const { summary, snapshot } = outcome;
    log(`float fixture: ${summary.slices} coronal slices; ${summary.intensity}`);
    const coronal = opened.header!.planes.find((p) => p.plane === 'coronal')!;
    assert.equal(summary.slices, coronal.slices);
    assert.match(summary.intensity, /^window .* mapped to 0…255, fed as an 8-bit picture$/);
    assert.equal(snapshot.state, 'shown', snapshot.message);
    assert.equal(snapshot.header!.hasHeat, true);
    assert.deepEqual(snapshot.header!.dims, opened.header!.dims);
    assert.equal(snapshot.header!.orientation, 'LAS');
  });
});
