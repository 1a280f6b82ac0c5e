#!/usr/bin/env python3
# ===- eltwise.py - element-wise and reduction points, one thread ------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# The unscheduled element-wise (TOSA tanh, mul, add, clamp) and row-sum
# points of bench/costmodel.py, compiled with green-lower-cpu{threads=1}
# by the given green-opt, checked against numpy (max rel err 1e-4) and
# timed (minimum single-call time over >= --calls calls and --min-time s).
# Meant for before/after comparisons of the CPU lowering of these ops:
#
#   /usr/bin/python3 bench/eltwise.py --green-opt build/bin/green-opt
# ===--------------------------------------------------------------------=== #

import argparse
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import costmodel  # noqa: E402
import harness  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--green-opt", default="build/bin/green-opt")
    p.add_argument("--calls", type=int, default=30)
    p.add_argument("--min-time", type=float, default=0.2)
    args = p.parse_args()
    rng = np.random.default_rng(0)
    workdir = tempfile.mkdtemp(prefix="green-eltwise-")
    print("| op | shape | measured s (min) | median/min |")
    print("| --- | --- | ---: | ---: |")
    for op, shape, (src, shapes, out_shape, ref) in costmodel.OTHERS:
        if op == "conv":
            continue
        name = "%s-%s" % (op, shape)
        fn, _ = harness.compile_module(
            args.green_opt, src, workdir, name,
            ["--green-lower-cpu=target=host threads=1 remarks=false"], "f",
            out_shape)
        inputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
        best, spread = costmodel.measure(fn, inputs, ref, args)
        print("| %s | %s | %.3e | %.0f%% |" % (op, shape, best, spread * 100),
              flush=True)
    print("load average: %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
