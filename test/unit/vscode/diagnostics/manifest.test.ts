// The lint part of package.json against the code: every lint command is contributed and registered by id, the
// palette entry shows only for Python, activation is lazy on Python, and every setting the host reads is
// contributed with the default the parser falls back to.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINT_COMMAND_IDS, LINT_SETTING_KEYS } from '../../../../src/vscode/diagnostics/ids';
import { LAYOUT_CHOICES, LINT_DEFAULTS } from '../../../../src/vscode/diagnostics/settings';
import { REPO } from './helpers';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: {
      properties: Record<string, { type: string; default: unknown; enum?: string[]; scope?: string }>;
    };
  };
}
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;

describe('host/diagnostics manifest guards', () => {
  it('contributes every lint command in category SegLens, with the palette entry only for Python', () => {
    const contributed = pkg.contributes.commands.map((c) => c.command);
    for (const id of LINT_COMMAND_IDS) {
      assert.ok(contributed.includes(id), `${id} contributed`);
      assert.equal(pkg.contributes.commands.find((c) => c.command === id)?.category, 'SegLens');
      assert.ok(pkg.activationEvents.includes(`onCommand:${id}`), `onCommand:${id}`);
    }
    const lint = pkg.contributes.commands.find((c) => c.command === 'seglens.lint.currentFile');
    assert.equal(lint?.title, 'Lint Loss Code in Current File');
    const palette = pkg.contributes.menus.commandPalette.find(
      (m) => m.command === 'seglens.lint.currentFile',
    );
    assert.equal(palette?.when, 'editorLangId == python');
  });

  it('activates lazily on Python, never on everything', () => {
    assert.ok(pkg.activationEvents.includes('onLanguage:python'));
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.ok(!pkg.activationEvents.includes('onStartupFinished'));
  });

  it('every seglens.lint setting the host reads is contributed with the same default, resource-scoped', () => {
    const props = pkg.contributes.configuration.properties;
    for (const key of LINT_SETTING_KEYS) {
      const p = props[`seglens.lint.${key}`];
      assert.ok(p, `seglens.lint.${key} contributed`);
      assert.deepEqual(p.default, LINT_DEFAULTS[key], key);
      assert.equal(p.scope, 'resource', key);
    }
    assert.deepEqual(props['seglens.lint.layout'].enum, [...LAYOUT_CHOICES]);
    const contributed = Object.keys(props).filter((k) => k.startsWith('seglens.lint.'));
    assert.deepEqual(contributed.sort(), LINT_SETTING_KEYS.map((k) => `seglens.lint.${k}`).sort());
  });

  it('the build bundles the lint worker, the two WebAssembly modules and the rule pages into dist/', () => {
    const build = readFileSync(join(REPO, 'esbuild.mjs'), 'utf8');
    assert.ok(build.includes("'src/node/lint/lintWorker.ts'"));
    assert.ok(build.includes("'dist/tree-sitter.wasm'"));
    assert.ok(build.includes("'dist/tree-sitter-python.wasm'"));
    assert.ok(build.includes("'dist/docs/rules'"));
  });
});
