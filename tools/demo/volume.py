"""Shared loading of the colin27 T1 volume and the AAL atlas for the SegLens demo.

Both make_demo.py (the demo PNGs) and train_unets.py (the seed-story models) import this module, so the
orientation, the intensity window and the grouping of AAL labels into classes are defined exactly once.
"""

from __future__ import annotations

import os

import nibabel as nib
import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The source volumes are not in the repository: every script takes their folder as a required --data argument.
DATA_HELP = (
    "folder holding ch2.nii.gz (the colin27 T1) and aal.nii.gz (the AAL atlas), e.g. the templates folder of "
    "Debian's mricron-data package (/usr/share/mricron/templates)"
)

# The demo slices: 12 axial slices (NIfTI z index) through the deep grey matter, 4 mm apart, from the
# amygdala at the bottom to the body of the caudate at the top. The models never train on these slices.
DEMO_SLICES = tuple(range(48, 93, 4))

# Foreground classes in index order (index = position + 1; 0 is background). Left and right are merged and each
# class lists its AAL label numbers (see aal.nii.txt). They are small objects on purpose: that is where a
# per-pixel Dice and a 0.5 threshold go wrong.
CLASSES = (
    ("caudate", (71, 72), "#4363d8"),
    ("putamen", (73, 74), "#f58231"),
    ("pallidum", (75, 76), "#3cb44b"),
    ("thalamus", (77, 78), "#ffe119"),
    ("hippocampus+amygdala", (37, 38, 41, 42), "#f032e6"),
)


def load_volumes(data_dir: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (t1, labels): the T1 volume windowed to uint8 and the grouped class-index volume, both [x, y, z]."""
    t1_img = nib.load(os.path.join(data_dir, "ch2.nii.gz"))
    aal_img = nib.load(os.path.join(data_dir, "aal.nii.gz"))
    # The code below assumes the RAS+ voxel order of these files; fail loudly if a different copy is used.
    for img in (t1_img, aal_img):
        if nib.aff2axcodes(img.affine) != ("R", "A", "S"):
            raise ValueError(f"expected RAS voxel order, got {nib.aff2axcodes(img.affine)}")
    t1 = np.asarray(t1_img.dataobj).astype(np.float64)
    aal = np.asarray(aal_img.dataobj).astype(np.int32)
    if t1.shape != aal.shape:
        raise ValueError(f"T1 {t1.shape} and AAL {aal.shape} are not on the same grid")

    # One global window for every slice, so intensities are comparable across the demo images: black stays
    # black and the brightest 0.5 % of head voxels (fat, vessels) saturate, which brightens grey/white contrast.
    hi = float(np.percentile(t1[t1 > 0], 99.5))
    windowed = np.clip(np.rint(t1 * (255.0 / hi)), 0, 255).astype(np.uint8)

    grouped = np.zeros(aal.shape, dtype=np.uint8)
    for index, (_name, labels, _color) in enumerate(CLASSES, start=1):
        grouped[np.isin(aal, labels)] = index
    return windowed, grouped


def axial(volume: np.ndarray, z: int) -> np.ndarray:
    """Axial slice z as a 2-D image in radiological convention.

    Rows run from anterior (top) to posterior, columns from the subject's right (image left) to the subject's
    left, which is how radiologists look at axial slices. In RAS+ voxel order the x index grows towards the
    subject's right and the y index towards anterior, so both axes are reversed and then transposed.
    """
    return np.ascontiguousarray(volume[::-1, ::-1, z].T)
