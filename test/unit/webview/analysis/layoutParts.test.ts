import assert from 'node:assert/strict';
import { placeLabels } from '../../../../webview/analysis/charts';
import { SIDE_MIN, STAGE_MIN, clampSide } from '../../../../webview/layout';

describe('webview layout pieces', () => {
  it('the splitter keeps both the stage and the side area at their minimum', () => {
    assert.equal(clampSide(100, 1000), SIDE_MIN);
    assert.equal(clampSide(900, 1000), 1000 - STAGE_MIN);
    assert.equal(clampSide(420.4, 1000), 420);
  });

  it('chart marker labels never overlap: a label that would is moved down a line', () => {
    const placed = placeLabels(
      [
        { x: 100, y: 50, width: 40, below: false },
        { x: 104, y: 52, width: 30, below: false },
        { x: 300, y: 50, width: 30, below: false },
      ],
      14,
      6,
    );
    const box = (i: number) => ({
      l: placed[i].labelX,
      r: placed[i].labelX + [40, 30, 30][i],
      t: placed[i].labelY - 14,
      b: placed[i].labelY,
    });
    const a = box(0);
    const b = box(1);
    assert.ok(b.t >= a.b || b.b <= a.t || b.l >= a.r || b.r <= a.l, JSON.stringify({ a, b }));
    // A far-away marker keeps its place beside its point.
    assert.equal(placed[2].labelY, 50 - 14 / 4);
  });
});
