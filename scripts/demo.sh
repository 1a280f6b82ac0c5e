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

section "Energy report on the host target (estimated, per inference)"
"$OPT" "$MODEL" --green-energy-report="top=5" -o /dev/null

section "The same model on other targets"
for t in cpu-zen3 cpu-zen4 gpu-h100 tpu-like; do
  "$OPT" "$MODEL" --green-energy-report="target=$t format=json output=$OUT/$t.json" -o /dev/null
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
print(f"  {'target':<10}{'energy/inference':>18}{'latency':>12}{'GFLOP/s/W':>11}{'static share':>14}")
for t in ["cpu-zen3", "cpu-zen4", "gpu-h100", "tpu-like"]:
    r = json.load(open(f"{sys.argv[1]}/{t}.json"))["totals"]
    e = r["energy_per_inference_j"]
    print(f"  {t:<10}{e*1e6:>15.3f} uJ{r['latency_s']*1e6:>9.3f} us"
          f"{r['gflops_per_watt']:>11.2f}{100*r['components']['static_j']/e:>13.1f}%")
PY

section "Compile for this CPU and run it (random input): measured vs predicted"
"$BUILD_DIR/bin/green-run" "$MODEL" --runs 50 2>/dev/null | sed -n '/measured/,/prediction error/p'

section "Prune half of the hidden channels (--green-prune): estimated energy per inference"
"$OPT" "$MODEL" --green-prune="ratio=0.5" -o "$OUT/pruned.mlir" 2>/dev/null
for variant in "$MODEL" "$OUT/pruned.mlir"; do
  "$OPT" "$variant" --green-energy-report="format=json output=$OUT/r.json" -o /dev/null
  /usr/bin/python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['totals']; print(f\"  {sys.argv[2]:<8} {t['parameters']:>6} parameters {t['flops']:>7} flop {t['energy_per_inference_j']*1e6:8.3f} uJ\")" "$OUT/r.json" "$([ "$variant" = "$MODEL" ] && echo original || echo pruned)"
done

section "Lower TOSA to linalg on tensors (timed)"
"$OPT" "$OUT/targeted.mlir" \
  --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,tosa-to-tensor),canonicalize,print-op-stats)" \
  --mlir-timing -o "$OUT/linalg.mlir" 2>&1 | sed -n '/linalg\./p;/Total Execution Time/p'
echo "wrote $(wc -l <"$OUT/linalg.mlir") lines of linalg IR"
