#!/usr/bin/env python3
"""Reference volumes for the NIfTI / NRRD / MetaImage readers and the 3-D metrics (test/fixtures/volume/).

Run with /usr/bin/python3 (numpy, scipy, nibabel): `python3 tools/volume/make_volume_fixtures.py`.

One 24 x 20 x 16 grid (i, j, k) with anisotropic voxels (0.8, 1.1, 2.5 mm) and an oblique, flipped orientation
is written in every format SegLens reads; the NIfTI files are written by nibabel (an independent writer), the NRRD
and MetaImage files by hand from their specifications (teem's NRRD format page, ITK's MetaIO), with the same grid
expressed in their LPS world. expected.json holds, computed here with NumPy/SciPy only:
  * the geometry (spacing, RAS direction columns, origin, nibabel's aff2axcodes);
  * per class, Dice, IoU, HD, HD95 and ASSD of pred against gt, with surfaces and distances as
    docs/specs/metrics.md §3 defines them (face-connected erosion with a background border,
    scipy.ndimage.distance_transform_edt with sampling = the voxel spacing in array order (k, j, i)).
Arrays here are C-order [k, j, i] (the core's order); nibabel's are [i, j, k], hence the transposes.
"""
import gzip
import json
import os
import struct
import zlib

import nibabel as nib
import numpy as np
from scipy import ndimage

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "test", "fixtures", "volume")

NI, NJ, NK = 24, 20, 16
SPACING = np.array([0.8, 1.1, 2.5])  # mm per file axis i, j, k


