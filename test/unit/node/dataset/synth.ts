/**
 * Synthetic datasets for the dataset-engine tests: images/, masks/, probs/<model>/ with a disc per image whose
 * probability map is a blurred, shifted disc (so decoders and models disagree a little, deterministically).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { writeNpy } from '../../../../src/core/io/npy';

export interface SynthOptions {
  n: number;
  size?: number;
  models?: string[];
  /** Flat probs/ folder instead of probs/<model>/. */
  flat?: boolean;
  seed?: number;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function id(i: number): string {
  return `img${String(i).padStart(4, '0')}`;
}

/** Writes the set under `dir` and returns the ids. */
export function writeSynthSet(dir: string, o: SynthOptions): string[] {
  const size = o.size ?? 32;
  const models = o.models ?? ['a'];
  const rand = rng(o.seed ?? 7);
  for (const d of ['images', 'masks']) mkdirSync(join(dir, d), { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < o.n; i++) {
    const cx = size * (0.3 + 0.4 * rand());
    const cy = size * (0.3 + 0.4 * rand());
    const r = size * (0.1 + 0.2 * rand());
    const empty = i % 7 === 3;
    const gt = new Uint8Array(size * size);
    const img = new Uint8Array(size * size);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const inside = !empty && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
        gt[y * size + x] = inside ? 1 : 0;
        img[y * size + x] = inside ? 200 : 50;
      }
    ids.push(id(i));
    writeFileSync(
      join(dir, 'images', `${id(i)}.png`),
      encode({ width: size, height: size, data: img, channels: 1, depth: 8 }),
    );
    writeFileSync(
      join(dir, 'masks', `${id(i)}.png`),
      encode({ width: size, height: size, data: gt, channels: 1, depth: 8 }),
    );
    models.forEach((m, mi) => {
      const folder = o.flat ? join(dir, 'probs') : join(dir, 'probs', m);
      mkdirSync(folder, { recursive: true });
      const prob = new Float32Array(size * size);
      const dx = (mi + 1) * (rand() - 0.5) * 3;
      const rr = r * (0.8 + 0.4 * rand());
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const d = Math.sqrt((x - cx - dx) ** 2 + (y - cy) ** 2) - rr;
          // A few confident blobs far from the disc make label-error candidates.
          prob[y * size + x] = Math.min(
            1,
            Math.max(0, 1 / (1 + Math.exp(d / (1 + mi))) + (rand() < 0.01 ? 0.3 : 0)),
          );
        }
      writeFileSync(
        join(folder, `${id(i)}.npy`),
        writeNpy({ dtype: 'float32', shape: [size, size], data: prob }),
      );
    });
  }
  return ids;
}
