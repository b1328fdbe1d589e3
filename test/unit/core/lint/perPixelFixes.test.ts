/**
 * Issue 5 follow-ups: fixing a per-pixel Dice one quick fix at a time reaches a correct file (LL101/LL105 keep
 * leading, LL104 stays quiet on their sites), and LL101's message states what the numbers become, checked
 * against a brute-force per-pixel computation on the catalog's 4×4 example.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, LintOptions } from '../../../../src/core/lint/types';
import { applyEdits, getLinter } from './helpers';
import { REPO } from '../../../support/repo';

const ROOT = REPO;
const DEMO = readFileSync(join(ROOT, 'demo/losses/dice_keras.py'), 'utf8');

async function lint(text: string, options?: LintOptions): Promise<{ findings: Finding[]; broken: boolean }> {
  const linter = await getLinter();
  const r = linter.lint(text, options);
  const broken = r.tree.hasSyntaxErrors;
  r.tree.dispose();
  return { findings: r.findings, broken };
}

const loud = (fs: Finding[]): Finding[] => fs.filter((f) => f.severity !== 'info');
const where = (f: Finding): string => `${f.rule} ${f.range.start.line + 1}:${f.range.start.character + 1}`;

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

/**
 * Applies the preferred fix of one finding per step, in the order `order` gives (indices of the original
 * findings), re-linting after each step, and returns the texts and findings seen.
 */
async function fixStepwise(
  text: string,
  order: number[],
  rules: string[],
): Promise<{ text: string; steps: Finding[][] }> {
  const left = [...order].sort((a, b) => a - b);
  const steps: Finding[][] = [];
  for (const site of order) {
    const { findings, broken } = await lint(text);
    assert.equal(broken, false, `valid Python before fixing site ${site}:\n${text}`);
    const current = loud(findings);
    steps.push(current);
    // Every loud finding on the way must be one of the leading rules, and carry its preferred fix.
    assert.deepEqual(
      current.filter((f) => !rules.includes(f.rule)).map(where),
      [],
      `only ${rules.join('/')} while fixing:\n${text}`,
    );
    assert.equal(current.length, left.length, `one finding per site not yet fixed:\n${text}`);
    for (const f of current)
      assert.ok(
        f.fixes?.some((x) => x.preferred),
        `${where(f)} has a preferred fix`,
      );
    const f = current[left.indexOf(site)];
    text = applyEdits(text, f.fixes!.find((x) => x.preferred)!.edits);
    left.splice(left.indexOf(site), 1);
  }
  const end = await lint(text);
  assert.equal(end.broken, false);
  steps.push(loud(end.findings));
  return { text, steps };
}

describe('lint: a per-pixel Dice fixed one quick fix at a time', () => {
  // The expected end state, written by hand: every reduce call over the spatial axes of NHWC (per image).
  const fixedDemo = DEMO.replace(
    'K.sum(y_true * y_pred, axis=-1)',
    'K.sum(y_true * y_pred, axis=[1, 2, 3])',
  ).replace('K.sum(y_true, -1) + K.sum(y_pred, -1)', 'K.sum(y_true, [1, 2, 3]) + K.sum(y_pred, [1, 2, 3])');

  it('the hand-fixed demo differs from the demo at the three sites only', () => {
    assert.notEqual(fixedDemo, DEMO);
    assert.equal((fixedDemo.match(/\[1, 2, 3\]/g) ?? []).length, 3);
  });

  for (const order of permutations(3)) {
    it(`demo/losses/dice_keras.py, sites fixed in order ${order.join(', ')}: LL101 leads each step, zero findings after three`, async () => {
      const { text, steps } = await fixStepwise(DEMO, order, ['LL101']);
      assert.deepEqual(
        steps.map((s) => s.length),
        [3, 2, 1, 0],
      );
      assert.equal(text, fixedDemo);
      const all = await lint(text);
      assert.deepEqual(all.findings.map(where), [], 'no finding at all, info included');
    });
  }

  it('the chained torch sums of LL105 are fixed one at a time too, in any order', async () => {
    const text = [
      'import torch',
      '',
      '',
      'def region_score(pred, target, eps=1e-6):  # (B, C, H, W)',
      '    inter = (pred * target).sum(dim=1).sum(dim=1)',
      '    total = pred.sum(dim=1).sum(dim=1) + target.sum(dim=1).sum(dim=1)',
      '    return ((2 * inter + eps) / (total + eps)).mean()',
      '',
    ].join('\n');
    const expected = text.replace(/\.sum\(dim=1\)\.sum\(dim=1\)/g, '.sum(dim=(2, 3))');
    for (const order of permutations(3)) {
      const r = await fixStepwise(text, order, ['LL105']);
      assert.deepEqual(
        r.steps.map((s) => s.length),
        [3, 2, 1, 0],
      );
      assert.equal(r.text, expected);
    }
  });

  it('LL104 still reports the per-pixel terms when LL101 is turned off', async () => {
    const half = DEMO.replace('K.sum(y_true * y_pred, axis=-1)', 'K.sum(y_true * y_pred, axis=[1, 2, 3])');
    const on = await lint(half);
    assert.deepEqual(
      loud(on.findings).map((f) => f.rule),
      ['LL101', 'LL101'],
    );
    const off = await lint(half, { rules: { LL101: 'off' } });
    assert.deepEqual(
      loud(off.findings).map(where),
      loud(on.findings).map((f) => where({ ...f, rule: 'LL104' })),
    );
    for (const f of off.findings) assert.match(f.message, /but the intersection over axis \[1, 2, 3\]/);
  });
});

