// The role choices place a sample's files: a file chosen as a mask goes to the mask slot, a lone map chosen as a
// probability map to the map slot; a file already in the target slot drops out with a note; stored records are
// read back strictly; the protocol accepts only known roles and channel numbers.
import assert from 'node:assert/strict';
import { parseFromWebview } from '../../../../src/protocol';
import { parseRoleRecord, placeByChoices } from '../../../../src/vscode/viewer/roleChoices';

describe('viewer: role and channel choices', () => {
  it('places chosen files in their slot, the others where they were', () => {
    const choices: Record<string, { role: 'image' | 'mask' | 'prob' | 'logits'; channel?: number }> = {
      'file:///d/x.npy': { role: 'prob', channel: 2 },
    };
    // A lone .npy opened as an image (the folder convention) is moved to the probability-map slot.
    const lone = placeByChoices({ image: 'file:///d/x.npy' }, (u) => choices[u]);
    assert.deepEqual(lone, { slots: { prob: 'file:///d/x.npy' }, notes: [] });
    // A mask read as an RGB image next to its real image: the chosen one takes the mask slot.
    choices['file:///d/m.png'] = { role: 'mask' };
    const pair = placeByChoices({ image: 'file:///d/m.png', gt: 'file:///d/old.png' }, (u) => choices[u]);
    assert.deepEqual(pair.slots, { gt: 'file:///d/m.png' });
    assert.deepEqual(pair.notes, [
      'old.png is not shown: you chose m.png as this sample’s mask.'.replace('’', "'"),
    ]);
    // No choices: nothing moves.
    const same = placeByChoices({ image: 'a', gt: 'b', prob: 'c' }, () => undefined);
    assert.deepEqual(same.slots, { image: 'a', gt: 'b', prob: 'c' });
  });

  it('reads a stored record strictly', () => {
    assert.deepEqual(
      parseRoleRecord({
        a: { role: 'logits', activation: 'softmax', channel: 1 },
        b: { role: 'banana' },
        c: { role: 'mask', channel: -1 },
        d: null,
      }),
      { a: { role: 'logits', activation: 'softmax', channel: 1 }, c: { role: 'mask' } },
    );
    assert.deepEqual(parseRoleRecord('nope'), {});
  });

  it('the webview’s setRole message is validated field by field', () => {
    const ok = parseFromWebview({
      type: 'setRole',
      uri: 'file:///d/x.npy',
      choice: { role: 'prob', channel: 2 },
    });
    assert.deepEqual(ok, {
      ok: true,
      value: { type: 'setRole', uri: 'file:///d/x.npy', choice: { role: 'prob', channel: 2 } },
    });
    const auto = parseFromWebview({ type: 'setRole', uri: 'file:///d/x.npy', choice: null });
    assert.ok(auto.ok);
    for (const bad of [
      { type: 'setRole', uri: 'file:///d/x.npy', choice: { role: 'banana' } },
      { type: 'setRole', uri: 'file:///d/x.npy', choice: { role: 'prob', channel: 1.5 } },
      { type: 'setRole', uri: 'x.npy', choice: null },
    ])
      assert.equal(parseFromWebview(bad).ok, false, JSON.stringify(bad));
  });
});
