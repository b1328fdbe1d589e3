// The "read as" and channel pickers (webview/rolePicker.ts, a DOM test kept with the other DOM-shim suites): what
// they offer for a layer, and the setRole message each change sends.
import assert from 'node:assert/strict';
import type { FromWebview, Layer } from '../../../../src/protocol';
import { addRolePickers, choiceFrom, readAsValue } from '../../../../webview/rolePicker';
import { useDom } from './domShim';

const layer = (over: Partial<Layer> = {}): Layer =>
  ({
    role: 'image',
    name: 'x.npy',
    uri: 'file:///d/x.npy',
    format: 'npy',
    sourceDtype: 'float32',
    range: { min: 0, max: 1 },
    raster: { width: 1, height: 1, channels: 1, dtype: 'float32', pixels: new ArrayBuffer(4) },
    ...over,
  }) as Layer;

describe('webview: role and channel picker', () => {
  useDom();

  it('maps the selects to a choice and back', () => {
    assert.equal(readAsValue(undefined), 'auto');
    assert.equal(readAsValue({ role: 'logits', activation: 'softmax' }), 'logits-softmax');
    assert.equal(choiceFrom('auto', 'auto', layer()), null);
    assert.deepEqual(choiceFrom('prob', '3', layer()), { role: 'prob', channel: 3 });
    // A channel alone keeps the file in the role of its slot.
    assert.deepEqual(choiceFrom('auto', '1', layer({ role: 'gt' })), { role: 'mask', channel: 1 });
    assert.deepEqual(choiceFrom('logits-sigmoid', 'auto', layer()), {
      role: 'logits',
      activation: 'sigmoid',
    });
  });

  it('adds a picker to each layer row; a channel select only for multi-channel files; changes post setRole', () => {
    const info = document.createElement('div');
    // A large image's "arriving" line (no data-role) first: it gets no picker.
    const arriving = document.createElement('div');
    arriving.className = 'layer-info image';
    info.append(arriving);
    for (const role of ['image', 'gt']) {
      const row = document.createElement('div');
      row.className = 'layer-info';
      row.dataset.role = role;
      const desc = document.createElement('span');
      desc.className = 'desc';
      row.append(desc);
      info.append(row);
    }
    const posted: FromWebview[] = [];
    addRolePickers(
      info,
      [layer({ fileChannels: 5 }), layer({ role: 'gt', uri: 'file:///d/m.png', name: 'm.png' })],
      (m) => posted.push(m),
    );
    const rows = info.querySelectorAll('.layer-info');
    assert.equal(rows[0].querySelectorAll('select').length, 0, 'no picker on the arriving image’s line');
    const first = rows[1].querySelectorAll('select');
    assert.equal(first.length, 2);
    assert.equal(first[1].querySelectorAll('option').length, 6, 'auto + channels 0…4');
    assert.equal(rows[2].querySelectorAll('select').length, 1);
    first[0].value = 'prob';
    first[0].dispatchEvent(new Event('change'));
    first[1].value = '2';
    first[1].dispatchEvent(new Event('change'));
    assert.deepEqual(posted, [
      { type: 'setRole', uri: 'file:///d/x.npy', choice: { role: 'prob' } },
      { type: 'setRole', uri: 'file:///d/x.npy', choice: { role: 'prob', channel: 2 } },
    ]);
  });
});
