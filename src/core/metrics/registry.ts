/**
 * The scalar metric registry: one row per per-class metric of the IMAGE object (overlap and surface families).
 * The key lists the metric core iterates (OVERLAP_KEYS, DISTANCE_KEYS, SURFACE_KEYS), the CLI's CSV columns and the
 * names and tooltips the viewer shows are all derived from these rows, in row order. Definitions: docs/metrics.md.
 *
 * To add a scalar metric: compute it (its own file, wired into imageMetrics.ts and the IMAGE types), then add its
 * row here; aggregation, exports and labels follow from the row.
 */

interface MetricRowShape {
  /** The field of OverlapMetrics or SurfaceMetrics (a JSON contract: never rename). */
  key: string;
  /** Short name for table headers. */
  label: string;
  /** One line for tooltips: the definition. */
  description: string;
  /** `overlap`: from the confusion counts (spec §2); `surface`: from the boundaries (spec §3). */
  family: 'overlap' | 'surface';
  /** A distance in physical units (lower is better; +∞ when one side is empty); otherwise a score in [0, 1]. */
  distance: boolean;
  /** A column of `seglens eval --csv`. */
  csv: boolean;
}

const ROWS = [
  {
    key: 'dice',
    label: 'Dice',
    description: '2·TP / (2·TP + FP + FN)',
    family: 'overlap',
    distance: false,
    csv: true,
  },
  {
    key: 'iou',
    label: 'IoU',
    description: 'TP / (TP + FP + FN)',
    family: 'overlap',
    distance: false,
    csv: true,
  },
  {
    key: 'precision',
    label: 'Precision',
    description: 'TP / (TP + FP)',
    family: 'overlap',
    distance: false,
    csv: true,
  },
  {
    key: 'recall',
    label: 'Recall',
    description: 'TP / (TP + FN)',
    family: 'overlap',
    distance: false,
    csv: true,
  },
  {
    key: 'specificity',
    label: 'Specificity',
    description: 'TN / (TN + FP)',
    family: 'overlap',
    distance: false,
    csv: true,
  },
  {
    key: 'accuracy',
    label: 'Accuracy',
    description: '(TP + TN) / N, one class against the rest',
    family: 'overlap',
    distance: false,
    csv: true,
  },
  {
    key: 'balancedAccuracy',
    label: 'Balanced accuracy',
    description: 'Mean of the defined values among recall and specificity',
    family: 'overlap',
    distance: false,
    csv: true,
  },
  {
    key: 'hd',
    label: 'HD',
    description: 'Hausdorff distance: the largest distance from one boundary to the other',
    family: 'surface',
    distance: true,
    csv: true,
  },
  {
    key: 'hd95',
    label: 'HD95',
    description: '95th percentile Hausdorff distance: the larger of the two directed 95th percentiles',
    family: 'surface',
    distance: true,
    csv: true,
  },
  {
    key: 'assd',
    label: 'ASSD',
    description: 'Average symmetric surface distance: the mean of both directions’ distances pooled',
    family: 'surface',
    distance: true,
    csv: true,
  },
  {
    key: 'meanDistGtToPred',
    label: 'Mean dist. GT→pred',
    description: 'Mean distance from the ground-truth boundary to the predicted one (large = missed regions)',
    family: 'surface',
    distance: true,
    csv: false,
  },
  {
    key: 'meanDistPredToGt',
    label: 'Mean dist. pred→GT',
    description:
      'Mean distance from the predicted boundary to the ground-truth one (large = far false positives)',
    family: 'surface',
    distance: true,
    csv: false,
  },
  {
    key: 'nsd',
    label: 'NSD',
    description: 'Normalised surface distance: share of boundary pixels within the tolerance',
    family: 'surface',
    distance: false,
    csv: true,
  },
  {
    key: 'boundaryIou',
    label: 'Boundary IoU',
    description: 'IoU of the inner boundary bands of the two masks',
    family: 'surface',
    distance: false,
    csv: true,
  },
] as const satisfies readonly MetricRowShape[];

type Row = (typeof ROWS)[number];

/** One row of the registry. */
export type MetricRow = MetricRowShape;
/** Every scalar metric key. */
export type MetricKey = Row['key'];
/** The scalar overlap metric names (everything of OverlapMetrics except fBeta). */
export type OverlapKey = Extract<Row, { family: 'overlap' }>['key'];
/** The surface metrics that are distances. */
export type DistanceKey = Extract<Row, { distance: true }>['key'];
/** The scalar surface metrics (distances, NSD, boundary IoU). */
export type SurfaceKey = Extract<Row, { family: 'surface' }>['key'];

/** Every scalar metric, in row order. */
export const METRICS: readonly MetricRow[] = ROWS;

const keysWhere = <K extends MetricKey>(keep: (r: Row) => boolean): readonly K[] =>
  ROWS.filter(keep).map((r) => r.key as K);

/** The overlap metrics, in row order (the order of every export). */
export const OVERLAP_KEYS: readonly OverlapKey[] = keysWhere<OverlapKey>((r) => r.family === 'overlap');
/** The distance metrics, in row order. */
export const DISTANCE_KEYS: readonly DistanceKey[] = keysWhere<DistanceKey>((r) => r.distance);
/** The surface metrics (distances first, then NSD and boundary IoU), in row order. */
export const SURFACE_KEYS: readonly SurfaceKey[] = keysWhere<SurfaceKey>((r) => r.family === 'surface');
/** The per-class metric columns of `seglens eval --csv`, in order. */
export const METRIC_CSV_COLUMNS: readonly MetricKey[] = keysWhere<MetricKey>((r) => r.csv);

/** The short name of a metric for headers; the key itself for one that is not registered. */
export function metricLabel(key: string): string {
  return ROWS.find((r) => r.key === key)?.label ?? key;
}

/** The definition of a metric for tooltips ('' for one that is not registered). */
export function metricDescription(key: string): string {
  return ROWS.find((r) => r.key === key)?.description ?? '';
}
