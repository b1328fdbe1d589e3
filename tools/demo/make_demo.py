"""Derive the SegLens demo images, masks and labels file from colin27 (ch2) and the AAL atlas.

Usage (from the repository root; needs numpy, nibabel and PIL, e.g. Debian's /usr/bin/python3):

    /usr/bin/python3 tools/demo/make_demo.py --data DIR

DIR holds ch2.nii.gz and aal.nii.gz (colin27 and the AAL atlas, e.g. Debian's mricron-data templates).

Writes demo/images/slice_ZZZ.png (8-bit grey T1), demo/masks/slice_ZZZ.png (palette PNG, pixel value = class
index, 0 = background), demo/labels.json and demo/NOTICE. ZZZ is the NIfTI axial index. The output is
deterministic, so re-running it leaves git clean.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil

import numpy as np
from PIL import Image

from volume import CLASSES, DATA_HELP, DEMO_SLICES, REPO, axial, load_volumes

DEMO = os.path.join(REPO, "demo")


def hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def mask_palette() -> list[int]:
    # Index 0 is black so the background stays invisible in ordinary viewers; unused entries are grey.
    palette = [0, 0, 0]
    for _name, _labels, color in CLASSES:
        palette.extend(hex_rgb(color))
    palette.extend([128, 128, 128] * (256 - 1 - len(CLASSES)))
    return palette


def write_notice(data_dir: str) -> None:
    copyright_text = open(os.path.join(data_dir, "COPYRIGHT.debian"), encoding="utf-8").read()
    # Keep Debian's BSD-3-clause paragraph verbatim: the license requires the notice to travel with derived data.
    start = copyright_text.index("License: BSD-3-clause\n  Redistribution")
    license_text = copyright_text[start:].rstrip() + "\n"
    with open(os.path.join(DEMO, "NOTICE"), "w", encoding="utf-8") as out:
        out.write(
            "The images and masks in demo/images and demo/masks are derived (axial slices, intensity window,\n"
            "AAL labels grouped into classes) from the colin27 T1 template ch2.nii.gz and the AAL atlas aal.nii.gz\n"
            "as shipped in Debian's package mricron-data (1.2.20211006+dfsg-4), /usr/share/mricron/templates/.\n"
            "Debian's copyright file covers these files as follows:\n\n"
            "Files: *\nCopyright: Copyright 2006-2010, Chris Rorden\nLicense: BSD-3-clause\n\n"
            + license_text
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help=DATA_HELP)
    args = parser.parse_args()

    t1, labels = load_volumes(args.data)
    for sub in ("images", "masks"):
        shutil.rmtree(os.path.join(DEMO, sub), ignore_errors=True)
        os.makedirs(os.path.join(DEMO, sub))

    palette = mask_palette()
    for z in DEMO_SLICES:
        stem = f"slice_{z:03d}"
        Image.fromarray(axial(t1, z), mode="L").save(os.path.join(DEMO, "images", stem + ".png"), optimize=True)
        mask = Image.fromarray(axial(labels, z), mode="P")
        mask.putpalette(palette)
        mask.save(os.path.join(DEMO, "masks", stem + ".png"), optimize=True)
        counts = np.bincount(axial(labels, z).ravel(), minlength=len(CLASSES) + 1)
        print(stem, axial(t1, z).shape, "pixels per class:", counts.tolist())

    classes = [{"index": 0, "name": "background"}]
    for index, (name, _labels, color) in enumerate(CLASSES, start=1):
        classes.append({"index": index, "name": name, "color": color})
    with open(os.path.join(DEMO, "labels.json"), "w", encoding="utf-8") as out:
        json.dump({"classes": classes}, out, indent=2)
        out.write("\n")
    write_notice(args.data)


if __name__ == "__main__":
    main()
