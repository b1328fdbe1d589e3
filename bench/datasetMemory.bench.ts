/**
 * Dataset evaluation memory (issue 12: "images are streamed, never all held"): the peak RSS of the built CLI
 * (`seglens eval --decoders threshold,rankdice`, worker threads, main thread + workers = one process) on 200 and on
 * 2,000 triples of 256², printed as MB and as the ratio of the two. A flat ratio (≈ 1) is the goal: the pixels of
 * a sample live only while it is evaluated; what grows is the report's rows. The 2,000-image set repeats the 200
 * generated triples under other names (file copies), so generating it stays cheap. Printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliBundle } from './cliBundle';
import { writeSet } from './dataset.bench';

/** Peak RSS in MB of one eval run over `data` (a preload prints process.resourceUsage().maxRSS at exit). */
function peakRss(cli: string, preload: string, data: string, out: string): { mb: number; ms: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [
      '--require',
      preload,
      cli,
      'eval',
      '--gt',
      'masks',
      '--probs',
      'probs',
      '--decoders',
      'threshold,rankdice',
      '--json',
      '--out',
      out,
      '--force',
      '--no-progress',
    ],
    { cwd: data, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`eval exited ${r.status}: ${r.stderr}`);
  const m = /SEGLENS_MAXRSS_KB (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no RSS line in: ${r.stderr.slice(-400)}`);
  return { mb: Number(m[1]) / 1024, ms };
}

/** A set of `copies` × the base set's triples (file copies under new stems). */
function replicate(base: string, dir: string, copies: number): void {
  for (const sub of ['masks', 'probs']) {
    mkdirSync(join(dir, sub), { recursive: true });
    for (const f of readdirSync(join(base, sub))) {
      const dot = f.lastIndexOf('.');
      for (let c = 0; c < copies; c++)
        copyFileSync(join(base, sub, f), join(dir, sub, `${f.slice(0, dot)}_${c}${f.slice(dot)}`));
    }
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seglens-bench-dataset-memory-'));
  try {
    const small = join(dir, 'small');
    writeSet(small);
    const large = join(dir, 'large');
    replicate(small, large, 10);
    const { cli, worker } = await buildCliBundle(dir);
    const preload = join(dir, 'bin/rss.js');
    writeFileSync(
      preload,
      "process.on('exit', () => require('fs').writeSync(2, `\\nSEGLENS_MAXRSS_KB ${process.resourceUsage().maxRSS}\\n`));\n",
    );
    const a = peakRss(cli, preload, small, join(dir, 'a.json'));
    const b = peakRss(cli, preload, large, join(dir, 'b.json'));
    console.log(
      `seglens eval --decoders threshold,rankdice, 256² triples, ${cpus().length} cores, peak RSS (process incl. workers):`,
    );
    console.log(`  200 images: ${a.mb.toFixed(0)} MB (${(a.ms / 1000).toFixed(1)} s)`);
    console.log(`  2,000 images: ${b.mb.toFixed(0)} MB (${(b.ms / 1000).toFixed(1)} s)`);
    console.log(
      `  ratio 2,000 / 200: ${(b.mb / a.mb).toFixed(2)}× for 10× the images (the report's rows grow)`,
    );
    // The dataset view's path: the engine keeps names and scores only, the row store the table's numbers.
    const view = (data: string): { peakMiB: number; retainedHeapMiB: number } => {
      const r = spawnSync(
        process.execPath,
        ['--expose-gc', '--require', 'tsx/cjs', join(__dirname, 'datasetMemoryChild.ts'), data, worker],
        { cwd: join(__dirname, '..'), encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`datasetMemoryChild exited ${r.status}: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
        peakMiB: number;
        retainedHeapMiB: number;
      };
    };
    const va = view(small);
    const vb = view(large);
    console.log(
      "the dataset view's engine path (worker pool, keepRows: false, row store), peak RSS incl. workers:",
    );
    console.log(`  200 images: ${va.peakMiB} MiB; 2,000 images: ${vb.peakMiB} MiB`);
    console.log(
      `  host heap retained after a full collection: ${va.retainedHeapMiB} MiB / ${vb.retainedHeapMiB} MiB (the rest of the growth is garbage not yet collected and allocator slack)`,
    );
    const perImage = (vb.peakMiB - va.peakMiB) / 1800;
    console.log(
      `  ratio ${(vb.peakMiB / va.peakMiB).toFixed(2)}×; ${(perImage * 1024).toFixed(1)} KiB per image → 10,000 images ≈ ${Math.round(va.peakMiB + perImage * 9800)} MiB (budget 500 MB)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
