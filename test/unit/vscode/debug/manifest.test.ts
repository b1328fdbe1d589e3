// The debugger bridge's part of package.json against the code: the size setting's default and bounds, the
// Variables / Watch menu entries, and the palette entries shown only while a session is paused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_MAX_TRANSFER_MB,
  MAX_TRANSFER_MB_RANGE,
  MAX_TRANSFER_SETTING,
} from '../../../../src/vscode/debug/limits';
import { repoPath } from '../../../support/repo';

interface Entry {
  command: string;
  when?: string;
}
const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
  contributes: {
    menus: Record<string, Entry[]>;
    configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number }> };
  };
};

describe('vscode/debug manifest entries', () => {
  it(`${MAX_TRANSFER_SETTING}: default ${DEFAULT_MAX_TRANSFER_MB} MB within the code's bounds`, () => {
    const s = pkg.contributes.configuration.properties[MAX_TRANSFER_SETTING];
    assert.equal(s.default, DEFAULT_MAX_TRANSFER_MB);
    assert.equal(s.minimum, MAX_TRANSFER_MB_RANGE.min);
    assert.equal(s.maximum, MAX_TRANSFER_MB_RANGE.max);
  });

  it('View in SegLens is on variables and watch expressions of a stopped session, not in the palette', () => {
    for (const menu of ['debug/variables/context', 'debug/watch/context']) {
      const e = pkg.contributes.menus[menu]?.find((m) => m.command === 'seglens.debug.viewVariable');
      assert.equal(e?.when, "inDebugMode && debugState == 'stopped'", menu);
    }
    const palette = pkg.contributes.menus.commandPalette;
    assert.equal(palette.find((m) => m.command === 'seglens.debug.viewVariable')?.when, 'false');
    for (const id of ['seglens.debug.viewExpressions', 'seglens.debug.checkLoss']) {
      assert.equal(palette.find((m) => m.command === id)?.when, "inDebugMode && debugState == 'stopped'", id);
    }
  });
});
