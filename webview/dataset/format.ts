/** Number formatting of the dataset view (pure: unit-tested in node). */
import type { TableMetric } from '../../src/protocol/dataset';

/** A metric value as the table shows it: NaN "—" (undefined), +∞ "∞" (a distance to an empty set). */
export function formatMetric(v: number, metric: TableMetric): string {
  if (Number.isNaN(v)) return '—';
  if (v === Infinity) return '∞';
  if (metric === 'hd95') return v >= 100 ? v.toFixed(0) : v.toFixed(1);
  return v.toFixed(3);
}

export function formatNullable(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

export function formatPercent(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)} %`;
}

export function formatSigned(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
}

export const METRIC_HEADERS: Record<TableMetric, { short: string; title: string }> = {
  dice: { short: 'Dice', title: 'Dice: per image, mean over the classes (both-empty classes count as 1)' },
  iou: { short: 'IoU', title: 'IoU: per image, mean over the classes where it is defined' },
  precision: { short: 'Prec', title: 'Precision: per image, mean over the classes where it is defined' },
  recall: { short: 'Rec', title: 'Recall: per image, mean over the classes where it is defined' },
  hd95: {
    short: 'HD95',
    title:
      '95th-percentile Hausdorff distance (pixels or physical units): mean over the classes where it is finite; ∞ when one side is empty',
  },
  expectedDice: {
    short: 'E[Dice]',
    title: 'Expected Dice of the decoded mask under the probability map — needs no ground truth',
  },
};

/** A heat level in [0, 1] for a Dice-like value (1 = worst), undefined for no colour. */
export function badness(v: number, metric: TableMetric): number | undefined {
  if (!Number.isFinite(v) || metric === 'hd95') return undefined;
  return Math.max(0, Math.min(1, 1 - v));
}