/** One pixel's (or one image's) overlap ratio from its sums, with numerator and denominator smoothing. */
function ratio(kind: 'Dice' | 'IoU', inter: number, a: number, b: number, s: number, t: number): number {
  return kind === 'Dice' ? (2 * inter + s) / (a + b + t) : (inter + s) / (a + b - inter + t);
}

/**
 * Brute force on a 4×4 image whose pixel 5 is foreground: the per-image ratio and the mean of the 16 per-pixel
 * ratios (what a reduction over the channel axis only computes).
 */
function fourByFour(
  kind: 'Dice' | 'IoU',
  prediction: 'empty' | 'perfect',
  s: number,
  t: number,
): { perImage: number; perPixel: number } {
  const truth = Array.from({ length: 16 }, (_, i) => (i === 5 ? 1 : 0));
  const pred = prediction === 'empty' ? truth.map(() => 0) : truth;
  let inter = 0;
  let a = 0;
  let b = 0;
  let sum = 0;
  for (let i = 0; i < 16; i++) {
    inter += truth[i] * pred[i];
    a += truth[i];
    b += pred[i];
    sum += ratio(kind, truth[i] * pred[i], truth[i], pred[i], s, t);
  }
  return { perImage: ratio(kind, inter, a, b, s, t), perPixel: sum / 16 };
}

