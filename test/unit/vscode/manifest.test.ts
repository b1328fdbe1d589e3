import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS } from '../../../src/vscode/commands/ids';
import { DEFAULT_PAIRING_RULES, OPENABLE_EXTENSIONS } from '../../../src/node/io/pairing';
import { VIEWER_VIEW_TYPE } from '../../../src/protocol';
import { REPO } from '../../support/repo';

interface Manifest {
  name: string;
  displayName: string;
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: unknown; description?: string } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { type: string; default: unknown }> };
  };
}
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;

/** Evaluates the explorer `when` clause's resourceExtname regex the way VS Code does. */
function explorerRegex(): RegExp {
  const entry = pkg.contributes.menus['explorer/context'].find((m) => m.command === 'seglens.openInSegLens');
  assert.ok(entry?.when, 'explorer entry with a when clause');
  const m = /^resourceExtname =~ \/(.*)\/([a-z]*)$/.exec(entry.when);
  assert.ok(m, `when clause shape: ${entry.when}`);
  return new RegExp(m[1], m[2]);
}

describe('manifest (package.json) guards', () => {
  it('identity, engine and entry point', () => {
    assert.equal(pkg.name, 'seglens');
    assert.equal(pkg.displayName, 'SegLens — Segmentation Debugger');
    assert.equal(pkg.engines.vscode, '^1.138.0');
    assert.equal(pkg.main, './dist/extension.js');
  });

  it("every command of the viewer's table is contributed; every contributed command is a SegLens one", () => {
    // Other zones contribute their own commands; the integration suite checks that each one is registered.
    const contributed = pkg.contributes.commands.map((c) => c.command);
    for (const id of COMMAND_IDS) assert.ok(contributed.includes(id), `${id} contributed`);
    assert.equal(new Set(contributed).size, contributed.length, 'no command contributed twice');
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'SegLens', c.command);
      assert.match(c.command, /^seglens\./);
    }
  });

  it('activates lazily: no "*", one event per entry point', () => {
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.ok(!pkg.activationEvents.includes('onStartupFinished'));
    assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${VIEWER_VIEW_TYPE}`));
    for (const id of COMMAND_IDS) assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), id);
    for (const e of pkg.activationEvents) assert.doesNotMatch(e, /^on(StartupFinished|\*)$/);
  });

  it('explorer-only commands are hidden from the palette', () => {
    const explorer = new Set(pkg.contributes.menus['explorer/context'].map((m) => m.command));
    const palette = pkg.contributes.menus.commandPalette ?? [];
    for (const id of explorer) {
      if (id === 'seglens.openFiles') continue;
      assert.ok(
        palette.some((p) => p.command === id && p.when === 'false'),
        `${id} hidden from the palette`,
      );
    }
    assert.ok(!palette.some((p) => p.command === 'seglens.openFiles'), 'Open Files… stays in the palette');
  });

  it('the explorer entry shows for exactly the openable extensions, in any case', () => {
    const re = explorerRegex();
    for (const ext of OPENABLE_EXTENSIONS) {
      assert.ok(re.test(`.${ext}`), ext);
      assert.ok(re.test(`.${ext.toUpperCase()}`), ext.toUpperCase());
    }
    for (const ext of ['.gif', '.txt', '.pngx', '.npy.bak', '.jp', '.tiffany', ''])
      assert.ok(!re.test(ext), ext);
  });

  it('declares limited support in untrusted workspaces', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description ?? '', /model/i);
  });

  it('every setting the host reads is contributed with the default the code falls back to', () => {
    const props = pkg.contributes.configuration.properties;
    const src = readFileSync(join(REPO, 'src/vscode/settings.ts'), 'utf8');
    const read = [...src.matchAll(/c\.get\('([^']+)'\)/g)].map((m) => `seglens.${m[1]}`);
    assert.ok(read.length >= 5);
    for (const key of read) assert.ok(props[key], `${key} is contributed`);
    assert.equal(props['seglens.maxPixels'].default, 50_000_000);
    // The pairing defaults shown in the Settings UI are exactly the rules the core applies without settings.
    for (const [rule, value] of Object.entries(DEFAULT_PAIRING_RULES)) {
      assert.deepEqual(props[`seglens.pairing.${rule}`]?.default, value, `seglens.pairing.${rule} default`);
    }
  });

  it('has a 128×128 PNG icon', () => {
    const png = readFileSync(join(REPO, pkg.icon));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });
});
