import * as assert from 'node:assert/strict';
import { repoPath } from '../../../support/repo';

/** The generated test models, images and expected maps (tools/models/make_test_models.py). */
export const MODELS_DIR = repoPath('test/fixtures/models');

/** Largest absolute difference between two equally long arrays, failing on any NaN. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    assert.ok(!Number.isNaN(d), `NaN at ${i}`);
    if (d > m) m = d;
  }
  return m;
}