describe('lint: LL101 says what the numbers become', () => {
  async function ll101(body: string): Promise<Finding[]> {
    const { findings } = await lint(`from tensorflow.keras import backend as K\n\n\n${body}\n`);
    const out = findings.filter((f) => f.rule === 'LL101');
    assert.equal(out.length, 3, `three LL101 sites in:\n${body}`);
    return out;
  }
  const sentence = (f: Finding): string => f.message.replace(/ \(assumed layout[^]*$/, '');
  const keras = (smoothDefault: string, num: string, den: string, name = 'dice_coef'): string =>
    [
      `def ${name}(y_true, y_pred${smoothDefault}):`,
      '    i = K.sum(y_true * y_pred, axis=-1)',
      `    return (${num}) / (${den})`,
    ].join('\n');

  it('the demo: smooth=1, true Dice 0.50 reported as ~0.97, one sentence plus the assumptions', async () => {
    const { findings } = await lint(DEMO);
    const ref = fourByFour('Dice', 'empty', 1, 1);
    assert.equal(ref.perImage.toFixed(2), '0.50');
    assert.equal(ref.perPixel.toFixed(2), '0.97');
    assert.equal(findings.length, 3);
    for (const f of findings) {
      assert.equal(
        sentence(f),
        'Dice term is summed over axis -1 (C) only, so on NHWC tensors the mean is taken over per-pixel Dice ' +
          'values; with smooth=1 every background pixel where the prediction is ~0 scores ~1, which pads the ' +
          `average: a mask with true Dice ${ref.perImage.toFixed(2)} reports ~${ref.perPixel.toFixed(2)}`,
      );
      assert.ok(!sentence(f).includes('. '), 'one sentence');
      assert.match(f.message, /\(assumed layout NHWC: Keras default channels_last; role: loss, .*\)\.$/);
      assert.match(f.explanation ?? '', /per-image Dice is 0\.50; this code reports 0\.97\./);
    }
  });

  for (const [label, smooth, text, value] of [
    ['a literal 1e-6', '', '1e-6', 1e-6],
    ['a named default 100', ', smooth=100', 'smooth', 100],
    ['a named default 0.5', ', smooth=0.5', 'smooth', 0.5],
  ] as const) {
    it(`uses ${label} as found in the code`, async () => {
      const findings = await ll101(
        keras(smooth, `2.0 * i + ${text}`, `K.sum(y_true, -1) + K.sum(y_pred, -1) + ${text}`),
      );
      const ref = fourByFour('Dice', 'empty', value, value);
      const shown = text === 'smooth' ? `smooth=${value}` : `smoothing ${text}`;
      for (const f of findings) {
        assert.ok(
          sentence(f).endsWith(
            `; with ${shown} every background pixel where the prediction is ~0 scores ~1, which pads the average: ` +
              `a mask with true Dice ${ref.perImage.toFixed(2)} reports ~${ref.perPixel.toFixed(2)}`,
          ),
          sentence(f),
        );
      }
    });
  }

  it('names an IoU (denominator A + B − I) and uses the IoU numbers', async () => {
    const findings = await ll101(
      keras(', s=2', 'i + s', 'K.sum(y_true, -1) + K.sum(y_pred, -1) - i + s', 'overlap'),
    );
    const ref = fourByFour('IoU', 'empty', 2, 2);
    for (const f of findings) {
      assert.match(
        sentence(f),
        /^IoU term is summed over axis -1 \(C\) only, .* per-pixel IoU values; with s=2 /,
      );
      assert.ok(
        sentence(f).endsWith(`true IoU ${ref.perImage.toFixed(2)} reports ~${ref.perPixel.toFixed(2)}`),
        sentence(f),
      );
    }
  });

  it('without smoothing the per-pixel map is 0/0 = NaN', async () => {
    const ref = fourByFour('Dice', 'empty', 0, 0);
    assert.ok(Number.isNaN(ref.perPixel));
    for (const f of await ll101(keras('', '2.0 * i', 'K.sum(y_true, -1) + K.sum(y_pred, -1)'))) {
      assert.ok(
        sentence(f).endsWith(
          '; without smoothing every background pixel gives 0/0 = NaN, so the average is NaN',
        ),
      );
    }
  });

  it('with smoothing in the denominator only, background pixels score 0 and drag a perfect prediction down', async () => {
    const ref = fourByFour('Dice', 'perfect', 0, 1e-7);
    assert.equal(ref.perImage.toFixed(2), '1.00');
    for (const f of await ll101(keras('', '2.0 * i', 'K.sum(y_true, -1) + K.sum(y_pred, -1) + 1e-7'))) {
      assert.ok(
        sentence(f).endsWith(
          `; every background pixel scores 0, which drags the average towards 0: a perfect prediction of a ` +
            `one-pixel object in a 4×4 image reports ~${ref.perPixel.toFixed(2)} instead of ${ref.perImage.toFixed(2)}`,
        ),
        sentence(f),
      );
    }
  });

  it('a smoothing constant of unknown value gets the s = 1 numbers as an example', async () => {
    const ref = fourByFour('Dice', 'empty', 1, 1);
    for (const f of await ll101(
      keras(', smooth', '2.0 * i + smooth', 'K.sum(y_true, -1) + K.sum(y_pred, -1) + smooth'),
    )) {
      assert.ok(
        sentence(f).endsWith(
          `; with a smoothing constant s every background pixel where the prediction is ~0 scores s/s = 1, ` +
            `which pads the average: with s = 1, a mask with true Dice ${ref.perImage.toFixed(2)} reports ` +
            `~${ref.perPixel.toFixed(2)}`,
        ),
        sentence(f),
      );
    }
  });

  it('different numerator and denominator constants: the background score is their ratio', async () => {
    const ref = fourByFour('Dice', 'empty', 1, 2);
    for (const f of await ll101(keras('', '2.0 * i + 1', 'K.sum(y_true, -1) + K.sum(y_pred, -1) + 2'))) {
      assert.ok(
        sentence(f).endsWith(
          `; with smoothing 1 in the numerator and 2 in the denominator every background pixel where the ` +
            `prediction is ~0 scores ~0.5, which skews the average: a mask with true Dice ` +
            `${ref.perImage.toFixed(2)} reports ~${ref.perPixel.toFixed(2)}`,
        ),
        sentence(f),
      );
    }
  });
});
