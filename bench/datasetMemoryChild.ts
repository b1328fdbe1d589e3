/**
 * One measurement of bench/datasetMemory.bench.ts, in a fresh process: the dataset view's engine path without VS Code
 * — `evaluateDataset` in a worker pool with `keepRows: false`, every row into the view's row store (as the panel
 * does), summaries aggregated in a worker — then one JSON line with the peak resident memory of the process
 * (main thread and workers). `node --require tsx/cjs bench/datasetMemoryChild.ts <dataDir> <workerScript>`.
 */
import { planFromFolders, evaluateDataset, poolRunner } from '../src/node/dataset';
import { WorkerPool } from '../src/node/workers/pool';
import { RowStore } from '../src/vscode/dataset/rowStore';
import { classList } from '../src/vscode/dataset/preview';
import { join } from 'node:path';

async function main(): Promise<void> {
  const [dir, script] = process.argv.slice(2);
  const plan = planFromFolders({ gt: join(dir, 'masks'), probs: join(dir, 'probs') });
  const decoders = ['threshold', 'rankdice'] as const;
  const store = new RowStore(plan.items, plan.models, [...decoders], classList(plan), plan.numClasses, 48);
  const pool = new WorkerPool({ script, size: 2 });
  try {
    const report = await evaluateDataset(plan, {
      decoders: [...decoders],
      runner: poolRunner(pool),
      keepRows: false,
      thumbnail: 48,
      onRow: (r) => store.add(r),
    });
    // What stays after a full collection (run with --expose-gc): the rows the view keeps, not garbage in flight.
    (globalThis as { gc?: () => void }).gc?.();
    console.log(
      JSON.stringify({
        images: report.timings.samples,
        rows: store.completed,
        peakMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        retainedHeapMiB: Math.round(process.memoryUsage().heapUsed / (1024 * 1024)),
      }),
    );
  } finally {
    await pool.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
