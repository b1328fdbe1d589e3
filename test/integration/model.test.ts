// The model commands inside a real extension host: the demo U-Net runs on a demo slice from the explorer command
// and its probability map appears in the viewer as the prob layer; the panel's toolbar button (no argument) runs it
// on the image the panel shows; a folder run writes the 12 demo maps, equal to the committed ones, while the
// extension host's event loop is measured; a file that is not ONNX is refused by name. Dialogs are answered by
// replacing the window functions (the extension and this suite share one `vscode` API object).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { readNpy } from '../../src/core/io/npy';
import type { SegLensApi } from '../../src/extension';
import type { ViewerEvent } from '../../src/vscode/viewer/context';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { makeTempDir } from '../support/tempDir';

const DEMO = repoPath('demo');
const MODEL = path.join(DEMO, 'models', 'unet_bce.onnx');
const SLICE = path.join(DEMO, 'images', 'slice_068.png');

type Rendered = Extract<ViewerEvent, { type: 'rendered' }>;
const events: ViewerEvent[] = [];
let api: SegLensApi;

async function waitForRendered(from: number, ms = 90_000): Promise<Rendered> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = events.slice(from).find((e): e is Rendered => e.type === 'rendered');
    if (hit) return hit;
    if (Date.now() > deadline)
      throw new Error(`nothing rendered within ${ms} ms: ${JSON.stringify(events.slice(from))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Win = {
  showInformationMessage: (...a: unknown[]) => Thenable<unknown>;
  showErrorMessage: (...a: unknown[]) => Thenable<unknown>;
  showWarningMessage: (...a: unknown[]) => Thenable<unknown>;
  showQuickPick: (...a: unknown[]) => Thenable<unknown>;
};
const win = vscode.window as unknown as Win;

/**
 * Replaces the window's message and quick-pick functions for the duration of `body`, recording every message. Modal
 * questions get `modal(actions)`; quick picks get `pick(items)`; everything else is dismissed.
 */
async function withDialogs<T>(
  answers: {
    modal?: (message: string, actions: string[]) => string | undefined;
    pick?: (items: unknown[]) => unknown;
  },
  body: (messages: { kind: string; text: string }[]) => Promise<T>,
): Promise<T> {
  const original = {
    showInformationMessage: win.showInformationMessage,
    showErrorMessage: win.showErrorMessage,
    showWarningMessage: win.showWarningMessage,
    showQuickPick: win.showQuickPick,
  };
  const messages: { kind: string; text: string }[] = [];
  const message =
    (kind: string) =>
    async (text: unknown, ...rest: unknown[]) => {
      messages.push({ kind, text: String(text) });
      const opts = rest[0];
      if (opts && typeof opts === 'object' && (opts as { modal?: boolean }).modal) {
        return answers.modal?.(String(text), rest.slice(1).map(String));
      }
      return undefined;
    };
  win.showInformationMessage = message('info');
  win.showErrorMessage = message('error');
  win.showWarningMessage = message('warn');
  win.showQuickPick = async (items: unknown) => answers.pick?.(await (items as unknown[]));
  try {
    return await body(messages);
  } finally {
    Object.assign(win, original);
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  assert.ok(!Number.isNaN(m));
  return m;
}

describe('model commands', function () {
  this.timeout(180_000);
  const settings = () => vscode.workspace.getConfiguration('seglens.model');

  before(async function () {
    if (!existsSync(MODEL) || !existsSync(SLICE)) this.skip();
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext);
    api = await ext.activate();
    api.onViewerEvent((e) => events.push(e));
    await settings().update('path', MODEL, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await settings().update('path', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs only in a trusted workspace; the model settings are restricted when untrusted', () => {
    // The harness starts VS Code with workspace trust disabled, so the refusal itself is tested in plain node
    // (test/unit/vscode/model/flows.test.ts); here: the manifest VS Code reads.
    assert.equal(vscode.workspace.isTrusted, true);
    const pkg = vscode.extensions.getExtension('seglens.seglens')?.packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
    };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    // The model settings, the limit settings a workspace must not raise while untrusted, and the whole-workspace
    // lint on open (an untrusted folder must not start it from its own settings).
    assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), [
      'seglens.lint.maxFileLength',
      'seglens.lint.workspaceOnOpen',
      'seglens.maxPixels',
      'seglens.model.cacheMemoryMB',
      'seglens.model.config',
      'seglens.model.path',
    ]);
  });

  it('Run Model on Image (explorer): the demo U-Net on slice_068 → the panel shows its prob overlay', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const from = events.length;
    const t0 = Date.now();
    await withDialogs({}, async (messages) => {
      await vscode.commands.executeCommand('seglens.model.runOnImageFromExplorer', vscode.Uri.file(SLICE), [
        vscode.Uri.file(SLICE),
      ]);
      assert.deepEqual(
        messages.filter((m) => m.kind === 'error'),
        [],
      );
    });
    const r = await waitForRendered(from);
    log(`run on image → rendered in ${Date.now() - t0} ms (includes the first onnxruntime load)`);
    assert.deepEqual([r.width, r.height, r.layers.join()], [181, 217, 'image,gt,prob']);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.equal(tab?.label, 'SegLens: slice_068.png · unet_bce');
    assert.equal(api.openViewerCount(), 1);
    await new Promise((res) => setTimeout(res, 500));
    await requestScreenshot('model-run-on-image');
  });

  it("the panel's toolbar button (no argument) runs the model on the panel's image, in the same panel", async () => {
    const from = events.length;
    await vscode.commands.executeCommand('seglens.model.runOnImage');
    const r = await waitForRendered(from);
    assert.deepEqual([r.width, r.height, r.layers.join()], [181, 217, 'image,gt,prob']);
    assert.equal(api.openViewerCount(), 1, 'the open panel is reused');
  });

  it('Run Model on Folder: 12 maps equal to demo/probs/unet_bce within 1e-4; event-loop stall measured', async () => {
    const tmp = makeTempDir('seglens-folder').path;
    const images = path.join(tmp, 'images');
    mkdirSync(images);
    const names = readdirSync(path.join(DEMO, 'images')).filter((n) => n.endsWith('.png'));
    assert.equal(names.length, 12);
    for (const n of names) copyFileSync(path.join(DEMO, 'images', n), path.join(images, n));
    const out = path.join(tmp, 'probs', 'unet_bce');
    const asked: string[] = [];
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    let summary = '';
    const t0 = Date.now();
    await withDialogs(
      {
        // The first item is the suggested output folder, probs/unet_bce beside images/.
        pick: (items) => items[0],
        modal: (message, actions) => {
          asked.push(`${message} [${actions.join(' | ')}]`);
          return actions[0];
        },
      },
      async (messages) => {
        histogram.enable();
        try {
          await vscode.commands.executeCommand('seglens.model.runOnFolder', vscode.Uri.file(images));
        } finally {
          histogram.disable();
        }
        summary = messages.filter((m) => m.kind === 'info').at(-1)?.text ?? '';
        assert.deepEqual(
          messages.filter((m) => m.kind !== 'info'),
          [],
        );
      },
    );
    const maxStallMs = histogram.max / 1e6;
    log(
      `folder run of 12 slices: ${Date.now() - t0} ms; extension-host event loop: longest stall ` +
        `${maxStallMs.toFixed(1)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms, mean ` +
        `${(histogram.mean / 1e6).toFixed(1)} ms`,
    );
    assert.equal(asked.length, 1);
    assert.match(asked[0], /^Run unet_bce\.onnx on 12 images in .*images\? \[Write 12 probability maps\]$/);
    assert.match(summary, /unet_bce\.onnx: 12 written, 0 skipped \(existing\), 0 failed of 12/);
    for (const n of names) {
      const stem = n.replace(/\.png$/, '');
      const mine = readNpy(readFileSync(path.join(out, `${stem}.npy`)));
      const ref = readNpy(readFileSync(path.join(DEMO, 'probs', 'unet_bce', `${stem}.npy`)));
      assert.deepEqual(mine.shape, ref.shape, stem);
      const d = maxAbsDiff(mine.data as Float32Array, ref.data as Float32Array);
      assert.ok(d < 1e-4, `${stem}: max |difference| ${d}`);
    }
  });

  it('the host stays responsive through a longer folder run (six 1024² images): longest stall logged', async () => {
    const tmp = makeTempDir('seglens-big').path;
    const images = path.join(tmp, 'images');
    mkdirSync(images);
    // A demo slice tiled to 1024×1024 (grey, 8-bit): real anatomy at the size of the speed budget.
    const slice = decodePng(readFileSync(SLICE));
    const side = 1024;
    const channels = slice.channels;
    const big = new Uint8Array(side * side);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        big[y * side + x] = slice.data[((y % slice.height) * slice.width + (x % slice.width)) * channels];
      }
    }
    const png = encodePng({ width: side, height: side, data: big, channels: 1, depth: 8 });
    for (let i = 0; i < 6; i++) writeFileSync(path.join(images, `big_${i}.png`), png);
    // The same measurement on an idle host first, so the run's number can be read against the machine's noise.
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 2000));
    idle.disable();
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    const t0 = Date.now();
    let summary = '';
    await withDialogs({ pick: (items) => items[0], modal: (_m, actions) => actions[0] }, async (messages) => {
      histogram.enable();
      try {
        await vscode.commands.executeCommand('seglens.model.runOnFolder', vscode.Uri.file(images));
      } finally {
        histogram.disable();
      }
      summary = messages.filter((m) => m.kind === 'info').at(-1)?.text ?? '';
    });
    log(
      `folder run of six 1024² images: ${Date.now() - t0} ms; extension-host event loop: longest stall ` +
        `${(histogram.max / 1e6).toFixed(1)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms ` +
        `(idle host over 2 s: longest ${(idle.max / 1e6).toFixed(1)} ms)`,
    );
    assert.match(summary, /6 written, 0 skipped \(existing\), 0 failed of 6/);
    const map = readNpy(readFileSync(path.join(tmp, 'probs', 'unet_bce', 'big_0.npy')));
    assert.deepEqual(map.shape, [5, side, side]);
  });

  it('a file that is not ONNX gives an error naming the model and the cause; the host carries on', async () => {
    const tmp = makeTempDir('seglens-bad').path;
    const bad = path.join(tmp, 'bad_model.onnx');
    writeFileSync(bad, 'this is not a protobuf');
    await settings().update('path', bad, vscode.ConfigurationTarget.Global);
    try {
      await withDialogs({}, async (messages) => {
        await vscode.commands.executeCommand('seglens.model.runOnImageFromExplorer', vscode.Uri.file(SLICE));
        const errors = messages.filter((m) => m.kind === 'error').map((m) => m.text);
        assert.equal(errors.length, 1, JSON.stringify(messages));
        assert.match(
          errors[0],
          /^SegLens: .*bad_model\.onnx: cannot load the model: the file is not an ONNX model, or it is truncated/,
        );
      });
    } finally {
      await settings().update('path', MODEL, vscode.ConfigurationTarget.Global);
    }
    // The runner still works after the failure.
    const from = events.length;
    await vscode.commands.executeCommand('seglens.model.runOnImageFromExplorer', vscode.Uri.file(SLICE));
    const r = await waitForRendered(from);
    assert.ok(r.layers.includes('prob'));
  });
  it('logits without an activation: the error offers "Use sigmoid", and choosing it re-runs into the panel', async () => {
    const sidecar = JSON.parse(readFileSync(`${MODEL}.seglens.json`, 'utf8')) as Record<string, unknown>;
    await settings().update('config', { ...sidecar, activation: 'none' }, vscode.ConfigurationTarget.Global);
    const offered: string[][] = [];
    const win2 = vscode.window as unknown as Win;
    const original = win2.showErrorMessage;
    const from = events.length;
    try {
      win2.showErrorMessage = async (text: unknown, ...actions: unknown[]) => {
        offered.push([String(text), ...actions.map(String)]);
        return actions.includes('Use sigmoid') ? 'Use sigmoid' : undefined;
      };
      await vscode.commands.executeCommand('seglens.model.runOnImageFromExplorer', vscode.Uri.file(SLICE));
    } finally {
      win2.showErrorMessage = original;
      await settings().update('config', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(offered.length, 1, JSON.stringify(offered));
    assert.match(offered[0][0], /unet_bce\.onnx: output "logits" ranges over .*so it holds logits/);
    assert.deepEqual(offered[0].slice(1), ['Use softmax', 'Use sigmoid']);
    const r = await waitForRendered(from);
    assert.deepEqual([r.width, r.height, r.layers.join()], [181, 217, 'image,gt,prob']);
  });

  // Last: the selection is remembered in the workspace state and wins over the setting for the rest of the run.
  it('Select Model…: the workspace models in a quick pick, the config shown, then runs use the selection', async function () {
    const fixtures = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const image = path.join(fixtures, 'models', 'grey_13x10.png');
    if (!existsSync(path.join(fixtures, 'models', 'sigmoid_dynamic.onnx')) || !existsSync(image)) this.skip();
    const shown: string[] = [];
    let labels: string[] = [];
    await withDialogs(
      {
        pick: (items) => {
          labels = (items as { label: string }[]).map((i) => i.label);
          return (items as { label: string }[]).find((i) => i.label === 'sigmoid_dynamic.onnx');
        },
        modal: (message, actions) => {
          shown.push(`${message} [${actions.join(' | ')}]`);
          return 'OK';
        },
      },
      async (messages) => {
        await vscode.commands.executeCommand('seglens.model.select');
        assert.deepEqual(
          messages.filter((m) => m.kind === 'error'),
          [],
        );
      },
    );
    assert.ok(labels.includes('sigmoid_dynamic.onnx') && labels.includes('not_onnx.onnx'), labels.join());
    assert.ok(labels.at(-1)?.includes('Browse…'));
    assert.deepEqual(shown, ['Model sigmoid_dynamic.onnx selected for this workspace. [OK]']);
    const from = events.length;
    await vscode.commands.executeCommand('seglens.model.runOnImageFromExplorer', vscode.Uri.file(image));
    const r = await waitForRendered(from);
    assert.deepEqual([r.width, r.height], [10, 13]);
    assert.ok(r.layers.includes('prob'));
    assert.equal(
      vscode.window.tabGroups.activeTabGroup.activeTab?.label,
      'SegLens: grey_13x10.png · sigmoid_dynamic',
    );
  });
});
