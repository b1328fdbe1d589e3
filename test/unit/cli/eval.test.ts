/**
 * `seglens eval` folder mode as the dataset view's numbers: the README's demo command with no flags (labels.json
 * beside the data), failing samples skipped with their reason (exit 1), --labels, --jsonl in id order, the "run"
 * object, and --model scoring with --save-probs.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { cli } from './cliHelper';
import { readNpy, writeNpy } from '../../../src/core/io/npy';
import { loadLabelMap } from '../../../src/core/io/load';
import { REPO, repoPath } from '../../support/repo';
import { writeSynthSet } from '../node/dataset/synth';
import { makeTempDir } from '../../support/tempDir';

interface Report {
  run: {
    command: string;
    version: string;
    config: { numClasses: number };
    configSha256: string;
    labels: { file: string; numClasses: number } | null;
    model: { kind: string; name: string; sha256: string };
    decoders: string[];
    shard: unknown;
    timings: { wallMs: number };
  };
  decoder: string;
  images: {
    id: string;
    meanDice: number;
    expectedDice: number;
    flags: string[];
    stats: object;
    perClass: Record<string, { overlap: { dice: number } }>;
  }[];
  dataset: { perClass: Record<string, unknown> };
  decoders: { decoder: string; images: { id: string }[] }[];
  skipped: { id: string; path?: string; reason: string }[];
  unmatched: { path: string; reason: string }[];
  comparisons: { a: string; b: string; wins: number; ties: number; losses: number; n: number }[];
  expectedVsTrue: { decoder: string; spearman: number; n: number }[];
  tunedThresholds: { label: string; optimistic: boolean }[];
}

describe('seglens eval folder mode: the dataset numbers', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = makeTempDir('seglens-evalcli').path;
    writeSynthSet(dir, { n: 7, flat: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the README's demo command with no flags: labels.json gives 6 classes", async () => {
    const r = await cli(
      ['eval', '--images', 'demo/images', '--gt', 'demo/masks', '--probs', 'demo/probs/unet_bce', '--json'],
      REPO,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as Report;
    assert.equal(out.run.config.numClasses, 6);
    assert.deepEqual(out.run.labels, { file: 'demo/labels.json', numClasses: 6 });
    assert.deepEqual(Object.keys(out.dataset.perClass), ['1', '2', '3', '4', '5']);
    assert.equal(out.images.length, 12);
    assert.equal(out.run.model.kind, 'probabilities');
    assert.equal(out.run.model.name, 'unet_bce');
    assert.match(out.run.configSha256, /^[0-9a-f]{64}$/);
    // Nothing run-specific outside "run": no absolute path, no timing.
    const { run: _run, ...rest } = out;
    assert.doesNotMatch(JSON.stringify(rest), new RegExp(REPO.replace(/[/\\.]/g, '.')));
    assert.doesNotMatch(JSON.stringify(rest), /wallMs|startedAt/);
  });

  it('a failing sample is skipped with its reason, the others are reported, exit 1', async () => {
    writeFileSync(join(dir, 'probs/img0002.npy'), Buffer.from('not a numpy file'));
    try {
      const r = await cli(
        ['eval', '--gt', 'masks', '--probs', 'probs', '--decoders', 'threshold,rankdice', '--json'],
        dir,
      );
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /1 sample\(s\) failed and were skipped:\n {2}img0002: .*img0002\.npy/);
      const out = JSON.parse(r.stdout) as Report;
      assert.deepEqual(
        out.images.map((i) => i.id),
        ['img0000', 'img0001', 'img0003', 'img0004', 'img0005', 'img0006'],
      );
      assert.equal(out.skipped.length, 1);
      assert.equal(out.skipped[0].id, 'img0002');
      assert.equal(out.skipped[0].path, 'probs/img0002.npy');
      assert.match(out.skipped[0].reason, /^probs\/img0002\.npy: /, 'no absolute path outside "run"');
      assert.deepEqual(
        out.decoders.map((d) => d.images.length),
        [6, 6],
      );
      assert.equal(out.comparisons[0].a, 'threshold');
      assert.equal(out.comparisons[0].b, 'rankdice');
      const c = out.comparisons[0];
      assert.equal(c.wins + c.ties + c.losses, 6);
      assert.equal(out.expectedVsTrue.length, 2);
      assert.equal(out.tunedThresholds[0].label, 'tuned on this set (optimistic)');
      assert.ok(out.images.find((i) => i.id === 'img0003')?.flags.includes('empty-gt'));
    } finally {
      writeSynthSet(dir, { n: 7, flat: true });
    }
  });

  it('--labels sets the classes; a config file still wins', async () => {
    writeFileSync(
      join(dir, 'three.json'),
      JSON.stringify({
        classes: [
          { index: 0, name: 'bg' },
          { index: 1, name: 'a' },
          { index: 2, name: 'b' },
        ],
      }),
    );
    const three = await cli(
      ['eval', '--gt', 'masks', '--probs', 'probs', '--labels', 'three.json', '--json'],
      dir,
    );
    // A one-channel map does not fit 3 classes: every sample fails with the reason, nothing aborts.
    assert.equal(three.code, 1);
    const out = JSON.parse(three.stdout) as Report;
    assert.equal(out.run.config.numClasses, 3);
    assert.equal(out.skipped.length, 7);
    assert.match(out.skipped[0].reason, /does not fit|classes/);
    writeFileSync(join(dir, 'c2.json'), '{"numClasses": 2}');
    const ok = await cli(
      [
        'eval',
        '--gt',
        'masks',
        '--probs',
        'probs',
        '--labels',
        'three.json',
        '--config',
        'c2.json',
        '--json',
      ],
      dir,
    );
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('--jsonl streams one line per image in id order, then a summary equal to --json', async () => {
    const lines = await cli(
      ['eval', '--gt', 'masks', '--probs', 'probs', '--decoders', 'threshold,rankdice', '--jsonl'],
      dir,
    );
    assert.equal(lines.code, 0, lines.stderr);
    const parsed = lines.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; id?: string; decoder?: string });
    assert.deepEqual(
      parsed.slice(0, 4).map((l) => `${l.type}:${l.id}:${l.decoder}`),
      [
        'image:img0000:threshold',
        'image:img0000:rankdice',
        'image:img0001:threshold',
        'image:img0001:rankdice',
      ],
    );
    assert.equal(parsed.length, 7 * 2 + 1);
    const summary = parsed[parsed.length - 1] as unknown as {
      type: string;
      decoders: { dataset: unknown }[];
    };
    assert.equal(summary.type, 'summary');
    const json = JSON.parse(
      (
        await cli(
          ['eval', '--gt', 'masks', '--probs', 'probs', '--decoders', 'threshold,rankdice', '--json'],
          dir,
        )
      ).stdout,
    ) as { decoders: { dataset: unknown }[] };
    assert.deepEqual(summary.decoders[1].dataset, json.decoders[1].dataset);
  });

  it('shows a progress line on stderr only when it is a terminal', async () => {
    let stderr = '';
    const io = {
      stdout: () => undefined,
      stderr: (t: string) => void (stderr += t),
      cwd: dir,
      stderrIsTTY: true,
    };
    assert.equal(await main(['eval', '--gt', 'masks', '--probs', 'probs', '--json'], io), 0);
    assert.match(stderr, /\rseglens eval: 7\/7 samples, [\d.]+\/s/);
    stderr = '';
    assert.equal(await main(['eval', '--gt', 'masks', '--probs', 'probs', '--json', '--no-progress'], io), 0);
    assert.equal(stderr, '');
  });

  it('keeps the usage rules: --jsonl/--shard are folder-only, --save-probs needs --model', async () => {
    assert.equal((await cli(['eval', '--pairs', 'p.json', '--jsonl'], dir)).code, 2);
    assert.equal((await cli(['eval', '--pairs', 'p.json', '--shard', '1/2', '--json'], dir)).code, 2);
    assert.equal(
      (await cli(['eval', '--gt', 'masks', '--probs', 'probs', '--save-probs', 'x', '--json'], dir)).code,
      2,
    );
    const bad = await cli(['eval', '--gt', 'masks', '--probs', 'probs', '--shard', '3/2', '--json'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--shard/);
  });
});

describe('seglens eval --model: scored as each map exists, --save-probs', () => {
  it('saves every map and reports the model with its hash; a failing image is skipped', async function () {
    this.timeout(60000);
    const MODELS = repoPath('test/fixtures/models');
    const dir = makeTempDir('seglens-evalmodel2').path;
    try {
      for (const d of ['images', 'masks', 'models']) mkdirSync(join(dir, d));
      copyFileSync(join(MODELS, 'grey_13x10.png'), join(dir, 'images/a.png'));
      copyFileSync(join(MODELS, 'grey_13x10.png'), join(dir, 'images/b.png'));
      writeFileSync(join(dir, 'images/c.png'), Buffer.from('broken'));
      copyFileSync(join(MODELS, 'sigmoid_dynamic.onnx'), join(dir, 'models/m.onnx'));
      copyFileSync(join(MODELS, 'sigmoid_dynamic.seglens.json'), join(dir, 'models/m.onnx.seglens.json'));
      const img = loadLabelMap(new Uint8Array(readFileSync(join(dir, 'images/a.png'))), { source: 'a.png' });
      const mask = Uint8Array.from(img.data, (v) => (v > 128 ? 1 : 0));
      for (const id of ['a', 'b', 'c'])
        writeFileSync(
          join(dir, `masks/${id}.npy`),
          writeNpy({ dtype: 'uint8', shape: [...img.shape], data: mask }),
        );
      const r = await cli(
        [
          'eval',
          '--images',
          'images',
          '--gt',
          'masks',
          '--model',
          'models/m.onnx',
          '--save-probs',
          'saved',
          '--json',
        ],
        dir,
      );
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as Report;
      assert.deepEqual(
        out.images.map((i) => i.id),
        ['a', 'b'],
      );
      assert.equal(out.skipped[0].id, 'c');
      assert.match(out.skipped[0].reason, /the model failed/);
      assert.equal(out.run.model.kind, 'onnx');
      assert.match(out.run.model.sha256, /^[0-9a-f]{64}$/);
      assert.ok(existsSync(join(dir, 'saved/a.npy')) && existsSync(join(dir, 'saved/b.npy')));
      const saved = readNpy(readFileSync(join(dir, 'saved/a.npy')));
      assert.deepEqual(saved.shape.slice(-2), [...img.shape]);
      // The saved maps give the same report through --probs.
      rmSync(join(dir, 'images/c.png'));
      rmSync(join(dir, 'masks/c.npy'));
      const again = await cli(['eval', '--gt', 'masks', '--probs', 'saved', '--json'], dir);
      assert.equal(again.code, 0, again.stderr);
      const viaFiles = JSON.parse(again.stdout) as Report;
      assert.deepEqual(viaFiles.images, out.images);
      assert.deepEqual(viaFiles.dataset, out.dataset);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
