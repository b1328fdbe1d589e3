/**
 * The extension's test hooks (SegLensApi.test): the only way integration tests reach inside the extension, which
 * offers them only when VS Code runs it under test.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SegLensApi } from '../../../src/extension';
import type { SegLensTestApi } from '../../../src/vscode/testApi';

export async function seglensTestApi(): Promise<SegLensTestApi> {
  const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
  assert.ok(ext, 'the extension is installed');
  const api = await ext.activate();
  assert.ok(api.test, 'the extension runs under test (ExtensionMode.Test) and offers its test hooks');
  return api.test;
}
