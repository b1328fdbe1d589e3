/**
 * Number formatting for the analysis tables. Metric values arrive from the host with non-finite numbers spelt as
 * "NaN" / "Infinity" (JSON has no literals for them); an undefined value is shown as such, never as 0.
 */
export type Num = number | string | null | undefined;

export function fmt(v: Num, digits = 3): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') {
    if (v === 'NaN') return 'undefined';
    if (v === 'Infinity') return '∞';
    if (v === '-Infinity') return '−∞';
    return v;
  }
  if (Number.isNaN(v)) return 'undefined';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(digits);
}

/** A numeric value for charts (undefined → null, which uPlot draws as a gap). */
export function val(v: Num): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return null;
}
