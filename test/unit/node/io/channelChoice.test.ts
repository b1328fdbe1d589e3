// The user's role and channel choice reaches the decoders: one channel of a multi-channel array as an image, a
// mask or a probability map (with how many channels the file has, for the picker), logits converted when the user
// says the file holds logits (even when every value lies in [0, 1]), and a channel the file lacks refused by name.
import assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { writeNpy } from '../../../../src/core/io/npy';
import { decodeRaster } from '../../../../src/node/io/load';
import type { DecodeOptions } from '../../../../src/node/io/options';

// [C=5, H=4, W=6]: channel c holds c·100 + pixel index (0…23), as float32 — integral, so also a label map.
const C = 5;
const N = 24;
const planes = new Float32Array(C * N);
for (let c = 0; c < C; c++) for (let i = 0; i < N; i++) planes[c * N + i] = c * 100 + i;
const arrayBytes = () => writeNpy({ dtype: 'float32', shape: [C, 4, 6], data: planes.slice() });

const decode = (bytes: Uint8Array, o: Partial<DecodeOptions>) =>
  decodeRaster(bytes, { source: 'x.npy', maxPixels: 100, role: 'image', ...o });

describe('node/io: the channel and logits the user chose', () => {
  it('an image shows the chosen channel and says how many there are; channel 0 of 5 without a choice', async () => {
    const auto = await decode(arrayBytes(), {});
    assert.equal(auto.fileChannels, 5);
    assert.deepEqual([...auto.data].slice(0, 3), [0, 1, 2]);
    const r = await decode(arrayBytes(), { channel: 3 });
    assert.deepEqual([r.width, r.height, r.channels, r.fileChannels], [6, 4, 1, 5]);
    assert.deepEqual([...r.data].slice(0, 3), [300, 301, 302]);
    assert.equal(r.data[23], 323);
    assert.ok(r.notes.some((n) => /channel 3 of 5/.test(n)));
  });

  it('a mask from one channel of a 3-D array (refused without a choice, naming the picker)', async () => {
    await assert.rejects(decode(arrayBytes(), { role: 'labels' }), /pick one channel in the panel/);
    const r = await decode(arrayBytes(), { role: 'labels', channel: 1 });
    assert.deepEqual([...r.data].slice(0, 3), [100, 101, 102]);
    assert.equal(r.classes?.length, 24);
  });

  it('a probability map shows the chosen class channel instead of the maximum', async () => {
    const p = new Float32Array(3 * N);
    for (let c = 0; c < 3; c++) for (let i = 0; i < N; i++) p[c * N + i] = (c + 1) / 10 + i / 1000;
    const bytes = () => writeNpy({ dtype: 'float32', shape: [3, 4, 6], data: p.slice() });
    const auto = await decode(bytes(), { role: 'prob' });
    assert.ok(Math.abs(auto.data[0] - 0.3) < 1e-6, 'largest of the sigmoid channels');
    const r = await decode(bytes(), { role: 'prob', channel: 0 });
    assert.ok(Math.abs(r.data[5] - 0.105) < 1e-6);
    assert.equal(r.fileChannels, 3);
  });

  it('logits are converted when the user says so, even inside [0, 1]; a missing channel is refused', async () => {
    const bytes = () =>
      writeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array([0, 0.5, -2, 3]) });
    const r = await decode(bytes(), { role: 'prob', logits: 'sigmoid' });
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    [0, 0.5, -2, 3].forEach((x, i) => assert.ok(Math.abs(r.data[i] - sig(x)) < 1e-6, `pixel ${i}`));
    const inRange = writeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array([0, 0.5, 0.25, 1]) });
    const s = await decode(inRange, { role: 'prob', logits: 'sigmoid' });
    assert.ok(Math.abs(s.data[1] - sig(0.5)) < 1e-6, 'converted although every value is in [0, 1]');
    await assert.rejects(decode(arrayBytes(), { channel: 7 }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /has 5 channels \(0…4\); channel 7 does not exist/);
      return true;
    });
  });
});
