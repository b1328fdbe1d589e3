/**
 * The three anatomical planes of a volume as a slice viewer shows them, without resampling: each plane is the
 * plane of the voxel grid whose normal is the file axis closest to the plane's anatomical normal (axial: S,
 * coronal: A, sagittal: R; src/core/volume/orientation.ts assigns one world axis per file axis), and its two
 * in-plane file axes are laid out, flipped where needed, so the screen shows the patient the conventional way:
 *
 * | plane    | normal | screen up | screen right (radiological) | screen right (neurological) |
 * |----------|--------|-----------|-----------------------------|-----------------------------|
 * | axial    | S      | A         | L (patient's right on the left) | R                       |
 * | coronal  | A      | S         | L                           | R                           |
 * | sagittal | R      | S         | P (anterior on the left)    | P                           |
 *
 * For an oblique acquisition the planes are the nearest voxel planes (as ITK-SNAP shows them in its "voxel"
 * mode): the letters name the dominant direction of each side. Pure: no DOM, no node.
 */
import { axisAssignment, type OrientationLetter } from './orientation';
import type { VolumeGeometry } from './geometry';

export type PlaneName = 'axial' | 'coronal' | 'sagittal';
export const PLANE_NAMES: readonly PlaneName[] = ['axial', 'coronal', 'sagittal'];

/** Left-right display convention: radiological shows the patient's right on the screen's left. */
export type DisplayConvention = 'radiological' | 'neurological';

const POSITIVE: readonly OrientationLetter[] = ['R', 'A', 'S'];
const NEGATIVE: readonly OrientationLetter[] = ['L', 'P', 'I'];
const letter = (axis: number, sign: number): OrientationLetter =>
  sign > 0 ? POSITIVE[axis] : NEGATIVE[axis];

/** A world direction: world axis (0 = x R, 1 = y A, 2 = z S) and sign. */
interface WorldDir {
  axis: 0 | 1 | 2;
  sign: 1 | -1;
}

/** The anatomical layout of each plane: its normal axis, what points right and what points up on screen. */
function planeLayout(
  plane: PlaneName,
  convention: DisplayConvention,
): { normal: 0 | 1 | 2; right: WorldDir; up: WorldDir } {
  const lr: WorldDir = { axis: 0, sign: convention === 'radiological' ? -1 : 1 };
  switch (plane) {
    case 'axial':
      return { normal: 2, right: lr, up: { axis: 1, sign: 1 } };
    case 'coronal':
      return { normal: 1, right: lr, up: { axis: 2, sign: 1 } };
    case 'sagittal':
      return { normal: 0, right: { axis: 1, sign: -1 }, up: { axis: 2, sign: 1 } };
  }
}

/** How one plane maps screen pixels (u right, v down) to file voxels (i, j, k). */
export interface PlaneMapping {
  plane: PlaneName;
  /** File axis (0 = i, 1 = j, 2 = k) perpendicular to the plane: the slice index runs along it. */
  normalAxis: 0 | 1 | 2;
  /** File axis along the screen's u (left → right), and whether u runs against its index. */
  uAxis: 0 | 1 | 2;
  uFlip: boolean;
  /** File axis along the screen's v (top → bottom), and whether v runs against its index. */
  vAxis: 0 | 1 | 2;
  vFlip: boolean;
  /** Slice size in pixels. */
  width: number;
  height: number;
  /** Number of slices (voxels along the normal axis). */
  slices: number;
  /** Physical size of one pixel in mm (so anisotropic voxels keep their true aspect). */
  pixelWidth: number;
  pixelHeight: number;
  /** The letters at the sides of the slice (the dominant direction each side points to). */
  letters: {
    left: OrientationLetter;
    right: OrientationLetter;
    top: OrientationLetter;
    bottom: OrientationLetter;
  };
  /** The letters at the low- and high-index ends of the slice axis (e.g. I → S for axial). */
  sliceLetters: [OrientationLetter, OrientationLetter];
}