def rotation(axis, deg):
    a = np.deg2rad(deg)
    c, s = np.cos(a), np.sin(a)
    x, y, z = np.asarray(axis, float) / np.linalg.norm(axis)
    return np.array([
        [c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
        [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
        [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)],
    ])


# Direction columns (RAS): an oblique rotation, then axis i flipped (i runs right-to-left, an "L.." orientation).
DIRECTION = rotation([1, 2, 3], 25.0) @ np.diag([-1.0, 1.0, 1.0])
ORIGIN = np.array([31.5, -42.25, 17.0])
AFFINE = np.eye(4)
AFFINE[:3, :3] = DIRECTION * SPACING
AFFINE[:3, 3] = ORIGIN


def blobs():
    """GT and prediction label maps, C-order [k, j, i], classes 0 (background), 1, 2."""
    k, j, i = np.meshgrid(np.arange(NK), np.arange(NJ), np.arange(NI), indexing="ij")
    # Physical coordinates along the grid axes, so the shapes are round in millimetres.
    x, y, z = i * SPACING[0], j * SPACING[1], k * SPACING[2]
    gt = np.zeros((NK, NJ, NI), np.uint8)
    gt[((x - 8) / 5) ** 2 + ((y - 10) / 6) ** 2 + ((z - 18) / 12) ** 2 <= 1] = 1
    gt[(x >= 12) & (x <= 17) & (y >= 4) & (y <= 15) & (z >= 10) & (z <= 30)] = 2
    pred = np.zeros_like(gt)
    pred[((x - 10.1) / 5.5) ** 2 + ((y - 11.3) / 5.5) ** 2 + ((z - 13) / 11) ** 2 <= 1] = 1
    pred[(x >= 12.5) & (x <= 18) & (y >= 5) & (y <= 16) & (z >= 12) & (z <= 32)] = 2
    pred[2:4, 16:18, 20:22] = 2  # a small spurious object far from the GT box
    return gt, pred


def surface(mask):
    cross = ndimage.generate_binary_structure(mask.ndim, 1)
    return mask & ~ndimage.binary_erosion(mask, structure=cross, border_value=0)


def reference_metrics(gt, pred, spacing_kji):
    out = {}
    for c in (1, 2):
        g, p = gt == c, pred == c
        tp = int(np.sum(g & p))
        fp = int(np.sum(~g & p))
        fn = int(np.sum(g & ~p))
        sg, sp = surface(g), surface(p)
        d_gp = ndimage.distance_transform_edt(~sp, sampling=spacing_kji)[sg]
        d_pg = ndimage.distance_transform_edt(~sg, sampling=spacing_kji)[sp]
        out[str(c)] = {
            "tp": tp, "fp": fp, "fn": fn,
            "dice": 2 * tp / (2 * tp + fp + fn),
            "iou": tp / (tp + fp + fn),
            "hd": float(max(d_gp.max(), d_pg.max())),
            "hd95": float(max(np.percentile(d_gp, 95), np.percentile(d_pg, 95))),
            "assd": float((d_gp.sum() + d_pg.sum()) / (len(d_gp) + len(d_pg))),
        }
    return out


def to_nib(arr_kji):
    return np.ascontiguousarray(arr_kji.transpose(2, 1, 0))


def save_nifti(arr_kji, name, cls=nib.Nifti1Image, dtype=None, qform=True, sform=True, slope=None, inter=None):
    data = to_nib(arr_kji) if arr_kji.ndim == 3 else np.ascontiguousarray(arr_kji.transpose(3, 2, 1, 0))
    img = cls(data, AFFINE, dtype=dtype or data.dtype)
    img.set_qform(AFFINE if qform else None, code=1 if qform else 0)
    img.set_sform(AFFINE if sform else None, code=2 if sform else 0)
    if slope is not None:
        img.header.set_slope_inter(slope, inter)
    nib.save(img, os.path.join(OUT, name))


def lps_columns():
    """The grid in LPS world (NRRD left-posterior-superior, ITK): x and y negated."""
    flip = np.diag([-1.0, -1.0, 1.0])
    return flip @ DIRECTION * SPACING, flip @ ORIGIN


def vec(v):
    return "(" + ",".join(repr(float(x)) for x in v) + ")"


def save_nrrd(arr_kji, name, encoding, type_name):
    cols, origin = lps_columns()
    head = [
        "NRRD0004",
        "# written by tools/volume/make_volume_fixtures.py",
        f"type: {type_name}",
        "dimension: 3",
        "space: left-posterior-superior",
        f"sizes: {NI} {NJ} {NK}",
        "space directions: " + " ".join(vec(cols[:, a]) for a in range(3)),
        "kinds: domain domain domain",
        "endian: little",
        f"encoding: {encoding}",
        "space origin: " + vec(origin),
        "Segment0_LabelValue:=1",
    ]
    raw = np.ascontiguousarray(arr_kji).astype(arr_kji.dtype.newbyteorder("<")).tobytes()
    body = gzip.compress(raw, mtime=0) if encoding == "gzip" else raw
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(("\n".join(head) + "\n\n").encode("ascii") + body)


def metaimage_header(element_type, data_file, compressed, nbytes=None):
    cols, origin = lps_columns()
    direction = DIRECTION.copy()
    direction[:2, :] *= -1  # LPS
    lines = [
        "ObjectType = Image",
        "NDims = 3",
        "BinaryData = True",
        "BinaryDataByteOrderMSB = False",
        f"CompressedData = {'True' if compressed else 'False'}",
    ]
    if compressed:
        lines.append(f"CompressedDataSize = {nbytes}")
    lines += [
        # ITK writes the axis directions one after another (MetaImageIO: element [axis * N + component]).
        "TransformMatrix = " + " ".join(repr(float(direction[r, a])) for a in range(3) for r in range(3)),
        "Offset = " + " ".join(repr(float(x)) for x in origin),
        "CenterOfRotation = 0 0 0",
        "AnatomicalOrientation = RAI",
        "ElementSpacing = " + " ".join(repr(float(s)) for s in SPACING),
        f"DimSize = {NI} {NJ} {NK}",
        f"ElementType = {element_type}",
        f"ElementDataFile = {data_file}",
    ]
    return ("\n".join(lines) + "\n").encode("ascii")


def save_mha(arr_kji, name, element_type):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(metaimage_header(element_type, "LOCAL", False) + np.ascontiguousarray(arr_kji).tobytes())


def save_mhd_zraw(arr_kji, stem, element_type):
    body = zlib.compress(np.ascontiguousarray(arr_kji).tobytes())
    with open(os.path.join(OUT, stem + ".zraw"), "wb") as f:
        f.write(body)
    with open(os.path.join(OUT, stem + ".mhd"), "wb") as f:
        f.write(metaimage_header(element_type, stem + ".zraw", True, len(body)))


def main():
    os.makedirs(OUT, exist_ok=True)
    gt, pred = blobs()
    # A softmax probability volume whose argmax is pred: 0.8 on the predicted class, 0.1 on the other two.
    prob = np.full((3,) + gt.shape, 0.1, np.float32)
    for c in range(3):
        prob[c][pred == c] = 0.8
    rng = np.random.default_rng(16)
    image = (rng.normal(300, 40, gt.shape) + 200 * gt).round().astype(np.int16)

    save_nifti(gt, "gt.nii.gz")
    save_nifti(pred, "pred.nii.gz")
    save_nifti(pred, "pred_nifti2.nii", cls=nib.Nifti2Image)
    save_nifti(pred, "pred_qform.nii.gz", sform=False)
    save_nifti(prob, "prob.nii.gz")
    save_nifti(image, "image.nii.gz", slope=0.5, inter=-100.0)
    save_nrrd(gt, "gt.nrrd", "raw", "uint8")
    save_nrrd(pred.astype(np.int16), "pred.seg.nrrd", "gzip", "short")
    save_mha(gt, "gt.mha", "MET_UCHAR")
    save_mhd_zraw(pred.astype(np.uint16), "pred", "MET_USHORT")

    # Grids that differ from the reference in one property each (the geometry check must refuse them).
    global AFFINE
    base = AFFINE.copy()
    AFFINE = base.copy()
    AFFINE[:3, 2] *= 3.0 / 2.5
    save_nifti(pred, "pred_spacing.nii.gz")
    AFFINE = base.copy()
    AFFINE[:3, 3] += [0.0, 1.5, 0.0]
    save_nifti(pred, "pred_origin.nii.gz")
    AFFINE = base.copy()
    AFFINE[:3, :3] = rotation([0, 0, 1], 3.0) @ base[:3, :3]
    save_nifti(pred, "pred_direction.nii.gz")
    AFFINE = base

    # An nnU-Net case: raw data (imagesTr / labelsTr, channel suffix _0000) and a prediction folder holding the
    # segmentation NIfTI and the probabilities .npz, `probabilities` [C, z, y, x] = our C-order [C, k, j, i]
    # (nnU-Net reads with SimpleITK, whose arrays are [z, y, x]); its geometry is the matching NIfTI's.
    for sub in ("imagesTr", "labelsTr", "predictions"):
        os.makedirs(os.path.join(OUT, "nnunet", sub), exist_ok=True)
    save_nifti(image, "nnunet/imagesTr/case_001_0000.nii.gz")
    save_nifti(gt, "nnunet/labelsTr/case_001.nii.gz")
    save_nifti(pred, "nnunet/predictions/case_001.nii.gz")
    np.savez_compressed(os.path.join(OUT, "nnunet", "predictions", "case_001.npz"), probabilities=prob)

    spacing_kji = SPACING[::-1].tolist()
    expected = {
        "generator": "tools/volume/make_volume_fixtures.py",
        "dims": [NI, NJ, NK],
        "arrayShape": [NK, NJ, NI],
        "spacing": SPACING.tolist(),
        "arraySpacing": spacing_kji,
        "direction": [DIRECTION[:, a].tolist() for a in range(3)],
        "origin": ORIGIN.tolist(),
        "orientation": "".join(nib.aff2axcodes(AFFINE)),
        "imageScale": {"slope": 0.5, "inter": -100.0, "sum": float(np.sum(image.astype(np.float64) * 0.5 - 100.0))},
        "labelCounts": {str(c): int(np.sum(gt == c)) for c in range(3)},
        "metrics": reference_metrics(gt, pred, spacing_kji),
    }
    with open(os.path.join(OUT, "config3.json"), "w") as f:
        f.write('{"numClasses": 3}\n')
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
