import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_ELEMENTS } from '../../../src/core/io/load';
import { MAX_FILE_LENGTH_CEILING } from '../../../src/vscode/diagnostics/settings';
import { repoPath } from '../../support/repo';

interface Manifest {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, { maximum?: number; minimum?: number }> } };
}

describe('vscode: limit settings have maximums and are restricted in untrusted workspaces', () => {
  const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as Manifest;
  const props = pkg.contributes.configuration.properties;

  it('seglens.maxPixels cannot lift the loaders’ element ceiling (2^28)', () => {
    assert.equal(props['seglens.maxPixels']?.maximum, DEFAULT_MAX_ELEMENTS);
    assert.equal(DEFAULT_MAX_ELEMENTS, 268435456);
  });

  it('a workspace cannot raise it (nor choose the model) while untrusted', () => {
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['seglens.maxPixels', 'seglens.model.path', 'seglens.model.config']) {
      assert.ok(restricted.includes(key), `${key} is restricted`);
    }
  });

  it('every limit setting states its range and is restricted', () => {
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['seglens.maxPixels', 'seglens.lint.maxFileLength', 'seglens.model.cacheMemoryMB']) {
      const p = props[key];
      assert.ok(p?.minimum !== undefined && p.maximum !== undefined, `${key} has a minimum and a maximum`);
      assert.ok(restricted.includes(key), `${key} is restricted in untrusted workspaces`);
    }
    assert.equal(props['seglens.lint.maxFileLength']?.maximum, MAX_FILE_LENGTH_CEILING);
  });
});
