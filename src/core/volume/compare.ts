/**
 * Geometry agreement between volumes that are scored together (image, GT, prediction, probability): same shape,
 * spacing, direction and origin within the tolerances below, or a GeometryMismatchError naming both files and both
 * values. SegLens never resamples: a mismatch is the user's to resolve (docs/volumes.md, "Geometry checks").
 *
 * Tolerances (documented, tested): NIfTI stores its transforms as float32 and different tools write the qform and
 * sform slightly differently, so exact equality would refuse files that describe the same grid; these bounds are
 * still far below anything that moves a voxel.
 */
import { InputError } from '../errors';
import { Vec3, VolumeGeometry } from './geometry';

export const GEOMETRY_TOLERANCES = {
  /** Spacing: |a − b| ≤ spacing × max(|a|, |b|) per axis (relative, 1e-4 = 0.01 %). */
  spacing: 1e-4,
  /** Direction: every component of the unit axis vectors within this (1e-4 ≈ 0.006°). */
  direction: 1e-4,
  /** Origin: distance ≤ origin × the smallest voxel size (a thousandth of a voxel). */
  origin: 1e-3,
} as const;

export type GeometryProperty = 'shape' | 'spacing' | 'direction' | 'origin';

export interface GeometryDifference {
  readonly property: GeometryProperty;
  /** The first volume's value, as text. */
  readonly a: string;
  /** The second volume's value, as text. */
  readonly b: string;
}

const num = (x: number): string => String(Number(x.toPrecision(6)));
const vec = (v: readonly number[]): string => `(${v.map(num).join(', ')})`;

export function formatDims(g: VolumeGeometry): string {
  return (g.rank === 2 ? g.dims.slice(0, 2) : g.dims).join('×');
}
export function formatSpacing(g: VolumeGeometry): string {
  return `${(g.rank === 2 ? g.spacing.slice(0, 2) : g.spacing).map(num).join('×')} mm`;
}
export function formatDirection(g: VolumeGeometry): string {
  return `[${g.direction.map(vec).join(', ')}]`;
}
export function formatOrigin(g: VolumeGeometry): string {
  return `${vec(g.origin)} mm`;
}

const near = (a: Vec3, b: Vec3, tol: number): boolean => a.every((x, i) => Math.abs(x - b[i]) <= tol);

/** The properties in which two geometries differ beyond the tolerances; empty when they agree. */
export function geometryDifferences(a: VolumeGeometry, b: VolumeGeometry): GeometryDifference[] {
  const out: GeometryDifference[] = [];
  if (a.rank !== b.rank || a.dims.some((d, i) => d !== b.dims[i])) {
    out.push({ property: 'shape', a: formatDims(a), b: formatDims(b) });
  }
  const spacingOk = a.spacing.every(
    (s, i) =>
      Math.abs(s - b.spacing[i]) <=
      GEOMETRY_TOLERANCES.spacing * Math.max(Math.abs(s), Math.abs(b.spacing[i])),
  );
  if (!spacingOk) out.push({ property: 'spacing', a: formatSpacing(a), b: formatSpacing(b) });
  const dirOk = a.direction.every((d, i) => near(d, b.direction[i], GEOMETRY_TOLERANCES.direction));
  if (!dirOk) out.push({ property: 'direction', a: formatDirection(a), b: formatDirection(b) });
  const dx = a.origin.map((x, i) => x - b.origin[i]);
  const dist = Math.hypot(dx[0], dx[1], dx[2]);
  const minVoxel = Math.min(...a.spacing, ...b.spacing);
  if (!(dist <= GEOMETRY_TOLERANCES.origin * minVoxel)) {
    out.push({ property: 'origin', a: formatOrigin(a), b: formatOrigin(b) });
  }
  return out;
}

/** Two volumes scored together whose grids differ: exit code 2 on the command line, both values in the message. */
export class GeometryMismatchError extends InputError {
  readonly files: readonly [string, string];
  readonly differences: readonly GeometryDifference[];

  constructor(fileA: string, fileB: string, differences: readonly GeometryDifference[]) {
    const parts = differences.map((d) => `${d.property} ${d.a} (${fileA}) vs ${d.b} (${fileB})`);
    super(
      `${fileA} and ${fileB} are not on the same voxel grid: ${parts.join('; ')}. ` +
        'SegLens does not resample; resample one volume onto the other (e.g. nibabel.processing or ' +
        'SimpleITK.Resample with nearest-neighbour interpolation for label maps) and try again',
    );
    this.name = 'GeometryMismatchError';
    this.files = [fileA, fileB];
    this.differences = differences;
  }
}

/** Throws a GeometryMismatchError when two named volumes differ; returns quietly when they agree. */
export function assertSameGeometry(
  a: { source: string; geometry: VolumeGeometry },
  b: { source: string; geometry: VolumeGeometry },
): void {
  const diff = geometryDifferences(a.geometry, b.geometry);
  if (diff.length) throw new GeometryMismatchError(a.source, b.source, diff);
}

/**
 * The one grid of several inputs scored together: the geometry of the first that has one, after checking every
 * other input with a geometry against it (GeometryMismatchError naming the pair). Inputs without a geometry (raw
 * arrays) are skipped here; their shape is checked by the metrics. Undefined when no input has a geometry.
 */
export function commonGeometry(
  inputs: readonly { source: string; geometry?: VolumeGeometry }[],
): { source: string; geometry: VolumeGeometry } | undefined {
  const withGeometry = inputs.filter(
    (x): x is { source: string; geometry: VolumeGeometry } => x.geometry !== undefined,
  );
  const [first, ...rest] = withGeometry;
  for (const other of rest) assertSameGeometry(first, other);
  return first;
}
