#!/usr/bin/env bash
#===- update-docs.sh - refresh docs/generated from the build ---------------===#
#
# Dialect, pass and interface reference pages are generated from ODS at build
# time; the copies committed under docs/generated must match them (the
# docs-in-sync test). Run this after changing a .td file, then commit.
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ninja -C "$BUILD_DIR" green-docs
rm -rf docs/generated
cp -r "$BUILD_DIR/docs/generated" docs/generated
git status --short docs/generated
