"""Self-check of evaluate.py on hand-computed masks: /usr/bin/python3 tools/demo/test_evaluate.py

Two 4x6 slices, two classes. Every expected number below was counted by hand from the ASCII art.
"""

from __future__ import annotations

import math
import os
import tempfile

import numpy as np
from PIL import Image

from evaluate import evaluate


def grid(rows: list[str]) -> np.ndarray:
    return np.array([[int(ch) for ch in row] for row in rows], dtype=np.uint8)


# Ground truth (class index per pixel) and, per class, where the prediction is above 0.5.
GT_A = grid(["110000", "110000", "000220", "000220"])
GT_B = grid(["000000", "011000", "011000", "000000"])
PRED_A = {1: grid(["111000", "000000", "000000", "000000"]), 2: grid(["000000", "000000", "000220", "000220"]) // 2}
PRED_B = {1: grid(["000000", "011000", "011000", "000000"]), 2: grid(["000001", "000000", "000000", "000000"])}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        masks = os.path.join(tmp, "masks")
        probs = os.path.join(tmp, "probs")
        os.makedirs(masks)
        os.makedirs(probs)
        for stem, gt, pred in (("a", GT_A, PRED_A), ("b", GT_B, PRED_B)):
            Image.fromarray(gt, mode="L").save(os.path.join(masks, stem + ".png"))
            # 0.5 exactly must count as "not predicted": the threshold is p > 0.5.
            p = np.stack([np.where(pred[c] > 0, 0.9, 0.5) for c in (1, 2)]).astype(np.float32)
            np.save(os.path.join(probs, stem + ".npy"), p)
        result = evaluate(probs, ["one", "two"], masks)

    one, two = result["classes"]["one"], result["classes"]["two"]
    # Class 1: slice a, GT 4 px, pred 3 px, overlap 2 -> 4/7; slice b, perfect -> 1. Pooled: 2*(2+4)/(8+7).
    assert math.isclose(one["meanDice"], (4 / 7 + 1) / 2), one
    assert math.isclose(one["pooledDice"], 12 / 15), one
    assert (one["slicesWithClass"], one["falsePositiveSlices"]) == (2, 0), one
    # Class 2: only slice a has it (perfect); slice b predicts 1 px where class 2 is absent.
    assert math.isclose(two["meanDice"], 1.0), two
    assert math.isclose(two["pooledDice"], 8 / 9), two
    assert (two["slicesWithClass"], two["falsePositiveSlices"]) == (1, 1), two
    assert math.isclose(one["predictedFraction"], 7 / 48) and math.isclose(one["trueFraction"], 8 / 48)
    assert math.isclose(two["predictedFraction"], 5 / 48) and math.isclose(two["trueFraction"], 4 / 48)
    # Any class predicted: slice a 3 + 4, slice b 4 + 1 pixels; any class true: 8 + 4.
    assert math.isclose(result["predictedForegroundFraction"], 12 / 48), result
    assert math.isclose(result["trueForegroundFraction"], 12 / 48), result
    assert math.isclose(result["macroMeanDice"], ((4 / 7 + 1) / 2 + 1) / 2), result
    print("evaluate.py: all hand-computed checks passed")


if __name__ == "__main__":
    main()
