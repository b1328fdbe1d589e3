// The "wrong results, silently" repros of issue 17 that go through the CLI, each now loud: a refusal naming the
// flag or the file (exit 2), or a note. The TIFF items are in test/unit/node/io/signedTiff.test.ts; `a.png` and
// `a_mask.png` sharing one id in test/unit/node/dataset/badInput.test.ts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../../src/core/io/npy';
import { useTempDir } from '../../support/tempDir';
import { cli } from './cliHelper';

function npy(path: string, dtype: 'float32' | 'uint8', shape: number[], values: number[]): void {
  const data = dtype === 'float32' ? Float32Array.from(values) : Uint8Array.from(values);
  writeFileSync(path, writeNpy({ dtype, shape, data }));
}

describe('cli: silent wrong results made loud (issue 17)', function () {
  this.timeout(30_000);
  const tmp = useTempDir('seglens-silent');
  const at = (name: string): string => join(tmp.path, name);
  // A 4×4 square mask in an 8×8 image, and logits with both signs.
  const square = Array.from({ length: 64 }, (_, i) => (i % 8 >= 2 && i % 8 < 6 && i >= 16 && i < 48 ? 1 : 0));
  const logits = square.map((v, i) => (v ? 2 + (i % 3) : -3 + (i % 2)));

  beforeEach(() => {
    npy(at('logits1.npy'), 'float32', [1, 8, 8], logits);
    npy(at('logits2.npy'), 'float32', [2, 8, 8], [...logits.map((v) => -v), ...logits]);
    npy(
      at('prob.npy'),
      'float32',
      [1, 8, 8],
      square.map((v) => (v ? 0.9 : 0.2)),
    );
    npy(at('gt.npy'), 'uint8', [8, 8], square);
    npy(
      at('gt64.npy'),
      'uint8',
      [8, 8],
      square.map((v) => v * 64),
    );
  });

  it('--transform softmax on one channel is refused naming the file (it selected everything with E[Dice] = 1)', async () => {
    const r = await cli(
      ['decode', '--input', 'logits1.npy', '--decoder', 'argmax', '--transform', 'softmax'],
      tmp.path,
    );
    assert.equal(r.code, 2, r.stdout);
    assert.match(
      r.stderr,
      /logits1\.npy.*--transform softmax over a single channel \(shape \[1, 8, 8\]\).*--transform sigmoid/s,
    );
    assert.equal(r.stdout, '');
    // Sigmoid on the same file, and softmax over two channels, still decode.
    const sig = await cli(
      ['decode', '--input', 'logits1.npy', '--decoder', 'threshold', '--transform', 'sigmoid', '--json'],
      tmp.path,
    );
    assert.equal(sig.code, 0, sig.stderr);
    assert.equal(
      (JSON.parse(sig.stdout) as { images: { classes: { k: number }[] }[] }).images[0].classes[0].k,
      16,
    );
    const two = await cli(
      ['decode', '--input', 'logits2.npy', '--decoder', 'argmax', '--transform', 'softmax', '--json'],
      tmp.path,
    );
    assert.equal(two.code, 0, two.stderr);
  });

  it('--k with rankdice says it is ignored; with topk it is used and no such note appears', async () => {
    const rd = await cli(['decode', '--input', 'prob.npy', '--decoder', 'rankdice', '--k', '3'], tmp.path);
    assert.equal(rd.code, 0, rd.stderr);
    assert.match(rd.stderr, /note: --k 3 ignored: rankdice does not take k \(it is for topk\)/);
    const json = await cli(
      ['decode', '--input', 'prob.npy', '--decoder', 'rankdice', '--k', '3', '--json'],
      tmp.path,
    );
    assert.ok(
      (JSON.parse(json.stdout) as { notes: string[] }).notes.some((n) => n.startsWith('--k 3 ignored')),
    );
    const topk = await cli(
      ['decode', '--input', 'prob.npy', '--decoder', 'topk', '--k', '3', '--json'],
      tmp.path,
    );
    assert.equal(topk.code, 0, topk.stderr);
    const parsed = JSON.parse(topk.stdout) as { notes: string[]; images: { classes: { k: number }[] }[] };
    assert.equal(parsed.images[0].classes[0].k, 3);
    assert.ok(!parsed.notes.some((n) => n.includes('ignored')));
  });

  it('--spacing 1e308 is refused naming the flag, at once (it used to hang the boundary band)', async () => {
    for (const spacing of ['1e308,1e308', '1,1e308', '1e-300,1']) {
      const t0 = Date.now();
      const r = await cli(['metrics', '--gt', 'gt.npy', '--pred', 'gt.npy', '--spacing', spacing], tmp.path);
      assert.equal(r.code, 2, spacing);
      assert.match(r.stderr, /--spacing values must lie between 1e-9 and 1000000000/);
      assert.ok(Date.now() - t0 < 5000);
    }
    const ok = await cli(
      ['metrics', '--gt', 'gt.npy', '--pred', 'gt.npy', '--spacing', '0.5,2', '--json'],
      tmp.path,
    );
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('a spacing of 1e308 in a pairs file is refused naming the file', async () => {
    writeFileSync(
      at('pairs.json'),
      JSON.stringify([{ id: 'a', gt: 'gt.npy', pred: 'gt.npy', spacing: [1e308, 1] }]),
    );
    const r = await cli(['eval', '--pairs', 'pairs.json', '--json'], tmp.path);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /gt\.npy.*spacing \[1e\+308, 1\] is outside 1e-9…1000000000 per axis/);
  });

  it('a (0, 64) label map is refused naming the label, not scored Dice 1', async () => {
    for (const args of [
      ['--gt', 'gt64.npy', '--pred', 'gt64.npy'],
      ['--gt', 'gt.npy', '--pred', 'gt64.npy'],
    ]) {
      const r = await cli(['metrics', ...args, '--json'], tmp.path);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /gt64\.npy: label 64 at pixel 18 is outside \[0, 1\] \(numClasses = 2; set numClasses in the config\)/,
      );
      assert.equal(r.stdout, '');
    }
  });
});
