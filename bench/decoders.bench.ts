/**
 * Decoder benchmarks (issue 3): threshold, RMA and exact RankDice at 256², 512², 1024², a batch of 8×512² and
 * 4 classes×512², each against a sort-only baseline of the same pixels (a native Float32Array sort of a copy,
 * the cheapest way to rank them). Decoding is timed without the expected-score evaluation, which is reported
 * on its own lines. Budgets from docs/architecture.md §7: RMA ≤ 50 ms at 1024², exact ≤ 1 s at 512².
 *
 * Issue 13 lines (docs/performance.md): at 1024², RMA selection + the exact expected Dice/IoU of its mask, split
 * as `seglens decode --json` splits it (selectMs / evaluateMs), against a NumPy float64 RMA selection alone
 * (bench/python/rma_numpy.py, run with /usr/bin/python3 in the same run; budget: ≥ 2× faster, i.e. ratio ≤ 0.5);
 * the whole expected-Dice-vs-k curve at 1024² (budget 1 s); exact RankDice at 512² (budget 100 ms).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, expectedDiceByK } from '../src/core/decoders';
import { DecodeOptions, DecodeTimings } from '../src/core/decoders/types';
import { writeNpy } from '../src/core/io/npy';
import { report, rng, timeMs } from './util';

const PYTHON = '/usr/bin/python3';

/** A soft disc (sigmoid edge) plus uniform background noise in [0, bg): a typical binary network output. */
function blobMap(n: number, seed: number, out: Float32Array, offset: number, bg = 0.05): void {
  const r = rng(seed);
  const cx = n * (0.3 + 0.4 * r());
  const cy = n * (0.3 + 0.4 * r());
  const rad = n * (0.1 + 0.15 * r());
  const edge = n / 128;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const d = Math.hypot(x - cx, y - cy) - rad;
      out[offset + y * n + x] = Math.min(1, 1 / (1 + Math.exp(d / edge)) + bg * r());
    }
  }
}

function sortOnlyMs(data: Float32Array, planes: number, n: number, repeats: number): number {
  const copy = new Float32Array(n);
  return timeMs(
    () => {
      for (let i = 0; i < planes; i++) {
        copy.set(data.subarray(i * n, (i + 1) * n));
        copy.sort();
      }
    },
    repeats,
    1,
  );
}

interface Scenario {
  name: string;
  shape: number[];
  data: Float32Array;
}

function scenario(name: string, b: number, c: number, n: number, seed: number): Scenario {
  const data = new Float32Array(b * c * n * n);
  for (let i = 0; i < b * c; i++) blobMap(n, seed + 17 * i, data, i * n * n);
  return { name, shape: [b, c, n, n], data };
}

/** Median selectMs / evaluateMs of decode() over `repeats` runs (after one warm-up). */
function splitMs(
  input: { data: Float32Array; shape: number[] },
  o: DecodeOptions,
  repeats: number,
): DecodeTimings {
  const sel: number[] = [];
  const ev: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    decode(input, {
      ...o,
      onTimings: (t) => {
        if (i === 0) return;
        sel.push(t.selectMs);
        ev.push(t.evaluateMs ?? 0);
      },
    });
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  return { selectMs: med(sel), evaluateMs: med(ev) };
}

/** NumPy float64 RMA selection of the same map (median of `repeats`), or undefined without numpy. */
function numpyRmaMs(s: Scenario, repeats: number): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'seglens-bench-'));
  try {
    const file = join(dir, 'p.npy');
    writeFileSync(file, writeNpy({ dtype: 'float32', shape: s.shape.slice(2), data: s.data }));
    const out = execFileSync(PYTHON, [join(__dirname, 'python/rma_numpy.py'), file, String(repeats)], {
      encoding: 'utf8',
    });
    return (JSON.parse(out) as { ms: number }).ms;
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Issue 13: expected Dice at the speed of the decoder (docs/performance.md). */
function expectedDiceLines(s1024: Scenario, s512: Scenario): void {
  const input = { data: s1024.data, shape: s1024.shape };
  const repeats = 9;
  const numpy = numpyRmaMs(s1024, repeats);
  const t = splitMs(input, { decoder: 'rankdice', solver: 'rma' }, repeats);
  const total = t.selectMs + (t.evaluateMs ?? 0);
  const base = numpy === undefined ? undefined : { name: 'NumPy float64 RMA selection', ms: numpy };
  if (!base) console.log('  (no /usr/bin/python3 with numpy: NumPy baseline not measured)');
  report('rankdice-rma 1024² selectMs', t.selectMs, base);
  report('rankdice-rma 1024² evaluateMs (exact E[Dice]/E[IoU])', t.evaluateMs ?? 0, base);
  report('rankdice-rma 1024² select + exact expected Dice/IoU [budget: ratio ≤ 0.5]', total, base);
  const thr = splitMs(input, { decoder: 'threshold' }, repeats);
  report('threshold 1024² select + exact expected Dice/IoU', thr.selectMs + (thr.evaluateMs ?? 0), base);
  const curve = timeMs(() => expectedDiceByK(s1024.data), 3, 1);
  report('expectedDiceByK 1024², whole curve (4096 exact points)', curve, base, 1000);
  const exact = timeMs(
    () =>
      decode(
        { data: s512.data, shape: s512.shape },
        { decoder: 'rankdice', solver: 'exact', evaluate: false },
      ),
    5,
    1,
  );
  report('rankdice-exact 512² (selection)', exact, undefined, 100);
}

export async function run(): Promise<void> {
  const scenarios = [
    scenario('256²', 1, 1, 256, 1),
    scenario('512²', 1, 1, 512, 2),
    scenario('1024²', 1, 1, 1024, 3),
    scenario('batch 8×512²', 8, 1, 512, 4),
    scenario('4 classes×512²', 1, 4, 512, 5),
  ];
  expectedDiceLines(scenarios[2], scenarios[1]);
  for (const s of scenarios) {
    const planes = s.shape[0] * s.shape[1];
    const n = s.shape[2] * s.shape[3];
    const heavy = planes * n > 512 * 512;
    const repeats = heavy ? 3 : 5;
    const base = { name: 'sort-only', ms: sortOnlyMs(s.data, planes, n, repeats) };
    const input = { data: s.data, shape: s.shape };
    const time = (o: DecodeOptions) => timeMs(() => decode(input, { ...o, evaluate: false }), repeats, 1);
    report(`threshold ${s.name}`, time({ decoder: 'threshold' }), base);
    report(
      `rankdice-rma ${s.name}`,
      time({ decoder: 'rankdice', solver: 'rma' }),
      base,
      s.name === '1024²' ? 50 : undefined,
    );
    report(`rankiou-rma ${s.name}`, time({ decoder: 'rankiou', solver: 'rma' }), base);
    report(
      `rankdice-exact ${s.name}`,
      time({ decoder: 'rankdice', solver: 'exact' }),
      base,
      s.name === '512²' ? 1000 : undefined,
    );
    if (planes === 1 && n <= 512 * 512) {
      report(`rankiou-exact ${s.name}`, time({ decoder: 'rankiou', solver: 'exact' }), base);
      report(`rankdice-ba ${s.name}`, time({ decoder: 'rankdice', solver: 'ba' }), base);
      const evalMs = timeMs(() => decode(input, { decoder: 'rankdice', solver: 'rma' }), repeats, 1);
      report(`rankdice-rma + expected Dice/IoU of the mask ${s.name}`, evalMs, base);
    }
  }
}
