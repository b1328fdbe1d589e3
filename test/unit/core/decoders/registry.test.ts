/**
 * The decoder registry is the one place a decoder is declared: this suite proves that every list of decoders — the
 * `DecoderName` union, the CLI's accepted names and usage, the analysis panel's list, labels and task options — is
 * derived from its rows, and that every row's decoder still returns what it returned before the registry existed
 * (the snapshot in test/fixtures/decoders, see ./golden.ts) and agrees with an independent reference on small maps.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import {
  DECODERS,
  DECODER_CLI_ALIASES,
  DECODER_CLI_NAMES,
  DECODER_NAMES,
  cliAliasesOf,
  decode,
  decodeWithRow,
  decoderInfo,
  isDecoderName,
  type DecoderName,
  type DecoderRow,
  type ViewerContext,
} from '../../../../src/core/decoders';
import { selectEachClass } from '../../../../src/core/decoders/selectors/common';
import { DECODER_FLAG_VALUES, decodeCommand } from '../../../../src/cli/commands/decode';
import { main } from '../../../../src/cli/main';
import {
  ANALYSIS_DECODERS,
  DECODER_LABELS,
  decoderDescription,
  decoderLabel,
  viewerDecodersOf,
  viewerLabelsOf,
} from '../../../../src/core/viewmodel/analysisTypes';
import { bruteTopTau, dpScore, rankOrder } from './bruteforce';
import { GOLDEN_FILE, GOLDEN_MAPS, goldenRun, loadMap } from './golden';
import { repoPath } from '../../../support/repo';

/** Compile-time check: the two types are the same. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameType = <T extends true>(ok: T) => ok;

describe('decoders: registry rows are the one source of the decoder lists', () => {
  it('DecoderName is the union of the rows’ names', () => {
    // Fails to compile when a row is added or removed without this list changing with it.
    sameType<Equal<DecoderName, 'threshold' | 'argmax' | 'tunedThreshold' | 'topk' | 'rankdice' | 'rankiou'>>(
      true,
    );
    assert.deepEqual(
      DECODER_NAMES,
      DECODERS.map((d) => d.name),
    );
    assert.equal(new Set(DECODER_NAMES).size, DECODERS.length, 'names are unique');
    for (const d of DECODERS) {
      assert.equal(decoderInfo(d.name), d);
      assert.ok(isDecoderName(d.name));
      assert.ok(d.label && d.description && d.cliName, d.name);
      // Solvers and required options are the ones decode() checks.
      if (d.solvers.length) assert.equal(d.solvers[0], 'auto', `${d.name}: the first solver is the default`);
    }
    assert.ok(!isDecoderName('bogus') && !isDecoderName(undefined));
  });

  it('the CLI accepts exactly each row’s name, CLI name and aliases, and lists them in its usage', () => {
    const expected = new Map<string, DecoderName>();
    for (const d of DECODERS) for (const n of [d.name, d.cliName, ...d.cliAliases]) expected.set(n, d.name);
    assert.deepEqual([...DECODER_CLI_ALIASES], [...expected]);
    assert.deepEqual(DECODER_FLAG_VALUES, [...expected.keys()]);
    assert.deepEqual(
      DECODER_CLI_NAMES,
      DECODERS.map((d) => d.cliName),
    );
    assert.ok(decodeCommand.usage.includes(`--decoder ${DECODER_CLI_NAMES.join('|')}`));
    for (const d of DECODERS) assert.ok(decodeCommand.usage.includes(d.description), d.name);
    // The names the CLI has always taken (the contract of `seglens decode`).
    for (const [n, d] of [
      ['threshold', 'threshold'],
      ['argmax', 'argmax'],
      ['topk', 'topk'],
      ['tunedThreshold', 'tunedThreshold'],
      ['tuned-threshold', 'tunedThreshold'],
      ['rankdice', 'rankdice'],
      ['rankiou', 'rankiou'],
    ] as const)
      assert.equal(DECODER_CLI_ALIASES.get(n), d, n);
  });

  it('`seglens decode --decoder X` runs the row of every accepted name; an unknown name lists them all', async () => {
    const input = repoPath('test/fixtures/rankseg/p09_tiny_N10_subsets__probs.npy');
    for (const [flag, name] of DECODER_CLI_ALIASES) {
      const row = decoderInfo(name)!;
      const extra = [
        ...(row.requires.includes('threshold') ? ['--threshold', '0.3'] : []),
        ...(row.requires.includes('k') ? ['--k', '3'] : []),
      ];
      let out = '';
      const code = await main(['decode', '--input', input, '--decoder', flag, '--json', ...extra], {
        stdout: (t) => void (out += t),
        stderr: () => {},
        cwd: repoPath('.'),
      });
      assert.equal(code, 0, flag);
      assert.equal((JSON.parse(out) as { decoder: string }).decoder, name, flag);
    }
    let err = '';
    const code = await main(['decode', '--input', input, '--decoder', 'bogus'], {
      stdout: () => {},
      stderr: (t) => void (err += t),
      cwd: repoPath('.'),
    });
    assert.equal(code, 2);
    for (const n of DECODER_CLI_ALIASES.keys()) assert.ok(err.includes(n), n);
  });

  it('the analysis panel lists the rows its viewer entry shows, in registry order, with the rows’ labels', () => {
    assert.deepEqual(
      ANALYSIS_DECODERS,
      DECODERS.filter((d) => d.viewer?.shown).map((d) => d.name),
    );
    // Today every decoder is in the panel, in the order the panel has always shown them.
    assert.deepEqual(ANALYSIS_DECODERS, [
      'threshold',
      'argmax',
      'tunedThreshold',
      'topk',
      'rankdice',
      'rankiou',
    ]);
    for (const d of DECODERS) {
      assert.equal(DECODER_LABELS[d.name], d.viewer?.label ?? d.label);
      assert.equal(decoderLabel(d.name), DECODER_LABELS[d.name]);
      assert.equal(decoderDescription(d.name), d.description);
    }
    assert.deepEqual(DECODER_LABELS, {
      threshold: 'Threshold',
      argmax: 'Argmax',
      tunedThreshold: 'Tuned threshold',
      topk: 'Top-k',
      rankdice: 'RankDice',
      rankiou: 'RankIoU',
    });
    assert.equal(decoderLabel('bogus'), 'bogus');
  });

  it('every viewer plan yields options decode() accepts, or says why the decoder cannot run', () => {
    const input = loadMap('p10_sigmoid2_overlap_24');
    const contexts: ViewerContext[] = [
      { threshold: 0.4, solver: 'auto', layout: 'foreground', defaultTopK: () => 5 },
      { threshold: 0.5, tuned: 0.35, topK: 9, solver: 'rma', layout: 'softmax', defaultTopK: () => 5 },
      { threshold: 0.5, tuned: 0.35, solver: 'exact', layout: 'binary', defaultTopK: () => 5 },
    ];
    let ran = 0;
    for (const d of DECODERS) {
      if (!d.viewer) continue;
      for (const v of contexts) {
        const plan = d.viewer.plan(v);
        if ('unavailable' in plan) {
          assert.ok(plan.unavailable.length > 10, d.name);
          continue;
        }
        const r = decode(input, { ...plan.options, decoder: d.name, outputMode: 'multiclass' });
        assert.equal(r.decoder, d.name);
        if (plan.k !== undefined) assert.equal(plan.k, v.topK ?? v.defaultTopK());
        ran++;
      }
    }
    assert.ok(ran >= DECODERS.length * 2);
    // The plans the panel has always used.
    const ctx = contexts[0];
    assert.deepEqual(decoderInfo('tunedThreshold')?.viewer?.plan(ctx), {
      unavailable: 'needs a ground truth to tune the threshold on',
    });
    assert.match(JSON.stringify(decoderInfo('argmax')?.viewer?.plan(ctx)), /background channel/);
    assert.equal(
      (decoderInfo('argmax')?.viewer?.plan(contexts[1]) as { withBackground?: boolean }).withBackground,
      true,
    );
    assert.deepEqual(decoderInfo('rankiou')?.viewer?.plan(contexts[2]), { options: { solver: 'exact' } });
  });
});

/**
 * A decoder that is not in the registry, written as a contributor would: a selector (here inline) and one row.
 * It selects the pixels above their class's mean probability.
 */
