// Decompression bombs opened in the editor (issue 17): the SegLens viewer must answer with a problem naming the
// file, the extension host must keep serving commands while the load is refused, its memory must not balloon, and
// the panel must still open a normal image afterwards. The bombs are built in milliseconds from repeated deflate
// blocks (test/support/fuzzBombs.ts); the CLI's measured peaks are test/unit/fuzz/bombs.test.ts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { resourceUsage } from 'node:process';
import * as vscode from 'vscode';
import type { SegLensApi } from '../../src/extension';
import type { ViewerEvent } from '../../src/vscode/viewer/context';
import { bigNpzBomb, bigPngBomb, lyingPngBomb } from '../support/fuzzBombs';
import { makeTempDir } from '../support/tempDir';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { waitForViewerEvent } from './support/viewerEvents';

let api: SegLensApi;
const events: ViewerEvent[] = [];
const isRendered = (e: ViewerEvent): e is Extract<ViewerEvent, { type: 'rendered' }> => e.type === 'rendered';
const isProblems = (e: ViewerEvent): e is Extract<ViewerEvent, { type: 'problems' }> => e.type === 'problems';

/**
 * Opens `uri` with "Open in SegLens" and, until that command settles, keeps making command round trips through the
 * extension host (`setContext` goes host → workbench → host), and one more once it is over (a stalled host never
 * completes it, and the test times out). Returns how many round trips completed while the load ran.
 */
async function openWhileProbing(uri: vscode.Uri): Promise<number> {
  let settled = false;
  const open = Promise.resolve(vscode.commands.executeCommand('seglens.openInSegLens', uri, [uri])).finally(
    () => {
      settled = true;
    },
  );
  let during = 0;
  const probe = (async () => {
    while (!settled) {
      await vscode.commands.executeCommand('setContext', 'seglens.test.bombProbe', during);
      if (!settled) during++;
    }
  })();
  await open;
  await probe;
  await vscode.commands.executeCommand('setContext', 'seglens.test.bombProbe', -1);
  return during;
}

describe('viewer: decompression bombs are refused by name, the host stays responsive', function () {
  this.timeout(180_000);
  const dir = makeTempDir('seglens-bomb-it');

  before(async () => {
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext, 'the extension under development is installed');
    api = await ext.activate();
    api.onViewerEvent((e) => events.push(e));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir.dispose();
  });

  const cases: { file: string; build: () => Uint8Array; says: RegExp }[] = [
    {
      file: 'bomb16.png',
      build: bigPngBomb,
      says: /bomb16\.png: image is 16384×16384 .*above the limit/,
    },
    {
      file: 'lying.png',
      build: lyingPngBomb,
      says: /lying\.png: corrupt PNG \(decompression bomb\?\)/,
    },
    {
      file: 'bomb.npz',
      build: bigNpzBomb,
      says: /bomb\.npz: .*(would inflate to \d+ bytes|larger than the pixel limit|above the limit)/,
    },
  ];

  for (const c of cases) {
    it(`${c.file} (2 MB, 2 GiB inflated): a problem naming it, command round trips meanwhile, no drawing`, async () => {
      const file = path.join(dir.path, c.file);
      writeFileSync(file, c.build());
      const peakBefore = resourceUsage().maxRSS;
      const from = events.length;
      const during = await openWhileProbing(vscode.Uri.file(file));
      const p = await waitForViewerEvent(events, from, isProblems, 120_000);
      const peakGrowthMb = (resourceUsage().maxRSS - peakBefore) / 1024;
      log(
        `${c.file}: "${p.problems.map((x) => x.message).join(' | ')}"; ${during} command round trips during the ` +
          `load; host peak RSS grew ${peakGrowthMb.toFixed(0)} MB`,
      );
      assert.ok(
        p.problems.some((x) => x.severity === 'error' && c.says.test(x.message)),
        p.problems.map((x) => x.message).join('\n'),
      );
      assert.ok(!events.slice(from).some(isRendered), 'nothing was drawn from the bomb');
      assert.equal(api.workerStats().busy, 0, 'no worker is left inflating the bomb');
      // A bomb inflated in the host or a worker would raise the process's peak by gigabytes.
      assert.ok(peakGrowthMb < 300, `the extension host's peak RSS grew by ${peakGrowthMb.toFixed(0)} MB`);
      // The panel shows the problem once its webview is ready (a new panel queues it until then).
      await waitForViewerEvent(
        events,
        0,
        (e): e is ViewerEvent => e.type === 'ready' && e.panelId === p.panelId,
      );
      await new Promise((r) => setTimeout(r, 500)); // for the picture only: let the webview paint the message
      await requestScreenshot(`viewer-bomb-${c.file.replace(/\W+/g, '-')}`);
    });
  }

  it('after the bombs, the panel still opens a normal image', async () => {
    const from = events.length;
    const uri = vscode.Uri.file(repoPath('test', 'fixtures', 'images', 'images', 'case1.png'));
    await vscode.commands.executeCommand('seglens.openInSegLens', uri, [uri]);
    const r = await waitForViewerEvent(events, from, isRendered, 120_000);
    assert.deepEqual([r.width, r.height], [32, 24]);
  });
});
