// The lint must grow linearly with the file (issue 17): for each generated shape, the CPU time of an 8,000-line
// file over a 1,000-line one is compared with the ratio of their lengths. Linear code gives about 8× (less, as
// fixed costs are shared); the quadratic engine gave 60–500×. The margin (a ratio of 24, three times linear)
// absorbs a loaded machine; CPU time, not wall time, so waiting for a core does not count.
import assert from 'node:assert/strict';
import { createLinter } from '../../../../src/core/lint';
import type { Linter } from '../../../../src/core/lint/types';
import { GENERATED } from './generated';
import { wasmBytes } from './helpers';

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** CPU time of a cold lint (a fresh findings cache each time), the best of `runs`. */
function lintCpu(linter: () => Linter, text: string, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const l = linter();
    best = Math.min(
      best,
      cpuMs(() => l.lint(text, { maxLength: 10_000_000 }).tree.dispose()),
    );
    l.dispose();
  }
  return best;
}

describe('core/lint scaling', function () {
  this.timeout(120_000);
  const wasm = wasmBytes();
  const linters: Linter[] = [];
  // Fresh linters are prepared outside the measured part (creating one loads the grammar).
  async function pool(n: number): Promise<() => Linter> {
    for (let i = 0; i < n; i++) linters.push(await createLinter({ wasm }));
    return () => linters.pop() as Linter;
  }

  for (const { name, make } of GENERATED) {
    it(`${name}: 8,000 lines cost at most 3× linear over 1,000`, async () => {
      const next = await pool(4);
      lintCpu(next, make(1000), 1); // warm-up (JIT)
      const small = lintCpu(next, make(1000), 2);
      const large = lintCpu(next, make(8000), 1);
      const ratio = large / Math.max(small, 1);
      console.log(`      CPU ${small.toFixed(0)} ms → ${large.toFixed(0)} ms: ${ratio.toFixed(1)}×`);
      assert.ok(ratio < 24, `CPU ${small.toFixed(0)} ms → ${large.toFixed(0)} ms: ${ratio.toFixed(1)}×`);
    });
  }
});
