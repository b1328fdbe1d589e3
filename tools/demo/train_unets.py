"""Train the two seed-story U-Nets of the SegLens demo and export them to ONNX.

Usage (from the repository root; Debian's /usr/bin/python3 with torch 1.13 CPU, onnx, nibabel):

    /usr/bin/python3 tools/demo/train_unets.py --loss bce --data DIR
    /usr/bin/python3 tools/demo/train_unets.py --loss dice_axis_bug --data DIR

DIR holds ch2.nii.gz and aal.nii.gz (colin27 and the AAL atlas, e.g. Debian's mricron-data templates).

Run them one after the other (each uses one CPU thread for ~10 minutes). Each writes
demo/models/unet_<loss>.onnx and its sidecar config demo/models/unet_<loss>.onnx.seglens.json; then run
tools/demo/export_probs.py to compute the committed probability maps.

Both models have the same architecture (unet.py), the same initial weights, the same batches and the same
schedule; only the loss differs:
  bce            binary cross-entropy per class (sigmoid, multilabel), averaged over all pixels and classes;
  dice_axis_bug  the Dice loss of demo/losses/dice_keras.py ported to torch WITH ITS MISTAKE: the tensors are
                 permuted to NHWC and the sums run over the last axis only, so every pixel gets its own Dice
                 (smooth = 1) and the loss is one minus the mean of that per-pixel map.

The training data are axial slices of the same colin27 volume OTHER than the 12 demo slices; each demo slice's
immediate neighbours (z ± 1) are left out too, so that the demo images are not near-copies of training images.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F

from unet import UNet
from volume import CLASSES, DATA_HELP, DEMO_SLICES, REPO, axial, load_volumes

MODELS = os.path.join(REPO, "demo", "models")
MULTIPLE_OF = 16
SEED = 20260127
STEPS = 1500
BATCH = 8
CROP = 128  # training crops; a multiple of 8 because the U-Net pools three times
LEARNING_RATE = 3e-3
PRIOR = 0.01  # initial foreground probability of every class (the output bias starts at its logit)
Z_RANGE = range(30, 111)  # axial slices from below the amygdala to above the caudate body


def training_slices() -> list[int]:
    excluded = {z + d for z in DEMO_SLICES for d in (-1, 0, 1)}
    return [z for z in Z_RANGE if z not in excluded]


def pad_to_multiple(image: np.ndarray, multiple: int) -> np.ndarray:
    """Zero-pad a 2-D array bottom/right to a multiple of `multiple`: the same padding the runner's `pad` mode does."""
    h, w = image.shape
    return np.pad(image, ((0, -h % multiple), (0, -w % multiple)))


def load_training_data(data_dir: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Images in [0, 1] as [N, 1, H, W], multi-hot targets [N, C, H, W], and the pixel mean/std of the images."""
    t1, labels = load_volumes(data_dir)
    zs = training_slices()
    images = np.stack([pad_to_multiple(axial(t1, z), MULTIPLE_OF) for z in zs]).astype(np.float32) / 255.0
    index_maps = np.stack([pad_to_multiple(axial(labels, z), MULTIPLE_OF) for z in zs])
    targets = np.stack([index_maps == c for c in range(1, len(CLASSES) + 1)], axis=1).astype(np.float32)
    # Normalisation statistics over the real (unpadded) pixels of the training slices, rounded so that the
    # sidecar config holds short numbers and training uses exactly the numbers written there.
    real = np.stack([axial(t1, z) for z in zs]).astype(np.float64) / 255.0
    mean = round(float(real.mean()), 4)
    std = round(float(real.std()), 4)
    return images[:, None], targets, mean, std


def bce_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(logits, target)


def dice_axis_bug_loss(logits: torch.Tensor, target: torch.Tensor, smooth: float = 1.0) -> torch.Tensor:
    # A faithful port of dice_keras.py: Keras tensors are NHWC, so move the class axis last and then reduce
    # axis -1 exactly as the Keras code does. This is the mistake under study: one Dice per pixel.
    y_pred = torch.sigmoid(logits).permute(0, 2, 3, 1)
    y_true = target.permute(0, 2, 3, 1)
    intersection = torch.sum(y_true * y_pred, dim=-1)
    dice_coef = (2.0 * intersection + smooth) / (torch.sum(y_true, -1) + torch.sum(y_pred, -1) + smooth)
    # Keras averages the [B, H, W] loss map returned by dice_loss = 1 - dice_coef.
    return torch.mean(1 - dice_coef)


LOSSES = {"bce": bce_loss, "dice_axis_bug": dice_axis_bug_loss}


def slice_weights(targets: np.ndarray) -> np.ndarray:
    # Slices that show at least one structure are drawn four times as often as the others: most training
    # slices lie above or below the deep grey matter, and without this the small classes are rarely seen.
    weights = np.where(targets.any(axis=(1, 2, 3)), 4.0, 1.0)
    return weights / weights.sum()


def structure_centres(targets: np.ndarray) -> list[tuple[int, int] | None]:
    """Per slice, the centroid (row, column) of all labelled pixels, or None when the slice shows no structure."""
    centres: list[tuple[int, int] | None] = []
    for target in targets:
        rows, cols = np.nonzero(target.any(axis=0))
        centres.append((int(rows.mean()), int(cols.mean())) if rows.size else None)
    return centres


def crop_origin(rng: np.random.Generator, size: int, limit: int, centre: int | None) -> int:
    if centre is None:
        return int(rng.integers(limit - size + 1))
    # Any crop position that keeps the structures' centroid at least 16 pixels inside the crop: the crop then
    # shows the structures at a random place, so the network cannot rely on their absolute position.
    low = max(0, centre - size + 16)
    high = max(low, min(limit - size, centre - 16))
    return int(rng.integers(low, high + 1))


def sample_batch(
    rng: np.random.Generator,
    images: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    centres: list[tuple[int, int] | None],
    mean: float,
    std: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Weighted slice choice, crops around the structures (which also shift the anatomy), left-right flips and a
    small intensity change."""
    n, _, h, w = images.shape
    x = np.empty((BATCH, 1, CROP, CROP), dtype=np.float32)
    y = np.empty((BATCH, targets.shape[1], CROP, CROP), dtype=np.float32)
    for b in range(BATCH):
        i = rng.choice(n, p=weights)
        centre = centres[i]
        top = crop_origin(rng, CROP, h, None if centre is None else centre[0])
        left = crop_origin(rng, CROP, w, None if centre is None else centre[1])
        xi = images[i, :, top : top + CROP, left : left + CROP]
        yi = targets[i, :, top : top + CROP, left : left + CROP]
        # Left and right structures share a class, so a mirrored slice is still correctly labelled.
        if rng.random() < 0.5:
            xi, yi = xi[..., ::-1], yi[..., ::-1]
        gain = rng.uniform(0.9, 1.1)
        offset = rng.uniform(-0.05, 0.05)
        x[b] = (xi * gain + offset - mean) / std
        y[b] = yi
    return torch.from_numpy(x), torch.from_numpy(y)


def train(loss_name: str, data_dir: str, steps: int) -> tuple[UNet, float, float]:
    torch.set_num_threads(1)  # the machine's two cores are shared; one thread keeps the run reproducible too
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(SEED)
    images, targets, mean, std = load_training_data(data_dir)
    print(f"training slices: {len(images)} {training_slices()}; mean {mean} std {std}", flush=True)

    weights = slice_weights(targets)
    centres = structure_centres(targets)
    model = UNet(classes=len(CLASSES))
    # Start every class at a small foreground probability instead of 0.5 (the usual prior initialisation for
    # rare classes): without it the first few hundred steps only learn that most pixels are background.
    with torch.no_grad():
        model.head.bias.fill_(math.log(PRIOR / (1 - PRIOR)))
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    # Cosine decay to zero over the fixed number of steps: identical for both models.
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / steps)))
    loss_fn = LOSSES[loss_name]
    model.train()
    started = time.time()
    running = 0.0
    for step in range(1, steps + 1):
        x, y = sample_batch(rng, images, targets, weights, centres, mean, std)
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        schedule.step()
        running += loss.item()
        if step % 100 == 0:
            print(f"{loss_name} step {step}/{steps} loss {running / 100:.5f} {time.time() - started:.0f} s", flush=True)
            running = 0.0
    model.eval()
    return model, mean, std