const ABOVE_MEAN: DecoderRow<'aboveMean'> = {
  name: 'aboveMean',
  label: 'Above mean',
  description: 'Selects the pixels whose p exceeds the mean p of their image and class.',
  cliName: 'above-mean',
  cliAliases: ['mean'],
  solvers: [],
  requires: [],
  defaults: { outputMode: 'multilabel' },
  viewer: { shown: true, plan: () => ({ options: {} }) },
  selector: {
    labels: 'probability',
    select: (x) =>
      selectEachClass(x, (off) => {
        let s = 0;
        for (let j = 0; j < x.pixels; j++) s += x.data[off + j];
        for (let j = 0; j < x.pixels; j++) if (x.data[off + j] > s / x.pixels) x.masks[off + j] = 1;
      }),
  },
};

describe('decoders: one new row is all a new decoder needs', () => {
  const rows = [...DECODERS, ABOVE_MEAN];

  it('its names reach the CLI, its entry the panel’s list and labels', () => {
    const cli = cliAliasesOf(rows);
    for (const n of ['aboveMean', 'above-mean', 'mean']) assert.equal(cli.get(n), 'aboveMean', n);
    assert.deepEqual([...cli].slice(0, DECODER_CLI_ALIASES.size), [...DECODER_CLI_ALIASES]);
    assert.deepEqual(viewerDecodersOf(rows), [...ANALYSIS_DECODERS, 'aboveMean']);
    assert.deepEqual(viewerLabelsOf(rows), { ...DECODER_LABELS, aboveMean: 'Above mean' });
    assert.throws(
      () => cliAliasesOf([...rows, { ...ABOVE_MEAN, name: 'other', cliAliases: ['topk'] }]),
      /twice/,
    );
  });

  it('decode() runs it with validation, multiclass labels, k and exact expected scores for free', () => {
    const { data, shape } = loadMap('p10_sigmoid2_overlap_24');
    const N = shape[2] * shape[3];
    const ml = decodeWithRow(ABOVE_MEAN, { data, shape }, {});
    assert.equal(ml.decoder, 'aboveMean');
    assert.equal(ml.outputMode, 'multilabel');
    for (let c = 0; c < 2; c++) {
      const p = data.subarray(c * N, (c + 1) * N);
      const mean = p.reduce((a, b) => a + b, 0) / N;
      const mask = ml.mask.data.subarray(c * N, (c + 1) * N) as Uint8Array;
      assert.equal(
        mask.reduce((a, b) => a + b, 0),
        p.filter((v) => v > mean).length,
      );
      const cls = ml.images[0].classes[c];
      assert.equal(cls.k, p.filter((v) => v > mean).length);
      // Against the untrimmed two-PMF double sum of the brute-force module (shares no code with the core).
      const ref = dpScore(p, mask);
      assert.ok(Math.abs((cls.expectedDice ?? -1) - ref.dice) < 1e-10);
      assert.ok(Math.abs((cls.expectedIoU ?? -1) - ref.iou) < 1e-10);
    }
    const mc = decodeWithRow(
      ABOVE_MEAN,
      { data, shape },
      { outputMode: 'multiclass', unassignedPolicy: 'void' },
    );
    assert.equal(mc.mask.kind, 'multiclass');
    assert.throws(() => decodeWithRow(ABOVE_MEAN, { data, shape }, { smooth: -1 }), /smooth/);
    assert.match(
      decodeWithRow(ABOVE_MEAN, { data, shape }, { solver: 'exact' }).notes[0],
      /aboveMean has no solvers/,
    );
  });
});

