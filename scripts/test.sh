#!/usr/bin/env bash
#===- test.sh - set up, build, run the whole test suite --------------------===#
#
# The README's "test" command and the only thing .ci/run calls: setup (install
# what is missing, build), then every test under ctest (lit suite, unit tests,
# the generated-docs check).
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

start=$(date +%s)
bash scripts/setup.sh
built=$(date +%s)
echo "test: setup and build took $((built - start)) s"

cd "$BUILD_DIR"
ctest --output-on-failure -j "${JOBS:-$(nproc)}"
echo "test: total $(( $(date +%s) - start )) s"
