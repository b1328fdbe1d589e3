#!/usr/bin/env python3
"""Integration test of the Dask recipe: a LocalCluster of 2 workers runs 3 shards of `seglens eval`, and the merged
report equals the single-machine run in everything but "run".

Needs SEGLENS_CLI (the CLI command, e.g. "node /tmp/x/cli.js") and DATA_DIR (a folder with masks/ and probs/).
Exit 0 = pass, 1 = fail, 77 = skipped (dask.distributed not importable; the message says why).
"""

import json
import os
import shlex
import subprocess
import sys
import tempfile

try:
    from dask.distributed import Client, LocalCluster
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"SKIP: dask.distributed is not importable ({e}); install python3-distributed", file=sys.stderr)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seglens_dask import sharded_eval  # noqa: E402


def body(path):
    with open(path) as f:
        report = json.load(f)
    run = report.pop("run")
    return report, run


def main():
    seglens = shlex.split(os.environ["SEGLENS_CLI"])
    data = os.environ["DATA_DIR"]
    eval_args = ["--gt", "masks", "--probs", "probs", "--decoders", "threshold,rankdice", "--workers", "1"]
    tmp = tempfile.mkdtemp(prefix="seglens-dask-test-")
    single = os.path.join(tmp, "single.json")
    proc = subprocess.run([*seglens, "eval", *eval_args, "--json", "--out", single, "--no-progress"], cwd=data,
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        print(f"FAIL: single run exited {proc.returncode}: {proc.stderr}", file=sys.stderr)
        return 1
    merged = os.path.join(tmp, "merged.json")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        workers = len(client.scheduler_info()["workers"])
        code = sharded_eval(client, seglens, eval_args, 3, os.path.join(tmp, "parts"), merged, cwd=data)
    if code != proc.returncode:
        print(f"FAIL: merge exited {code}, the single run {proc.returncode}", file=sys.stderr)
        return 1
    a, run_a = body(single)
    b, run_b = body(merged)
    if json.dumps(a) != json.dumps(b):
        print("FAIL: merged report differs from the single-machine run", file=sys.stderr)
        return 1
    if run_b["command"] != "merge" or len(run_b["parts"]) != 3 or workers != 2:
        print(f"FAIL: unexpected merge run {run_b['command']} / {len(run_b['parts'])} parts / {workers} workers",
              file=sys.stderr)
        return 1
    print(json.dumps({"ok": True, "images": len(a["images"]), "workers": workers, "shards": 3}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