describe('decoders: every row’s decoder agrees with its previous output and an independent reference', () => {
  it('reproduces the snapshot of decode() taken before the registry (every row, solver and output mode)', () => {
    const got = JSON.parse(JSON.stringify(goldenRun(DECODERS))) as Record<string, unknown>;
    if (process.env.SEGLENS_UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN_FILE, JSON.stringify(got).replace(/,"(p\d\d_[^"]*)":/g, ',\n"$1":') + '\n');
    }
    assert.ok(existsSync(GOLDEN_FILE), GOLDEN_FILE);
    const want = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, unknown>;
    // Every snapshot entry is reproduced; a new row's entries are checked once the snapshot is regenerated.
    const differ = Object.keys(want).filter((k) => !isDeepStrictEqual(got[k], want[k]));
    assert.deepEqual(differ, []);
    for (const d of DECODERS) {
      for (const map of GOLDEN_MAPS) {
        const key = `${map}:${d.name}/`;
        if (!Object.keys(want).some((k) => k.startsWith(key))) continue;
        for (const s of d.solvers.length ? d.solvers : ['-'])
          assert.ok(`${key}${s}/ml` in want, `snapshot of ${key}${s}`);
      }
    }
    assert.ok(Object.keys(want).length >= 400);
  });

  it('threshold, tuned threshold, top-k and argmax select what their definitions say', () => {
    const { data, shape } = loadMap('p10_sigmoid2_overlap_24');
    const [, C, H, W] = shape;
    const N = H * W;
    for (const d of DECODERS.filter((r) => r.solvers.length === 0)) {
      const r = decode({ data, shape }, { decoder: d.name, threshold: 0.3, k: 11, outputMode: 'multilabel' });
      const mask = r.mask.data;
      for (let c = 0; c < C; c++) {
        const p = data.subarray(c * N, (c + 1) * N);
        const want = new Uint8Array(N);
        if (d.selector.labels === 'onehot') {
          // The most probable class, the first one on ties.
          for (let j = 0; j < N; j++) {
            let best = 0;
            for (let q = 1; q < C; q++) if (data[q * N + j] > data[best * N + j]) best = q;
            want[j] = Number(best === c);
          }
        } else if (d.requires.includes('k')) {
          for (const j of rankOrder(p).slice(0, 11)) want[j] = 1;
        } else {
          for (let j = 0; j < N; j++) want[j] = Number(p[j] > 0.3);
        }
        assert.deepEqual(
          Array.from(mask.subarray(c * N, (c + 1) * N)),
          Array.from(want),
          `${d.name} class ${c}`,
        );
      }
    }
  });

  it('the ranking rows’ exact solver finds the brute-force optimum over all top-τ sets', () => {
    const { data } = loadMap('p09_tiny_N10_subsets');
    const p = Array.from(data);
    for (const d of DECODERS.filter((r) => r.solvers.includes('exact'))) {
      for (const smooth of [0, 1]) {
        for (const conv of ['conv0', 'conv1'] as const) {
          const ref = bruteTopTau(p, smooth, conv);
          const r = decode(
            { data, shape: [1, 1, p.length] },
            { decoder: d.name, solver: 'exact', smooth, emptyConvention: conv },
          );
          const c = r.images[0].classes[0];
          const metric = d.selector.labels;
          assert.equal(c.k, metric === 'dice' ? ref.k : ref.kIou, `${d.name} γ=${smooth} ${conv}`);
          const e = metric === 'dice' ? c.expectedDice : c.expectedIoU;
          assert.ok(Math.abs((e ?? -1) - (metric === 'dice' ? ref.dice : ref.iou)) < 1e-12);
        }
      }
    }
  });
});
