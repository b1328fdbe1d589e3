/**
 * Where the voxels of a volume sit in the patient: the geometry every volume reader (NIfTI, NRRD, MetaImage) reduces
 * its header to, in one convention so files of different formats can be compared (docs/volumes.md).
 *
 * Conventions, chosen once:
 * - File axes are named i, j, k in the order of the header (i varies fastest in the file). The same voxels in the
 *   core's C-order arrays have shape [nk, nj, ni] and spacing [sk, sj, si] (`arrayShape`, `arraySpacing`): the
 *   array-axis order of LabelMap / ProbMap and of the metrics' spacing.
 * - World coordinates are RAS+ millimetres (x towards the patient's Right, y Anterior, z Superior), NIfTI's
 *   convention; readers of LPS formats (NRRD "left-posterior-superior", MetaImage / ITK) negate x and y.
 * - `direction[a]` is the unit world vector of file axis a; `origin` is the world position of voxel (0, 0, 0)'s
 *   centre. The affine maps (i, j, k, 1) to (x, y, z, 1): column a = direction[a] · spacing[a], last column origin.
 * Pure: no node, no I/O.
 */

export type Vec3 = readonly [number, number, number];

/** A 4×4 matrix, row-major: m[r][c]. */
export type Affine = readonly (readonly [number, number, number, number])[];

export interface VolumeGeometry {
  /** Spatial rank of the file: 2 (one slice, nk = 1) or 3. */
  readonly rank: 2 | 3;
  /** Voxel counts per file axis [ni, nj, nk] (nk = 1 for rank 2). */
  readonly dims: readonly [number, number, number];
  /** Voxel size per file axis in mm [si, sj, sk], all > 0. */
  readonly spacing: Vec3;
  /** Unit RAS direction of each file axis [i, j, k]; orthogonal (readers refuse sheared grids). */
  readonly direction: readonly [Vec3, Vec3, Vec3];
  /** RAS position (mm) of the centre of voxel (0, 0, 0). */
  readonly origin: Vec3;
}

/** The core's array shape of the voxels: [nk, nj, ni], or [nj, ni] for a rank-2 file. */
export function arrayShape(g: VolumeGeometry): number[] {
  const [ni, nj, nk] = g.dims;
  return g.rank === 2 ? [nj, ni] : [nk, nj, ni];
}

/** The metrics' spacing, in the core's array-axis order: [sk, sj, si], or [sj, si] for a rank-2 file. */
export function arraySpacing(g: VolumeGeometry): number[] {
  const [si, sj, sk] = g.spacing;
  return g.rank === 2 ? [sj, si] : [sk, sj, si];
}

/** Number of voxels. */
export function voxelCount(g: VolumeGeometry): number {
  return g.dims[0] * g.dims[1] * g.dims[2];
}

/** The 4×4 index → RAS affine of a geometry. */
export function affineOf(g: VolumeGeometry): Affine {
  const row = (r: 0 | 1 | 2): [number, number, number, number] => [
    g.direction[0][r] * g.spacing[0],
    g.direction[1][r] * g.spacing[1],
    g.direction[2][r] * g.spacing[2],
    g.origin[r],
  ];
  return [row(0), row(1), row(2), [0, 0, 0, 1]];
}

export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const norm = (a: Vec3): number => Math.sqrt(dot(a, a));
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

/** Largest |cos| between two distinct axes above which a grid counts as sheared (≈ 0.01°). */
export const ORTHOGONALITY_TOLERANCE = 1e-4;

/** What is wrong with a set of axis columns, or undefined when they form a valid orthogonal grid. */
export interface ColumnProblem {
  readonly kind: 'zero' | 'not-finite' | 'non-orthogonal';
  readonly text: string;
}

const AXES = ['i', 'j', 'k'] as const;

/**
 * Splits three axis columns (world vector of one voxel step per file axis, in mm) into spacing and unit directions.
 * Returns the problem instead when a column is zero or not finite, or two axes are not orthogonal: SegLens's
 * distance metrics (EDT with per-axis spacing) are only true physical distances on an orthogonal grid.
 */
export function splitColumns(
  columns: readonly [Vec3, Vec3, Vec3],
): { spacing: Vec3; direction: [Vec3, Vec3, Vec3] } | ColumnProblem {
  for (let a = 0; a < 3; a++) {
    if (!columns[a].every(Number.isFinite)) {
      return { kind: 'not-finite', text: `the direction of axis ${AXES[a]} is not finite` };
    }
    if (norm(columns[a]) === 0) return { kind: 'zero', text: `axis ${AXES[a]} has a zero-length direction` };
  }
  const spacing: Vec3 = [norm(columns[0]), norm(columns[1]), norm(columns[2])];
  const unit = (a: number): Vec3 => [
    columns[a][0] / spacing[a],
    columns[a][1] / spacing[a],
    columns[a][2] / spacing[a],
  ];
  const direction: [Vec3, Vec3, Vec3] = [unit(0), unit(1), unit(2)];
  for (const [a, b] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const) {
    const c = dot(direction[a], direction[b]);
    if (Math.abs(c) > ORTHOGONALITY_TOLERANCE) {
      const deg = (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
      return {
        kind: 'non-orthogonal',
        text:
          `the voxel axes are not orthogonal (axes ${AXES[a]} and ${AXES[b]} meet at ${deg.toFixed(3)}°, not 90°); ` +
          'distances in millimetres need an orthogonal grid — resample the volume first',
      };
    }
  }
  return { spacing, direction };
}

/** True when `splitColumns` returned a problem. */
export function isColumnProblem(x: ReturnType<typeof splitColumns>): x is ColumnProblem {
  return 'kind' in x;
}

/**
 * The third axis of a rank-2 file, or of a header that gives two directions only: the right-handed normal of the
 * first two, so the geometry stays complete.
 */
export function completeThirdAxis(d0: Vec3, d1: Vec3): Vec3 {
  const n = cross(d0, d1);
  const l = norm(n);
  return l === 0 ? [0, 0, 1] : [n[0] / l, n[1] / l, n[2] / l];
}

/** LPS ↔ RAS: negate x and y (the map is its own inverse). */
export const flipXY = (v: Vec3): Vec3 => [-v[0], -v[1], v[2]];
