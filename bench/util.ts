import { mulberry32 } from '../src/core/dataset/stats';
/**
 * Benchmark helpers. Benchmarks print timings and ratios against named baselines; they never assert on time.
 */

/** Median wall time in milliseconds of `fn` over `repeats` runs after `warmup` runs. */
export function timeMs(fn: () => unknown, repeats = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Async variant of timeMs. */
export async function timeMsAsync(fn: () => Promise<unknown>, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints one result line: "<name>: 31.2 ms; vs <baseline> (4.1 ms): 7.6×  [budget 50 ms: ok]". */
export function report(
  name: string,
  ms: number,
  baseline?: { name: string; ms: number },
  budgetMs?: number,
): void {
  let line = `${name}: ${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  if (baseline)
    line += `; vs ${baseline.name} (${baseline.ms.toFixed(2)} ms): ${(ms / baseline.ms).toFixed(2)}×`;
  if (budgetMs !== undefined) line += `  [budget ${budgetMs} ms: ${ms <= budgetMs ? 'ok' : 'OVER'}]`;
  console.log(line);
}

/** Deterministic pseudo-random numbers (core's mulberry32) so benchmarks use the same inputs every run. */
export const rng = mulberry32;
