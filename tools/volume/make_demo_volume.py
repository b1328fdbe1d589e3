#!/usr/bin/env python3
"""The demo volume (demo/volume/): a cropped colin27 T1, its grouped AAL labels and the BCE demo U-Net's probability
volume, small enough to commit.

Usage (from the repository root; needs nibabel, numpy, PIL and node with the repo's npm packages):

    /usr/bin/python3 tools/volume/make_demo_volume.py --data DIR

DIR holds ch2.nii.gz and aal.nii.gz (e.g. the templates folder of Debian's mricron-data package). The classes, the
intensity window and the axial slice orientation are those of the 2-D demo (tools/demo/volume.py); the model is
demo/models/unet_bce.onnx, run slice by slice on every axial slice of the crop exactly as tools/demo/export_probs.py
runs it on the demo slices (the 2-D model saw whole axial slices, so each slice is run whole and cropped after).

Writes, on the crop's grid (1 mm, RAS, origin moved to the crop's first voxel):
  t1.nii.gz                 the T1 as stored in ch2.nii.gz (uint8)
  labels.nii.gz             grouped AAL classes 0-5 (uint8)
  prob_unet_bce.nii.gz      [x, y, z, 5] sigmoid probabilities per class, stored as uint8 with scl_slope 1/255
                            (quantised to 1/255: the file stays small; SegLens applies the slope to probabilities)
  labels.json               class names and colours
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "demo"))
from export_probs import preprocess, run_model, sigmoid  # noqa: E402
from volume import CLASSES, DATA_HELP, REPO, axial, load_volumes  # noqa: E402

OUT = os.path.join(REPO, "demo", "volume")
MODEL = os.path.join(REPO, "demo", "models", "unet_bce.onnx")
MARGIN = 6  # voxels around the labelled structures


def unaxial(slice2d: np.ndarray) -> np.ndarray:
    """Inverse of volume.axial for one slice: [rows A->P, columns R->L] back to [x, y]."""
    return slice2d.T[::-1, ::-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help=DATA_HELP)
    args = parser.parse_args()
    t1_img = nib.load(os.path.join(args.data, "ch2.nii.gz"))
    windowed, labels = load_volumes(args.data)
    t1 = np.asarray(t1_img.dataobj)

    idx = np.argwhere(labels > 0)
    lo = np.maximum(idx.min(axis=0) - MARGIN, 0)
    hi = np.minimum(idx.max(axis=0) + MARGIN + 1, labels.shape)
    crop = tuple(slice(a, b) for a, b in zip(lo, hi))
    affine = t1_img.affine.copy()
    affine[:3, 3] = affine[:3, :3] @ lo + affine[:3, 3]

    with open(MODEL + ".seglens.json", encoding="utf-8") as f:
        config = json.load(f)
    zs = list(range(lo[2], hi[2]))
    inputs = [preprocess(axial(windowed, z), config) for z in zs]
    with tempfile.TemporaryDirectory() as tmp:
        outputs = run_model(MODEL, inputs, tmp)
    c = len(CLASSES)
    prob = np.zeros(labels.shape + (c,), np.float32)
    h, w = axial(windowed, zs[0]).shape
    for z, logits in zip(zs, outputs):
        p = sigmoid(logits[0, :, :h, :w])  # [C, rows, cols]
        for k in range(c):
            prob[:, :, z, k] = unaxial(p[k])

    os.makedirs(OUT, exist_ok=True)

    def save(data: np.ndarray, name: str, slope: float | None = None) -> None:
        img = nib.Nifti1Image(np.ascontiguousarray(data), affine, dtype=data.dtype)
        img.set_qform(affine, code=1)
        img.set_sform(affine, code=1)
        if slope is not None:
            img.header.set_slope_inter(slope, 0.0)
        nib.save(img, os.path.join(OUT, name))

    save(t1[crop].astype(np.uint8), "t1.nii.gz")
    save(labels[crop].astype(np.uint8), "labels.nii.gz")
    save(np.rint(prob[crop] * 255).astype(np.uint8), "prob_unet_bce.nii.gz", slope=1 / 255)
    with open(os.path.join(OUT, "labels.json"), "w", encoding="utf-8") as f:
        classes = [{"index": 0, "name": "background"}]
        classes += [{"index": i, "name": n, "color": col} for i, (n, _l, col) in enumerate(CLASSES, start=1)]
        json.dump({"classes": classes}, f, indent=2)
        f.write("\n")
    print(f"crop {tuple(int(x) for x in lo)}..{tuple(int(x) for x in hi)} of {labels.shape}; wrote {OUT}")


if __name__ == "__main__":
    main()
