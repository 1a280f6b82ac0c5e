#!/usr/bin/env bash
#===- demo.sh - the whole flow on the bundled ONNX model -------------------===#
#
# The README's "run" command. Installs what is missing and builds (a no-op on
# a built tree), then takes examples/small_cnn.onnx (a small CNN written by
# examples/gen_small_cnn.py) through the whole flow: import, energy report,
# compile in fp32, pruned and int8 (when this build's green-opt has
# --green-quantize), run each, and print one table comparing measured time
# and estimated energy. About 30 s once built.
#
# Writes the library, the report and its plot to $DEMO_DIR (default
# build/demo). Environment: BUILD_DIR (default build), DEMO_DIR, SKIP_SETUP=1
# to skip setup.sh.
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
[ "${SKIP_SETUP:-0}" = 1 ] || bash scripts/setup.sh >/dev/null
OPT="$BUILD_DIR/bin/green-opt"
IMPORT="$BUILD_DIR/bin/green-import-onnx"
MODEL=examples/small_cnn.onnx
OUT=${DEMO_DIR:-$BUILD_DIR/demo}
mkdir -p "$OUT"
export PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}"
export GREEN_OPT_BUILD_DIR="$PWD/$BUILD_DIR"
PY=/usr/bin/python3

section() { printf '\n== %s\n' "$1"; }

section "green-opt"
"$OPT" --version | sed -n '/green-opt/p;/LLVM version/p'

section "1. Import $MODEL with green-import-onnx (ONNX node names become locations)"
"$IMPORT" "$MODEL" --mlir-print-debuginfo -o "$OUT/model.mlir"
"$OPT" "$OUT/model.mlir" --pass-pipeline="builtin.module(print-op-stats)" \
  -o /dev/null 2>&1 |
  sed -n 's/^ *\(tosa\.[a-z_0-9]*\|math\.[a-z]*\) *, *\([0-9]*\)$/\1 x\2/p' |
  paste -sd' ' | fold -s -w 90 | sed 's/^/  /'

section "2. Compile with the green CLI (fp32, host), energy report as JSON and a plot"
$PY -m green compile "$MODEL" --target host -o "$OUT/model.so" \
  --report "$OUT/report.json"
$PY -m green report "$OUT/report.json" --top 3 --plot "$OUT/energy.png"

section "3. fp32 / pruned / int8: compile, run, compare (host, 1 thread)"
$PY - "$MODEL" <<'PY'
import sys, time
import numpy as np
import green

model = sys.argv[1]
x = np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype(np.float32)

def measure(fn, runs=200):
    fn(x)
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn(x)
        samples.append(time.perf_counter() - t)
    return float(np.median(samples))

variants = [("fp32", {}), ("pruned 30%", {"prune": 0.3}),
            ("int8", {"quantize": "int8"})]
rows = []
for name, opts in variants:
    if "quantize" in opts and not green.has_pass("green-quantize"):
        print("  int8: not available in this build (green-opt has no "
              "--green-quantize pass)")
        continue
    t0 = time.perf_counter()
    m = green.compile(model, target="host", threads=1, **opts)
    compile_s = time.perf_counter() - t0
    y = m(x)
    totals = m.report(threads=1)["totals"]
    rows.append((name, compile_s, measure(m), totals, y))

ref = rows[0][4]
base_t, base_e = rows[0][2], rows[0][3]["energy_per_inference_j"]
print(f"  {'variant':<12}{'compile':>9}{'measured':>12}{'x fp32':>8}"
      f"{'est. energy':>13}{'x fp32':>8}{'params':>8}{'MFLOP':>8}"
      f"{'max|dy|':>10}{'top-1':>7}")
for name, compile_s, t, totals, y in rows:
    e = totals["energy_per_inference_j"]
    print(f"  {name:<12}{compile_s:>8.1f}s{t * 1e6:>9.1f} us{t / base_t:>8.2f}"
          f"{e * 1e6:>10.2f} uJ{e / base_e:>8.2f}{totals['parameters']:>8}"
          f"{totals['flops'] / 1e6:>8.2f}{np.abs(y - ref).max():>10.2e}"
          f"{'same' if y.argmax() == ref.argmax() else 'diff':>7}")
print("  measured: median of 200 calls; est. energy: green's cost model "
      "(--green-energy-report, 1 thread)")
PY
echo
echo "files: $OUT/{model.mlir,model.so,report.json,energy.png}"
