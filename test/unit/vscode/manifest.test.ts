// package.json against the code, in one place: every command of the one command list (src/vscode/commands/ids.ts)
// contributed with its title and the other way round, no redundant activation events, menus and palette
// visibility, every setting the host reads contributed with the default the code falls back to, untrusted
// workspaces, the build's bundles and the icon.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, COMMAND_IDS } from '../../../src/vscode/commands/ids';
import { LINT_COMMANDS, LINT_SETTING_KEYS } from '../../../src/vscode/diagnostics/ids';
import { LAYOUT_CHOICES, LINT_DEFAULTS } from '../../../src/vscode/diagnostics/settings';
import { MODEL_IMAGE_EXTENSIONS, MODEL_SETTING_KEYS } from '../../../src/vscode/model/ids';
import { DEFAULT_PAIRING_RULES, OPENABLE_EXTENSIONS } from '../../../src/node/io/pairing';
import { VIEWER_VIEW_TYPE } from '../../../src/protocol';
import { REPO, repoPath } from '../../support/repo';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  name: string;
  displayName: string;
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  capabilities: {
    untrustedWorkspaces: { supported: unknown; description?: string; restrictedConfigurations?: string[] };
  };
  contributes: {
    commands: { command: string; title: string; category: string; icon?: string }[];
    menus: Record<string, MenuEntry[]>;
    configuration: {
      properties: Record<string, { type: unknown; default: unknown; enum?: string[]; scope?: string }>;
    };
  };
}
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;
const menu = (name: string, id: string) => pkg.contributes.menus[name]?.find((m) => m.command === id);
const contributed = (id: string) => pkg.contributes.commands.find((c) => c.command === id);

/** The regex of a `resourceExtname =~ /…/i` when clause, evaluated the way VS Code does. */
function extnameRegex(when: string | undefined): RegExp {
  const m = /^resourceExtname =~ \/(.*)\/([a-z]*)$/.exec(when ?? '');
  assert.ok(m, `when clause shape: ${when}`);
  return new RegExp(m[1], m[2]);
}

