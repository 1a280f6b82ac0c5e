#!/usr/bin/env python3
# ===- fusion.py - element-wise fusion: green-fuse vs unfused vs upstream -=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# An 8-op element-wise chain over N floats (default 16M), compiled three
# ways and run through green-run (one thread, the same seeded inputs):
#   unfused   green-lower-cpu only
#   green     func.func(green-fuse), then green-lower-cpu
#   upstream  func.func(linalg-fuse-elementwise-ops), then green-lower-cpu
# For each: the cost model's estimate of the IR after the fusion step
# (bytes of compulsory traffic, DRAM joules, total joules, from
# --green-energy-report) and the measured median time. The fused outputs are
# checked against the unfused ones.
#
# Usage: bench/fusion.py [--build build] [--n 16777216] [--runs 5]
#                        [--target host]
# ===--------------------------------------------------------------------=== #

import argparse
import json
import os
import subprocess
import sys
import tempfile

OPS = [
    # (payload, extra operand): x is the running value, a and b the inputs.
    "arith.addf %x, %a : f32",
    "arith.mulf %x, %b : f32",
    "arith.maximumf %x, %zero : f32",
    "arith.subf %x, %a : f32",
    "arith.minimumf %x, %b : f32",
    "arith.addf %x, %b : f32",
    "arith.mulf %x, %half : f32",
    "math.absf %x : f32",
]


def source(n):
    t = f"tensor<{n}xf32>"
    lines = [
        "#map = affine_map<(d0) -> (d0)>",
        f"func.func @chain(%a0: {t}, %b0: {t}) -> {t} {{",
        f"  %e = tensor.empty() : {t}",
        "  %zero = arith.constant 0.0 : f32",
        "  %half = arith.constant 0.5 : f32",
    ]
    prev = "%a0"
    for i, op in enumerate(OPS):
        lines += [
            f"  %v{i} = linalg.generic {{indexing_maps = [#map, #map, #map, #map], "
            f'iterator_types = ["parallel"]}}',
            f"      ins({prev}, %a0, %b0 : {t}, {t}, {t}) outs(%e : {t}) {{",
            "  ^bb0(%x: f32, %a: f32, %b: f32, %o: f32):",
            f"    %r = {op}",
            "    linalg.yield %r : f32",
            f"  }} -> {t}",
        ]
        prev = f"%v{i}"
    lines += [f"  return {prev} : {t}", "}"]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--build", default="build")
    p.add_argument("--n", type=int, default=16 * 1024 * 1024)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--target", default="host")
    args = p.parse_args()
    opt = os.path.join(args.build, "bin", "green-opt")
    run = os.path.join(args.build, "bin", "green-run")

    variants = {
        "unfused": "",
        "green": f"func.func(green-fuse{{target={args.target}}}),",
        "upstream": "func.func(linalg-fuse-elementwise-ops),",
    }
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "chain.mlir")
        with open(src, "w") as f:
            f.write(source(args.n))
        rows = []
        for name, prefix in variants.items():
            report = os.path.join(tmp, name + ".report.json")
            subprocess.run([
                opt, src, "-o", os.devnull,
                "--pass-pipeline=builtin.module(" + prefix +
                f"green-energy-report{{format=json target={args.target} "
                f"output={report}}})"
            ], check=True, stderr=subprocess.DEVNULL)
            with open(report) as f:
                totals = json.load(f)["totals"]
            out = os.path.join(tmp, name + ".run.json")
            cmd = [
                run, src, "--seed", "1", "--runs", str(args.runs), "--json", out,
                "--pipeline",
                "builtin.module(" + prefix + "green-lower-cpu{threads=1 fuse=" +
                ("true" if name == "green" else "false") + "})"
            ]
            if name == "unfused":
                cmd += ["--save-outputs", os.path.join(tmp, "ref")]
            else:
                cmd += ["--expect", os.path.join(tmp, "ref", "chain.result0.npy")]
            r = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                sys.exit(f"{name}: green-run failed:\n{r.stdout[-2000:]}")
            with open(out) as f:
                timing = json.load(f)["timing"]
            rows.append((name, totals["bytes"],
                         totals["components"]["memory_j"].get("dram", 0.0),
                         totals["energy_j"], timing["median_s"], timing["min_s"],
                         timing["max_s"]))
    base = rows[0]
    print(f"8-op element-wise chain, {args.n} f32 elements, target "
          f"{args.target}, 1 thread, {args.runs} runs")
    print("| variant | est. bytes | est. DRAM J | est. total J | measured median s "
          "(min-max) | time vs unfused | est. J vs unfused |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, b, dram, j, med, lo, hi in rows:
        print(f"| {name} | {b:.3e} | {dram:.3e} | {j:.3e} | {med:.4f} "
              f"({lo:.4f}-{hi:.4f}) | {med / base[4]:.2f}x | "
              f"{j / base[3]:.2f}x |")


if __name__ == "__main__":
    main()
