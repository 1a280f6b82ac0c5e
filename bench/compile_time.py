#!/usr/bin/env python3
#===- compile_time.py - green-opt compile time against model size --------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
#===------------------------------------------------------------------------===#
"""Compile time of green-opt against the number of ops in a model.

Generates one function per size (default 100, 1000, 5000 ops): a chain of
blocks, each a 32x32x32 linalg.matmul (with its fill) followed by TOSA
element-wise ops (add of a bias, tanh, mul, clamp) on 32x32 f32 tensors,
every op feeding the next, weights and biases as function arguments
(so no constant folding shortcuts the work). Ops are counted as the
operations in the function body (tensor.empty, linalg.fill, linalg.matmul,
tosa.*), not counting the return.

For each size it times the whole green-opt process, as user + system CPU
time (getrusage; --wall for wall time: green-opt is single-threaded here,
and CPU time is what other jobs on a shared machine disturb least), best
of --repeats, spread max/min - 1:
  lower   green-opt --green-lower-cpu="target=cpu-zen4 threads=1 remarks=false"
  report  green-opt --green-energy-report="target=cpu-zen4"
and prints the time per op and its ratio to the smallest size's: close to
1 means linear growth. The time per op is marginal: the time of a 5-op
model (process start, registration, target loading) is subtracted first.
A fixed target keeps host detection out of it.

  /usr/bin/python3 bench/compile_time.py --green-opt build/bin/green-opt
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

N = 32
T = "tensor<%dx%dxf32>" % (N, N)
BT = "tensor<1x%dxf32>" % N


def model(num_ops):
    """A chain with about num_ops ops; returns (text, exact op count)."""
    lines = [
        '  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : '
        '() -> tensor<1xi8>', "  %zero = arith.constant 0.0 : f32"
    ]
    count = 2
    cur = "%x"
    i = 0
    while count < num_ops:
        v = "%%v%d" % i
        if i % 3 == 0:
            lines += [
                f"  {v}e = tensor.empty() : {T}",
                f"  {v}f = linalg.fill ins(%zero : f32) outs({v}e : {T}) "
                f"-> {T}",
                f"  {v} = linalg.matmul ins({cur}, %w : {T}, {T}) "
                f"outs({v}f : {T}) -> {T}"
            ]
            count += 3
        else:
            kind = i % 4
            if kind == 0:
                lines.append(f"  {v} = tosa.add {cur}, %b : ({T}, {BT}) -> {T}")
            elif kind == 1:
                lines.append(f"  {v} = tosa.tanh {cur} : ({T}) -> {T}")
            elif kind == 2:
                lines.append(f"  {v} = tosa.mul {cur}, %x, %sh : ({T}, {T}, "
                             f"tensor<1xi8>) -> {T}")
            else:
                lines.append(f"  {v} = tosa.clamp {cur} {{min_val = -1.0 : "
                             f"f32, max_val = 1.0 : f32}} : ({T}) -> {T}")
            count += 1
        cur = v
        i += 1
    text = (f"func.func @chain(%x: {T}, %w: {T}, %b: {BT}) -> {T} {{\n" +
            "\n".join(lines) + f"\n  return {cur} : {T}\n}}\n")
    return text, count


def time_run(cmd, repeats, cpu):
    """Best of repeats and the spread, of wall time or (cpu) of the child's
    user + system CPU time (getrusage), which other jobs disturb less."""
    times = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                     before.ru_stime)
        times.append(used if cpu else wall)
    return min(times), max(times) / min(times) - 1


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--green-opt", default="build/bin/green-opt")
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--wall", action="store_true",
                        help="time wall clock instead of CPU time")
    args = parser.parse_args()
    modes = {
        "lower": ["--green-lower-cpu=target=cpu-zen4 threads=1 remarks=false"],
        "report": ["--green-energy-report=target=cpu-zen4"],
    }
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for size in [3] + [int(s) for s in args.sizes.split(",")]:
            text, ops = model(size)
            path = os.path.join(workdir, "chain-%d.mlir" % size)
            with open(path, "w") as f:
                f.write(text)
            row = {"ops": ops}
            for mode, flags in modes.items():
                row[mode] = time_run(
                    [args.green_opt, path] + flags + ["-o", os.devnull],
                    args.repeats, not args.wall)
            rows.append(row)
    start, rows = rows[0], rows[1:]
    print("%s time" % ("wall" if args.wall else "CPU (user + system)"))
    print("startup (%d-op model): lower %.3f s, report %.3f s" %
          (start["ops"], start["lower"][0], start["report"][0]))

    def per_op(r, mode):
        return (r[mode][0] - start[mode][0]) / (r["ops"] - start["ops"])

    print("| ops | lower s | lower ms/op | ratio | report s | report ms/op "
          "| ratio |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        cells = []
        for mode in modes:
            sec, sp = r[mode]
            cells.append("%.3f (±%.0f%%) | %.3f | %.2f" %
                         (sec, sp * 100, per_op(r, mode) * 1e3,
                          per_op(r, mode) / per_op(rows[0], mode)))
        print("| %d | %s |" % (r["ops"], " | ".join(cells)))
    print("load average during the run: %.1f %.1f %.1f (on %d CPUs)" %
          (os.getloadavg() + (os.cpu_count(),)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
