// The first thing every other integration test relies on: the suite runs in a real Node extension host of a VS Code
// new enough for our manifest, with the extension under development loaded.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as path from 'node:path';
import { repoPath, repoRoot } from './support/paths';
import { readFileSync } from 'node:fs';

interface Manifest {
  publisher: string;
  name: string;
  engines: { vscode: string };
}

const manifest = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as Manifest;

function versionTuple(v: string): number[] {
  return v
    .replace(/^[^\d]*/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10));
}

describe('activation', () => {
  it('runs in a Node extension host of a VS Code that satisfies engines.vscode', () => {
    // The web-worker host has no process.versions.node; native modules (sharp, onnxruntime-node) need Node.
    assert.equal(typeof process.versions.node, 'string');
    assert.ok(vscode.env.uiKind === vscode.UIKind.Web || vscode.env.uiKind === vscode.UIKind.Desktop);
    const [major, minor] = versionTuple(vscode.version);
    const [wantMajor, wantMinor] = versionTuple(manifest.engines.vscode);
    assert.ok(
      major > wantMajor || (major === wantMajor && minor >= wantMinor),
      `VS Code ${vscode.version} is older than engines.vscode ${manifest.engines.vscode}`,
    );
  });

  it('loads the extension under development from the repository and activates it in the Node host', async () => {
    const id = `${manifest.publisher}.${manifest.name}`;
    const ext = vscode.extensions.getExtension(id);
    assert.ok(ext, `${id} is not loaded`);
    assert.equal(path.resolve(ext.extensionPath), path.resolve(repoRoot));
    // Workspace kind = the Node extension host next to the files; the UI kind would mean the web-worker host,
    // where sharp and onnxruntime-node cannot load.
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
