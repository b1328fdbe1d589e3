// Workspace imports for the loss lint: which project files a Python file imports, resolved on disk and read with a
// cache, and the end-to-end effect — a loss in losses.py is checked against the helper in utils/metrics.py.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  diskReader,
  importsOf,
  resolveModules,
  type ReadModule,
} from '../../../../src/node/lint/workspaceModules';
import { getLinter } from '../../core/lint/helpers';

const METRICS = `import tensorflow as tf


def soft_dice(a, b, smooth=1.0):
    inter = tf.reduce_sum(a * b, axis=-1)
    union = tf.reduce_sum(a, axis=-1) + tf.reduce_sum(b, axis=-1)
    return tf.reduce_mean((2.0 * inter + smooth) / (union + smooth))
`;

const LOSSES = `import tensorflow as tf
from utils.metrics import soft_dice


def dice_loss(y_true, y_pred):
    return 1.0 - soft_dice(y_true, y_pred)
`;

describe('node/lint workspace modules', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'seglens-ws-'));
    mkdirSync(join(root, 'proj', 'utils'), { recursive: true });
    mkdirSync(join(root, 'proj', 'parts'), { recursive: true });
    writeFileSync(join(root, 'proj', 'utils', '__init__.py'), '');
    writeFileSync(join(root, 'proj', 'utils', 'metrics.py'), METRICS + 'from parts.base import reducer\n');
    writeFileSync(join(root, 'proj', 'parts', 'base.py'), 'def reducer(x):\n    return x\n');
    writeFileSync(join(root, 'proj', 'parts', 'terms.py'), 'def region(x):\n    return x\n');
    writeFileSync(join(root, 'proj', 'losses.py'), LOSSES);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the imports of a text: from/import forms, relative dots, names, aliases, parentheses', () => {
    const refs = importsOf(
      [
        'import torch.nn as nn, models',
        'from utils.metrics import soft_dice as sd, iou',
        'from . import terms',
        'from ..pkg.x import (a,',
        '    b)',
        '    from helpers import h  # inside a function',
      ].join('\n'),
    );
    assert.deepEqual(refs, [
      { name: 'utils.metrics', dots: 0, names: ['soft_dice', 'iou'] },
      { name: '', dots: 1, names: ['terms'] },
      { name: 'pkg.x', dots: 2, names: ['a'] },
      { name: 'helpers', dots: 0, names: ['h'] },
      { name: 'torch.nn', dots: 0, names: [] },
      { name: 'models', dots: 0, names: [] },
    ]);
  });

  it('resolves a package module from a parent folder, follows its own imports, skips libraries', async () => {
    const asked: string[] = [];
    const disk = diskReader();
    const read: ReadModule = (f) => {
      asked.push(f);
      return disk(f);
    };
    const file = join(root, 'proj', 'losses.py');
    const r = await resolveModules(file, LOSSES, { roots: [root], read });
    assert.deepEqual(Object.keys(r.modules).sort(), ['parts.base', 'utils.metrics']);
    assert.ok(r.modules['utils.metrics'].includes('def soft_dice'));
    assert.deepEqual([...r.files.keys()].sort(), [
      join(root, 'proj', 'parts', 'base.py'),
      join(root, 'proj', 'utils', 'metrics.py'),
    ]);
    assert.ok(!asked.some((f) => f.includes('tensorflow')), 'library imports are not looked up');
  });

  it('relative imports resolve against the importing file; depth and file limits hold', async () => {
    const file = join(root, 'proj', 'parts', 'loss.py');
    const text = 'from .terms import region\nfrom .base import reducer\n';
    const r = await resolveModules(file, text, { roots: [root], read: diskReader() });
    assert.deepEqual(Object.keys(r.modules).sort(), ['base', 'terms']);
    const one = await resolveModules(file, text, { roots: [root], read: diskReader(), maxFiles: 1 });
    assert.equal(one.files.size, 1);
    const shallow = await resolveModules(join(root, 'proj', 'losses.py'), LOSSES, {
      roots: [root],
      read: diskReader(),
      depth: 1,
    });
    assert.deepEqual(Object.keys(shallow.modules), ['utils.metrics']);
  });

  it('the disk reader re-reads a file only when its modification time changes', async () => {
    const read = diskReader();
    const f = join(root, 'proj', 'parts', 'terms.py');
    const a = await read(f);
    writeFileSync(f, 'def region(x):\n    return 2 * x\n');
    utimesSync(f, new Date(2001, 1, 1), new Date(2001, 1, 1));
    const b = await read(f);
    assert.ok(a && b);
    assert.notEqual(a.version, b.version);
    assert.match(b.text, /2 \* x/);
    assert.equal(await read(join(root, 'nope.py')), undefined);
  });

  it('end to end: the loss gets LL101 at the call of the imported helper', async () => {
    const file = join(root, 'proj', 'losses.py');
    const { modules } = await resolveModules(file, LOSSES, { roots: [root], read: diskReader() });
    const linter = await getLinter();
    const r = linter.lint(LOSSES, { modules });
    r.tree.dispose();
    const ll101 = r.findings.filter((f) => f.rule === 'LL101');
    assert.equal(ll101.length, 1);
    assert.equal(ll101[0].range.start.line, 5);
    assert.match(ll101[0].message, /`soft_dice` in module utils\.metrics/);
  });
});
