/**
 * One measurement of bench/volumeOpen.bench.ts, in a fresh process: the volume panel's open path without VS Code,
 * as src/vscode/volume/volumePanel.ts runs it on a pool of two workers — the preview task (every file but the
 * probabilities, no scores), then the full `volumeSet` task (read, check, decode, score) — and after
 * each the host's part of showing it (the planes' layouts and the cursor's three slices in the wire's types,
 * src/vscode/volume/slices.ts). The resident memory of the process (main thread and worker) is sampled every 10 ms; one JSON line
 * at the end. `node --require tsx/cjs bench/volumeOpenChild.ts <dir> <workerScript>`.
 */
import { join } from 'node:path';
import { planeMappings } from '../src/core/volume/slice';
import type { VolumeSetResult } from '../src/node/volume/volumeSet';
import { WorkerPool } from '../src/node/workers/pool';
import { packedBytes } from '../src/protocol/viewerPixels';
import { cutSlice, labelTypeOf } from '../src/vscode/volume/slices';

async function main(): Promise<void> {
  const [dir, script] = process.argv.slice(2);
  let peak = process.memoryUsage().rss;
  const before = peak;
  const timeline: [number, number][] = [];
  const t0 = performance.now();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
    timeline.push([Math.round(performance.now() - t0), Math.round(rss / 2 ** 20)]);
  }, 10);
  const pool = new WorkerPool({ script, size: 2 });
  try {
    const files = {
      image: join(dir, 'image.nii.gz'),
      gt: join(dir, 'gt.nii.gz'),
      prob: join(dir, 'prob.nii.gz'),
    };
    const show = (r: VolumeSetResult) => {
      const planes = planeMappings(r.geometry);
      const type = labelTypeOf(r);
      return planes.map((m) => cutSlice(r, m, r.centre[m.normalAxis], type));
    };
    let previewMs = -1;
    let previewWorkerMs = -1;
    const preview = pool.run('volumeSet', { files, preview: true }).then((p) => {
      show(p as VolumeSetResult);
      previewMs = Math.round(performance.now() - t0);
      previewWorkerMs = Math.round((p as VolumeSetResult).elapsedMs);
    });
    await preview;
    const r = (await pool.run('volumeSet', { files })) as VolumeSetResult;
    const tResult = performance.now();
    const slices = show(r);
    const tSlices = performance.now();
    await preview;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    const bytes = slices.reduce(
      (a, s) =>
        a +
        (s.image?.byteLength ?? 0) +
        [s.gt, s.pred, s.heat].reduce((b, x) => b + (x ? packedBytes(x) : 0), 0),
      0,
    );
    console.log(
      JSON.stringify({
        previewMs,
        previewWorkerMs,
        workerMs: Math.round(r.elapsedMs),
        resultMs: Math.round(tResult - t0),
        firstSlicesMs: Math.round(tSlices - t0),
        hostSliceMs: Number((tSlices - tResult).toFixed(1)),
        sliceBytes: bytes,
        rows: r.rows.length,
        beforeMiB: Math.round(before / 2 ** 20),
        peakMiB: Math.round(peak / 2 ** 20),
        heldMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
        timeline: timeline.filter((_, i) => i % 10 === 0),
      }),
    );
  } finally {
    clearInterval(sampler);
    await pool.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
