// From the debuggee's .npy to the viewer's file and the loss table; the temp folders' lifecycle.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readNpy, writeNpy } from '../../../../src/core/io/npy';
import { materialize, prepareForViewer, readSaved } from '../../../../src/node/debug/prepare';
import type { SavedValue } from '../../../../src/node/debug/reply';
import { TEMP_PREFIX, TempStore } from '../../../../src/node/debug/tempStore';
import { useTempDir } from '../../../support/tempDir';

describe('node/debug/prepare and tempStore', () => {
  const tmp = useTempDir('seglens-prepare', { each: true });

  const saved = (folder: string, overrides: Partial<SavedValue> = {}): SavedValue => {
    const data = Float32Array.from({ length: 2 * 20 * 20 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const file = path.join(folder, 'value0.npy');
    writeFileSync(file, writeNpy({ dtype: 'float32', shape: [2, 20, 20, 1], data }));
    return {
      expression: 'y_true',
      kind: 'numpy',
      file,
      shape: [2, 20, 20, 1],
      dtype: 'float32',
      bytes: data.byteLength,
      min: 0,
      max: 1,
      distinct: 2,
      values: [0, 1],
      ...overrides,
    };
  };

  it('writes item i as the mask the viewer reads, with the role and axes explained', () => {
    const v = prepareForViewer(saved(tmp.path), tmp.path, { maxElements: 1e6, index: 1 });
    assert.equal(v.role, 'mask');
    assert.equal(v.note, 'item 1 of 2');
    const item = readNpy(readFileSync(v.file));
    assert.equal(item.dtype, 'uint8');
    assert.deepEqual(item.shape, [20, 20]);
    // Item 1 starts at element 400: element 400 + k is foreground when (400 + k) % 7 === 0.
    assert.deepEqual(
      [...item.data.slice(0, 8)],
      [0, 0, 0, 0, 0, 1, 0, 0].map((_, k) => ((400 + k) % 7 === 0 ? 1 : 0)),
    );
    const asProb = prepareForViewer(saved(tmp.path), tmp.path, { maxElements: 1e6, role: 'prob' });
    assert.equal(readNpy(readFileSync(asProb.file)).dtype, 'float32');
  });

  it('refuses a file outside the folder, or one whose header disagrees with the reply', () => {
    const other = useTempPath(tmp.path);
    assert.throws(() => readSaved(saved(tmp.path), other, 1e6), /outside SegLens' folder/);
    assert.throws(
      () => readSaved(saved(tmp.path, { shape: [2, 20, 20] }), tmp.path, 1e6),
      /has shape \[2, 20, 20, 1\], not \[2, 20, 20\]/,
    );
    // A file far larger than the reply's byte count (shape × itemsize) is not read.
    const big = path.join(tmp.path, 'value1.npy');
    writeFileSync(big, writeNpy({ dtype: 'float32', shape: [100, 100], data: new Float32Array(10000) }));
    assert.throws(
      () => readSaved(saved(tmp.path, { file: big, shape: [100, 100], bytes: 400 }), tmp.path, 1e6),
      /larger than the debugger said/,
    );
  });

  it('materialize writes inline bytes only under a value<i>.npy name inside the folder', () => {
    const bytes = Buffer.from(
      writeNpy({ dtype: 'uint8', shape: [2, 2], data: Uint8Array.from([0, 1, 1, 0]) }),
    );
    const inline = { ...saved(tmp.path), file: 'value3.npy', data: bytes.toString('base64') };
    const m = materialize(inline, tmp.path);
    assert.equal(m.file, path.join(tmp.path, 'value3.npy'));
    assert.deepEqual(readFileSync(m.file), bytes);
    assert.throws(() => materialize({ ...inline, file: '../../etc/evil.npy' }, tmp.path), /unexpected file/);
    const onDisk = saved(tmp.path);
    assert.equal(materialize(onDisk, tmp.path), onDisk);
  });

  it('temp folders are created under the root with the prefix and removed with their files', () => {
    const store = new TempStore(tmp.path);
    const a = store.create();
    const b = store.create();
    assert.ok(path.basename(a).startsWith(TEMP_PREFIX) && path.dirname(a) === tmp.path);
    writeFileSync(path.join(a, 'value0.npy'), 'x');
    store.remove(a);
    assert.equal(existsSync(a), false);
    assert.deepEqual(store.live, [b]);
    store.remove(a);
    store.removeAll();
    assert.equal(existsSync(b), false);
    assert.deepEqual(store.live, []);
  });
});

/** A sibling folder name (never created: the check is on the path). */
function useTempPath(base: string): string {
  return path.join(base, 'elsewhere');
}
