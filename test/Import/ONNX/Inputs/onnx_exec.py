# ===- onnx_exec.py - import, compile and run ONNX models, compare ---------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Shared by the per-family execution scripts (exec_*.py): each model is
# saved, imported with green-import-onnx, compiled for the CPU with
# green.compile (target cpu-zen3: AVX2, runs on every machine the tests run
# on) and called; its outputs are compared with a reference computed by the
# script (PyTorch or straightforward numpy loops: Debian's onnx 1.12 has no
# reference evaluator). One line per model:
#   <name>: ok (max rel err 1.2e-07)       or     <name>: FAIL ...
# fp32 results must agree within 1e-4 relative error (relative to the
# largest reference magnitude, so values near zero do not dominate);
# integer results must be equal.
# ===-----------------------------------------------------------------------=== #
import os
import sys
import traceback

import numpy as np
import onnx

import green

TARGET = "cpu-zen3"


def check(outdir, name, model, inputs, expected, exact=False, rtol=1e-4):
    """Compiles `model`, runs it on `inputs` (list of arrays) and compares
    every output with `expected` (list of arrays). Prints one line."""
    path = os.path.join(outdir, name + ".onnx")
    onnx.save(model, path)
    try:
        compiled = green.compile(path, target=TARGET)
        outs = compiled(*inputs)
    except Exception as e:  # report, keep going with the other models
        print(f"{name}: FAIL ({type(e).__name__}: {str(e)[:2000]})")
        sys.stdout.flush()
        return False
    if not isinstance(outs, (list, tuple)):
        outs = [outs]
    worst = 0.0
    for i, (got, ref) in enumerate(zip(outs, expected)):
        got = np.asarray(got)
        ref = np.asarray(ref)
        if got.shape != ref.shape:
            print(f"{name}: FAIL output {i} shape {got.shape} != {ref.shape}")
            return False
        if exact or ref.dtype.kind in "iub":
            if got.dtype != ref.dtype or not np.array_equal(got, ref):
                bad = np.argwhere(got != ref)
                print(f"{name}: FAIL output {i}: {len(bad)} of {ref.size} "
                      f"elements differ, first at {bad[:1].tolist()}: "
                      f"{got[tuple(bad[0])] if len(bad) else ''} vs "
                      f"{ref[tuple(bad[0])] if len(bad) else ''} "
                      f"(dtypes {got.dtype}, {ref.dtype})")
                return False
            continue
        scale = max(float(np.max(np.abs(ref))), 1e-30)
        err = float(np.max(np.abs(got.astype(np.float64) - ref))) / scale
        worst = max(worst, err)
        if not err < rtol:
            print(f"{name}: FAIL output {i}: max rel err {err:.3g}")
            return False
    print(f"{name}: ok" + ("" if exact else f" (max rel err {worst:.2g})"))
    sys.stdout.flush()
    return True


def main(models, outdir):
    """Runs check() for every (name, builder) in `models`; a builder returns
    (model, inputs, expected[, exact])."""
    os.makedirs(outdir, exist_ok=True)
    failed = 0
    only = sys.argv[2:]
    for name, build in models:
        if only and name not in only:
            continue
        try:
            args = build()
        except Exception:
            print(f"{name}: FAIL (building the model)")
            traceback.print_exc()
            failed += 1
            continue
        if not check(outdir, name, *args):
            failed += 1
    print(f"{failed} failed")
    return 1 if failed else 0
