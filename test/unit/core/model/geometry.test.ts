import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors';
import { outputContent, planGeometry } from '../../../../src/core/model/geometry';

const dyn = (multipleOf: number) => ({ kind: 'dynamic' as const, multipleOf });
const fixed = (height: number, width: number) => ({ kind: 'fixed' as const, height, width });

describe('model/geometry: placement and inverse', () => {
  it('pads the demo slices (181×217) bottom/right to multiples of 16', () => {
    assert.deepEqual(planGeometry(217, 181, dyn(16), 'pad', 'a.png'), {
      srcHeight: 217,
      srcWidth: 181,
      inHeight: 224,
      inWidth: 192,
      content: { top: 0, left: 0, height: 217, width: 181 },
    });
  });

  it('stretches a dynamic size to the nearest multiple, never below one step', () => {
    const g = planGeometry(181, 217, dyn(16), 'stretch', 'a.png');
    assert.deepEqual([g.inHeight, g.inWidth], [176, 224]);
    assert.deepEqual(g.content, { top: 0, left: 0, height: 176, width: 224 });
    const tiny = planGeometry(5, 40, dyn(32), 'stretch', 'a.png');
    assert.deepEqual([tiny.inHeight, tiny.inWidth], [32, 32]);
  });

  it('letterboxes 30×18 into 24×24 as a 24×14 band at column 5 (hand-computed)', () => {
    const g = planGeometry(30, 18, fixed(24, 24), 'letterbox', 'a.png');
    assert.deepEqual(g.content, { top: 0, left: 5, height: 24, width: 14 });
    // A 12×12 output (stride 2): columns 2.5 → 3 and 9.5 → 10 (halves round up).
    assert.deepEqual(outputContent(g, 12, 12), { top: 0, left: 3, height: 12, width: 7 });
  });

  it('letterboxes a dynamic size by centring the image in the next multiple', () => {
    const g = planGeometry(10, 21, dyn(8), 'letterbox', 'a.png');
    assert.deepEqual(g, {
      srcHeight: 10,
      srcWidth: 21,
      inHeight: 16,
      inWidth: 24,
      content: { top: 3, left: 1, height: 10, width: 21 },
    });
  });

  it('refuses to pad an image larger than a fixed input', () => {
    assert.throws(
      () => planGeometry(300, 200, fixed(256, 256), 'pad', 'big.png'),
      (e: unknown) => e instanceof InputError && /^big.png: image is 300×200, larger than/.test(e.message),
    );
  });

  it('keeps the content inside the input and the output rectangle inside the output (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('stretch' as const, 'letterbox' as const, 'pad' as const),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom(1, 2, 4, 8),
        (h, w, mode, m, stride) => {
          const g = planGeometry(h, w, dyn(m), mode, 'x');
          const c = g.content;
          assert.ok(c.top >= 0 && c.left >= 0 && c.height >= 1 && c.width >= 1);
          assert.ok(c.top + c.height <= g.inHeight && c.left + c.width <= g.inWidth);
          assert.equal(g.inHeight % m, 0);
          if (mode !== 'stretch') assert.deepEqual([c.height, c.width], [h, w]);
          const oh = Math.max(1, Math.floor(g.inHeight / stride));
          const ow = Math.max(1, Math.floor(g.inWidth / stride));
          const r = outputContent(g, oh, ow);
          assert.ok(r.top >= 0 && r.left >= 0 && r.height >= 1 && r.width >= 1);
          assert.ok(r.top + r.height <= oh && r.left + r.width <= ow);
          if (stride === 1 && oh === g.inHeight && ow === g.inWidth) assert.deepEqual(r, c);
        },
      ),
    );
  });
});
