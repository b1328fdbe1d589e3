/**
 * `seglens decode` end to end through the CLI dispatcher: JSON shape (docs/architecture.md §4), written .npy masks,
 * exit codes, and error messages that name the file.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../../src/cli/main';
import { readNpy, writeNpy } from '../../../../src/core/io/npy';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const FIX = repoPath('test/fixtures/rankseg');
const tmp = makeTempDir('seglens-decode').path;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: FIX });
  return { code, out, err };
}

describe('cli: seglens decode', () => {
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('rankdice --json: the documented keys, exact k per class, and a uint8 [B,C,H,W] mask', async () => {
    const out = join(tmp, 'p10.npy');
    const r = await run([
      'decode',
      '--input',
      'p10_sigmoid2_overlap_24__probs.npy',
      '--decoder',
      'rankdice',
      '--solver',
      'exact',
      '--output',
      out,
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as {
      decoder: string;
      solver: string;
      shape: number[];
      elapsedMs: number;
      images: { classes: { k: number; expectedDice: number; expectedIoU: number }[] }[];
    };
    assert.deepEqual(Object.keys(j).slice(0, 5), ['decoder', 'solver', 'shape', 'elapsedMs', 'images']);
    assert.equal(j.decoder, 'rankdice');
    assert.equal(j.solver, 'exact');
    assert.deepEqual(j.shape, [1, 2, 24, 24]);
    assert.ok(j.elapsedMs >= 0);
    assert.deepEqual(
      j.images[0].classes.map((c) => c.k),
      [106, 108],
    ); // cases.json exact.k_dice
    assert.ok(Math.abs(j.images[0].classes[0].expectedDice - 0.627565721103047) < 1e-12);
    const m = readNpy(readFileSync(out));
    assert.equal(m.dtype, 'uint8');
    assert.deepEqual(m.shape, [1, 2, 24, 24]);
    assert.equal(Array.from(m.data as Uint8Array).filter((v) => v === 1).length, 106 + 108);
  });

  it('--json splits the time into selectMs + evaluateMs = elapsedMs; --no-expected skips the evaluation', async () => {
    type J = {
      elapsedMs: number;
      selectMs: number;
      evaluateMs: number | null;
      meanExpectedDice: number | null;
      images: { classes: { k: number; expectedDice: number | null; expectedIoU: number | null }[] }[];
    };
    const args = ['decode', '--input', 'p08_blob_64__probs.npy', '--decoder', 'rankdice', '--solver', 'rma'];
    const full = await run([...args, '--json']);
    assert.equal(full.code, 0, full.err);
    const a = JSON.parse(full.out) as J;
    assert.ok(a.selectMs >= 0 && a.evaluateMs !== null && a.evaluateMs >= 0);
    assert.ok(Math.abs(a.elapsedMs - (a.selectMs + a.evaluateMs)) <= 0.002, JSON.stringify(a));
    assert.ok(typeof a.images[0].classes[0].expectedDice === 'number');
    const skip = await run([...args, '--no-expected', '--json']);
    assert.equal(skip.code, 0, skip.err);
    const b = JSON.parse(skip.out) as J;
    assert.equal(b.evaluateMs, null);
    assert.equal(b.elapsedMs, b.selectMs);
    assert.equal(b.meanExpectedDice, null);
    assert.deepEqual(
      b.images[0].classes.map((c) => [c.k, c.expectedDice, c.expectedIoU]),
      a.images[0].classes.map((c) => [c.k, null, null]),
    );
    const human = await run([...args, '--no-expected']);
    assert.match(human.out, /expected scores skipped/);
    assert.match(human.out, /E\[Dice\] = —/);
  });

  it('multiclass output is int32 [B,H,W] and matches the package label map (p07, RMA)', async () => {
    const out = join(tmp, 'p07.npy');
    const r = await run([
      'decode',
      '--input',
      'p07_softmax3_16__probs.npy',
      '--decoder',
      'rankdice',
      '--solver',
      'rma',
      '--output-mode',
      'multiclass',
      '--pruning-prob',
      '0.5',
      '--output',
      out,
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const m = readNpy(readFileSync(out));
    const ref = readNpy(readFileSync(join(FIX, 'p07_softmax3_16__rma_dice_mc.npy')));
    assert.equal(m.dtype, 'int32');
    assert.deepEqual(m.shape, [1, 16, 16]);
    assert.deepEqual(Array.from(m.data as Int32Array), Array.from(ref.data as BigInt64Array, Number));
  });

  it('threshold / topk / argmax work without --json and print a summary', async () => {
    for (const extra of [
      ['--decoder', 'threshold', '--threshold', '0.3'],
      ['--decoder', 'topk', '--k', '10'],
      ['--decoder', 'argmax'],
    ]) {
      const r = await run(['decode', '--input', 'p07_softmax3_16__probs.npy', ...extra]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /class 0: k = \d+/);
    }
  });

  it('exit 2 with the file named for unreadable or invalid input and bad usage', async () => {
    const nan = join(tmp, 'nan.npy');
    writeFileSync(
      nan,
      writeNpy({ dtype: 'float32', shape: [2, 2], data: Float32Array.from([0.1, NaN, 0.3, 0.4]) }),
    );
    const bad = await run(['decode', '--input', nan, '--decoder', 'rankdice']);
    assert.equal(bad.code, 2);
    assert.ok(bad.err.includes(nan) && /sigmoid/.test(bad.err));
    const missing = await run(['decode', '--input', 'nope.npy', '--decoder', 'rankdice']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.npy/);
    assert.equal((await run(['decode', '--input', nan, '--decoder', 'median'])).code, 2);
    assert.equal((await run(['decode', '--decoder', 'rankdice'])).code, 2);
    assert.equal((await run(['decode', '--input', nan, '--decoder', 'topk'])).code, 2); // --k required
    // Logits are accepted when the transform is explicit.
    const logits = join(tmp, 'logits.npy');
    writeFileSync(
      logits,
      writeNpy({ dtype: 'float64', shape: [2, 2], data: Float64Array.from([-3, 2, 0.5, 4]) }),
    );
    const ok = await run([
      'decode',
      '--input',
      logits,
      '--decoder',
      'threshold',
      '--transform',
      'sigmoid',
      '--json',
    ]);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(
      (JSON.parse(ok.out) as { images: { classes: { k: number }[] }[] }).images[0].classes[0].k,
      3,
    );
  });
});
