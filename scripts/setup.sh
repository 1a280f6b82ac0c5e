#!/usr/bin/env bash
#===- setup.sh - install what is missing, configure, build -----------------===#
#
# Idempotent: checks with `dpkg -s` which apt packages are missing and installs
# only those (running `apt-get update` only then), configures build/ once, and
# builds with Ninja. On a built tree it does (almost) nothing.
#
# Environment: BUILD_DIR (default: build), JOBS (default: nproc).
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}

# What the build and the test suite need. Keep in sync with docs/Testing.md.
PACKAGES=(
  cmake ninja-build ccache g++ python3
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libgtest-dev
  # Execution tests: compile generated LLVM IR, run it, compare with numpy.
  clang-22 libomp-22-dev python3-numpy
  # ONNX import and its tests.
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx
  # Models trained or exported with torch in tests and examples (digits data
  # set from scikit-learn, torchvision architectures), plots of reports.
  python3-torch python3-torchvision python3-sklearn python3-matplotlib
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing missing packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    "${launcher[@]}"
fi

ninja -C "$BUILD_DIR" -j "$JOBS"
