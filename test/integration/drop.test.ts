// Dropping files on the SegLens panel, end to end in a real extension host: the panel's own page runs with one
// extra script (same nonce, so the page's CSP admits it) that dispatches a real DragEvent carrying a DataTransfer
// the way VS Code fills it for a Shift+drag from the explorer. The webview's drop target reads it and posts
// `dropFiles`; the host validates it, decides what may be opened, loads it into this panel, and the webview
// reports `rendered` — or the host answers a refused drop with a problem in the panel.
import assert from 'node:assert/strict';
import { copyFileSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SegLensApi } from '../../src/extension';
import type { ViewerEvent } from '../../src/vscode/viewer/context';
import { waitForViewerEvent } from './support/viewerEvents';
import { PROTOCOL_VERSION, VIEWER_VIEW_TYPE } from '../../src/protocol';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { makeTempDir } from '../support/tempDir';

const FIXTURES = repoPath('test', 'fixtures', 'images');
const fixture = (...p: string[]) => vscode.Uri.file(path.join(FIXTURES, ...p));

type Rendered = Extract<ViewerEvent, { type: 'rendered' }>;
type Problems = Extract<ViewerEvent, { type: 'problems' }>;

let api: SegLensApi;
let pristine: string | undefined;
const events: ViewerEvent[] = [];

const waitFor = <T extends ViewerEvent>(from: number, match: (e: ViewerEvent) => e is T, ms = 60_000) =>
  waitForViewerEvent(events, from, match, ms);

/** The drag data VS Code gives a webview for files dragged from its explorer (one line in text/uri-list). */
interface SimulatedDrop {
  uris: string[];
  /** Keep the drag hovering this long before dropping, so the highlight can be photographed. */
  hoverMs: number;
}

/**
 * Reloads the panel's page with a script appended that drags `drop` over the panel and drops it. The script runs
 * after the viewer's own (a synchronous script before it), so the drop target is installed and `ready` was sent.
 */
function simulateDrop(panel: vscode.WebviewPanel, drop: SimulatedDrop): void {
  // Always from the viewer's own page: the current one may already carry an earlier test's drop.
  pristine ??= panel.webview.html;
  const html = pristine;
  const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
  assert.ok(nonce, 'the viewer page has a nonce-protected script');
  const script = `
    (function (drop) {
      const dt = new DataTransfer();
      if (drop.uris.length > 0) {
        dt.setData('application/vnd.code.uri-list', drop.uris.join('\\r\\n'));
        dt.setData('text/uri-list', drop.uris[0]);
      } else {
        // A file from another application: the webview sees its bytes and name, never its location.
        dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'elsewhere.png', { type: 'image/png' }));
      }
      const fire = (type) =>
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      fire('dragenter');
      fire('dragover');
      setTimeout(() => fire('drop'), drop.hoverMs);
    })(${JSON.stringify(drop)});`;
  panel.webview.html = html.replace('</body>', `<script nonce="${nonce}">${script}</script>\n  </body>`);
}

const isRenderedAfter =
  (requestId: number, layers: string) =>
  (e: ViewerEvent): e is Rendered =>
    e.type === 'rendered' && e.requestId > requestId && e.layers.join() === layers;
const isProblems = (e: ViewerEvent): e is Problems => e.type === 'problems';

