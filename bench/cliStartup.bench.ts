/**
 * CLI start-up (issue 13 item 5): `seglens --version`, `seglens lint` on an empty file and `seglens lint` on 50
 * files in one process, each against `node -e 0` on the same machine in the same run (budget: ≤ 1.5× for the first
 * two). Uses the built dist/cli.js (`npm run build`; built here when missing). Runs are interleaved and the median
 * of each is reported.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './util';

const ROOT = join(__dirname, '..');
const REPEATS = 15;

/**
 * The built dist/cli.js (with its per-command bundles dist/cli-<name>.js, esbuild.mjs); without it, the project's
 * build is run first, so what is measured is always the shipped layout.
 */
function cliBundle(): string {
  const built = join(ROOT, 'dist/cli.js');
  if (!existsSync(join(ROOT, 'dist/cli-lint.js'))) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr}`);
  }
  return built;
}

/** Kilobytes of JavaScript a command compiles: the entry and the bundles its loaders require. */
function bundleKb(names: string[]): string {
  const kb = names.reduce((a, n) => a + statSync(join(ROOT, 'dist', n)).size, 0) / 1024;
  return `${kb.toFixed(0)} kB of JS`;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seglens-start-'));
  try {
    const cli = cliBundle();
    // The table and the error classes every bundle shares (esbuild.mjs).
    const entry = ['cli.js', 'cli-errors.js', 'cli-command.js'];
    console.log(
      `  (dist/cli.js: --version loads ${bundleKb(entry)}, lint on an empty file ` +
        `${bundleKb([...entry, 'cli-lint.js'])}, lint with code to parse ` +
        `${bundleKb([...entry, 'cli-lint.js', 'cli-lint-engine.js'])} and two WebAssembly modules)`,
    );
    const empty = join(dir, 'empty.py');
    writeFileSync(empty, '');
    const many: string[] = [];
    for (let i = 0; i < 50; i++) {
      const f = join(dir, `loss${i}.py`);
      writeFileSync(
        f,
        'import torch\n\ndef dice(p, t, eps=1e-6):\n    i = (p * t).sum()\n    return 1 - (2 * i + eps) / (p.sum() + t.sum() + eps)\n',
      );
      many.push(f);
    }
    const commands: Record<string, string[]> = {
      'node -e 0': ['-e', '0'],
      'seglens --version': [cli, '--version'],
      'seglens lint <empty file>': [cli, 'lint', empty],
      'seglens lint <50 files> (one process)': [cli, 'lint', ...many],
    };
    const times: Record<string, number[]> = {};
    for (const k of Object.keys(commands)) times[k] = [];
    for (let i = 0; i < REPEATS; i++) {
      for (const [k, args] of Object.entries(commands)) {
        const t0 = process.hrtime.bigint();
        const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
        times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.status !== 0 && r.status !== 1) throw new Error(`${k}: exit ${r.status}: ${r.stderr}`);
      }
    }
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    const base = { name: 'node -e 0', ms: med(times['node -e 0']) };
    for (const k of Object.keys(commands).slice(1)) {
      const ms = med(times[k]);
      const budget = k.includes('50 files')
        ? ''
        : ` [budget: ratio ≤ 1.5: ${ms / base.ms <= 1.5 ? 'ok' : 'OVER'}]`;
      report(k + budget, ms, base);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
