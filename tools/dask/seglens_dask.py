#!/usr/bin/env python3
"""Sharded `seglens eval` on a Dask distributed cluster, then `seglens merge`.

Each of N tasks runs `seglens eval ... --shard I/N --json --out PART` on a Dask worker (client.map over the shard
indices), the parts come back as file paths on a shared folder, and `seglens merge` joins them into the report of
one unsharded run (every number and row identical; only "run" differs). The heavy lifting stays in the seglens
CLI; Dask only schedules processes, so any Dask deployment works (LocalCluster, dask-jobqueue on SLURM/PBS,
dask-kubernetes, Coiled).

Usage:
  python3 tools/dask/seglens_dask.py --shards 8 [--scheduler tcp://host:8786 | --local-workers 2] \
      [--seglens "node dist/cli.js"] [--parts-dir DIR] --out report.json -- \
      --gt data/masks --probs data/probs/unet --decoders threshold,rankdice

Everything after "--" is passed to `seglens eval` unchanged (never --shard, --out or an output format: the recipe
sets those). Paths must be visible to every worker (a shared or network file system), as for any batch job.
Exit code: that of `seglens merge` (0, or 1 when some samples were skipped; 2 on a failed shard).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile


def run_shard(seglens: list[str], eval_args: list[str], index: int, count: int, parts_dir: str, cwd: str) -> dict:
    """One shard on a worker: the CLI's exit code 1 (skipped samples) is a result, not a failure."""
    out = os.path.join(parts_dir, f"part_{index:05d}_of_{count:05d}.json")
    cmd = [*seglens, "eval", *eval_args, "--shard", f"{index}/{count}", "--json", "--out", out, "--no-progress"]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return {"index": index, "part": out, "code": proc.returncode, "stderr": proc.stderr[-4000:]}


def sharded_eval(client, seglens: list[str], eval_args: list[str], shards: int, parts_dir: str, out: str,
                 cwd: str | None = None) -> int:
    """Runs the shards on the client's cluster and merges them into `out`; returns merge's exit code."""
    cwd = cwd or os.getcwd()
    os.makedirs(parts_dir, exist_ok=True)
    futures = client.map(run_shard, [seglens] * shards, [eval_args] * shards, range(1, shards + 1),
                         [shards] * shards, [parts_dir] * shards, [cwd] * shards, pure=False)
    results = client.gather(futures)
    failed = [r for r in results if r["code"] not in (0, 1)]
    for r in failed:
        sys.stderr.write(f"shard {r['index']}/{shards} failed (exit {r['code']}):\n{r['stderr']}\n")
    if failed:
        return 2
    parts = [r["part"] for r in sorted(results, key=lambda r: r["index"])]
    merge = subprocess.run([*seglens, "merge", *parts, "--json", "--out", out], cwd=cwd, capture_output=True, text=True)
    sys.stderr.write(merge.stderr)
    return merge.returncode


def main(argv: list[str]) -> int:
    if "--" in argv:
        split = argv.index("--")
        own, eval_args = argv[:split], argv[split + 1:]
    else:
        own, eval_args = argv, []
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shards", type=int, required=True, help="number of shards N (tasks)")
    p.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    p.add_argument("--local-workers", type=int, default=2, help="workers of the LocalCluster (default 2)")
    p.add_argument("--seglens", default="seglens", help='the CLI command, e.g. "node dist/cli.js" (default: seglens)')
    p.add_argument("--parts-dir", help="shared folder for the part files (default: a temporary folder)")
    p.add_argument("--out", required=True, help="the merged report (JSON)")
    a = p.parse_args(own)
    if a.shards < 1:
        p.error("--shards must be ≥ 1")
    for banned in ("--shard", "--out", "--json", "--csv", "--jsonl"):
        if banned in eval_args:
            p.error(f"{banned} is set by the recipe; leave it out of the eval arguments")
    from dask.distributed import Client, LocalCluster  # imported late so --help works without Dask

    seglens = shlex.split(a.seglens)
    parts_dir = a.parts_dir or tempfile.mkdtemp(prefix="seglens-parts-")
    os.makedirs(parts_dir, exist_ok=True)
    if a.scheduler:
        with Client(a.scheduler) as client:
            return sharded_eval(client, seglens, eval_args, a.shards, parts_dir, os.path.abspath(a.out))
    with LocalCluster(n_workers=a.local_workers, threads_per_worker=1, processes=True) as cluster, \
            Client(cluster) as client:
        return sharded_eval(client, seglens, eval_args, a.shards, parts_dir, os.path.abspath(a.out))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
