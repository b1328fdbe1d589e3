import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors';
import { decodeBmp } from '../../../../src/node/io/bmp';
import { parseClassLabels } from '../../../../src/node/io/classLabels';
import { decodeRaster } from '../../../../src/node/io/decode';
import type { DecodeRole } from '../../../../src/node/io/raster';
import { repoPath } from '../../../support/repo';

const ROOT = repoPath('test/fixtures/images');
const load = (rel: string) => new Uint8Array(readFileSync(join(ROOT, rel)));

/** A corrupted copy: truncated and/or with bytes overwritten (header bytes are the interesting ones). */
const mutation = (size: number) =>
  fc.record({
    cut: fc.integer({ min: 0, max: size }),
    edits: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: Math.min(size - 1, 200) }),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      {
        maxLength: 6,
      },
    ),
  });

function mutate(bytes: Uint8Array, m: { cut: number; edits: { at: number; value: number }[] }): Uint8Array {
  const out = bytes.slice(0, Math.max(0, m.cut));
  for (const e of m.edits) if (e.at < out.length) out[e.at] = e.value;
  return out;
}

/** Either a sound raster or an InputError naming the file: never another exception. */
function expectSoundOrInputError(
  run: () => { width: number; height: number; channels: number; data: ArrayLike<number> },
) {
  try {
    const r = run();
    assert.ok(r.width > 0 && r.height > 0);
    assert.equal(r.data.length, r.width * r.height * r.channels);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.equal(e.source, 'fuzz.bin');
  }
}

describe('host/imaging: corrupted files never escape as anything but InputError (fuzzed)', () => {
  it('our BMP reader', () => {
    for (const rel of ['formats/rgb24.bmp', 'formats/palette8.bmp']) {
      const bytes = load(rel);
      fc.assert(
        fc.property(mutation(bytes.length), (m) => {
          expectSoundOrInputError(() => decodeBmp(mutate(bytes, m), 'fuzz.bin', 1e6));
        }),
        { numRuns: 400 },
      );
    }
  });

  it('the decoder dispatch for PNG, NPY, NPZ and BMP, as image, labels and probabilities', async () => {
    const files = [
      'images/case1.png',
      'masks/case1.png',
      'formats/labels_i64.npy',
      'formats/pair.npz',
      'formats/rgb24.bmp',
      'probs/case1.npy',
    ];
    const roles: DecodeRole[] = ['image', 'labels', 'prob'];
    for (const rel of files) {
      const bytes = load(rel);
      await fc.assert(
        fc.asyncProperty(mutation(bytes.length), fc.constantFrom(...roles), async (m, role) => {
          try {
            const r = await decodeRaster(mutate(bytes, m), { source: 'fuzz.bin', maxPixels: 1e6, role });
            assert.equal(r.data.length, r.width * r.height * r.channels);
          } catch (e) {
            if (!(e instanceof InputError)) throw new Error(`${rel} (${role}): ${String(e)}`, { cause: e });
          }
        }),
        { numRuns: 150 },
      );
    }
  });

  it('the labels file parser', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ classes: v })),
        ),
        (text) => {
          try {
            const labels = parseClassLabels(text, 'fuzz.bin');
            for (const l of labels) assert.ok(Number.isInteger(l.index) && l.index >= 0 && l.name.length > 0);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
