// The shared view window of the stage and the side-by-side views, against hand-computed transforms and, as
// properties, the exact inverses (transform ↔ window) and the fixed point of a zoom.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_ZOOM,
  fitScale,
  fitWindow,
  panBy,
  sameWindow,
  transformOf,
  windowAround,
  windowOf,
  zoomAround,
} from '../../../../src/core/viewmodel/viewWindow';

const image = { width: 400, height: 200 };
const views = { width: 260, height: 260 };
const stage = { width: 800, height: 300 };
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

describe('analysis: shared view window', () => {
  it('fits by hand: 400×200 in 260² is scale 0.65, centred vertically', () => {
    assert.equal(fitScale(image, views), 0.65);
    assert.deepEqual(transformOf(fitWindow(image), image, views), { scale: 0.65, x: 0, y: 65 });
    // The same window in the stage: scale min(800/400, 300/200) = 1.5, x = 400 − 200·1.5 = 100, y = 0.
    assert.deepEqual(transformOf(fitWindow(image), image, stage), { scale: 1.5, x: 100, y: 0 });
  });

  it('one window puts the same image point at the centre of views of different sizes', () => {
    const win = { cx: 310, cy: 40, zoom: 4 };
    for (const box of [views, stage]) {
      const t = transformOf(win, image, box);
      close(t.x + win.cx * t.scale, box.width / 2, 'centre x');
      close(t.y + win.cy * t.scale, box.height / 2, 'centre y');
      close(t.scale, fitScale(image, box) * 4, 'scale');
    }
  });

  it('transform → window → transform is exact, and a zoom keeps the point under the pointer', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -500, max: 900, noNaN: true }),
        fc.double({ min: -500, max: 700, noNaN: true }),
        fc.double({ min: 0.25, max: 64, noNaN: true }),
        fc.double({ min: 0, max: 260, noNaN: true }),
        fc.double({ min: 0, max: 260, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (cx, cy, zoom, px, py, f) => {
          const win = { cx, cy, zoom };
          const back = windowOf(transformOf(win, image, views), image, views);
          assert.ok(sameWindow(back, win, 1e-9), JSON.stringify([back, win]));
          const t = transformOf(win, image, views);
          const z = zoomAround(win, f, px, py, image, views);
          const u = transformOf(z, image, views);
          // The image point under (px, py) before and after.
          close((px - t.x) / t.scale, (px - u.x) / u.scale, 'x under pointer');
          close((py - t.y) / t.scale, (py - u.y) / u.scale, 'y under pointer');
        },
      ),
    );
  });

  it('pans by screen pixels: 26 px right at scale 0.65 × 2 shows 20 image pixels further left', () => {
    const p = panBy({ cx: 200, cy: 100, zoom: 2 }, 26, -13, image, views);
    close(p.cx, 180, 'cx');
    close(p.cy, 110, 'cy');
    assert.equal(p.zoom, 2);
  });

  it('zooms to an object box with a margin, capped at 32 screen pixels per image pixel', () => {
    // Box x 100…149, y 20…29: 50×10 pixels, centre (125, 25); scale min(260/(50·1.6), 260/(10·1.6)) = 3.25.
    const w = windowAround(100, 20, 149, 29, image, views);
    close(w.cx, 125, 'cx');
    close(w.cy, 25, 'cy');
    close(w.zoom * fitScale(image, views), 3.25, 'scale');
    // A single pixel would be 162.5 px: capped at 32.
    const one = windowAround(7, 7, 7, 7, image, views);
    close(one.zoom * fitScale(image, views), 32, 'capped scale');
    close(one.cx, 7.5, 'pixel centre');
    // The stage following this window shows the same pixel box centred, at its own fit × the same zoom.
    const t = transformOf(w, image, stage);
    close(t.x + 125 * t.scale, 400, 'stage centre');
    assert.ok(w.zoom <= MAX_ZOOM);
  });
});
