/**
 * The NIfTI-1/-2 rules for where voxels are (nifti1.h, "3D IMAGE (VOLUME) ORIENTATION AND LOCATION IN SPACE"), as
 * SegLens applies them:
 * 1. sform_code > 0: the affine rows srow_x, srow_y, srow_z (method 3);
 * 2. else qform_code > 0: the quaternion (b, c, d; a = √(1 − b² − c² − d²)), the voxel sizes pixdim[1..3], the
 *    handedness qfac = pixdim[0] (−1 flips the third axis; 0 counts as 1) and qoffset_x/y/z (method 2);
 * 3. else pixdim[1..3] scaling with no rotation and origin 0 (method 1, "for backwards compatibility").
 * nibabel prefers the sform the same way. Pure math over the header fields; the reader is src/node/io/volume/nifti.ts.
 */
import { ColumnProblem, Vec3, cross, dot, isColumnProblem, splitColumns } from './geometry';

export interface NiftiTransformFields {
  /** pixdim[0..3] (pixdim[0] is qfac). */
  readonly pixdim: readonly number[];
  readonly qformCode: number;
  readonly sformCode: number;
  /** quatern_b, quatern_c, quatern_d. */
  readonly quatern: Vec3;
  /** qoffset_x, qoffset_y, qoffset_z. */
  readonly qoffset: Vec3;
  /** srow_x, srow_y, srow_z (each 4 numbers). */
  readonly srow: readonly [readonly number[], readonly number[], readonly number[]];
}

export interface NiftiTransform {
  readonly spacing: Vec3;
  readonly direction: [Vec3, Vec3, Vec3];
  readonly origin: Vec3;
  /** Which rule gave the transform. */
  readonly method: 'sform' | 'qform' | 'pixdim';
}

/** The 3×3 rotation of a NIfTI quaternion (b, c, d), a computed as nifti1_io.c does (clamped at 0, renormalised). */
export function quaternionRotation(b: number, c: number, d: number): [Vec3, Vec3, Vec3] {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // A quaternion of norm ≥ 1: a 180° rotation; normalise (b, c, d) as the reference library does.
    const s = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= s;
    c *= s;
    d *= s;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  // Rows of R (nifti1.h): R = [[a²+b²−c²−d², 2bc−2ad, 2bd+2ac], [2bc+2ad, a²+c²−b²−d², 2cd−2ab],
  // [2bd−2ac, 2cd+2ab, a²+d²−c²−b²]]. Returned as rows.
  return [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
}

/** The geometry of a NIfTI header by the standard's precedence; a problem (sheared sform, zero axis) is returned. */
export function niftiTransform(f: NiftiTransformFields): NiftiTransform | ColumnProblem {
  if (f.sformCode > 0) {
    const col = (c: number): Vec3 => [f.srow[0][c], f.srow[1][c], f.srow[2][c]];
    const split = splitColumns([col(0), col(1), col(2)]);
    if (isColumnProblem(split)) return { ...split, text: `the sform: ${split.text}` };
    return { ...split, origin: col(3), method: 'sform' };
  }
  const sizes: Vec3 = [Math.abs(f.pixdim[1]), Math.abs(f.pixdim[2]), Math.abs(f.pixdim[3])];
  if (f.qformCode > 0) {
    const r = quaternionRotation(f.quatern[0], f.quatern[1], f.quatern[2]);
    const qfac = f.pixdim[0] < 0 ? -1 : 1;
    const scale: Vec3 = [sizes[0], sizes[1], sizes[2] * qfac];
    const col = (c: number): Vec3 => [r[0][c] * scale[c], r[1][c] * scale[c], r[2][c] * scale[c]];
    const split = splitColumns([col(0), col(1), col(2)]);
    if (isColumnProblem(split)) return { ...split, text: `the qform: ${split.text}` };
    return { ...split, origin: f.qoffset, method: 'qform' };
  }
  const split = splitColumns([
    [sizes[0], 0, 0],
    [0, sizes[1], 0],
    [0, 0, sizes[2]],
  ]);
  if (isColumnProblem(split)) return { ...split, text: `pixdim: ${split.text}` };
  return { ...split, origin: [0, 0, 0], method: 'pixdim' };
}

/**
 * The quaternion (b, c, d) and qfac of an orthonormal direction matrix (columns = axis directions), as
 * nifti_mat44_to_quatern does: a left-handed matrix gets qfac −1 and its third column negated first.
 */
export function quaternionOf(direction: readonly [Vec3, Vec3, Vec3]): {
  b: number;
  c: number;
  d: number;
  qfac: 1 | -1;
} {
  const [c0, c1] = direction;
  let c2 = direction[2];
  const qfac = dot(cross(c0, c1), c2) < 0 ? -1 : 1;
  if (qfac < 0) c2 = [-c2[0], -c2[1], -c2[2]];
  // r[row][col]
  const r = [
    [c0[0], c1[0], c2[0]],
    [c0[1], c1[1], c2[1]],
    [c0[2], c1[2], c2[2]],
  ];
  let a = r[0][0] + r[1][1] + r[2][2] + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r[2][1] - r[1][2])) / a;
    c = (0.25 * (r[0][2] - r[2][0])) / a;
    d = (0.25 * (r[1][0] - r[0][1])) / a;
  } else {
    const xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
    const yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
    const zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r[0][1] + r[1][0])) / b;
      d = (0.25 * (r[0][2] + r[2][0])) / b;
      a = (0.25 * (r[2][1] - r[1][2])) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r[0][1] + r[1][0])) / c;
      d = (0.25 * (r[1][2] + r[2][1])) / c;
      a = (0.25 * (r[0][2] - r[2][0])) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r[0][2] + r[2][0])) / d;
      c = (0.25 * (r[1][2] + r[2][1])) / d;
      a = (0.25 * (r[1][0] - r[0][1])) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}
