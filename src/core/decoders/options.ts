/**
 * decode()'s option handling: validates every option against its domain and fills omitted ones from the decoder's
 * registry row (./registry), so the defaults a row shows are the ones decode() applies.
 */
import { OptionError } from '../errors';
import { DEFAULT_EXACT_COST_LIMIT } from './registry';
import {
  EMPTY_CONVENTIONS,
  OUTPUT_MODES,
  SOLVER_NAMES,
  UNASSIGNED_POLICIES,
  type EmptyConvention,
  type SolverName,
} from './primitives';
import type { DecodeSettings } from './primitives';
import type { DecoderRow, ResolvedOptions } from './row';

/** Every option of decode() after validation and defaults, with the decoder's row. */
export interface Resolved extends ResolvedOptions {
  row: DecoderRow;
  /** The decoder has solvers (rankdice, rankiou): the result reports which one ran. */
  ranking: boolean;
  outputMode: (typeof OUTPUT_MODES)[number];
  unassignedPolicy: (typeof UNASSIGNED_POLICIES)[number];
  voidIndex: number;
  evaluate: boolean;
}

const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(' | ');

function member<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(v)) throw new OptionError(name, v, quoted(allowed));
  return v as T;
}

function num(
  name: string,
  v: number | undefined,
  dflt: number,
  ok: (x: number) => boolean,
  expected: string,
): number {
  const x = v ?? dflt;
  if (typeof x !== 'number' || !ok(x)) throw new OptionError(name, v, expected);
  return x;
}

const isProb = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;

/** Validates `o` for the decoder of `row` and fills defaults; notes go to `notes`. Throws OptionError. */
export function resolveOptions(row: DecoderRow, o: DecodeSettings, notes: string[]): Resolved {
  const d = row.defaults;
  const ranking = row.solvers.length > 0;
  const requested = o.solver === 'auto' ? undefined : o.solver;
  if (requested !== undefined) {
    if (!SOLVER_NAMES.includes(requested))
      throw new OptionError('solver', requested, SOLVER_NAMES.join(' | '));
    if (!ranking) notes.push(`solver '${requested}' ignored: ${row.name} has no solvers`);
    else if (!row.solvers.includes(requested)) {
      throw new OptionError(
        'solver',
        requested,
        `${row.solvers.filter((s) => s !== 'auto').join(' | ')} for ${row.name}`,
      );
    }
  }
  for (const req of row.requires) {
    if (o[req] === undefined) throw new OptionError(req, undefined, `a value (required by ${row.name})`);
  }
  // Checked in this order so that the first bad option is the one reported.
  const outputMode = member('outputMode', o.outputMode ?? d.outputMode ?? 'multilabel', OUTPUT_MODES);
  const unassignedPolicy = member(
    'unassignedPolicy',
    o.unassignedPolicy ?? d.unassignedPolicy ?? 'max_score',
    UNASSIGNED_POLICIES,
  );
  const emptyConvention = member<EmptyConvention>(
    'emptyConvention',
    o.emptyConvention ?? d.emptyConvention ?? 'conv0',
    EMPTY_CONVENTIONS,
  );
  return {
    row,
    ranking,
    solver: ranking ? (requested as SolverName | undefined) : undefined,
    outputMode,
    threshold: num('threshold', o.threshold, d.threshold ?? 0.5, isProb, 'a number in [0, 1]'),
    k: num('k', o.k, 0, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer'),
    smooth: num(
      'smooth',
      o.smooth,
      d.smooth ?? 0,
      (x) => Number.isFinite(x) && x >= 0,
      'a finite number ≥ 0',
    ),
    pruningProb: num(
      'pruningProb',
      o.pruningProb ?? undefined,
      d.pruningProb ?? 0,
      isProb,
      'a number in [0, 1], or 0/null for off',
    ),
    eps: num('eps', o.eps, d.eps ?? 1e-4, (x) => x > 0 && x < 1, 'a number in (0, 1)'),
    unassignedPolicy,
    voidIndex: num(
      'voidIndex',
      o.voidIndex,
      d.voidIndex ?? 255,
      (x) => Number.isInteger(x) && Math.abs(x) < 2 ** 31,
      'an int32',
    ),
    emptyConvention,
    evaluate: o.evaluate ?? d.evaluate ?? true,
    costLimit: num(
      'exactCostLimit',
      o.exactCostLimit,
      d.exactCostLimit ?? DEFAULT_EXACT_COST_LIMIT,
      (x) => x >= 0,
      'a number ≥ 0',
    ),
  };
}