/** The mapping of one anatomical plane of a geometry. */
export function planeMapping(
  g: VolumeGeometry,
  plane: PlaneName,
  convention: DisplayConvention = 'radiological',
): PlaneMapping {
  const assign = axisAssignment(g);
  const fileOf = (w: number): 0 | 1 | 2 => assign.findIndex((a) => a.axis === w) as 0 | 1 | 2;
  const { normal, right, up } = planeLayout(plane, convention);
  const uAxis = fileOf(right.axis);
  const vAxis = fileOf(up.axis);
  const normalAxis = fileOf(normal);
  // u increases towards `right`: the file index runs with u when the axis points that way.
  const uFlip = assign[uAxis].sign !== right.sign;
  // v increases downwards, i.e. against `up`.
  const vFlip = assign[vAxis].sign === up.sign;
  const n = assign[normalAxis];
  return {
    plane,
    normalAxis,
    uAxis,
    uFlip,
    vAxis,
    vFlip,
    width: g.dims[uAxis],
    height: g.dims[vAxis],
    slices: g.dims[normalAxis],
    pixelWidth: g.spacing[uAxis],
    pixelHeight: g.spacing[vAxis],
    letters: {
      left: letter(right.axis, -right.sign),
      right: letter(right.axis, right.sign),
      top: letter(up.axis, up.sign),
      bottom: letter(up.axis, -up.sign),
    },
    sliceLetters: [letter(n.axis, -n.sign), letter(n.axis, n.sign)],
  };
}

/** The three planes of a geometry, in PLANE_NAMES order. */
export function planeMappings(
  g: VolumeGeometry,
  convention: DisplayConvention = 'radiological',
): PlaneMapping[] {
  return PLANE_NAMES.map((p) => planeMapping(g, p, convention));
}

/** A voxel position (i, j, k) in file axes. */
export type Voxel = [number, number, number];

/** The screen pixel (u, v) of a voxel in a plane (the crosshair's position). */
export function voxelToPixel(m: PlaneMapping, voxel: readonly number[]): { u: number; v: number } {
  const a = voxel[m.uAxis];
  const b = voxel[m.vAxis];
  return { u: m.uFlip ? m.width - 1 - a : a, v: m.vFlip ? m.height - 1 - b : b };
}

/** The voxel under screen pixel (u, v) of a plane at the cursor's slice (a click moves the other two planes). */
export function pixelToVoxel(m: PlaneMapping, u: number, v: number, cursor: readonly number[]): Voxel {
  const out: Voxel = [cursor[0], cursor[1], cursor[2]];
  const uu = Math.min(m.width - 1, Math.max(0, Math.floor(u)));
  const vv = Math.min(m.height - 1, Math.max(0, Math.floor(v)));
  out[m.uAxis] = m.uFlip ? m.width - 1 - uu : uu;
  out[m.vAxis] = m.vFlip ? m.height - 1 - vv : vv;
  return out;
}

/** The writable typed arrays a slice can be written to. */
export type SliceArray = Float32Array | Uint8Array | Uint16Array | Int32Array;

/**
 * Copies slice `index` of a plane out of a volume's voxels (file order, i fastest: [nk, nj, ni] in C order) into
 * `out` (width × height, row-major, u fastest). `out` defaults to a new array of the volume's type.
 */
export function extractSlice<T extends SliceArray>(
  data: ArrayLike<number>,
  dims: readonly [number, number, number],
  m: PlaneMapping,
  index: number,
  out: T,
): T {
  if (!Number.isInteger(index) || index < 0 || index >= dims[m.normalAxis]) {
    throw new RangeError(`slice ${index} is outside 0…${dims[m.normalAxis] - 1} of the ${m.plane} plane`);
  }
  if (out.length !== m.width * m.height) {
    throw new RangeError(
      `slice buffer holds ${out.length} values, the ${m.plane} slice ${m.width * m.height}`,
    );
  }
  // Strides of the file axes in the flat array.
  const stride = [1, dims[0], dims[0] * dims[1]];
  const su = stride[m.uAxis];
  const sv = stride[m.vAxis];
  // Start at voxel (u = 0, v = 0) and step by ±stride: no per-pixel index arithmetic.
  const du = m.uFlip ? -su : su;
  const dv = m.vFlip ? -sv : sv;
  const base =
    index * stride[m.normalAxis] + (m.uFlip ? (m.width - 1) * su : 0) + (m.vFlip ? (m.height - 1) * sv : 0);
  let o = 0;
  for (let v = 0; v < m.height; v++) {
    let p = base + v * dv;
    for (let u = 0; u < m.width; u++, p += du) out[o++] = data[p];
  }
  return out;
}

/** The RAS position in mm of a voxel's centre (for the read-out). */
export function voxelToWorld(g: VolumeGeometry, voxel: readonly number[]): [number, number, number] {
  const w: [number, number, number] = [g.origin[0], g.origin[1], g.origin[2]];
  for (let a = 0; a < 3; a++) {
    for (let r = 0; r < 3; r++) w[r] += g.direction[a][r] * g.spacing[a] * voxel[a];
  }
  return w;
}