def export(model: UNet, loss_name: str, mean: float, std: float, out_dir: str) -> str:
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"unet_{loss_name}.onnx")
    example = torch.zeros(1, 1, 224, 192)
    torch.onnx.export(
        model,
        example,
        path,
        opset_version=13,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {2: "height", 3: "width"}, "logits": {2: "height", 3: "width"}},
        do_constant_folding=True,
    )
    onnx.checker.check_model(onnx.load(path), full_check=True)
    config = {
        "input": "image",
        "output": "logits",
        "layout": "NCHW",
        "size": "dynamic",
        "multipleOf": MULTIPLE_OF,
        "resize": "pad",
        "colorOrder": "GRAY",
        "scale": 1 / 255,
        "mean": [mean],
        "std": [std],
        "activation": "sigmoid",
        "classes": [name for name, _labels, _color in CLASSES],
    }
    with open(path + ".seglens.json", "w", encoding="utf-8") as out:
        json.dump(config, out, indent=2)
        out.write("\n")
    return path


def check_against_onnxruntime(model: UNet, path: str, mean: float, std: float, data_dir: str) -> None:
    """The exported file must compute what the torch model computes, at a size other than the export example."""
    t1, _labels = load_volumes(data_dir)
    image = pad_to_multiple(axial(t1, training_slices()[20]), MULTIPLE_OF)[:, :176]  # 224 x 176
    x = ((image.astype(np.float32) / 255.0 - mean) / std)[None, None].astype(np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, "in.npy"), x)
        subprocess.run(
            ["node", os.path.join(REPO, "tools", "demo", "ort_run.mjs"), path, os.path.join(tmp, "in.npy"),
             os.path.join(tmp, "out.npy")],
            check=True,
        )
        actual = np.load(os.path.join(tmp, "out.npy"))
    diff = float(np.abs(actual - expected).max())
    print(f"onnxruntime vs torch on {x.shape}: max |diff| = {diff:.2e}", flush=True)
    if actual.shape != expected.shape or diff > 1e-3:
        sys.exit(f"exported model disagrees with torch: shape {actual.shape} vs {expected.shape}, diff {diff}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loss", choices=sorted(LOSSES), required=True)
    parser.add_argument("--data", required=True, help=DATA_HELP)
    parser.add_argument("--steps", type=int, default=STEPS, help="training steps (default %(default)s)")
    parser.add_argument("--out", default=MODELS, help="output folder (default demo/models)")
    args = parser.parse_args()
    model, mean, std = train(args.loss, args.data, args.steps)
    path = export(model, args.loss, mean, std, args.out)
    check_against_onnxruntime(model, path, mean, std, args.data)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
