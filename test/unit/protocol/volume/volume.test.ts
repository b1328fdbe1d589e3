// The volume panel's contract: what the webview sends is rebuilt field by field or refused naming the field, and
// the webview accepts only the host's message types.
import assert from 'node:assert/strict';
import { accepted } from '../../../../src/protocol/validate';
import {
  MAX_FETCH,
  TO_VOLUME_WEBVIEW,
  VOLUME_PROTOCOL_VERSION,
  parseFromVolumeWebview,
} from '../../../../src/protocol/volume';

describe('volume protocol (protocol/volume)', () => {
  it('valid messages are rebuilt as fresh objects without extra fields', () => {
    const r = parseFromVolumeWebview({ type: 'cursor', voxel: [1, 2, 3], extra: 'x' });
    assert.deepEqual(r, { ok: true, value: { type: 'cursor', voxel: [1, 2, 3] } });
    assert.deepEqual(parseFromVolumeWebview({ type: 'decoder', decoder: 'rankdice', threshold: 0.4 }), {
      ok: true,
      value: { type: 'decoder', decoder: 'rankdice', threshold: 0.4 },
    });
    assert.deepEqual(parseFromVolumeWebview({ type: 'convention', convention: 'neurological' }).ok, true);
    const drawn = parseFromVolumeWebview({
      type: 'drawn',
      cursor: [0, 0, 0],
      planes: [{ plane: 'axial', width: 10.5, height: 3 }],
    });
    assert.equal(drawn.ok, true);
    const timed = parseFromVolumeWebview({ type: 'drawn', cursor: [0, 0, 0], planes: [], drawMs: 3.5 });
    assert.deepEqual(timed.ok && timed.value, { type: 'drawn', cursor: [0, 0, 0], planes: [], drawMs: 3.5 });
    assert.equal(
      parseFromVolumeWebview({ type: 'drawn', cursor: [0, 0, 0], planes: [], drawMs: -1 }).ok,
      false,
    );
  });

  it('fetch: plane and index per slice, the header generation, at most MAX_FETCH slices', () => {
    const r = parseFromVolumeWebview({
      type: 'fetch',
      generation: 3,
      slices: [
        { plane: 'sagittal', index: 0, extra: 1 },
        { plane: 'axial', index: 67 },
      ],
    });
    assert.deepEqual(r, {
      ok: true,
      value: {
        type: 'fetch',
        generation: 3,
        slices: [
          { plane: 'sagittal', index: 0 },
          { plane: 'axial', index: 67 },
        ],
      },
    });
    const many = Array.from({ length: MAX_FETCH + 1 }, (_, i) => ({ plane: 'axial', index: i }));
    const bad: [unknown, RegExp][] = [
      [{ type: 'fetch', generation: 1, slices: many }, /at most 64/],
      [{ type: 'fetch', generation: 1, slices: [{ plane: 'oblique', index: 0 }] }, /slices\[\]\.plane/],
      [{ type: 'fetch', generation: 1, slices: [{ plane: 'axial', index: -1 }] }, /slices\[\]\.index/],
      [{ type: 'fetch', generation: 1, slices: [{ plane: 'axial', index: 1.5 }] }, /slices\[\]\.index/],
      [{ type: 'fetch', generation: -1, slices: [] }, /generation/],
      [{ type: 'fetch', slices: [] }, /generation/],
      [{ type: 'fetch', generation: 1, slices: ['axial'] }, /slices\[\] must be objects/],
    ];
    for (const [m, re] of bad) {
      const x = parseFromVolumeWebview(m);
      assert.equal(x.ok, false, JSON.stringify(m).slice(0, 80));
      if (!x.ok) assert.match(x.error, re);
    }
    assert.equal(VOLUME_PROTOCOL_VERSION, 2);
    const drawn = parseFromVolumeWebview({ type: 'drawn', cursor: [1, 2, 3], planes: [], generation: 4 });
    assert.deepEqual(drawn.ok && drawn.value, {
      type: 'drawn',
      cursor: [1, 2, 3],
      planes: [],
      generation: 4,
    });
    assert.equal(
      parseFromVolumeWebview({ type: 'drawn', cursor: [1, 2, 3], planes: [], generation: 0.5 }).ok,
      false,
    );
  });

  it('bad messages are refused naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ type: 'cursor', voxel: [1, 2] }, /voxel must be three/],
      [{ type: 'cursor', voxel: [1, -2, 3] }, /voxel\[1\]/],
      [{ type: 'cursor', voxel: [1, 2.5, 3] }, /voxel\[1\]/],
      [{ type: 'decoder', decoder: 'x; rm', threshold: 0.5 }, /decoder must be a decoder name/],
      [{ type: 'decoder', decoder: 'threshold', threshold: 2 }, /threshold/],
      [{ type: 'convention', convention: 'upside-down' }, /convention must be one of/],
      [
        { type: 'drawn', cursor: [0, 0, 0], planes: [{ plane: 'oblique', width: 1, height: 1 }] },
        /planes\[\]\.plane/,
      ],
      [{ type: 'nope' }, /unknown message type/],
      ['cursor', /plain object/],
    ];
    for (const [m, re] of bad) {
      const r = parseFromVolumeWebview(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      if (!r.ok) assert.match(r.error, re);
    }
  });

  it('the webview accepts the host types only', () => {
    assert.ok(accepted(TO_VOLUME_WEBVIEW, { type: 'busy', label: 'x' }));
    assert.ok(accepted(TO_VOLUME_WEBVIEW, { type: 'slices', generation: 1, slices: [] }));
    assert.ok(accepted(TO_VOLUME_WEBVIEW, { type: 'voxel', generation: 1, voxel: [0, 0, 0], image: null }));
    // A version-1 slices message (no generation) is refused: its slices cannot be tied to a header.
    assert.equal(accepted(TO_VOLUME_WEBVIEW, { type: 'slices', cursor: [0, 0, 0], slices: [] }), undefined);
    assert.equal(accepted(TO_VOLUME_WEBVIEW, { type: 'cursor', voxel: [0, 0, 0] }), undefined);
    assert.equal(accepted(TO_VOLUME_WEBVIEW, { type: 'problem' }), undefined);
  });
});
