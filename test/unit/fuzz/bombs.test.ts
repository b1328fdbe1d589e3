/**
 * The decompression bombs of issue 17, each run through the real `seglens` CLI in a child process whose V8 heap is
 * capped (`--max-old-space-size=256`): every one must end with exit 2 and a message naming the file, and the
 * child's peak resident set (VmHWM from /proc/self/status, read as it exits) must stay under PEAK_BOUND_MB.
 * Typed-array memory is outside the V8 heap, so the heap cap alone would not catch an inflated bomb; the RSS peak
 * does. The peaks are printed for the record (docs/testing.md, "Fuzzing"). Linux only (/proc).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bigNiftiBomb,
  bigNpzBomb,
  bigPngBomb,
  lyingNiftiBomb,
  lyingNpzBomb,
  lyingPngBomb,
} from '../../support/fuzzBombs';
import { REPO } from '../../support/repo';
import { useTempDir } from '../../support/tempDir';

/** The bound every bomb's peak RSS must stay under (a quiet CLI run peaks near 60 MB with tsx). */
const PEAK_BOUND_MB = 200;

/** Preloaded into the child: reports its peak resident set as it exits (normally or through process.exit). */
const PEAK_REPORTER = `
process.on('exit', () => {
  const m = /VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
  require('fs').writeFileSync(process.env.SEGLENS_PEAK_FILE, m ? m[1] : '');
});
`;

interface Run {
  status: number | null;
  stderr: string;
  peakMb: number;
}

/** Runs `seglens <args>` (the sources, through tsx) in `cwd` with the heap capped; resolves with its peak RSS. */
function runCli(cwd: string, args: string[], entry: 'source' | 'dist' = 'source'): Promise<Run> {
  const peakFile = join(cwd, `peak-${args.join('-').replace(/\W+/g, '_')}.txt`);
  const preload = join(cwd, 'peak.cjs');
  writeFileSync(preload, PEAK_REPORTER);
  const launch =
    entry === 'source'
      ? ['-r', require.resolve('tsx/cjs'), join(REPO, 'src/cli/main.ts')]
      : [join(REPO, 'dist/cli.js')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', '-r', preload, ...launch, ...args], {
      cwd,
      env: { ...process.env, SEGLENS_PEAK_FILE: peakFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      const kb = Number(existsSync(peakFile) ? readFileSync(peakFile, 'utf8') : NaN);
      resolve({ status, stderr, peakMb: kb / 1024 });
    });
  });
}

interface Bomb {
  file: string;
  what: string;
  build: () => Uint8Array;
  /** The CLI call, given the file name. */
  args: (file: string) => string[];
  /** What the refusal must say besides the file name. */
  says: RegExp;
}

const metrics = (f: string) => ['metrics', '--gt', f, '--pred', f, '--json'];
const BOMBS: Bomb[] = [
  {
    file: 'bomb16.png',
    what: '2 MB PNG declaring 16384² RGBA 16-bit (2 GiB decoded)',
    build: bigPngBomb,
    args: metrics,
    says: /above the limit of \d+ bytes/,
  },
  {
    file: 'lying.png',
    what: '2 MB PNG declaring 1×1 over 2 GiB of compressed zeros',
    build: lyingPngBomb,
    args: metrics,
    says: /decompression bomb/,
  },
  {
    file: 'bomb.npz',
    what: '2 MB NPZ whose member inflates to 2 GiB',
    build: bigNpzBomb,
    args: metrics,
    says: /would inflate to \d+ bytes/,
  },
  {
    file: 'lying.npz',
    what: '2 MB NPZ whose directory says 1,000 bytes, inflating to 2 GiB',
    build: lyingNpzBomb,
    args: metrics,
    says: /corrupt or truncated \.npz/,
  },
  {
    file: 'bomb.nii.gz',
    what: 'NIfTI .nii.gz header declaring 2^31 voxels',
    build: bigNiftiBomb,
    args: metrics,
    says: /2147483648 voxels\), above the limit/,
  },
  {
    file: 'lying.nii.gz',
    what: '2 MB .nii.gz declaring 24×20×16 over 2 GiB of zeros (decode)',
    build: lyingNiftiBomb,
    args: (f) => ['decode', '--input', f, '--decoder', 'threshold', '--json'],
    says: /more than the \d+ bytes the header announces/,
  },
];

describe('fuzz: decompression bombs through the CLI (child process, heap capped, peak RSS measured)', function () {
  const tmp = useTempDir('seglens-bombs');
  before(function () {
    if (process.platform !== 'linux') this.skip(); // VmHWM comes from /proc
  });

  for (const bomb of BOMBS) {
    it(`${bomb.what}: exit 2 naming ${bomb.file}, peak RSS < ${PEAK_BOUND_MB} MB`, async function () {
      this.timeout(180_000);
      writeFileSync(join(tmp.path, bomb.file), bomb.build());
      const r = await runCli(tmp.path, bomb.args(bomb.file));
      console.log(
        `      ${bomb.file}: exit ${r.status}, peak RSS ${r.peakMb.toFixed(1)} MB — ${r.stderr.trim()}`,
      );
      assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${bomb.file.replace(/\./g, '\\.')}: `));
      assert.match(r.stderr, bomb.says);
      assert.ok(Number.isFinite(r.peakMb), 'the child did not report its peak');
      assert.ok(r.peakMb < PEAK_BOUND_MB, `peak RSS ${r.peakMb.toFixed(1)} MB ≥ ${PEAK_BOUND_MB} MB`);
    });
  }

  // The shipped CLI is split into one bundle per command (dist/cli-<name>.js); its errors must still be the one
  // InputError class main.ts maps to exit 2 (they were not for a while: every bad input exited 3). Runs when the
  // build exists, as in `npm test`, which builds first.
  it('the built dist/cli.js also refuses the PNG bomb with exit 2 and the same peak bound', async function () {
    if (!existsSync(join(REPO, 'dist/cli.js'))) this.skip();
    this.timeout(180_000);
    writeFileSync(join(tmp.path, 'bomb16.png'), bigPngBomb());
    const r = await runCli(tmp.path, metrics('bomb16.png'), 'dist');
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.match(r.stderr, /bomb16\.png: image is 16384×16384/);
    console.log(`      dist/cli.js bomb16.png: exit ${r.status}, peak RSS ${r.peakMb.toFixed(1)} MB`);
    assert.ok(r.peakMb < PEAK_BOUND_MB, `peak RSS ${r.peakMb.toFixed(1)} MB ≥ ${PEAK_BOUND_MB} MB`);
  });
});
