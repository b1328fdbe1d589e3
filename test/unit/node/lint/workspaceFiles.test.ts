// File discovery of the whole-workspace loss lint: which *.py / *.ipynb files a pass lints, and which folders and
// files it leaves out (environments by name and by their marker files, package folders, version control, caches,
// files over the size limit), without following symbolic links.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { findWorkspaceFiles, isLintableName } from '../../../../src/node/lint/workspaceFiles';

describe('node/lint workspace files', () => {
  let root: string;
  const put = (rel: string, text = 'x = 1\n'): void => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const rel = (files: string[]): string[] => files.map((f) => relative(root, f).split('\\').join('/'));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'seglens-wsfiles-'));
    put('train.py');
    put('losses/dice.py');
    put('losses/__init__.py', '');
    put('notebooks/explore.ipynb', '{"cells": []}');
    put('env/agent.py'); // a project folder that happens to be called env: kept
    put('README.md', '# not Python');
    put('losses/dice.pyc', 'binary');
    // Left out by name.
    put('.venv/lib/python3.11/site-packages/torch/nn.py');
    put('venv/bin/activate.py');
    put('node_modules/pkg/x.py');
    put('.git/hooks/pre-commit.py');
    put('lib/python3.11/site-packages/numpy/core.py');
    put('losses/__pycache__/dice.cpython-311.py');
    put('notebooks/.ipynb_checkpoints/explore-checkpoint.ipynb', '{"cells": []}');
    put('.tox/py311/x.py');
    // Left out by marker: a venv and a conda environment under arbitrary names.
    put('myenv/pyvenv.cfg', 'home = /usr/bin\n');
    put('myenv/lib/helper.py');
    put('conda_env/conda-meta/history', '');
    put('conda_env/pkgs/y.py');
    // Over the size limit used below (100 bytes).
    put('losses/generated.py', '# generated\n'.repeat(20));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the project .py and .ipynb files folder by folder and leaves out environments, packages, caches', async () => {
    const found = await findWorkspaceFiles([root], { maxBytes: 100 });
    assert.deepEqual(rel(found.files), [
      'train.py',
      'env/agent.py',
      'losses/__init__.py',
      'losses/dice.py',
      'notebooks/explore.ipynb',
    ]);
    assert.deepEqual(rel(found.tooLarge), ['losses/generated.py']);
    assert.equal(found.truncated, 0);
  });

  it('the default size limit is the editor lint default (1,000,000): the 240-byte file is found', async () => {
    const found = await findWorkspaceFiles([root]);
    assert.ok(rel(found.files).includes('losses/generated.py'));
    assert.deepEqual(found.tooLarge, []);
  });

  it('does not follow symbolic links (a link to a parent would loop) and lists nested or repeated roots once', async function () {
    try {
      symlinkSync(root, join(root, 'losses', 'loop'), 'dir');
      symlinkSync(join(root, 'train.py'), join(root, 'linked_train.py'));
    } catch {
      this.skip(); // no symlink permission (Windows without developer mode)
    }
    const found = await findWorkspaceFiles([root, join(root, 'losses'), root], { maxBytes: 100 });
    assert.deepEqual(rel(found.files), [
      'train.py',
      'env/agent.py',
      'losses/__init__.py',
      'losses/dice.py',
      'notebooks/explore.ipynb',
    ]);
  });

  it('stops at maxFiles and counts the rest; stops walking when cancelled', async () => {
    const capped = await findWorkspaceFiles([root], { maxBytes: 100, maxFiles: 2 });
    assert.deepEqual(rel(capped.files), ['train.py', 'env/agent.py']);
    assert.equal(capped.truncated, 3);
    let dirs = 0;
    const stopped = await findWorkspaceFiles([root], { maxBytes: 100, cancelled: () => ++dirs > 1 });
    // Only the root folder was read before the cancel took effect.
    assert.deepEqual(rel(stopped.files), ['train.py']);
  });

  it('a missing root gives nothing, not an error; lintable names are .py and .ipynb only', async () => {
    const found = await findWorkspaceFiles([join(root, 'nope')]);
    assert.deepEqual(found.files, []);
    assert.equal(isLintableName('a.py'), true);
    assert.equal(isLintableName('a.ipynb'), true);
    assert.equal(isLintableName('a.pyc'), false);
    assert.equal(isLintableName('a.pyi'), false);
  });
});
