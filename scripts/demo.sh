#!/usr/bin/env bash
#===- demo.sh - set up, build, and show green-opt on the bundled model -----===#
#
# The README's "run" command. Installs what is missing, builds, then compiles
# examples/mlp.mlir (a TOSA MLP, as torch-mlir emits it) and prints what the
# compiler did at each step.
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bash scripts/setup.sh >/dev/null
OPT="$BUILD_DIR/bin/green-opt"
MODEL=examples/mlp.mlir
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

section() { printf '\n== %s\n' "$1"; }

section "green-opt"
"$OPT" --version | sed -n '/green-opt/p;/LLVM version/p'

section "Input model: $MODEL (TOSA)"
"$OPT" "$MODEL" --pass-pipeline="builtin.module(print-op-stats)" -o /dev/null 2>&1 |
  sed -n '/tosa\./p'

section "Target: attach #green.target<\"host\"> (the CPU this runs on)"
"$OPT" "$MODEL" --green-attach-target="target=host overwrite=true" -o "$OUT/targeted.mlir"
grep -o 'green.target = #green.target<"[^"]*">' "$OUT/targeted.mlir"

section "Lower TOSA to linalg on tensors (timed)"
"$OPT" "$OUT/targeted.mlir" \
  --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor),canonicalize,print-op-stats)" \
  --mlir-timing -o "$OUT/linalg.mlir" 2>&1 | sed -n '/linalg\./p;/Total Execution Time/p'
echo "wrote $(wc -l <"$OUT/linalg.mlir") lines of linalg IR"
