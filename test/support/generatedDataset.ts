/**
 * A generated dataset folder for the dataset view's large-set tests (integration and e2e): `n` samples of
 * `size`² — images/ (a grey picture: a bright disc on a noisy background), masks/ (the disc), and two probability
 * folders probs/a (the disc with a soft edge, its radius off by −25…+10 % and a little shifted) and probs/b
 * (shifted further and shrunk): every image differs, Dice spreads over ~0.7–1, and model a beats b on most. Deterministic (core's mulberry32, seed 7). Written at test time into a scratch folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encode } from 'fast-png';
import { mulberry32 } from '../../src/core/dataset/stats';
import { writeNpy } from '../../src/core/io/npy';

export interface GeneratedSetOptions {
  n: number;
  size: number;
  /** Write images/ too (the e2e opens rows in the viewer with their picture). @default true */
  images?: boolean;
  /** Replace model a's map of this sample by a file that is not a NumPy array (one skipped row). */
  broken?: string;
}

/** The id of sample i ("case_0042"). */
export function caseId(i: number): string {
  return `case_${String(i).padStart(4, '0')}`;
}

export function writeGeneratedSet(root: string, o: GeneratedSetOptions): void {
  const S = o.size;
  const withImages = o.images !== false;
  for (const dir of ['masks', 'probs/a', 'probs/b', ...(withImages ? ['images'] : [])])
    mkdirSync(path.join(root, dir), { recursive: true });
  const rand = mulberry32(7);
  const scale = S / 48;
  for (let i = 0; i < o.n; i++) {
    const id = caseId(i);
    const r = (3 + rand() * 14) * scale;
    const cx = (12 + rand() * 24) * scale;
    const cy = (12 + rand() * 24) * scale;
    const shift = rand() * 6 * scale;
    const ka = 0.75 + 0.35 * rand();
    const oa = rand() * 1.5 * scale;
    const mask = new Uint8Array(S * S);
    const image = new Uint8Array(S * S);
    const pa = new Float32Array(S * S);
    const pb = new Float32Array(S * S);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const k = y * S + x;
        const d = Math.hypot(x - cx, y - cy);
        mask[k] = d <= r ? 1 : 0;
        image[k] = Math.min(255, Math.round((d <= r ? 170 : 60) + rand() * 50));
        pa[k] = 1 / (1 + Math.exp((Math.hypot(x - cx - oa, y - cy) - r * ka) / 1.5));
        pb[k] = 1 / (1 + Math.exp((Math.hypot(x - cx - shift, y - cy) - r * 0.8) / 2));
      }
    writeFileSync(
      path.join(root, 'masks', `${id}.png`),
      encode({ width: S, height: S, data: mask, channels: 1, depth: 8 }),
    );
    if (withImages)
      writeFileSync(
        path.join(root, 'images', `${id}.png`),
        encode({ width: S, height: S, data: image, channels: 1, depth: 8 }),
      );
    writeFileSync(
      path.join(root, 'probs', 'a', `${id}.npy`),
      writeNpy({ dtype: 'float32', shape: [S, S], data: pa }),
    );
    writeFileSync(
      path.join(root, 'probs', 'b', `${id}.npy`),
      writeNpy({ dtype: 'float32', shape: [S, S], data: pb }),
    );
  }
  if (o.broken) writeFileSync(path.join(root, 'probs', 'a', `${o.broken}.npy`), 'not a numpy file');
}
