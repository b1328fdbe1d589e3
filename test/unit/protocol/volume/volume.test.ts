// The volume panel's contract: what the webview sends is rebuilt field by field or refused naming the field, and
// the webview accepts only the host's message types.
import assert from 'node:assert/strict';
import { accepted } from '../../../../src/protocol/validate';
import { TO_VOLUME_WEBVIEW, parseFromVolumeWebview } from '../../../../src/protocol/volume';

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
    assert.ok(accepted(TO_VOLUME_WEBVIEW, { type: 'slices', cursor: [0, 0, 0], slices: [] }));
    assert.equal(accepted(TO_VOLUME_WEBVIEW, { type: 'cursor', voxel: [0, 0, 0] }), undefined);
    assert.equal(accepted(TO_VOLUME_WEBVIEW, { type: 'problem' }), undefined);
  });
});
