/** Numbers of the volume panel's side list, as text: metrics (NaN = "n/a", Infinity = "∞") and volumes in ml. */

/** A metric with `digits` decimals; an undefined value is "n/a", a distance to an empty set "∞". */
export function formatMetric(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return x.toFixed(digits);
}

/** A volume given in mm³, shown in millilitres (1 ml = 1000 mm³) with three significant digits. */
export function formatVolume(mm3: number): string {
  const ml = mm3 / 1000;
  if (ml === 0) return '0';
  return ml >= 100 ? ml.toFixed(0) : ml.toPrecision(3);
}
