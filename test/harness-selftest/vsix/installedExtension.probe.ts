// Runs inside the harness extension host after the packaged VSIX was installed with `--install-extension`: the
// installed copy (not the repository) must activate, register every command it contributes, and carry native
// modules that load on this platform. Bundled as a *.test.js next to the suite entry by tools/harness/package.ts.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { repoRoot } from '../../integration/support/paths';
import { requestScreenshot } from '../../integration/support/screenshot';
import type { SegLensApi } from '../../../src/extension';
import type { ViewerEvent } from '../../../src/vscode/viewer/context';

interface Contributes {
  commands?: { command: string }[];
}

const EXTENSION_ID = 'seglens.seglens';

describe('packaged VSIX', () => {
  it('is installed from the VSIX, not loaded from the repository', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    assert.ok(
      !path.resolve(ext.extensionPath).startsWith(path.resolve(repoRoot)),
      `${ext.extensionPath} is the repository, not the installed copy`,
    );
  });

  it('activates and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const contributed = ((ext.packageJSON as { contributes?: Contributes }).contributes?.commands ?? []).map(
      (c) => c.command,
    );
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('ships sharp and onnxruntime-node binaries that load here', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // Resolve them from the installed extension's folder, as its bundle does, never from the repository.
    const load = createRequire(path.join(ext.extensionPath, 'package.json'));
    const sharp = load('sharp') as (input: unknown) => { metadata(): Promise<{ width?: number }> };
    const png = await sharpTinyPng(sharp);
    assert.equal(png, 2);
    const ort = load('onnxruntime-node') as { listSupportedBackends?: () => { name: string }[] };
    assert.ok(
      ort.listSupportedBackends?.().some((b) => b.name === 'cpu'),
      'onnxruntime-node has no cpu backend',
    );
  });

  it('opens a demo image from the installed copy and its webview renders it', async () => {
    const ext = vscode.extensions.getExtension<SegLensApi>(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    const events: ViewerEvent[] = [];
    const subscription = api.onViewerEvent((e) => events.push(e));
    try {
      const image = vscode.Uri.file(path.join(repoRoot, 'demo', 'images', 'slice_048.png'));
      await vscode.commands.executeCommand('seglens.openInSegLens', image, [image]);
      // `rendered` comes from the webview: the bundles, the webview script and its assets all loaded and worked.
      const deadline = Date.now() + 60_000;
      let rendered: Extract<ViewerEvent, { type: 'rendered' }> | undefined;
      while (!rendered && Date.now() < deadline) {
        rendered = events.find((e): e is Extract<ViewerEvent, { type: 'rendered' }> => e.type === 'rendered');
        if (!rendered) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(rendered, `the panel never rendered; events: ${JSON.stringify(events)}`);
      const size = await sharpSize(createRequire(path.join(ext.extensionPath, 'package.json')), image.fsPath);
      assert.deepEqual([rendered.width, rendered.height], size);
      await requestScreenshot('vsix-installed-panel');
    } finally {
      subscription.dispose();
    }
  });
});

/** Width and height of an image file as sharp reads them: an independent reference for the drawn size. */
async function sharpSize(load: NodeRequire, file: string): Promise<[number | undefined, number | undefined]> {
  const sharp = load('sharp') as (input: string) => {
    metadata(): Promise<{ width?: number; height?: number }>;
  };
  const meta = await sharp(file).metadata();
  return [meta.width, meta.height];
}

/** Width of a 2×1 raw image sharp encodes and reads back: a real call into libvips. */
async function sharpTinyPng(
  sharp: (input: unknown, options?: unknown) => unknown,
): Promise<number | undefined> {
  const make = sharp as (
    input: Buffer,
    options: { raw: { width: number; height: number; channels: number } },
  ) => { png(): { toBuffer(): Promise<Buffer> } };
  const encoded = await make(Buffer.from([0, 0, 0, 255, 255, 255]), {
    raw: { width: 2, height: 1, channels: 3 },
  })
    .png()
    .toBuffer();
  const read = sharp as (input: Buffer) => { metadata(): Promise<{ width?: number }> };
  return (await read(encoded).metadata()).width;
}
