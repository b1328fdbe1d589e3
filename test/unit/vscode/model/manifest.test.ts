/**
 * The model commands' part of package.json against the code: every command contributed and activating, the
 * explorer entries (images; folders) hidden from the palette, the panel toolbar button, the settings with their
 * defaults, and the settings restricted in untrusted workspaces.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MODEL_COMMAND_IDS,
  MODEL_IMAGE_EXTENSIONS,
  MODEL_SETTING_KEYS,
} from '../../../../src/vscode/model/ids';
import { VIEWER_VIEW_TYPE } from '../../../../src/protocol';
import { repoPath } from '../../../support/repo';

interface Entry {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string; icon?: string }[];
    menus: Record<string, Entry[]>;
    configuration: { properties: Record<string, { type: unknown; default: unknown }> };
  };
}
const pkg = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as Manifest;
const menu = (name: string, id: string) => pkg.contributes.menus[name]?.find((m) => m.command === id);

describe('host/modelCommands: manifest', () => {
  it('contributes the commands in category SegLens with the titles of the issue, each activating', () => {
    const title = (id: string) => pkg.contributes.commands.find((c) => c.command === id);
    for (const id of MODEL_COMMAND_IDS) {
      assert.equal(title(id)?.category, 'SegLens', id);
      assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), id);
    }
    assert.equal(title('seglens.model.runOnImage')?.title, 'Run Model on Image');
    assert.equal(title('seglens.model.runOnImageFromExplorer')?.title, 'Run Model on Image');
    assert.equal(title('seglens.model.runOnFolder')?.title, 'Run Model on Folder');
    assert.equal(title('seglens.model.select')?.title, 'Select Model…');
  });

  it('explorer: images and folders, hidden from the palette; palette: run on image and select', () => {
    const img = menu('explorer/context', 'seglens.model.runOnImageFromExplorer');
    const m = /^resourceExtname =~ \/(.*)\/([a-z]*)$/.exec(img?.when ?? '');
    assert.ok(m, img?.when);
    const re = new RegExp(m[1], m[2]);
    for (const ext of MODEL_IMAGE_EXTENSIONS)
      assert.ok(re.test(`.${ext}`) && re.test(`.${ext.toUpperCase()}`), ext);
    for (const ext of ['.npy', '.onnx', '.json', '.pngx', '']) assert.ok(!re.test(ext), ext);
    assert.equal(menu('explorer/context', 'seglens.model.runOnFolder')?.when, 'explorerResourceIsFolder');
    assert.equal(menu('commandPalette', 'seglens.model.runOnImageFromExplorer')?.when, 'false');
    assert.equal(menu('commandPalette', 'seglens.model.runOnFolder')?.when, 'false');
    assert.equal(menu('commandPalette', 'seglens.model.runOnImage'), undefined);
    assert.equal(menu('commandPalette', 'seglens.model.select'), undefined);
  });

  it("the viewer panel's toolbar button runs the palette command", () => {
    const button = menu('editor/title', 'seglens.model.runOnImage');
    assert.equal(button?.when, `activeWebviewPanelId == '${VIEWER_VIEW_TYPE}'`);
    assert.equal(button?.group, 'navigation');
    assert.ok(pkg.contributes.commands.find((c) => c.command === 'seglens.model.runOnImage')?.icon);
  });

  it('settings: model path and inline config, restricted in untrusted workspaces', () => {
    const props = pkg.contributes.configuration.properties;
    for (const key of MODEL_SETTING_KEYS) assert.ok(props[`seglens.model.${key}`], key);
    assert.equal(props['seglens.model.path'].default, '');
    assert.equal(props['seglens.model.config'].default, null);
    assert.deepEqual([...(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [])].sort(), [
      'seglens.model.config',
      'seglens.model.path',
    ]);
    const src = readFileSync(repoPath('src/vscode/model/commands.ts'), 'utf8');
    const read = [...src.matchAll(/c\.get\('([^']+)'\)/g)].map((x) => x[1]).sort();
    assert.deepEqual(read, [...MODEL_SETTING_KEYS].sort());
  });
});
