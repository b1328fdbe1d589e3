// Role and channel override end to end: a lone 5-channel .npy outside any probs/ folder opens as a grey image of
// channel 0; the panel's "read as: probability map, channel 2" (sent as the webview would) reloads it as that class's
// probability map, the choice is remembered for the file (reopening it keeps it), and "Automatic" brings the image
// back.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SegLensApi } from '../../src/extension';
import type { SegLensTestApi } from '../../src/vscode/testApi';
import type { ViewerEvent } from '../../src/vscode/viewer/context';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { seglensTestApi } from './support/testApi';
import { waitForViewerEvent } from './support/viewerEvents';

const events: ViewerEvent[] = [];
type Rendered = Extract<ViewerEvent, { type: 'rendered' }>;
type Problems = Extract<ViewerEvent, { type: 'problems' }>;
const rendered = (e: ViewerEvent): e is Rendered => e.type === 'rendered';
const notes =
  (re: RegExp) =>
  (e: ViewerEvent): e is Problems =>
    e.type === 'problems' && e.problems.some((p) => re.test(p.message));

describe('viewer: read a file as another role, one channel of it', function () {
  this.timeout(180_000);
  const file = vscode.Uri.file(repoPath('test', 'fixtures', 'images', 'formats', 'prob5_chw.npy'));
  let api: SegLensTestApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext);
    (await ext.activate()).onViewerEvent((e) => events.push(e));
    api = await seglensTestApi();
  });

  after(async () => {
    // Forget the choice so other suites open the file as the folder convention says.
    api.viewerMessage({ type: 'setRole', uri: file.toString(), choice: null });
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens as channel 0 of 5; read as a probability map (channel 2) it becomes one, and stays so', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    let from = events.length;
    await vscode.commands.executeCommand('seglens.openInSegLens', file, [file]);
    const first = await waitForViewerEvent(events, from, rendered, 90_000);
    assert.deepEqual(first.layers, ['image']);
    await waitForViewerEvent(events, from, notes(/Showing channel 0 of 5/));

    from = events.length;
    api.viewerMessage({ type: 'setRole', uri: file.toString(), choice: { role: 'prob', channel: 2 } });
    const asProb = await waitForViewerEvent(events, from, rendered, 90_000);
    assert.deepEqual(asProb.layers, ['prob']);
    await waitForViewerEvent(events, from, notes(/Showing channel 2 of 5, as you chose/));
    await new Promise((r) => setTimeout(r, 1000));
    await requestScreenshot('viewer-read-as-probability-channel-2');

    // Remembered: opening the file again reads it the chosen way.
    from = events.length;
    await vscode.commands.executeCommand('seglens.openInSegLens', file, [file]);
    assert.deepEqual((await waitForViewerEvent(events, from, rendered, 90_000)).layers, ['prob']);

    // A file that is not part of the shown sample is ignored.
    from = events.length;
    api.viewerMessage({ type: 'setRole', uri: 'file:///etc/hosts', choice: { role: 'mask' } });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(events.slice(from).filter(rendered).length, 0);

    // Automatic again: the folder convention's reading (an image).
    from = events.length;
    api.viewerMessage({ type: 'setRole', uri: file.toString(), choice: null });
    assert.deepEqual((await waitForViewerEvent(events, from, rendered, 90_000)).layers, ['image']);
  });
});
