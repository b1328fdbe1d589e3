/**
 * Model runner benchmarks (issue 7 "Speed"): pre/post-processing against session.run at 512² (budget: overhead
 * ≤ 20 % of the run), a 1024² run of the demo model when it is present (budget 1 s), and the longest stall of the
 * host's event loop while the worker runs a folder. Timings are printed, never asserted.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { ModelConfig } from '../src/core/model/config';
import { ModelImage } from '../src/core/model/preprocess';
import { ModelWorkerClient } from '../src/node/model/modelWorkerClient';
import { ModelRunResult, ModelRunner } from '../src/node/model/runner';
import { report, rng } from './util';

const ROOT = join(__dirname, '..');
const BENCH_MODEL = join(ROOT, 'test/fixtures/models/bench_unet.onnx');

function greyImage(size: number, seed: number): ModelImage {
  const r = rng(seed);
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 256);
  return { width: size, height: size, channels: 1, data };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median pre/run/post times over `repeats` runs after one warm-up (which also creates the session). */
async function timeRuns(
  runner: ModelRunner,
  model: string,
  image: ModelImage,
  config: ModelConfig | undefined,
  repeats = 15,
): Promise<{ pre: number; run: number; post: number; last: ModelRunResult }> {
  // Warm-up runs create the session and let the JIT optimise the pixel loops before anything is timed.
  // Without a config the sidecar next to the model is used (the demo model's).
  const choice = config ? { config } : {};
  let last = await runner.run(model, image, 'bench', choice);
  for (let i = 0; i < 4; i++) last = await runner.run(model, image, 'bench', choice);
  const pre: number[] = [];
  const run: number[] = [];
  const post: number[] = [];
  for (let i = 0; i < repeats; i++) {
    last = await runner.run(model, image, 'bench', choice);
    pre.push(last.timings.preprocessMs);
    run.push(last.timings.runMs);
    post.push(last.timings.postprocessMs);
  }
  return { pre: median(pre), run: median(run), post: median(post), last };
}

async function overhead(
  runner: ModelRunner,
  label: string,
  model: string,
  image: ModelImage,
  config: ModelConfig | undefined,
): Promise<void> {
  const t = await timeRuns(runner, model, image, config);
  report(`${label} session.run`, t.run);
  report(`${label} preprocess`, t.pre);
  report(`${label} postprocess`, t.post);
  // The budget is on the ratio: overhead must stay ≤ 20 % of the run.
  const pct = ((t.pre + t.post) / t.run) * 100;
  console.log(
    `${label} pre+post overhead: ${pct.toFixed(1)} % of session.run  [budget 20 %: ${pct <= 20 ? 'ok' : 'OVER'}]`,
  );
}

/** The demo model (its sidecar config is used), if present. */
function demoModel(): { model: string } | undefined {
  const dir = join(ROOT, 'demo/models');
  if (!existsSync(dir)) return undefined;
  const model = readdirSync(dir).find((f) => f.endsWith('.onnx'));
  return model ? { model: join(dir, model) } : undefined;
}

export async function run(): Promise<void> {
  const runner = new ModelRunner();
  const image512 = greyImage(512, 7);
  const padConfig: ModelConfig = {
    size: { kind: 'dynamic', multipleOf: 16 },
    resize: 'pad',
    scale: 1 / 255,
    mean: [0.2],
    std: [0.3],
    activation: 'sigmoid',
  };
  await overhead(runner, 'bench U-Net 512² pad+sigmoid', BENCH_MODEL, image512, padConfig);
  await overhead(runner, 'bench U-Net 512² stretch→384²+sigmoid', BENCH_MODEL, image512, {
    ...padConfig,
    size: { kind: 'fixed', height: 384, width: 384 },
    resize: 'stretch',
  });

  const demo = demoModel();
  if (demo) {
    await overhead(runner, `demo ${demo.model.split('/').pop()} 512²`, demo.model, image512, undefined);
    const t = await timeRuns(runner, demo.model, greyImage(1024, 9), undefined, 5);
    report(`demo model 1024² total (pre+run+post)`, t.pre + t.run + t.post, undefined, 1000);
  } else {
    console.log('demo model: not present yet (demo/models/*.onnx), 1024² budget not measured');
  }
  await runner.dispose();

  await folderStall();
}

/** Runs the worker over a folder of 512² images and measures the longest gap between 1 ms timer ticks. */
async function folderStall(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seglens-bench-'));
  try {
    const inputs: string[] = [];
    for (let i = 0; i < 8; i++) {
      const img = greyImage(512, 100 + i);
      const path = join(dir, `img${i}.png`);
      writeFileSync(
        path,
        encode({ width: 512, height: 512, data: img.data as Uint8Array, channels: 1, depth: 8 }),
      );
      inputs.push(path);
    }
    const out = join(dir, 'out');
    mkdirSync(out);
    const client = new ModelWorkerClient({
      script: join(ROOT, 'src/node/model/modelWorker.ts'),
      execArgv: ['--require', require.resolve('tsx/cjs')],
    });
    const config: ModelConfig = { size: { kind: 'dynamic', multipleOf: 16 }, activation: 'sigmoid' };
    await client.inspect(BENCH_MODEL, { config });
    let last = performance.now();
    let worst = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 1);
    const t0 = performance.now();
    await client.runFolder(BENCH_MODEL, inputs, out, { choice: { config } });
    const total = performance.now() - t0;
    clearInterval(timer);
    await client.dispose();
    report('folder of 8×512² via worker', total);
    report('longest host event-loop stall during the folder run', worst, undefined, 100);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
