"""Score the demo probability maps against the demo masks, independently of SegLens' own metrics code.

Usage (from the repository root): /usr/bin/python3 tools/demo/evaluate.py [--json]

For each model folder demo/probs/<name>/ and each foreground class c, with the prediction "p_c > 0.5":
  * mean Dice over the slices whose ground truth contains c (slices where c is absent are skipped there and
    counted separately as false-positive slices when the model predicts c anyway);
  * pooled Dice: one ratio over all pixels of all 12 slices;
  * the fraction of pixels predicted as c, next to the fraction that truly is c.
Only numpy and PIL: this is the independent check of the numbers in demo/README.md.
"""

from __future__ import annotations

import argparse
import glob
import json
import os

import numpy as np
from PIL import Image

from volume import REPO

DEMO = os.path.join(REPO, "demo")


def dice(gt: np.ndarray, pred: np.ndarray) -> float:
    denominator = int(gt.sum()) + int(pred.sum())
    return 2.0 * int(np.logical_and(gt, pred).sum()) / denominator if denominator else float("nan")


def evaluate(model_dir: str, classes: list[str], masks_dir: str = os.path.join(DEMO, "masks")) -> dict:
    stems = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(masks_dir, "*.png")))
    per_class = {name: {"dice": [], "fpSlices": 0, "inter": 0, "gt": 0, "pred": 0} for name in classes}
    pixels = 0
    any_pred = 0
    any_gt = 0
    for stem in stems:
        labels = np.asarray(Image.open(os.path.join(masks_dir, stem + ".png")))
        probs = np.load(os.path.join(model_dir, stem + ".npy"))
        if probs.shape != (len(classes),) + labels.shape:
            raise ValueError(f"{model_dir}/{stem}.npy has shape {probs.shape}, expected {(len(classes),) + labels.shape}")
        predicted = probs > 0.5
        pixels += labels.size
        any_pred += int(predicted.any(axis=0).sum())
        any_gt += int((labels > 0).sum())
        for c, name in enumerate(classes):
            gt = labels == c + 1
            pred = predicted[c]
            stats = per_class[name]
            if gt.any():
                stats["dice"].append(dice(gt, pred))
            elif pred.any():
                stats["fpSlices"] += 1
            stats["inter"] += int(np.logical_and(gt, pred).sum())
            stats["gt"] += int(gt.sum())
            stats["pred"] += int(pred.sum())
    result = {"slices": len(stems), "classes": {}}
    for name, stats in per_class.items():
        result["classes"][name] = {
            "meanDice": float(np.mean(stats["dice"])) if stats["dice"] else float("nan"),
            "slicesWithClass": len(stats["dice"]),
            "falsePositiveSlices": stats["fpSlices"],
            "pooledDice": 2.0 * stats["inter"] / (stats["gt"] + stats["pred"]) if stats["gt"] + stats["pred"] else float("nan"),
            "predictedFraction": stats["pred"] / pixels,
            "trueFraction": stats["gt"] / pixels,
        }
    result["macroMeanDice"] = float(np.mean([v["meanDice"] for v in result["classes"].values()]))
    result["predictedForegroundFraction"] = any_pred / pixels
    result["trueForegroundFraction"] = any_gt / pixels
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    with open(os.path.join(DEMO, "labels.json"), encoding="utf-8") as f:
        classes = [c["name"] for c in json.load(f)["classes"] if c["index"] > 0]
    results = {}
    for model_dir in sorted(glob.glob(os.path.join(DEMO, "probs", "*"))):
        results[os.path.basename(model_dir)] = evaluate(model_dir, classes)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, result in results.items():
        print(f"{name} ({result['slices']} slices, threshold p > 0.5)")
        print(f"  {'class':22} {'mean Dice':>9} {'slices':>6} {'FP slices':>9} {'pooled':>7} {'pred %':>7} {'true %':>7}")
        for cls, v in result["classes"].items():
            print(
                f"  {cls:22} {v['meanDice']:9.3f} {v['slicesWithClass']:6d} {v['falsePositiveSlices']:9d} "
                f"{v['pooledDice']:7.3f} {100 * v['predictedFraction']:7.3f} {100 * v['trueFraction']:7.3f}"
            )
        print(
            f"  macro mean Dice {result['macroMeanDice']:.3f}; predicted foreground "
            f"{100 * result['predictedForegroundFraction']:.2f} % of pixels (true {100 * result['trueForegroundFraction']:.2f} %)"
        )


if __name__ == "__main__":
    main()
