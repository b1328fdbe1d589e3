// The volume panel's slice cache: what is asked for after a step or a jump (bounds, order, no duplicates), the
// byte budget and its least-recently-used eviction (never the cursor's slices), and that a slice is never kept
// for another generation or with arrays of the wrong size.
import assert from 'node:assert/strict';
import type { VolumeSlice } from '../../../../src/protocol/volume';
import { packLabels } from '../../../../src/protocol/viewerPixels';
import { SliceCache, sliceFromWire, type CachedSlice } from '../../../../webview/volume/sliceCache';

const slice = (plane: CachedSlice['plane'], index: number, bytes = 100): CachedSlice => ({
  plane,
  index,
  heat: new Uint8Array(bytes).fill(index & 255),
});

describe('volume slice cache (webview/volume/sliceCache)', () => {
  it('a step asks for the cursor, then `ahead` in its direction, then `behind`, within the volume', () => {
    const c = new SliceCache({ ahead: 3, behind: 2 });
    c.reset(1);
    assert.deepEqual(c.plan('axial', 10, 1, 20), [10, 11, 12, 13, 9, 8]);
    // Asked-for slices are not asked again; the other direction adds only what is new.
    assert.deepEqual(c.plan('axial', 10, -1, 20), [7]);
    assert.equal(c.inFlight, 7);
    // Near the ends nothing outside 0 … slices − 1.
    const d = new SliceCache({ ahead: 3, behind: 2 });
    d.reset(1);
    assert.deepEqual(d.plan('coronal', 18, 1, 20), [18, 19, 17, 16]);
    assert.deepEqual(d.plan('sagittal', 1, -1, 20), [1, 0, 2, 3]);
    // A jump: both sides, nearest first.
    assert.deepEqual(d.plan('axial', 5, 0, 20), [5, 6, 4, 7, 3]);
    // Planes are separate: the same index of another plane is another slice.
    assert.ok(!d.isRequested('coronal', 5));
  });

  it('held slices are not asked for; at most maxInFlight outstanding, the cursor always', () => {
    const c = new SliceCache({ ahead: 6, behind: 0, maxInFlight: 3 });
    c.reset(2);
    assert.ok(c.put(2, slice('axial', 11)));
    assert.deepEqual(c.plan('axial', 10, 1, 100), [10, 12, 13]);
    assert.deepEqual(c.plan('axial', 40, 1, 100), [40]);
    c.put(2, slice('axial', 12));
    c.put(2, slice('axial', 13));
    assert.equal(c.inFlight, 2);
    assert.deepEqual(c.plan('axial', 10, 1, 100), [14]);
  });

  it('eviction: least recently used first, within the byte budget, never the pinned cursor slices', () => {
    const c = new SliceCache({ maxBytes: 300 });
    c.reset(1);
    c.put(1, slice('axial', 0));
    c.put(1, slice('axial', 1));
    c.put(1, slice('axial', 2));
    assert.equal(c.bytes, 300);
    c.pin([{ plane: 'axial', index: 0 }]);
    c.get('axial', 1); // now 2 is the least recently used one not pinned
    c.put(1, slice('axial', 3));
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => c.has('axial', i)),
      [true, true, false, true],
    );
    assert.equal(c.bytes, 300);
    // Replacing a held slice counts its bytes once.
    c.put(1, slice('axial', 3, 50));
    assert.equal(c.bytes, 250);
    // Pinned slices stay even when they alone exceed the budget.
    const d = new SliceCache({ maxBytes: 100 });
    d.reset(1);
    d.pin([{ plane: 'sagittal', index: 4 }]);
    d.put(1, slice('sagittal', 4, 150));
    d.put(1, slice('sagittal', 5, 10));
    assert.ok(d.has('sagittal', 4));
    assert.ok(!d.has('sagittal', 5));
  });

  it('a slice of another generation is refused; a reset forgets held and asked-for slices', () => {
    const c = new SliceCache();
    c.reset(4);
    assert.equal(c.put(3, slice('axial', 1)), false);
    assert.equal(c.get('axial', 1), undefined);
    c.plan('axial', 1, 0, 10);
    c.put(4, slice('axial', 2));
    c.reset(5);
    assert.equal(c.size, 0);
    assert.equal(c.bytes, 0);
    assert.equal(c.inFlight, 0);
    assert.equal(c.generation, 5);
    // The one held is the one asked for: plane and index as the key.
    c.put(5, slice('coronal', 7));
    assert.equal(c.get('axial', 7), undefined);
    assert.equal(c.get('coronal', 7)?.index, 7);
    assert.equal(c.get('coronal', 7)?.heat?.[0], 7);
  });

  it('from the wire: arrays of the plane size, labels unpacked to the header type; anything else refused', () => {
    const n = 6;
    const wire: VolumeSlice = {
      plane: 'coronal',
      index: 3,
      image: new Uint16Array([0, 1, 2, 3, 4, 65535]).buffer,
      gt: packLabels(Uint8Array.from([0, 1, 2, 3, 4, 255])),
      pred: packLabels(new Uint8Array(n)),
      heat: packLabels(Uint8Array.from([0, 0, 0, 9, 9, 9])),
    };
    const s = sliceFromWire(wire, n, 'uint8');
    assert.ok(typeof s !== 'string');
    assert.equal(s.plane, 'coronal');
    assert.equal(s.index, 3);
    assert.ok(s.image instanceof Uint16Array && s.image[5] === 65535);
    assert.deepEqual([...(s.gt ?? [])], [0, 1, 2, 3, 4, 255]);
    assert.deepEqual([...(s.pred ?? [])], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...(s.heat ?? [])], [0, 0, 0, 9, 9, 9]);
    // uint8 labels where the header says uint16: refused, not drawn as another type.
    assert.match(sliceFromWire(wire, n, 'uint16') as string, /coronal slice 3: gt is not Uint16Array/);
    // Another pixel count: refused, never drawn shifted.
    assert.match(sliceFromWire(wire, 7, 'uint8') as string, /image has 12 bytes, expected 14/);
    const labelsOnly: VolumeSlice = { plane: 'coronal', index: 3, gt: wire.gt };
    assert.match(sliceFromWire(labelsOnly, 7, 'uint8') as string, /coronal slice 3: gt: .*expected 7/);
    assert.match(
      sliceFromWire({ plane: 'axial', index: 0, heat: { codec: 'raw' } as never }, 2, 'uint8') as string,
      /axial slice 0: heat: /,
    );
    const wide = sliceFromWire(
      { plane: 'axial', index: 0, gt: packLabels(Uint16Array.from([300, 2])) },
      2,
      'uint16',
    );
    assert.ok(typeof wide !== 'string' && wide.gt instanceof Uint16Array && wide.gt[0] === 300);
  });
});
