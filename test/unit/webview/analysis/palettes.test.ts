import assert from 'node:assert/strict';
import { CLASS_PALETTE, type Rgb } from '../../../../webview/colors';
import {
  MIN_DISTANCE,
  colourDistance,
  differencePalette,
  errorPalette,
} from '../../../../webview/analysis/palettes';

/** The demo's labels.json colours (caudate, putamen, pallidum, thalamus, hippocampus+amygdala). */
const DEMO: Rgb[] = [
  [0x43, 0x63, 0xd8],
  [0xf5, 0x82, 0x31],
  [0x3c, 0xb4, 0x4b],
  [0xff, 0xe1, 0x19],
  [0xf0, 0x32, 0xe6],
];

const rgb = (c: readonly number[]): Rgb => [c[0], c[1], c[2]];

function nearest(c: Rgb, others: Rgb[]): number {
  return Math.min(...others.map((o) => colourDistance(c, o)));
}

describe('webview error-map palettes', () => {
  it('the colour distance is 0 for equal colours, symmetric, and black–white is the largest', () => {
    assert.equal(colourDistance([10, 20, 30], [10, 20, 30]), 0);
    assert.equal(colourDistance([255, 0, 0], [0, 0, 255]), colourDistance([0, 0, 255], [255, 0, 0]));
    assert.ok(colourDistance([0, 0, 0], [255, 255, 255]) > colourDistance([255, 0, 0], [0, 0, 255]));
  });

  for (const scheme of ['standard', 'colourblind'] as const)
    for (const [name, classes] of [
      ['the demo labels', DEMO],
      ['the default palette (classes 1-5)', CLASS_PALETTE.slice(0, 5) as Rgb[]],
    ] as const)
      it(`${scheme}: FP, FN and wrong-class colours stay clear of ${name} and of each other`, () => {
        const p = errorPalette(scheme, classes);
        assert.equal(p.length, 5);
        assert.deepEqual([...p[0]], [0, 0, 0, 0]);
        // TP is a faint neutral: never a class hue.
        assert.ok(p[1][0] === p[1][1] && p[1][1] === p[1][2] && p[1][3] < 128, JSON.stringify(p[1]));
        const errors = [2, 3, 4].map((c) => rgb(p[c]));
        for (const [i, e] of errors.entries()) {
          const d = nearest(e, [...classes]);
          // Far from every class colour (the old fixed palette drew FP in putamen's orange: distance < 100).
          assert.ok(d >= MIN_DISTANCE * 0.6, `${scheme} code ${i + 2} ${e} is ${d.toFixed(0)} from a class`);
          for (const o of errors.filter((_, j) => j !== i))
            assert.ok(colourDistance(e, o) >= MIN_DISTANCE * 0.6);
        }
      });

  for (const scheme of ['standard', 'colourblind'] as const)
    it(`${scheme}: the difference map's colours stay clear of the demo labels too`, () => {
      const p = differencePalette(scheme, DEMO);
      assert.equal(p.length, 4);
      for (const c of [1, 2, 3]) {
        assert.equal(p[c][3], 255);
        assert.ok(nearest(rgb(p[c]), DEMO) >= MIN_DISTANCE * 0.6, `${scheme} diff ${c}: ${p[c]}`);
      }
    });

  it('a class in the first choice’s colour pushes the error colour to the next candidate', () => {
    const p = errorPalette('standard', [[255, 0, 255]]);
    assert.notDeepEqual(rgb(p[2]), [255, 0, 255]);
    assert.ok(nearest(rgb(p[2]), [[255, 0, 255]]) >= MIN_DISTANCE);
  });
});
