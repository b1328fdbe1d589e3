"""Run the exported demo models on the 12 demo images and save their probability maps.

Usage (from the repository root, after train_unets.py; needs numpy, PIL and node with the repo's npm packages):

    /usr/bin/python3 tools/demo/export_probs.py

For every demo/models/<name>.onnx this writes demo/probs/<name>/slice_ZZZ.npy (float32 [C, H, W], sigmoid
probabilities at the image's own size). Pre- and post-processing are plain numpy and follow the sidecar config
<name>.onnx.seglens.json literally, so these files are exactly what SegLens' model runner must reproduce:

  1. the 8-bit grey image is zero-padded bottom/right (pixel value 0, before normalisation) to a multiple of
     `multipleOf`;
  2. every pixel becomes (pixel * scale - mean[0]) / std[0], as float32, shaped [1, 1, Hp, Wp] (NCHW, GRAY);
  3. onnxruntime-node runs the model (tools/demo/ort_run.mjs): no torch involved;
  4. the logits [1, C, Hp, Wp] are cropped back to [C, H, W] and passed through the sigmoid.

It also writes one reference input/output pair of the raw session.run (tools/demo/reference/) for the runner's tests.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image

from volume import REPO

DEMO = os.path.join(REPO, "demo")
REFERENCE = os.path.join(REPO, "tools", "demo", "reference")
REFERENCE_MODEL = "unet_bce"
REFERENCE_STEM = "slice_072"


def preprocess(pixels: np.ndarray, config: dict) -> np.ndarray:
    # Only the settings the demo models use are implemented; anything else is a mistake in the config.
    expected = {"layout": "NCHW", "size": "dynamic", "resize": "pad", "colorOrder": "GRAY"}
    for key, value in expected.items():
        if config[key] != value:
            raise ValueError(f"config {key}={config[key]!r}, this script only handles {value!r}")
    multiple = config["multipleOf"]
    h, w = pixels.shape
    padded = np.zeros((h + (-h % multiple), w + (-w % multiple)), dtype=np.float64)
    padded[:h, :w] = pixels
    x = (padded * config["scale"] - config["mean"][0]) / config["std"][0]
    return x.astype(np.float32)[None, None]


def sigmoid(x: np.ndarray) -> np.ndarray:
    # Evaluated in float64 where exp cannot overflow for float32 logits, then stored as float32.
    x = x.astype(np.float64)
    return (1.0 / (1.0 + np.exp(-x))).astype(np.float32)


def run_model(model_path: str, inputs: list[np.ndarray], tmp: str) -> list[np.ndarray]:
    args = ["node", os.path.join(REPO, "tools", "demo", "ort_run.mjs"), model_path]
    for i, x in enumerate(inputs):
        np.save(os.path.join(tmp, f"in_{i}.npy"), x)
        args += [os.path.join(tmp, f"in_{i}.npy"), os.path.join(tmp, f"out_{i}.npy")]
    subprocess.run(args, check=True, cwd=REPO)
    return [np.load(os.path.join(tmp, f"out_{i}.npy")) for i in range(len(inputs))]


def main() -> None:
    image_paths = sorted(glob.glob(os.path.join(DEMO, "images", "*.png")))
    models = sorted(glob.glob(os.path.join(DEMO, "models", "*.onnx")))
    if not models:
        raise SystemExit("no demo/models/*.onnx: run tools/demo/train_unets.py first")
    for model_path in models:
        name = os.path.basename(model_path)[: -len(".onnx")]
        with open(model_path + ".seglens.json", encoding="utf-8") as f:
            config = json.load(f)
        images = [np.asarray(Image.open(p)) for p in image_paths]
        for path, pixels in zip(image_paths, images):
            if pixels.dtype != np.uint8 or pixels.ndim != 2:
                raise ValueError(f"{path}: expected an 8-bit grey image, got {pixels.dtype} {pixels.shape}")
        inputs = [preprocess(pixels, config) for pixels in images]
        with tempfile.TemporaryDirectory() as tmp:
            outputs = run_model(model_path, inputs, tmp)
        out_dir = os.path.join(DEMO, "probs", name)
        os.makedirs(out_dir, exist_ok=True)
        for path, pixels, x, logits in zip(image_paths, images, inputs, outputs):
            stem = os.path.splitext(os.path.basename(path))[0]
            h, w = pixels.shape
            if logits.shape != (1, len(config["classes"])) + x.shape[2:]:
                raise ValueError(f"{name} on {stem}: unexpected output shape {logits.shape}")
            probs = sigmoid(logits[0, :, :h, :w])
            np.save(os.path.join(out_dir, stem + ".npy"), np.ascontiguousarray(probs))
            if name == REFERENCE_MODEL and stem == REFERENCE_STEM:
                os.makedirs(REFERENCE, exist_ok=True)
                np.save(os.path.join(REFERENCE, f"{name}_{stem}.input.npy"), x)
                np.save(os.path.join(REFERENCE, f"{name}_{stem}.logits.npy"), logits)
        print(f"{name}: wrote {len(images)} probability maps to {os.path.relpath(out_dir, REPO)}")


if __name__ == "__main__":
    main()
