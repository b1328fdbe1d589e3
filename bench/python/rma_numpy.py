"""NumPy float64 RMA selection (RankDice, smooth 0): the baseline of bench/decoders.bench.ts.

Reads a float32 .npy map [H, W], sorts it, evaluates the RMA objective 2·S_τ/(μ+τ+1) for every τ and builds the
top-k mask, as the rankseg package's rankseg_rma does (here in float64, on the CPU). Prints the median wall time
in milliseconds of `repeats` runs and the chosen k as JSON.
"""
import json
import sys
import time

import numpy as np


def rma_select(p):
    flat = p.reshape(-1).astype(np.float64)
    order = np.argsort(-flat, kind="stable")
    s = np.cumsum(flat[order])
    mu = s[-1]
    tau = np.arange(1, flat.size + 1, dtype=np.float64)
    k = int(np.argmax(2.0 * s / (mu + tau + 1.0))) + 1
    mask = np.zeros(flat.size, dtype=np.uint8)
    mask[order[:k]] = 1
    return k, mask.reshape(p.shape)


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    p = np.load(path)
    rma_select(p)
    times = []
    k = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        k, _ = rma_select(p)
        times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    print(json.dumps({"ms": times[len(times) // 2], "k": k}))


if __name__ == "__main__":
    main()
