import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliIO } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';
import { checkOutput } from '../../../src/cli/outputs';
import { InputError } from '../../../src/core/errors';
import { MODELS_DIR } from '../core/model/helpers';
import { useTempDir } from '../../support/tempDir';

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd };
  return { code: await main(argv, io), out, err };
}

describe('cli: outputs never replace inputs, and replace other files only with --force', () => {
  const tmp = useTempDir('seglens-out', { each: true });

  it('checkOutput: an input (also through a symlink) is refused even with --force; an existing file needs --force', () => {
    const a = join(tmp.path, 'a.npy');
    writeFileSync(a, 'x');
    symlinkSync(a, join(tmp.path, 'link.npy'));
    const refuse = (out: string, force: boolean): string => {
      try {
        checkOutput(out, { inputs: [a], force, what: 'the map' });
      } catch (e) {
        assert.ok(e instanceof InputError);
        return e.message;
      }
      return '';
    };
    assert.match(refuse(a, true), /refusing to write the map over .*a\.npy, one of this command's inputs/);
    assert.match(refuse(join(tmp.path, 'link.npy'), true), /one of this command's inputs/);
    writeFileSync(join(tmp.path, 'b.npy'), 'y');
    assert.match(refuse(join(tmp.path, 'b.npy'), false), /already exists; pass --force/);
    assert.equal(refuse(join(tmp.path, 'b.npy'), true), '');
    assert.equal(refuse(join(tmp.path, 'new.npy'), false), '');
  });

  it('seglens run: --output naming the image or the model leaves both untouched (exit 2)', async () => {
    for (const f of ['sigmoid_dynamic.onnx', 'sigmoid_dynamic.seglens.json', 'grey_13x10.png']) {
      copyFileSync(join(MODELS_DIR, f), join(tmp.path, f));
    }
    const model = readFileSync(join(tmp.path, 'sigmoid_dynamic.onnx'));
    const base = ['run', '--model', 'sigmoid_dynamic.onnx', '--input', 'grey_13x10.png', '--force'];
    for (const target of ['grey_13x10.png', 'sigmoid_dynamic.onnx']) {
      const r = await cli([...base, '--output', target], tmp.path);
      assert.equal(r.code, 2);
      assert.match(r.err, /one of this command's inputs/);
    }
    assert.deepEqual(readFileSync(join(tmp.path, 'sigmoid_dynamic.onnx')), model);
    // An existing output is kept without --force and replaced with it.
    writeFileSync(join(tmp.path, 'p.npy'), 'mine');
    const kept = await cli([...base.filter((a) => a !== '--force'), '--output', 'p.npy'], tmp.path);
    assert.equal(kept.code, 2);
    assert.match(kept.err, /p\.npy: already exists; pass --force/);
    assert.equal(readFileSync(join(tmp.path, 'p.npy'), 'utf8'), 'mine');
    const replaced = await cli([...base, '--output', 'p.npy'], tmp.path);
    assert.equal(replaced.code, 0, replaced.err);
    assert.ok(statSync(join(tmp.path, 'p.npy')).size > 100);
  });
});

describe('cli: seglens eval and merge --out', () => {
  const tmp = useTempDir('seglens-evalout', { each: true });
  const demo = (p: string): string => join(__dirname, '../../../demo', p);

  it('eval --out naming its --pairs file is refused and the list survives; an existing report needs --force', async () => {
    const pairs = join(tmp.path, 'pairs.json');
    const list = JSON.stringify([
      { id: 'a', gt: demo('masks/slice_068.png'), pred: demo('masks/slice_068.png') },
    ]);
    writeFileSync(pairs, list);
    const over = await cli(['eval', '--pairs', pairs, '--json', '--out', pairs, '--force'], tmp.path);
    assert.equal(over.code, 2);
    assert.match(over.err, /one of this command's inputs/);
    assert.equal(readFileSync(pairs, 'utf8'), list);
    writeFileSync(join(tmp.path, 'r.json'), 'old');
    const kept = await cli(['eval', '--pairs', pairs, '--json', '--out', 'r.json'], tmp.path);
    assert.equal(kept.code, 2);
    assert.match(kept.err, /r\.json: already exists; pass --force/);
    writeFileSync(join(tmp.path, 'c.json'), '{"numClasses": 6}');
    const replaced = await cli(
      ['eval', '--pairs', pairs, '--config', 'c.json', '--json', '--out', 'r.json', '--force'],
      tmp.path,
    );
    assert.equal(replaced.code, 0, replaced.err);
    assert.match(readFileSync(join(tmp.path, 'r.json'), 'utf8'), /"images"/);
  });

  it('merge --out naming one of its parts is refused', async () => {
    writeFileSync(join(tmp.path, 'part.json'), '{}');
    const r = await cli(['merge', 'part.json', '--out', 'part.json', '--force'], tmp.path);
    assert.equal(r.code, 2);
    assert.match(r.err, /one of this command's inputs/);
    assert.equal(readFileSync(join(tmp.path, 'part.json'), 'utf8'), '{}');
  });
});
