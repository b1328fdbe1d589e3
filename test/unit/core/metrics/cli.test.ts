/**
 * `seglens metrics` and `seglens eval` through main() in process: output contract, exit codes, error messages
 * naming the file, relative paths in pairs files, CSV and --out, and the foreground-only probability layout.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../../../src/core/io/npy';
import { loadLabelMap } from '../../../../src/core/io/load';
import { computeImageMetrics } from '../../../../src/core/metrics/imageMetrics';
import { reliability } from '../../../../src/core/metrics/calibration';
import { classChannel } from '../../../../src/core/metrics/channels';
import { assertMatches, runCli } from './helpers';
import { encode } from 'fast-png';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const FIX = repoPath('test/fixtures/metrics');
const cases = JSON.parse(readFileSync(join(FIX, 'cases.json'), 'utf8')) as {
  cases: {
    id: string;
    images: { expected: { perClass: Record<string, { overlap: { dice: number } }> } }[];
  }[];
};

describe('seglens metrics / eval (in process)', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('seglens-cli').path;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a logits map is refused naming the file and the --logits flag, and accepted with it', async () => {
    const gt = join(FIX, 'p01_identical/img0_gt.png');
    const shape = [32, 32];
    const logits = new Float32Array(32 * 32).map((_, i) => (i % 7) - 3);
    const path = join(dir, 'logits.npy');
    writeFileSync(path, writeNpy({ dtype: 'float32', shape, data: logits }));
    const bad = await runCli(['metrics', '--gt', gt, '--pred', gt, '--prob', path, '--json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /logits\.npy: values range over \[-3, 3\].*look like logits.*--logits sigmoid/);
    const ok = await runCli([
      'metrics',
      '--gt',
      gt,
      '--pred',
      gt,
      '--prob',
      path,
      '--logits',
      'sigmoid',
      '--json',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('metrics --json prints one IMAGE object with non-finite numbers as strings', async () => {
    const gt = join(FIX, 'p04_empty_cases/gt_empty_only_gt.png');
    const pred = join(FIX, 'p04_empty_cases/gt_empty_only_pred.png');
    const r = await runCli(['metrics', '--gt', gt, '--pred', pred, '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as {
      perClass: { '1': { overlap: { recall: unknown }; surface: { hd: unknown } } };
    };
    assert.equal(out.perClass['1'].overlap.recall, 'NaN');
    assert.equal(out.perClass['1'].surface.hd, 'Infinity');
  });

  it('metrics with --prob and --spacing matches the p08 / p06 fixtures', async () => {
    const r = await runCli([
      'metrics',
      '--gt',
      join(FIX, 'p06_anisotropic/img0_gt.png'),
      '--pred',
      join(FIX, 'p06_anisotropic/img0_pred.png'),
      '--spacing',
      '0.5,1',
      '--json',
    ]);
    assert.equal(r.code, 0);
    const got = JSON.parse(r.stdout) as { perClass: { '1': { surface: { hd: number } } } };
    const c = cases.cases.find((x) => x.id === 'p06_anisotropic') as unknown as {
      images: { expected: { perClass: { '1': { surface: { hd: number } } } } }[];
    };
    assert.equal(got.perClass['1'].surface.hd, c.images[0].expected.perClass['1'].surface.hd);
  });

  it('exits 2 naming the file on unreadable input, a bad config and bad usage', async () => {
    const missing = await runCli([
      'metrics',
      '--gt',
      join(dir, 'nope.png'),
      '--pred',
      join(dir, 'nope.png'),
      '--json',
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.png: cannot read/);
    assert.equal(missing.stdout, '');
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, '{"numClases": 3}');
    const gt = join(FIX, 'p01_identical/img0_gt.png');
    const bad = await runCli(['metrics', '--gt', gt, '--pred', gt, '--config', cfg, '--json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json: option numClases/);
    const usage = await runCli(['metrics', '--gt', gt, '--json']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--pred is required/);
    const mismatch = await runCli(['metrics', '--gt', gt, '--pred', join(FIX, 'p02_shift_1px/img0_gt.png')]);
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /img0_gt\.png: shape \[16, 16\] differs/);
  });

  it('eval resolves relative paths against the pairs file, writes CSV and --out atomically', async () => {
    const sub = join(dir, 'set');
    mkdirSync(join(sub, 'm'), { recursive: true });
    copyFileSync(join(FIX, 'p02_shift_1px/img0_gt.png'), join(sub, 'm/a_gt.png'));
    copyFileSync(join(FIX, 'p02_shift_1px/img0_pred.png'), join(sub, 'm/a_pred.png'));
    writeFileSync(
      join(sub, 'pairs.json'),
      JSON.stringify([{ id: 'a', gt: 'm/a_gt.png', pred: 'm/a_pred.png' }]),
    );
    const csv = await runCli(['eval', '--pairs', 'set/pairs.json', '--csv'], dir);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.match(lines[0], /^scope,id,class,emptyCase,tp,fp,fn,tn,pixelAccuracy,dice,/);
    const dice = cases.cases.find((c) => c.id === 'p02_shift_1px')?.images[0].expected.perClass['1'].overlap
      .dice;
    assert.equal(Number(lines[1].split(',')[9]), dice);
    assert.equal(lines.length, 4); // header, one image row, dataset pooled and image-mean rows
    const out = join(dir, 'report.json');
    const written = await runCli(['eval', '--pairs', join(sub, 'pairs.json'), '--json', '--out', out]);
    assert.equal(written.code, 0);
    assert.equal(written.stdout, '');
    const report = JSON.parse(readFileSync(out, 'utf8')) as { images: { id: string }[]; dataset: object };
    assert.equal(report.images[0].id, 'a');
    assert.ok('macro' in report.dataset);
  });

  it('eval refuses duplicate ids, non-list pairs files and both output formats', async () => {
    const p = join(dir, 'dup.json');
    const gt = join(FIX, 'p01_identical/img0_gt.png');
    writeFileSync(
      p,
      JSON.stringify([
        { id: 'x', gt, pred: gt },
        { id: 'x', gt, pred: gt },
      ]),
    );
    assert.match(
      (await runCli(['eval', '--pairs', p, '--json'])).stderr,
      /dup\.json: entry 1: duplicate id 'x'/,
    );
    writeFileSync(p, '{}');
    assert.equal((await runCli(['eval', '--pairs', p, '--json'])).code, 2);
    assert.equal((await runCli(['eval', '--pairs', p, '--json', '--csv'])).code, 2);
  });

  it('reads a foreground-only [C−1, H, W] probability map (multi-label sigmoid)', async () => {
    // 3 classes, channels = classes 1 and 2; background has no channel and gets no calibration.
    const gt = { data: Uint8Array.from([0, 1, 2, 1]), shape: [2, 2] };
    const prob = { data: Float32Array.from([0.1, 0.8, 0.3, 0.6, 0.2, 0.1, 0.9, 0.4]), shape: [2, 2, 2] };
    const m = computeImageMetrics(gt, gt, { prob, config: { numClasses: 3, includeBackground: true } });
    assert.deepEqual(Object.keys(m.calibration?.perClass ?? {}), ['1', '2']);
    assert.equal(m.calibration?.topLabel, undefined);
    const direct = reliability(
      { data: prob.data.subarray(4), shape: [1, 2, 2] },
      { data: Uint8Array.from([0, 0, 1, 0]), shape: [2, 2] },
    );
    assert.equal(m.calibration?.perClass['2'].ece, direct.ece);
    assert.deepEqual(classChannel(2, 0, 3), undefined);
    assert.deepEqual(classChannel(1, 0, 2), { channel: 0, complement: true });
    const npy = join(dir, 'fg.npy');
    writeFileSync(npy, writeNpy({ dtype: 'float32', shape: [2, 2, 2], data: prob.data }));
    const lm = join(dir, 'gt.npy');
    writeFileSync(lm, writeNpy({ dtype: 'uint8', shape: [2, 2], data: gt.data }));
    const cfg = join(dir, 'c3.json');
    writeFileSync(cfg, '{"numClasses": 3}');
    const ambiguous = await runCli([
      'metrics',
      '--gt',
      lm,
      '--pred',
      lm,
      '--prob',
      npy,
      '--config',
      cfg,
      '--json',
    ]);
    assert.match(ambiguous.stderr, /fg\.npy: shape \[2, 2, 2\] is ambiguous/);
    const r = await runCli([
      'metrics',
      '--gt',
      lm,
      '--pred',
      lm,
      '--prob',
      npy,
      '--prob-layout',
      'CHW',
      '--config',
      cfg,
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('seglens eval folder mode (--gt DIR --probs DIR)', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('seglens-evaldir').path;
    mkdirSync(join(dir, 'masks'));
    mkdirSync(join(dir, 'probs'));
    copyFileSync(join(FIX, 'p08_probability_binary/img0_gt.png'), join(dir, 'masks/img0_mask.png'));
    copyFileSync(join(FIX, 'p08_probability_binary/img0_prob.npy'), join(dir, 'probs/img0_prob.npy'));
    copyFileSync(join(FIX, 'p01_identical/img0_gt.png'), join(dir, 'masks/lonely.png'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('pairs by stem, decodes with each decoder and keeps calibration and sweep equal to the p08 fixture', async () => {
    const r = await runCli(
      ['eval', '--gt', 'masks', '--probs', 'probs', '--decoders', 'threshold,rankdice', '--json'],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped 1 file\(s\) without a partner: lonely/);
    const out = JSON.parse(r.stdout) as {
      decoder: string;
      images: { id: string; perClass: { '1': { counts: { tp: number; fp: number } } } }[];
      dataset: { calibration: unknown; sweep: unknown };
      decoders: { decoder: string }[];
    };
    assert.equal(out.decoder, 'threshold');
    assert.deepEqual(
      out.decoders.map((d) => d.decoder),
      ['threshold', 'rankdice'],
    );
    assert.equal(out.images[0].id, 'img0');
    const p08 = (
      JSON.parse(readFileSync(join(FIX, 'cases.json'), 'utf8')) as {
        cases: { id: string; dataset: { calibration: unknown; sweep: unknown } }[];
      }
    ).cases.find((c) => c.id === 'p08_probability_binary');
    // Calibration and the sweep depend on the probabilities and the GT only, not on the decoder.
    assertMatches(out.dataset.calibration, p08?.dataset.calibration, 'calibration');
    assertMatches(out.dataset.sweep, p08?.dataset.sweep, 'sweep');
    // The threshold decoder selects p > 0.5 (strict): count it directly.
    const prob = readNpy(readFileSync(join(dir, 'probs/img0_prob.npy'))).data as Float32Array;
    const gt = loadLabelMap(new Uint8Array(readFileSync(join(dir, 'masks/img0_mask.png'))), {
      source: 'gt',
    }).data;
    let tp = 0;
    let fp = 0;
    prob.forEach((p, i) => {
      if (p > 0.5) {
        if (gt[i] === 1) tp++;
        else fp++;
      }
    });
    assert.deepEqual(
      [out.images[0].perClass['1'].counts.tp, out.images[0].perClass['1'].counts.fp],
      [tp, fp],
    );
  });

  it('refuses unknown decoders, --model without --images, and mixing --pairs with folder flags', async () => {
    const bad = await runCli(
      ['eval', '--gt', 'masks', '--probs', 'probs', '--decoders', 'topk', '--json'],
      dir,
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'topk' is not one of/);
    assert.equal((await runCli(['eval', '--gt', 'masks', '--model', 'm.onnx', '--json'], dir)).code, 2);
    assert.equal((await runCli(['eval', '--pairs', 'p.json', '--gt', 'masks', '--json'], dir)).code, 2);
  });
});

describe('seglens metrics on 3-D volumes (.npy)', () => {
  it('reads [D,H,W] label maps and a [D,H,W] probability map, with 3-D spacing', async () => {
    const dir = makeTempDir('seglens-3d').path;
    try {
      const shape = [3, 5, 6];
      const n = 90;
      const gt = new Uint8Array(n);
      const pred = new Uint8Array(n);
      const prob = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const z = Math.floor(i / 30);
        const y = Math.floor(i / 6) % 5;
        const x = i % 6;
        gt[i] = z >= 1 && y >= 1 && y <= 3 && x >= 1 && x <= 3 ? 1 : 0;
        pred[i] = z >= 1 && y >= 1 && y <= 3 && x >= 2 && x <= 4 ? 1 : 0;
        prob[i] = pred[i] ? 0.8 : 0.1;
      }
      writeFileSync(join(dir, 'gt.npy'), writeNpy({ dtype: 'uint8', shape, data: gt }));
      writeFileSync(join(dir, 'pred.npy'), writeNpy({ dtype: 'uint8', shape, data: pred }));
      writeFileSync(join(dir, 'prob.npy'), writeNpy({ dtype: 'float32', shape, data: prob }));
      const r = await runCli(
        [
          'metrics',
          '--gt',
          'gt.npy',
          '--pred',
          'pred.npy',
          '--prob',
          'prob.npy',
          '--spacing',
          '2,1,1',
          '--json',
        ],
        dir,
      );
      assert.equal(r.code, 0, r.stderr);
      const m = JSON.parse(r.stdout) as {
        perClass: {
          '1': { counts: { tp: number }; objects: Record<string, unknown>; surface: { hd: number } };
        };
        calibration: { perClass: { '1': { n: number } } };
      };
      // Two 3×3 squares per slice on slices 1–2, shifted by one column: TP = 2 slices × 3 rows × 2 columns.
      assert.equal(m.perClass['1'].counts.tp, 12);
      assert.deepEqual(Object.keys(m.perClass['1'].objects), ['6', '26']);
      assert.equal(m.perClass['1'].surface.hd, 1);
      assert.equal(m.calibration.perClass['1'].n, 90);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('seglens metrics --palette', () => {
  it('reads RGB colour masks through a palette file and refuses them without one', async () => {
    const dir = makeTempDir('seglens-pal').path;
    try {
      const rgb = (ids: number[]): Uint8Array =>
        encode({
          width: ids.length,
          height: 1,
          data: Uint8Array.from(ids.flatMap((c) => (c ? [255, 0, 0] : [0, 0, 0]))),
          channels: 3,
          depth: 8,
        });
      writeFileSync(join(dir, 'gt.png'), rgb([0, 1, 1, 0]));
      writeFileSync(join(dir, 'pred.png'), rgb([0, 1, 0, 0]));
      writeFileSync(join(dir, 'pal.json'), JSON.stringify(['#000000', '#ff0000']));
      const r = await runCli(
        ['metrics', '--gt', 'gt.png', '--pred', 'pred.png', '--palette', 'pal.json', '--json'],
        dir,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        (JSON.parse(r.stdout) as { perClass: { '1': { counts: object } } }).perClass['1'].counts,
        {
          tp: 1,
          fp: 0,
          fn: 1,
          tn: 2,
        },
      );
      const no = await runCli(['metrics', '--gt', 'gt.png', '--pred', 'pred.png', '--json'], dir);
      assert.equal(no.code, 2);
      assert.match(no.stderr, /gt\.png: colour mask \(RGB\) needs a palette/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('seglens eval --images --gt --model (model run in process)', () => {
  it('equals seglens run followed by eval --gt --probs', async function () {
    this.timeout(60000);
    const MODELS = repoPath('test/fixtures/models');
    const dir = makeTempDir('seglens-evalmodel').path;
    try {
      for (const d of ['images', 'masks', 'probs', 'models']) mkdirSync(join(dir, d));
      copyFileSync(join(MODELS, 'grey_13x10.png'), join(dir, 'images/a.png'));
      copyFileSync(join(MODELS, 'sigmoid_dynamic.onnx'), join(dir, 'models/m.onnx'));
      copyFileSync(join(MODELS, 'sigmoid_dynamic.seglens.json'), join(dir, 'models/m.onnx.seglens.json'));
      const img = loadLabelMap(new Uint8Array(readFileSync(join(dir, 'images/a.png'))), { source: 'a.png' });
      // A ground truth of the image's size: the brighter half of the pixels.
      const sorted = Array.from(img.data).sort((x, y) => x - y);
      const median = sorted[Math.floor(sorted.length / 2)];
      const mask = Uint8Array.from(img.data, (v) => (v > median ? 1 : 0));
      writeFileSync(
        join(dir, 'masks/a_mask.npy'),
        writeNpy({ dtype: 'uint8', shape: [...img.shape], data: mask }),
      );
      const viaModel = await runCli(
        ['eval', '--images', 'images', '--gt', 'masks', '--model', 'models/m.onnx', '--json'],
        dir,
      );
      assert.equal(viaModel.code, 0, viaModel.stderr);
      const run = await runCli(
        ['run', '--model', 'models/m.onnx', '--input', 'images/a.png', '--output', 'probs/a.npy'],
        dir,
      );
      assert.equal(run.code, 0, run.stderr);
      const viaFiles = await runCli(['eval', '--gt', 'masks', '--probs', 'probs', '--json'], dir);
      assert.equal(viaFiles.code, 0, viaFiles.stderr);
      // Everything but "run" (which names the model or the probability folder, and the timings) must agree.
      const { run: modelRun, ...fromModel } = JSON.parse(viaModel.stdout) as {
        run: { model: { kind: string } };
      };
      const { run: _filesRun, ...fromFiles } = JSON.parse(viaFiles.stdout) as { run: unknown };
      assert.equal(modelRun.model.kind, 'onnx');
      assertMatches(fromModel, fromFiles, 'model vs files');
      const out = JSON.parse(viaModel.stdout) as { decoder: string; images: { id: string }[] };
      assert.equal(out.decoder, 'threshold');
      assert.equal(out.images[0].id, 'a');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
