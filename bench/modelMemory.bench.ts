/**
 * Model memory (issue 13 item 4): peak resident memory of a fresh process running an ONNX model, per onnxruntime
 * session option (memory pattern, CPU arena), after its first and second run on a 1024² image and after a third
 * on 1088²; and a folder run of 6 images against a single run (budget: peak ≤ 1.2× the single run's). Each
 * measurement is a fresh process (bench/modelMemoryChild.ts); the table in docs/performance.md comes from here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const CHILD = join(__dirname, 'modelMemoryChild.ts');
const VARIANTS: [string, string, string][] = [
  ['memPattern on, arena on (onnxruntime default)', '1', '1'],
  ['memPattern off, arena on (SegLens default)', '0', '1'],
  ['memPattern on, arena off', '1', '0'],
  ['memPattern off, arena off', '0', '0'],
];

interface Single {
  base: number;
  peaks: number[];
  between: number[];
  runMs: number[];
}
interface Folder {
  peak: number;
  written: number;
  ms: number;
}

function child<T>(model: string, side: number, pattern: string, arena: string, images: number): T {
  const r = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', CHILD, model, String(side), pattern, arena, String(images)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`${model}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as T;
}

export async function run(): Promise<void> {
  const models = ['demo/models/unet_bce.onnx', 'test/fixtures/models/bench_unet.onnx'].filter((m) =>
    existsSync(join(ROOT, m)),
  );
  for (const model of models) {
    console.log(
      `${model}, 1024² grey (MiB peak RSS after run 1 / run 2 / run 3 at 1088²; RSS after run 2; run ms)`,
    );
    const variants = model.includes('demo') ? VARIANTS : VARIANTS.slice(0, 2);
    for (const [name, pattern, arena] of variants) {
      const s = child<Single>(model, 1024, pattern, arena, 1);
      const ms = s.runMs.map((v) => Math.round(v)).join(' / ');
      console.log(
        `  ${name}: ${s.peaks.join(' / ')} MiB; after run 2 ${s.between[1]} MiB; run 2 vs run 1 peak ${(s.peaks[1] / s.peaks[0]).toFixed(2)}×; ${ms} ms`,
      );
    }
  }
  const demo = models.find((m) => m.includes('demo'));
  if (!demo) return;
  for (const [name, pattern, arena] of VARIANTS.slice(0, 2)) {
    const single = child<Single>(demo, 1024, pattern, arena, 1);
    const folder = child<Folder>(demo, 1024, pattern, arena, 6);
    const ratio = folder.peak / single.peaks[0];
    console.log(
      `folder run of 6×1024² (${name}): peak ${folder.peak} MiB; vs a single run (${single.peaks[0]} MiB): ` +
        `${ratio.toFixed(2)}×  [budget 1.2×: ${ratio <= 1.2 ? 'ok' : 'OVER'}]; vs two runs (${single.peaks[1]} MiB): ` +
        `${(folder.peak / single.peaks[1]).toFixed(2)}×`,
    );
  }
}
