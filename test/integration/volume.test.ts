// The volume viewer inside a real extension host: "Open in SegLens" on the fixture trio (image, GT, prediction on
// an oblique, anisotropic grid) opens the SegLens Volume panel, the worker pool scores it, the webview draws three
// planes, and the panel's metrics equal the NumPy/SciPy reference (test/fixtures/volume/expected.json). A grid
// mismatch is shown with both files and the property; a single clicked demo volume finds its folder's partners
// and decodes the probability volume.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VolumePanelSnapshot } from '../../src/vscode/volume/volumePanel';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';

const FIX = (name: string) => vscode.Uri.file(repoPath('test', 'fixtures', 'volume', name));
const expected = JSON.parse(
  readFileSync(repoPath('test', 'fixtures', 'volume', 'expected.json'), 'utf8'),
) as {
  dims: number[];
  spacing: number[];
  metrics: Record<string, { dice: number; hd95: number; tp: number; fn: number; fp: number }>;
};

async function openFromExplorer(...uris: vscode.Uri[]): Promise<VolumePanelSnapshot> {
  const t0 = Date.now();
  const snap = await vscode.commands.executeCommand<VolumePanelSnapshot>(
    'seglens.volume.openFromExplorer',
    uris[0],
    uris,
  );
  log(
    `volume panel: ${uris.map((u) => path.basename(u.fsPath)).join(' + ')} → ${snap?.state} in ${Date.now() - t0} ms`,
  );
  return snap;
}

const close = (a: number, b: number, rel: number) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('volume viewer', function () {
  this.timeout(120_000);

  before(async () => {
    const ext = vscode.extensions.getExtension('seglens.seglens');
    assert.ok(ext);
    await ext.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the fixture trio in three planes with the reference metrics and the physical aspect', async () => {
    const snap = await openFromExplorer(FIX('image.nii.gz'), FIX('gt.nii.gz'), FIX('pred.nii.gz'));
    assert.equal(snap.state, 'shown', snap.message);
    const h = snap.header!;
    assert.deepEqual(h.dims, expected.dims);
    assert.equal(h.orientation, 'LAS');
    assert.deepEqual(
      h.files.map((f) => `${f.role}:${f.name}`),
      ['image:image.nii.gz', 'gt:gt.nii.gz', 'pred:pred.nii.gz'],
    );
    for (const row of h.rows) {
      const e = expected.metrics[String(row.cls)];
      close(row.dice, e.dice, 1e-12);
      // The header's spacing is float32: HD95 in mm agrees to float32 precision.
      close(row.hd95, e.hd95, 1e-6);
      assert.equal(row.gtVoxels, e.tp + e.fn);
      assert.equal(row.predVoxels, e.tp + e.fp);
    }
    assert.equal(h.rows.length, 2);
    // Each plane was drawn with its physical aspect: drawn width / height = (w · sx) / (h · sy).
    const drawn = snap.drawn!;
    assert.equal(drawn.planes.length, 3);
    for (const p of drawn.planes) {
      const info = h.planes.find((x) => x.plane === p.plane)!;
      const want = (info.width * info.pixelWidth) / (info.height * info.pixelHeight);
      assert.ok(p.width > 20 && p.height > 20, `${p.plane} drawn ${p.width}×${p.height}`);
      close(p.width / p.height, want, 1e-6);
      log(
        `${p.plane}: ${info.width}×${info.height} voxels of ${info.pixelWidth.toFixed(2)}×${info.pixelHeight.toFixed(2)} mm drawn ${p.width.toFixed(0)}×${p.height.toFixed(0)} px; letters ${JSON.stringify(info.letters)}`,
      );
    }
    // Logged, never asserted (the budget: a slice change ≤ 16 ms in the webview).
    log(`webview: three slices composed and drawn in ${drawn.drawMs?.toFixed(1)} ms`);
    // The LAS grid's axial plane is cut across k, with the patient's right on the screen's left (radiological).
    const axial = h.planes.find((x) => x.plane === 'axial')!;
    assert.equal(axial.normalAxis, 2);
    assert.deepEqual([axial.letters.left, axial.letters.right, axial.letters.top], ['R', 'L', 'A']);
    await requestScreenshot('volume-trio');
  });

  it('"Open Volume…" with files given: an NRRD ground truth and a MetaImage prediction score the same', async () => {
    const snap = await vscode.commands.executeCommand<VolumePanelSnapshot>('seglens.volume.open', [
      FIX('gt.nrrd'),
      FIX('pred.mhd'),
    ]);
    assert.equal(snap.state, 'shown', snap.message);
    assert.deepEqual(
      snap.header!.files.map((f) => `${f.role}:${f.name}`),
      ['gt:gt.nrrd', 'pred:pred.mhd'],
    );
    for (const row of snap.header!.rows) {
      close(row.dice, expected.metrics[String(row.cls)].dice, 1e-12);
      close(row.hd95, expected.metrics[String(row.cls)].hd95, 1e-6);
    }
    // Without an image the planes are black under the overlay; they are still drawn at the physical aspect.
    assert.equal(snap.drawn!.planes.length, 3);
  });

  it('refuses volumes on different grids, naming both files and the property', async () => {
    const snap = await openFromExplorer(FIX('gt.nii.gz'), FIX('pred_spacing.nii.gz'));
    assert.equal(snap.state, 'mismatch');
    assert.equal(snap.mismatch!.differences[0].property, 'spacing');
    assert.match(snap.message!, /gt\.nii\.gz.*pred_spacing\.nii\.gz/);
    assert.match(snap.message!, /does not resample/);
    await requestScreenshot('volume-mismatch');
  });

  it('a single demo volume finds its labels and probability volume and decodes it in the pool', async () => {
    const snap = await openFromExplorer(vscode.Uri.file(repoPath('demo', 'volume', 't1.nii.gz')));
    assert.equal(snap.state, 'shown', snap.message);
    const h = snap.header!;
    assert.deepEqual(
      h.files.map((f) => f.role),
      ['image', 'gt', 'prob'],
    );
    assert.match(h.predLabel ?? '', /prob_unet_bce\.nii\.gz/);
    assert.equal(h.rows.length, 5);
    assert.deepEqual(
      h.rows.map((r) => r.name),
      ['caudate', 'putamen', 'pallidum', 'thalamus', 'hippocampus+amygdala'],
    );
    for (const r of h.rows) assert.ok(r.dice > 0.3 && r.dice <= 1, `${r.name} Dice ${r.dice}`);
    assert.ok(h.decoders.some((d) => d.name === 'rankdice'));
  });
});
