/**
 * One measurement of bench/modelMemory.bench.ts, in a fresh process so that its peak resident memory is its own:
 * `node --require tsx/cjs bench/modelMemoryChild.ts <model> <side> <memPattern 0|1> <arena 0|1> <images>`.
 * Runs the model on `images` grey side×side images (one image: three runs, the third on a slightly larger image;
 * more: a folder run through runModelOnFolder, as Run Model on Folder does) and prints one JSON line with the peak
 * resident memory (MiB) after each step and the median run time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { ModelConfig } from '../src/core/model/config';
import { planFolderOutputs, runModelOnFolder } from '../src/node/model/folderRun';
import { ModelRunner } from '../src/node/model/runner';
import { loadImageFile } from '../src/node/io/load';
import { SessionCache } from '../src/node/model/sessionCache';
import { rng } from './util';

const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rssMiB = () => Math.round(process.memoryUsage.rss() / (1024 * 1024));

function grey(side: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: side * side }, () => Math.floor(r() * 256));
}

async function main(): Promise<void> {
  const [model, sideArg, pattern, arena, imagesArg] = process.argv.slice(2);
  const side = Number(sideArg);
  const images = Number(imagesArg);
  const runner = new ModelRunner(
    new SessionCache({
      intraOpNumThreads: 1,
      enableMemPattern: pattern === '1',
      enableCpuMemArena: arena === '1',
    }),
  );
  // The demo models carry a sidecar; the bench U-Net gets the config bench/model.bench.ts gives it.
  const choice = model.includes('bench_unet')
    ? { config: { size: { kind: 'dynamic', multipleOf: 16 }, activation: 'sigmoid' } as ModelConfig }
    : {};
  const base = peakMiB();
  const dir = mkdtempSync(join(tmpdir(), 'seglens-mem-'));
  try {
    const png = (i: number, s: number): string => {
      const file = join(dir, `img${i}.png`);
      writeFileSync(file, encode({ width: s, height: s, data: grey(s, i), channels: 1, depth: 8 }));
      return file;
    };
    if (images === 1) {
      // Run Model on Image: the image read from its file, three runs (the third on a larger image).
      const times: number[] = [];
      const peaks: number[] = [];
      const between: number[] = [];
      for (const [i, s] of [side, side, side + 64].entries()) {
        const file = png(i, s);
        const r = await runner.run(model, await loadImageFile(file), file, choice);
        times.push(r.timings.runMs);
        peaks.push(peakMiB());
        between.push(rssMiB());
      }
      console.log(JSON.stringify({ base, peaks, between, runMs: times }));
      return;
    }
    const inputs = Array.from({ length: images }, (_, i) => png(i, side));
    mkdirSync(join(dir, 'out'));
    const t0 = performance.now();
    const summary = await runModelOnFolder(runner, model, planFolderOutputs(inputs, join(dir, 'out')), {
      choice,
    });
    const ms = performance.now() - t0;
    console.log(
      JSON.stringify({
        base,
        peak: peakMiB(),
        between: rssMiB(),
        written: summary.written,
        ms,
        failed: summary.failed,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
