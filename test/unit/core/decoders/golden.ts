/**
 * A snapshot of decode() on small public maps (test/fixtures/rankseg) for every registered decoder, each of its
 * solvers and both output modes: what the decoders returned before the registry refactor, kept so that any
 * change of output is a visible test failure. Regenerate only for a deliberate change of output:
 * `SEGLENS_UPDATE_GOLDEN=1 npx mocha test/unit/core/decoders/registry.test.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from '../../../../src/core/decoders';
import type { DecodeOptions, DecodeResult } from '../../../../src/core/decoders/types';
import { readNpy } from '../../../../src/core/io/npy';
import { repoPath } from '../../../support/repo';

export const GOLDEN_FILE = repoPath('test/fixtures/decoders/registry-golden.json');

/** Small maps: one class, one class with smooth 1, a batch, a softmax map, two overlapping sigmoid classes. */
export const GOLDEN_MAPS = [
  'p04_tiny_N25',
  'p05_tiny_N24_smooth1',
  'p06_batch2_20',
  'p07_softmax3_16',
  'p09_tiny_N10_subsets',
  'p10_sigmoid2_overlap_24',
];

export function loadMap(name: string): { data: Float32Array; shape: number[] } {
  const file = `${name}__probs.npy`;
  const a = readNpy(readFileSync(join(repoPath('test/fixtures/rankseg'), file)), { source: file });
  return { data: a.data as Float32Array, shape: [...a.shape] };
}

/** The option sets run per decoder: every solver (or none), both output modes, void labels, pruning, smooth. */
export function goldenOptions(
  name: DecodeOptions['decoder'],
  solvers: readonly string[],
  requires: readonly string[],
): { id: string; options: DecodeOptions }[] {
  const extra: Partial<DecodeOptions> = {};
  if (requires.includes('threshold')) extra.threshold = 0.3;
  if (requires.includes('k')) extra.k = 7;
  const out: { id: string; options: DecodeOptions }[] = [];
  for (const solver of solvers.length ? solvers : [undefined]) {
    const variants: [string, Partial<DecodeOptions>][] = [
      ['ml', { outputMode: 'multilabel' }],
      ['mc', { outputMode: 'multiclass' }],
      ['mc-void', { outputMode: 'multiclass', unassignedPolicy: 'void' }],
      ['default', {}],
      ['smooth1-conv1', { smooth: 1, emptyConvention: 'conv1' }],
    ];
    if (solvers.length) variants.push(['pruned', { pruningProb: 0.5, outputMode: 'multiclass' }]);
    for (const [tag, v] of variants) {
      out.push({
        id: `${name}/${solver ?? '-'}/${tag}`,
        options: { decoder: name, ...extra, ...(solver ? { solver: solver as never } : {}), ...v },
      });
    }
  }
  return out;
}

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Everything decode() returns, the mask as a hash of its bytes. */
export function snapshot(r: DecodeResult): unknown {
  const m = r.mask.data;
  return {
    decoder: r.decoder,
    solver: r.solver,
    outputMode: r.outputMode,
    shape: r.shape,
    mask: {
      kind: r.mask.kind,
      shape: r.mask.shape,
      hash: fnv1a(new Uint8Array(m.buffer, m.byteOffset, m.byteLength)),
    },
    images: r.images,
    meanExpectedDice: r.meanExpectedDice,
    meanExpectedIoU: r.meanExpectedIoU,
    notes: r.notes,
    smooth: r.smooth,
    emptyConvention: r.emptyConvention,
  };
}

/** The snapshot of every (map, decoder, option set), keyed `map:decoder/solver/variant`. */
export function goldenRun(
  decoders: readonly {
    name: DecodeOptions['decoder'];
    solvers: readonly string[];
    requires: readonly string[];
  }[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const map of GOLDEN_MAPS) {
    const input = loadMap(map);
    for (const d of decoders) {
      for (const { id, options } of goldenOptions(d.name, d.solvers, d.requires)) {
        out[`${map}:${id}`] = snapshot(decode(input, options));
      }
    }
  }
  return out;
}
