/**
 * Orientation letters from a volume's geometry: which anatomical direction each file axis points to, as in
 * nibabel's `aff2axcodes` ("RAS" for an identity affine) and the R/L, A/P, S/I labels of a slice viewer. Pure.
 */
import type { Vec3, VolumeGeometry } from './geometry';

/** The letter of the positive world direction of x, y, z (RAS+), and of the negative one. */
const POSITIVE = ['R', 'A', 'S'] as const;
const NEGATIVE = ['L', 'P', 'I'] as const;

export type OrientationLetter = 'R' | 'L' | 'A' | 'P' | 'S' | 'I';

/** The world axis (0 = x, 1 = y, 2 = z) a direction is closest to, and its sign. */
export function dominantAxis(v: Vec3): { axis: 0 | 1 | 2; sign: 1 | -1 } {
  let axis: 0 | 1 | 2 = 0;
  for (const a of [1, 2] as const) if (Math.abs(v[a]) > Math.abs(v[axis])) axis = a;
  return { axis, sign: v[axis] < 0 ? -1 : 1 };
}

/** The letter a direction points towards (its dominant world axis). */
export function letterOf(v: Vec3): OrientationLetter {
  const { axis, sign } = dominantAxis(v);
  return sign > 0 ? POSITIVE[axis] : NEGATIVE[axis];
}

/** The letter opposite to a letter. */
export function oppositeLetter(l: OrientationLetter): OrientationLetter {
  const i = (POSITIVE as readonly string[]).indexOf(l);
  return i >= 0 ? NEGATIVE[i] : POSITIVE[(NEGATIVE as readonly string[]).indexOf(l)];
}

/**
 * Each file axis's world axis and sign, one world axis per file axis: the largest |component| of the direction
 * matrix is assigned first, then the largest among the remaining rows and columns, so an oblique volume never gets
 * two axes with the same letter (nibabel's `io_orientation` makes the same one-to-one choice).
 */
export function axisAssignment(g: VolumeGeometry): { axis: 0 | 1 | 2; sign: 1 | -1 }[] {
  const out: { axis: 0 | 1 | 2; sign: 1 | -1 }[] = [];
  const usedFile = new Set<number>();
  const usedWorld = new Set<number>();
  for (let step = 0; step < 3; step++) {
    let best = { a: -1, w: -1, v: -1 };
    for (let a = 0; a < 3; a++) {
      if (usedFile.has(a)) continue;
      for (let w = 0; w < 3; w++) {
        if (usedWorld.has(w)) continue;
        const v = Math.abs(g.direction[a][w]);
        if (v > best.v) best = { a, w, v };
      }
    }
    usedFile.add(best.a);
    usedWorld.add(best.w);
    out[best.a] = { axis: best.w as 0 | 1 | 2, sign: g.direction[best.a][best.w] < 0 ? -1 : 1 };
  }
  return out;
}

/**
 * The axis codes of a geometry: for each file axis i, j, k the letter its increasing index points to, e.g. "RAS"
 * (nibabel's `aff2axcodes` of an identity affine), "LPS" (an ITK/DICOM-ordered file read in RAS), "RSA" (a coronal
 * acquisition).
 */
export function orientationCode(g: VolumeGeometry): string {
  return axisAssignment(g)
    .map(({ axis, sign }) => (sign > 0 ? POSITIVE[axis] : NEGATIVE[axis]))
    .join('');
}

/** For each file axis, the letters at the low-index end and at the high-index end, e.g. [['L','R'], …]. */
export function axisEnds(g: VolumeGeometry): [OrientationLetter, OrientationLetter][] {
  return axisAssignment(g).map(({ axis, sign }) => {
    const hi = sign > 0 ? POSITIVE[axis] : NEGATIVE[axis];
    return [oppositeLetter(hi), hi];
  });
}

/**
 * The file axis that runs closest to a world axis (0 = x left–right, 1 = y posterior–anterior, 2 = z
 * inferior–superior): the slice normal of the sagittal, coronal and axial planes.
 */
export function fileAxisAlong(g: VolumeGeometry, worldAxis: 0 | 1 | 2): 0 | 1 | 2 {
  return axisAssignment(g).findIndex((x) => x.axis === worldAxis) as 0 | 1 | 2;
}