describe('viewer: dropping files on the panel', function () {
  this.timeout(180_000);
  let panel: vscode.WebviewPanel;
  let lastRequest = 0;

  before(async function () {
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext);
    api = await ext.activate();
    api.onViewerEvent((e) => events.push(e));
    // The outside-the-workspace refusal needs a folder open (the harness opens test/fixtures).
    if (!vscode.workspace.workspaceFolders?.length) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    panel = vscode.window.createWebviewPanel(VIEWER_VIEW_TYPE, 'SegLens', vscode.ViewColumn.Active);
    const from = events.length;
    // The extension's own panel class takes this panel over, exactly as after a window reload.
    await api.restoreViewer(panel, {
      version: PROTOCOL_VERSION,
      sample: { image: fixture('images', 'scan16.png').toString() },
      view: { opacity: 0.5, hidden: [], overlay: 'fill', zoom: 'fit' },
    });
    const r = await waitFor(from, (e): e is Rendered => e.type === 'rendered');
    lastRequest = r.requestId;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('three files dropped together open as one sample, sorted into image, mask and probability map', async () => {
    const from = events.length;
    simulateDrop(panel, {
      uris: [
        fixture('probs', 'case1.npy'),
        fixture('images', 'case1.png'),
        fixture('masks', 'case1.png'),
      ].map(String),
      hoverMs: 5000,
    });
    // While the drag hovers, the panel shows its drop highlight.
    await waitFor(from, (e): e is ViewerEvent => e.type === 'ready');
    await new Promise((r) => setTimeout(r, 1500));
    await requestScreenshot('drop-1-highlight');
    const r = await waitFor(from, isRenderedAfter(lastRequest, 'image,gt,prob'));
    assert.deepEqual([r.width, r.height], [32, 24]);
    lastRequest = r.requestId;
    assert.equal(api.openViewerCount(), 1, 'loaded into the panel it was dropped on');
    await requestScreenshot('drop-2-opened-trio');
  });

  it('one dropped file is paired like "Open in SegLens" (the mask found in masks/)', async () => {
    const from = events.length;
    simulateDrop(panel, { uris: [fixture('images', 'photo.jpg').toString()], hoverMs: 0 });
    const r = await waitFor(from, isRenderedAfter(lastRequest, 'image,gt'));
    assert.deepEqual([r.width, r.height], [32, 24]);
    lastRequest = r.requestId;
  });

  it('the workbench’s vscode-remote form of a workspace file opens too', async () => {
    const from = events.length;
    const file = fixture('images', 'case1.png').path;
    simulateDrop(panel, { uris: [`vscode-remote://localhost:8080${file}`], hoverMs: 0 });
    const r = await waitFor(from, isRenderedAfter(lastRequest, 'image,gt,prob'));
    lastRequest = r.requestId;
  });

  it('refuses a javascript: URI with a message in the panel, and opens nothing', async () => {
    const from = events.length;
    simulateDrop(panel, { uris: ['javascript:alert(1)'], hoverMs: 0 });
    const p = await waitFor(from, isProblems);
    assert.match(p.problems[0].message, /^Drop refused: only files can be dropped/);
    assert.equal(p.problems[0].severity, 'error');
    await requestScreenshot('drop-3-refused-javascript');
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!events.slice(from).some((e) => e.type === 'rendered' && e.requestId > lastRequest));
  });

  it('refuses a file outside the workspace folders by name, before reading it', async () => {
    const dir = makeTempDir('seglens-drop').path;
    const outside = path.join(dir, 'outside.png');
    copyFileSync(path.join(FIXTURES, 'images', 'case1.png'), outside);
    const from = events.length;
    simulateDrop(panel, {
      uris: [fixture('images', 'case1.png').toString(), vscode.Uri.file(outside).toString()],
      hoverMs: 0,
    });
    const p = await waitFor(from, isProblems);
    assert.match(p.problems[0].message, /outside\.png is outside the workspace folders/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!events.slice(from).some((e) => e.type === 'rendered' && e.requestId > lastRequest));
  });

  it('a link inside the workspace that leads out of it is refused by its real path, dropped or restored', async () => {
    const dir = makeTempDir('seglens-drop-link');
    const outside = path.join(dir.path, 'secret.png');
    copyFileSync(path.join(FIXTURES, 'images', 'case1.png'), outside);
    // Textually inside test/fixtures (the workspace), really in the temp folder.
    const link = path.join(FIXTURES, 'images', 'zz-link-out.png');
    symlinkSync(outside, link);
    try {
      const from = events.length;
      simulateDrop(panel, { uris: [vscode.Uri.file(link).toString()], hoverMs: 0 });
      const p = await waitFor(from, isProblems);
      assert.match(
        p.problems[0].message,
        /^Drop refused: .*zz-link-out\.png resolves to .*secret\.png, outside the workspace folders/,
      );
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(!events.slice(from).some((e) => e.type === 'rendered' && e.requestId > lastRequest));
      // A restored panel whose stored state names the link does not read it either: it says so, naming it.
      const restored = vscode.window.createWebviewPanel(
        VIEWER_VIEW_TYPE,
        'SegLens',
        vscode.ViewColumn.Active,
      );
      const from2 = events.length;
      await api.restoreViewer(restored, {
        version: PROTOCOL_VERSION,
        sample: { image: vscode.Uri.file(link).toString() },
        view: { opacity: 0.5, hidden: [], overlay: 'fill', zoom: 'fit' },
      });
      const p2 = await waitFor(from2, isProblems);
      assert.match(p2.problems[0].message, /^Not reopened after reload: .*zz-link-out\.png resolves to/);
      assert.ok(!events.slice(from2).some((e) => e.type === 'rendered'));
      await requestScreenshot('drop-5-restored-link-refused');
      restored.dispose();
    } finally {
      rmSync(link, { force: true });
      dir.dispose();
    }
  });

  it('a drop without file locations (from another application) says how to drop', async () => {
    const from = events.length;
    simulateDrop(panel, { uris: [], hoverMs: 0 });
    const p = await waitFor(from, isProblems);
    assert.match(p.problems[0].message, /carried no files.*Shift/);
    await requestScreenshot('drop-4-no-locations');
  });
});
