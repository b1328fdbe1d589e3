// A large image is sent as its preview first (issue 13, command to overlay): the overlay is drawn over the preview,
// stretched to the image's own size, before the image itself arrives. A 4096² RGB picture with a shape that shows
// any shift, flip or scale (a disc, a square in one corner) and the disc as the ground truth: both screenshots —
// over the preview, then over the image — must show the overlay on the disc. The preview's event comes first, the
// image's `rendered` after it, with the full size; a small image sends no preview.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { labelsToPng } from '../../src/core/viewmodel/exportFormats';
import type { SegLensApi } from '../../src/extension';
import type { ViewerEvent } from '../../src/vscode/viewer/context';
import { loadAverage, openBreakdown } from './support/openTimings';
import { waitForViewerEvent } from './support/viewerEvents';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { makeTempDir } from '../support/tempDir';

const events: ViewerEvent[] = [];
const waitFor = <T extends ViewerEvent>(from: number, match: (e: ViewerEvent) => e is T, ms = 120_000) =>
  waitForViewerEvent(events, from, match, ms);
const isRendered = (e: ViewerEvent): e is Extract<ViewerEvent, { type: 'rendered' }> => e.type === 'rendered';
const isPreviewed = (e: ViewerEvent): e is Extract<ViewerEvent, { type: 'previewed' }> =>
  e.type === 'previewed';

const N = 4096;

describe('viewer: a large image arrives as its preview first', function () {
  this.timeout(300_000);
  let dir: { path: string; dispose(): void };

  before(async () => {
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext);
    const api = await ext.activate();
    api.onViewerEvent((e) => events.push(e));
    dir = makeTempDir('seglens-preview');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir.dispose();
  });

  it('draws the overlay over the preview at the image’s size, then over the image', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const d of ['images', 'masks']) mkdirSync(path.join(dir.path, d));
    // RGB: a diagonal gradient, a light disc in the centre, a red square in the top-left quadrant.
    const rgb = new Uint8Array(N * N * 3);
    const gt = new Uint8Array(N * N);
    for (let y = 0; y < N; y++)
      for (let x = 0; x < N; x++) {
        const i = y * N + x;
        const disc = Math.hypot(x - N / 2, y - N / 2) < N / 4;
        const square = x >= N / 16 && x < N / 4 && y >= N / 16 && y < N / 4;
        const g = ((x + y) * 96) / (2 * N);
        rgb[3 * i] = square ? 220 : disc ? 230 : g;
        rgb[3 * i + 1] = square ? 40 : disc ? 230 : g;
        rgb[3 * i + 2] = square ? 40 : disc ? 230 : g + 40;
        gt[i] = disc ? 1 : 0;
      }
    const sharp = ((await import('sharp')) as unknown as { default: typeof import('sharp').default }).default;
    await sharp(rgb, { raw: { width: N, height: N, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toFile(path.join(dir.path, 'images', 'shape.png'));
    writeFileSync(path.join(dir.path, 'masks', 'shape.png'), labelsToPng(gt, N, N));

    const uri = vscode.Uri.file(path.join(dir.path, 'images', 'shape.png'));
    const from = events.length;
    const t0 = Date.now();
    await vscode.commands.executeCommand('seglens.openInSegLens', uri, [uri]);
    const previewed = await waitFor(from, isPreviewed);
    const previewAt = Date.now() - t0;
    // Over the preview, unless the image overtook the screenshot (logged).
    await requestScreenshot('viewer-preview-1-preview');
    const imageFirst = events.slice(from).some(isRendered);
    const r = await waitFor(from, isRendered);
    assert.equal(r.requestId, previewed.requestId);
    assert.ok(events.indexOf(previewed) < events.indexOf(r), 'the preview was drawn before the image itself');
    assert.deepEqual([r.width, r.height, r.layers.join()], [N, N, 'image,gt']);
    assert.ok(r.timings?.preview, 'the rendered event tells when the preview was shown');
    await requestScreenshot('viewer-preview-2-image');
    log(
      `4096² RGB + mask: overlay over the preview after ${previewAt} ms (host), the image itself: ${openBreakdown(r.timings, t0)}; ` +
        `the first screenshot shows ${imageFirst ? 'the image (it arrived first)' : 'the preview'}; ${loadAverage()}`,
    );

    // A small image crosses as it is: no preview.
    const small = vscode.Uri.file(repoPath('test', 'fixtures', 'images', 'images', 'case1.png'));
    const from2 = events.length;
    await vscode.commands.executeCommand('seglens.openInSegLens', small, [small]);
    await waitFor(from2, isRendered);
    assert.equal(events.slice(from2).filter(isPreviewed).length, 0, 'no preview for a small image');
  });
});
