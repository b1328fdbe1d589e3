// The viewer's half of the dataset view's label-error jump: the window that shows a region (hand-computed), and
// when a region is applied (only to the sample of its load, once drawn; kept through a resize until the user zooms).
import assert from 'node:assert/strict';
import type { ViewWindow } from '../../../src/core/viewmodel/viewWindow';
import type { ImageRegion } from '../../../src/protocol';
import { RegionReveal, regionWindow } from '../../../webview/revealRegion';

describe('webview: reveal a region', () => {
  const image = { width: 64, height: 64 };
  const box = { width: 640, height: 640 }; // fit scale 10 px per pixel

  it('centres the region and zooms so it takes 1/1.6 of the view, at most 32 px per pixel', () => {
    // 8 × 4 px at (10, 20): 640 / (8 · 1.6) = 50 and 640 / (4 · 1.6) = 100 px per pixel, capped at 32 → zoom 3.2.
    assert.deepEqual(regionWindow({ x: 10, y: 20, width: 8, height: 4 }, image, box), {
      cx: 14,
      cy: 22,
      zoom: 3.2,
    });
    // 40 × 20 px: 640 / 64 = 10 px per pixel, the fit scale → zoom 1, centred on (20 + 20, 30 + 10).
    assert.deepEqual(regionWindow({ x: 20, y: 30, width: 40, height: 20 }, image, box), {
      cx: 40,
      cy: 40,
      zoom: 1,
    });
  });

  it('clips a region that runs past the image to the image', () => {
    // x 60…69 of a 64-wide image is x 60…63: 4 px wide, 2 high at y 0…1.
    const w = regionWindow({ x: 60, y: 0, width: 10, height: 2 }, image, box);
    assert.deepEqual(w, { cx: 62, cy: 1, zoom: 3.2 });
  });

  function harness() {
    const log: string[] = [];
    const shown: ViewWindow[] = [];
    let drawn = -1;
    let size = box;
    const reveal = new RegionReveal({
      drawnRequest: () => drawn,
      imageSize: () => image,
      boxSize: () => size,
      show: (w) => shown.push(w),
      errorsOn: () => log.push('errors'),
      shown: (b) => log.push(`shown ${b.join(',')}`),
    });
    return {
      reveal,
      log,
      shown,
      draw: (id: number) => {
        drawn = id;
        reveal.sampleDrawn();
      },
      resize: (w: number, h: number) => {
        size = { width: w, height: h };
        reveal.resized();
      },
    };
  }
  const region: ImageRegion = { x: 10, y: 20, width: 8, height: 4 };

  it('waits for the sample of its load, then shows the region once with the error map on', () => {
    const h = harness();
    h.draw(1);
    h.reveal.receive(2, region);
    assert.deepEqual(h.log, [], 'load 2 is not drawn yet');
    h.draw(2);
    assert.deepEqual(h.log, ['errors', 'shown 10,20,17,23']);
    assert.deepEqual(h.shown, [{ cx: 14, cy: 22, zoom: 3.2 }]);
  });

  it('applies at once when its sample is already drawn; an older load’s region is dropped', () => {
    const h = harness();
    h.draw(5);
    h.reveal.receive(5, region);
    assert.equal(h.shown.length, 1);
    h.reveal.receive(4, region);
    h.draw(6);
    assert.equal(h.shown.length, 1, 'the region of load 4 never reaches sample 6');
  });

  it('fits the region again when the stage resizes, until the user zooms or another sample is drawn', () => {
    const h = harness();
    h.draw(1);
    h.reveal.receive(1, region);
    h.resize(320, 640); // fit scale 5: 320 / 12.8 = 25 px per pixel → zoom 5
    assert.deepEqual(h.shown[1], { cx: 14, cy: 22, zoom: 5 });
    h.reveal.release();
    h.resize(640, 640);
    assert.equal(h.shown.length, 2, 'the user zoomed: no more re-fitting');
    h.reveal.receive(1, region);
    h.draw(2);
    h.resize(320, 640);
    assert.equal(h.shown.length, 3, 'a new sample unpins the region');
  });
});