describe('manifest (package.json) against the code', () => {
  it('identity, engine and entry point', () => {
    assert.equal(pkg.name, 'seglens');
    assert.equal(pkg.displayName, 'SegLens — Segmentation Debugger');
    assert.equal(pkg.engines.vscode, '^1.138.0');
    assert.equal(pkg.main, './dist/extension.js');
  });

  describe('commands', () => {
    it('the command list and the contributed commands are the same, with the same titles, in category SegLens', () => {
      assert.deepEqual(
        pkg.contributes.commands.map((c) => [c.command, c.title]),
        COMMANDS.map((c) => [c.id, c.title]),
      );
      assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length, 'no id listed twice');
      for (const c of pkg.contributes.commands) {
        assert.equal(c.category, 'SegLens', c.command);
        assert.match(c.command, /^seglens\./);
      }
    });

    it('activates lazily without redundant events: commands activate by themselves (VS Code ≥ 1.74)', () => {
      const events = pkg.activationEvents;
      assert.deepEqual(
        events.filter((e) => e.startsWith('onCommand:')),
        [],
      );
      assert.ok(events.includes(`onWebviewPanel:${VIEWER_VIEW_TYPE}`));
      assert.ok(events.includes('onLanguage:python'));
      for (const e of events) assert.doesNotMatch(e, /^(\*|onStartupFinished)$/);
      // The engine floor is past 1.74, where contributed commands became implicit activation events.
      const [major, minor] = (/^\^(\d+)\.(\d+)/.exec(pkg.engines.vscode) ?? []).slice(1).map(Number);
      assert.ok(major > 1 || minor >= 74, pkg.engines.vscode);
    });

    it('every menu entry names a listed command', () => {
      for (const [name, entries] of Object.entries(pkg.contributes.menus))
        for (const e of entries) assert.ok(COMMAND_IDS.includes(e.command as never), `${name}: ${e.command}`);
    });

    it('explorer-only commands are hidden from the palette; Open Files… stays in it', () => {
      const palette = pkg.contributes.menus.commandPalette ?? [];
      for (const { command } of pkg.contributes.menus['explorer/context']) {
        if (command === 'seglens.openFiles') continue;
        assert.ok(
          palette.some((p) => p.command === command && p.when === 'false'),
          `${command} hidden from the palette`,
        );
      }
      assert.ok(!palette.some((p) => p.command === 'seglens.openFiles'));
      assert.equal(menu('commandPalette', 'seglens.model.runOnImage'), undefined);
      assert.equal(menu('commandPalette', 'seglens.model.select'), undefined);
    });

    it('the viewer entry shows for exactly the openable extensions, in any case', () => {
      const re = extnameRegex(menu('explorer/context', 'seglens.openInSegLens')?.when);
      for (const ext of OPENABLE_EXTENSIONS) {
        assert.ok(re.test(`.${ext}`), ext);
        assert.ok(re.test(`.${ext.toUpperCase()}`), ext.toUpperCase());
      }
      for (const ext of ['.gif', '.txt', '.pngx', '.npy.bak', '.jp', '.tiffany', ''])
        assert.ok(!re.test(ext), ext);
    });

    it('models: images and folders in the explorer; the viewer toolbar button runs the palette command', () => {
      const re = extnameRegex(menu('explorer/context', 'seglens.model.runOnImageFromExplorer')?.when);
      for (const ext of MODEL_IMAGE_EXTENSIONS)
        assert.ok(re.test(`.${ext}`) && re.test(`.${ext.toUpperCase()}`), ext);
      for (const ext of ['.npy', '.onnx', '.json', '.pngx', '']) assert.ok(!re.test(ext), ext);
      assert.equal(menu('explorer/context', 'seglens.model.runOnFolder')?.when, 'explorerResourceIsFolder');
      const button = menu('editor/title', 'seglens.model.runOnImage');
      assert.equal(button?.when, `activeWebviewPanelId == '${VIEWER_VIEW_TYPE}'`);
      assert.equal(button?.group, 'navigation');
      assert.ok(contributed('seglens.model.runOnImage')?.icon);
    });

    it('lint: the palette entry shows only for Python', () => {
      assert.equal(menu('commandPalette', LINT_COMMANDS.lintCurrentFile)?.when, 'editorLangId == python');
    });
  });

  describe('settings', () => {
    const props = pkg.contributes.configuration.properties;

    it('every setting the viewer reads is contributed with the default the code falls back to', () => {
      const src = readFileSync(repoPath('src/vscode/settings.ts'), 'utf8');
      const read = [...src.matchAll(/c\.get\('([^']+)'\)/g)].map((m) => `seglens.${m[1]}`);
      assert.ok(read.length >= 5);
      for (const key of read) assert.ok(props[key], `${key} is contributed`);
      assert.equal(props['seglens.maxPixels'].default, 50_000_000);
      // The pairing defaults shown in the Settings UI are exactly the rules the core applies without settings.
      for (const [rule, value] of Object.entries(DEFAULT_PAIRING_RULES)) {
        assert.deepEqual(props[`seglens.pairing.${rule}`]?.default, value, `seglens.pairing.${rule} default`);
      }
    });

    it('model: path and inline config, restricted in untrusted workspaces', () => {
      for (const key of MODEL_SETTING_KEYS) assert.ok(props[`seglens.model.${key}`], key);
      assert.equal(props['seglens.model.path'].default, '');
      assert.equal(props['seglens.model.config'].default, null);
      // The limit settings are restricted too (settingsLimits.test.ts).
      const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
      for (const key of ['seglens.model.config', 'seglens.model.path'])
        assert.ok(restricted.includes(key), `${key} is restricted`);
      const src = readFileSync(repoPath('src/vscode/model/commands.ts'), 'utf8');
      const read = [...src.matchAll(/c\.get\('([^']+)'\)/g)].map((x) => x[1]).sort();
      assert.deepEqual(read, [...MODEL_SETTING_KEYS].sort());
    });

    it('lint: every setting the host reads is contributed with the same default, resource-scoped', () => {
      for (const key of LINT_SETTING_KEYS) {
        const p = props[`seglens.lint.${key}`];
        assert.ok(p, `seglens.lint.${key} contributed`);
        assert.deepEqual(p.default, LINT_DEFAULTS[key], key);
        assert.equal(p.scope, 'resource', key);
      }
      assert.deepEqual(props['seglens.lint.layout'].enum, [...LAYOUT_CHOICES]);
      const lint = Object.keys(props).filter((k) => k.startsWith('seglens.lint.'));
      assert.deepEqual(lint.sort(), LINT_SETTING_KEYS.map((k) => `seglens.lint.${k}`).sort());
    });
  });

  it('declares limited support in untrusted workspaces', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description ?? '', /model/i);
  });

  it('the build bundles the lint worker, the two WebAssembly modules and the rule pages into dist/', () => {
    const build = readFileSync(repoPath('esbuild.mjs'), 'utf8');
    assert.ok(build.includes("'src/node/lint/lintWorker.ts'"));
    assert.ok(build.includes("'dist/tree-sitter.wasm'"));
    assert.ok(build.includes("'dist/tree-sitter-python.wasm'"));
    assert.ok(build.includes("'dist/docs/rules'"));
  });

  it('has a 128×128 PNG icon', () => {
    const png = readFileSync(join(REPO, pkg.icon));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});
