#!/bin/sh
# Copies the public metric reference cases (cases.json, README.md and the PNG/NPY files of the design data's
# fixtures/metrics folder) into test/fixtures/metrics, so the conformance test runs in a clone that has only the
# repository. The cases are produced by the spec authors' Python reference implementation
# (docs/specs/metrics.md §11); regenerate them there, never edit the copies by hand.
# Usage (from the repository root): sh tools/metrics/copy_public_cases.sh DATA_DIR
#   DATA_DIR is the read-only design-data folder whose fixtures/metrics/ holds the published cases.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: sh tools/metrics/copy_public_cases.sh DATA_DIR (the folder whose fixtures/metrics/ holds the cases)" >&2
  exit 2
fi
SHARED="$1"
mkdir -p test/fixtures/metrics
cp -r "$SHARED/fixtures/metrics/." test/fixtures/metrics/
echo "copied $(ls test/fixtures/metrics | wc -l) entries from $SHARED/fixtures/metrics"
