/**
 * Decoder benchmarks (issue 3): threshold, RMA and exact RankDice at 256², 512², 1024², a batch of 8×512² and
 * 4 classes×512², each against a sort-only baseline of the same pixels (a native Float32Array sort of a copy,
 * the cheapest way to rank them). Decoding is timed without the expected-score evaluation, which is reported
 * on its own lines. Budgets from docs/architecture.md §7: RMA ≤ 50 ms at 1024², exact ≤ 1 s at 512².
 */
import { decode } from '../src/core/decoders';
import { DecodeOptions } from '../src/core/decoders/types';
import { report, rng, timeMs } from './util';

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

export async function run(): Promise<void> {
  const scenarios = [
    scenario('256²', 1, 1, 256, 1),
    scenario('512²', 1, 1, 512, 2),
    scenario('1024²', 1, 1, 1024, 3),
    scenario('batch 8×512²', 8, 1, 512, 4),
    scenario('4 classes×512²', 1, 4, 512, 5),
  ];
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
