#!/bin/sh
# Copies the public metric reference cases (shared/fixtures/metrics: cases.json, README.md and the PNG/NPY files)
# into test/fixtures/metrics, so the conformance test runs in a clone without ../shared. The cases are produced by
# the spec authors' Python reference implementation; regenerate them there, never edit the copies by hand.
# Usage (from the repository root): sh tools/metrics/copy_public_cases.sh [SHARED_DIR]
set -eu
SHARED="${1:-../shared}"
mkdir -p test/fixtures/metrics
cp -r "$SHARED/fixtures/metrics/." test/fixtures/metrics/
echo "copied $(ls test/fixtures/metrics | wc -l) entries from $SHARED/fixtures/metrics"
