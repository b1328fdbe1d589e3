// The viewer panel's outbox: messages leave in order, pixels packed, and packing a large map gives the event loop
// turns in between instead of holding the host's thread.
import assert from 'node:assert/strict';
import type { ToWebview } from '../../../../src/protocol';
import type { PackCache, WireMessage } from '../../../../src/protocol/viewerWire';
import { WireReceiver } from '../../../../src/protocol/viewerWire';
import { WireOutbox, carriesPixels, packInTurns } from '../../../../src/vscode/viewer/wire';

const N = 1024;

function sample(requestId: number): Extract<ToWebview, { type: 'sample' }> {
  const gt = new Uint8Array(N * N).map((_, i) => ((i >> 10) % 7 < 3 ? 1 : 0));
  return {
    type: 'sample',
    requestId,
    sample: {},
    notes: [],
    layers: [
      {
        role: 'gt',
        name: 'm.png',
        uri: 'file:///m.png',
        format: 'png',
        sourceDtype: 'uint8',
        range: { min: 0, max: 1 },
        raster: { width: N, height: N, channels: 1, dtype: 'uint8', pixels: gt.buffer },
      },
    ],
  };
}

describe('vscode viewer: the packed outbox', () => {
  it('says which messages carry pixels', () => {
    assert.ok(carriesPixels(sample(1)));
    assert.ok(!carriesPixels({ type: 'loading', requestId: 1, label: 'x' }));
    assert.ok(
      !carriesPixels({ type: 'analysis', requestId: 1, event: { type: 'progress', label: '', fraction: 0 } }),
    );
    assert.ok(
      carriesPixels({
        type: 'analysis',
        requestId: 1,
        event: { type: 'mask', threshold: 0.5, labels: new Uint8Array(4), selected: 0 },
      }),
    );
  });

  it('packs in turns: other callbacks of the event loop run while a 1024² mask is packed', async () => {
    let turns = 0;
    let packing = true;
    const tick = (): void => {
      if (!packing) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    // Slices of 64 k pixels and a zero budget: a turn after every slice.
    const wire = await packInTurns(sample(1), new WeakMap(), 0, 1 << 16);
    packing = false;
    assert.ok(turns >= 16, `${turns} event-loop turns while packing`);
    assert.equal(wire.length, 1);
    assert.ok(wire[0].type === 'sample' && 'packed' in wire[0].layers[0].raster);
  });

  it('keeps the order: a message without pixels waits for the packed one before it', async () => {
    const posted: string[] = [];
    const outbox = new WireOutbox(
      (m: WireMessage) => posted.push(`${m.type}${'requestId' in m ? m.requestId : ''}`),
      undefined,
      0,
    );
    void outbox.send({ type: 'loading', requestId: 1, label: 'x' });
    assert.deepEqual(posted, ['loading1'], 'nothing to pack: posted at once');
    const packed = outbox.send(sample(1));
    void outbox.send({ type: 'problems', requestId: 1, problems: [] });
    assert.deepEqual(posted, ['loading1']);
    await packed;
    await outbox.send({ type: 'loading', requestId: 2, label: 'y' });
    assert.deepEqual(posted, ['loading1', 'sample1', 'problems1', 'loading2']);
  });

  it('a layer packed ahead (while other files decode) is what its sample carries, never packed twice', async () => {
    const cache: PackCache = new WeakMap();
    const posted: WireMessage[] = [];
    const outbox = new WireOutbox((m) => posted.push(m), undefined, 0, cache);
    const msg = sample(4);
    const pixels = msg.layers[0].raster.pixels;
    // The sample is sent while the layer is still being packed (a turn after every slice): it waits for it.
    const ahead = outbox.prepack(msg.layers[0]);
    assert.equal(cache.has(pixels), false, 'packing runs in turns, not at once');
    const sent = outbox.send(msg);
    await ahead;
    const packed = cache.get(pixels);
    assert.ok(packed, 'the packed form is kept by its pixels');
    await sent;
    const wire = posted[0];
    assert.ok(wire.type === 'sample' && 'packed' in wire.layers[0].raster);
    assert.equal(wire.layers[0].raster.packed, packed, 'the sample took the packed form made ahead');
    const out = new WireReceiver().receive(wire).msg as Extract<ToWebview, { type: 'sample' }>;
    assert.deepEqual(new Uint8Array(out.layers[0].raster.pixels), new Uint8Array(pixels));
  });

  it('an image, or a mask whose pixels do not match its size, has nothing to pack ahead; the sample still goes', async () => {
    const posted: WireMessage[] = [];
    const outbox = new WireOutbox((m) => posted.push(m), undefined, 0);
    const msg = sample(5);
    const broken = { ...msg.layers[0], raster: { ...msg.layers[0].raster, pixels: new ArrayBuffer(3) } };
    await outbox.prepack(broken);
    await outbox.prepack({ ...msg.layers[0], role: 'image' });
    await outbox.send(msg);
    assert.deepEqual(
      posted.map((m) => m.type),
      ['sample'],
    );
  });

  it('a post that throws (a disposed webview) is reported and does not stop the queue', async () => {
    const errors: string[] = [];
    let fail = true;
    const posted: string[] = [];
    const outbox = new WireOutbox(
      (m) => {
        if (fail) {
          fail = false;
          throw new Error('Webview is disposed');
        }
        posted.push(m.type);
      },
      (m, e) => errors.push(`${m.type}: ${(e as Error).message}`),
    );
    await outbox.send(sample(1));
    await outbox.send(sample(2));
    assert.deepEqual(errors, ['sample: Webview is disposed']);
    assert.deepEqual(posted, ['sample']);
  });

  it('a 4096² RGB image crosses in parts of 8 MB, one post per event-loop turn, before its sample', async () => {
    const n = 4096;
    const image = new Uint8Array(n * n * 3);
    image[image.length - 1] = 7;
    const msg: ToWebview = {
      type: 'sample',
      requestId: 3,
      sample: {},
      notes: [],
      layers: [
        {
          role: 'image',
          name: 'big.png',
          uri: 'file:///big.png',
          format: 'png',
          sourceDtype: 'uint8',
          range: { min: 0, max: 7 },
          raster: { width: n, height: n, channels: 3, dtype: 'uint8', pixels: image.buffer },
        },
      ],
    };
    const posted: WireMessage[] = [];
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await new WireOutbox((m) => posted.push(m)).send(msg);
    counting = false;
    assert.deepEqual(
      posted.map((m) => m.type),
      ['pixelPart', 'pixelPart', 'pixelPart', 'pixelPart', 'pixelPart', 'pixelPart', 'sample'],
    );
    assert.ok(turns >= 6, `${turns} turns`);
    const receiver = new WireReceiver();
    let out: unknown;
    for (const m of posted) out = receiver.receive(m).msg;
    const back = out as Extract<ToWebview, { type: 'sample' }>;
    assert.deepEqual(new Uint8Array(back.layers[0].raster.pixels), image);
  });
});
