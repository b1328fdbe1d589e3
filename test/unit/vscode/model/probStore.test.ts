/** Where run results are kept for the viewer: exact round trip, one file per model and image, bounded size. */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../../../src/core/io/npy';
import { ProbStore, storedMapPath } from '../../../../src/vscode/model/probStore';
import { makeTempDir } from '../../../support/tempDir';

describe('host/modelCommands: probability map store', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = makeTempDir('seglens-store').path;
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('names maps by image stem in a folder per model (and per image path)', () => {
    const a = storedMapPath('/s', '/m/unet.onnx', '/w/images/slice 1.png');
    assert.match(a, /^\/s\/unet-[0-9a-f]{12}\/slice_1\.npy$/);
    assert.notEqual(a, storedMapPath('/s', '/m/other.onnx', '/w/images/slice 1.png'));
    assert.notEqual(a, storedMapPath('/s', '/m/unet.onnx', '/w/more/slice 1.png'));
    assert.equal(a, storedMapPath('/s', '/m/unet.onnx', '/w/images/slice 1.png'));
  });

  it('writes float32 [C, H, W] that reads back bit for bit', async () => {
    const data = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i / 23);
    const path = await new ProbStore(tmp).save('/m/u.onnx', '/w/a.png', { data, shape: [2, 3, 4] });
    const back = readNpy(readFileSync(path));
    assert.deepEqual(back.shape, [2, 3, 4]);
    assert.equal(back.dtype, 'float32');
    assert.deepEqual([...(back.data as Float32Array)], [...data]);
    assert.deepEqual(readdirSync(join(path, '..')), ['a.npy'], 'no temporary file left');
  });

  it('keeps at most the limit, deleting the oldest first', async () => {
    const store = new ProbStore(tmp, 3);
    const prob = { data: new Float32Array(4), shape: [1, 2, 2] };
    const paths: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await store.save('/m/u.onnx', `/w/img${i}.png`, prob);
      // Distinct, increasing modification times regardless of the file system's timestamp resolution.
      utimesSync(p, 1000 + i, 1000 + i);
      paths.push(p);
    }
    const left = readdirSync(tmp).flatMap((d) => readdirSync(join(tmp, d)).map((f) => join(tmp, d, f)));
    assert.equal(left.length, 3);
    assert.ok(left.includes(paths[4]));
    assert.ok(!left.includes(paths[0]));
  });
});
