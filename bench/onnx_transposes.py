# ===- onnx_transposes.py - transpose propagation on an NHWC ONNX graph ---=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Usage: /usr/bin/python3 bench/onnx_transposes.py [--blocks N] [--reps N]
# (build/ tools, PYTHONPATH=python). A converter-style NHWC graph (each NCHW
# Conv wrapped in Transpose nodes, bias add, Relu and a residual add in NHWC)
# is imported with and without green-import-onnx's transpose propagation,
# compiled for the host, run, and the two are compared in the same run:
# transposes left, estimated energy (green-opt --green-energy-report) and
# measured time (calls of the two alternate), printed as ratios.
# ===-----------------------------------------------------------------------=== #
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
import green  # noqa: E402
from green.tools import find_tool  # noqa: E402


def build_model(blocks, size, channels):
    rng = np.random.default_rng(0)
    nodes, inits = [], []
    cur = "x"
    for b in range(blocks):
        w = (rng.standard_normal((channels, channels, 3, 3)) * 0.05).astype(
            np.float32)
        bias = rng.standard_normal((1, channels, 1, 1)).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"w{b}"),
                  numpy_helper.from_array(bias, f"b{b}")]
        nodes += [
            helper.make_node("Transpose", [cur], [f"t{b}"], perm=[0, 3, 1, 2],
                             name=f"to_nchw{b}"),
            helper.make_node("Conv", [f"t{b}", f"w{b}"], [f"c{b}"],
                             pads=[1, 1, 1, 1], name=f"conv{b}"),
            helper.make_node("Add", [f"c{b}", f"b{b}"], [f"a{b}"],
                             name=f"bias{b}"),
            helper.make_node("Relu", [f"a{b}"], [f"r{b}"], name=f"relu{b}"),
            helper.make_node("Transpose", [f"r{b}"], [f"n{b}"],
                             perm=[0, 2, 3, 1], name=f"to_nhwc{b}"),
            helper.make_node("Add", [f"n{b}", cur], [f"y{b}"],
                             name=f"residual{b}"),
        ]
        cur = f"y{b}"
    nodes.append(helper.make_node("Identity", [cur], ["y"], name="out"))
    graph = helper.make_graph(
        nodes, "nhwc", [helper.make_tensor_value_info(
            "x", TensorProto.FLOAT, [1, size, size, channels])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blocks", type=int, default=4)
    ap.add_argument("--size", type=int, default=28)
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="green-bench-")
    path = os.path.join(tmp, "nhwc.onnx")
    onnx.save(build_model(args.blocks, args.size, args.channels), path)
    x = np.random.default_rng(1).standard_normal(
        (1, args.size, args.size, args.channels)).astype(np.float32)
    results = {}
    for label, flags in [("propagated", []),
                         ("kept", ["--no-transpose-propagation"])]:
        ir = subprocess.run([str(find_tool("green-import-onnx")), path,
                             "--mlir-print-debuginfo"] + flags,
                            check=True, capture_output=True,
                            text=True).stdout
        report = green.energy_report(ir, target="host")
        model = green.compile(ir, target="host")
        y = model(x)
        model(x)
        results[label] = [ir.count("tosa.transpose "), report, 0.0, y, model]
    # Alternate the two so that load changes and frequency ramps hit both.
    for _ in range(args.reps):
        for label in ("propagated", "kept"):
            t = time.perf_counter()
            results[label][4](x)
            results[label][2] += (time.perf_counter() - t) / args.reps
    (n0, r0, t0, y0, _), (n1, r1, t1, y1, _) = (results["propagated"],
                                                results["kept"])
    e0 = r0["totals"]["energy_j"]
    e1 = r1["totals"]["energy_j"]
    print(f"NHWC graph: {args.blocks} conv blocks, 1x{args.size}x{args.size}"
          f"x{args.channels}, {args.reps} runs")
    print(f"transposes: {n0} propagated vs {n1} kept")
    print(f"estimated energy: {e0 * 1e6:.1f} uJ vs {e1 * 1e6:.1f} uJ "
          f"(kept / propagated = {e1 / e0:.2f}x)")
    print(f"time: {t0 * 1e3:.3f} ms vs {t1 * 1e3:.3f} ms "
          f"(kept / propagated = {t1 / t0:.2f}x)")
    print(f"same result: {np.allclose(y0, y1, rtol=1e-5, atol=1e-5)}")


if __name__ == "__main__":
    main()
