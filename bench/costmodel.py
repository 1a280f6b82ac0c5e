#!/usr/bin/env python3
#===- costmodel.py - how well the cost model ranks what actually runs ----===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
#===------------------------------------------------------------------------===#
"""Cost-model quality on the host: predicted against measured latency.

Points (op, shape, schedule):
  matmul   several shapes (odd ones too); for each, green-cpu-select-schedule
           lists every candidate with its predicted latency (remark with
           num-rejected large, objective=latency, threads=--threads).
           The model's pick plus up to --per-shape - 1 others spread over
           the predicted latencies (one with another thread count if there
           is one) are each forced:
           the #green.cpu_schedule attribute is written into the IR and the
           rest of green-lower-cpu (FORCED_PIPELINE, the same passes minus
           the selection) lowers it. Predicted = the candidate's latency from
           the remark + the energy report's latency of the other ops (fill).
  eltwise  a TOSA chain (tanh, mul, add, clamp) of several sizes
  reduce   row sums of several sizes
  conv     NHWC 3x3 convolutions of several sizes
           (no schedule: single-threaded loops; predicted = the function's
           latency_s from --green-energy-report="format=json threads=1").
Measured = the minimum single-call time over at least --calls calls and
--min-time s (bench/harness.py time_call_min; the spread printed is
median/min - 1), called through _mlir_ciface_f: on a machine shared with
other jobs the minimum is the least disturbed run. Each result is checked
against numpy first.

Prints every point, the Spearman rank correlation of predicted against
measured (target >= 0.8), and for every matmul shape the measured time of
the model's pick against the best measured candidate (target: within 15%).
Then writes the points as green-calibration/1 (--calibration-out), runs
green-calibrate for the host's target and prints its coefficients and its
Spearman after calibration. The calibrated target is written to --workdir,
never into targets/ (see docs/performance.md for why).

  /usr/bin/python3 bench/costmodel.py --green-opt build/bin/green-opt
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# green-lower-cpu (lib/Codegen/CPU/Passes.cpp) without
# green-cpu-select-schedule: keep in sync. The script checks that it gives
# the same LLVM IR as green-lower-cpu for the model's own pick.
FORCED_PIPELINE = (
    "builtin.module(green-cpu-verify-input,tosa-to-linalg-pipeline,"
    "func.func(tosa-to-arith,tosa-to-tensor),"
    "func.func(convert-elementwise-to-linalg),canonicalize,"
    "func.func(green-cpu-tile-and-vectorize),"
    "func.func(green-cpu-vectorize-elementwise),canonicalize,cse,"
    "func.func(llvm-request-c-wrappers),"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "canonicalize,cse,buffer-deallocation-pipeline,"
    "convert-bufferization-to-memref,func.func(green-cpu-lower-vectors),"
    "convert-linalg-to-loops,scf-forall-to-parallel,"
    "convert-scf-to-openmp{num-threads=%d},"
    "convert-vector-to-scf{full-unroll=true target-rank=1},canonicalize,"
    "lower-affine,convert-scf-to-cf,convert-vector-to-llvm,"
    "expand-strided-metadata,lower-affine,finalize-memref-to-llvm,"
    "convert-math-to-llvm,convert-math-to-libm,convert-arith-to-llvm,"
    "convert-ub-to-llvm,convert-index-to-llvm,convert-func-to-llvm,"
    "convert-cf-to-llvm,convert-openmp-to-llvm,reconcile-unrealized-casts)")

# Most threads a schedule may use (--threads).
THREADS = 2


def t(shape):
    return "tensor<%sxf32>" % "x".join(str(s) for s in shape)


#===------------------------------------------------------------------------===#
# Sources
#===------------------------------------------------------------------------===#


def matmul_src(m, n, k, schedule=None):
    attr = " {green.cpu_schedule = %s}" % schedule if schedule else ""
    return f"""
func.func @f(%a: {t([m, k])}, %b: {t([k, n])}) -> {t([m, n])} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t([m, n])}
  %c = linalg.fill ins(%z : f32) outs(%e : {t([m, n])}) -> {t([m, n])}
  %r = linalg.matmul{attr} ins(%a, %b : {t([m, k])}, {t([k, n])})
                     outs(%c : {t([m, n])}) -> {t([m, n])}
  return %r : {t([m, n])}
}}"""


def eltwise_src(m, n):
    s = t([m, n])
    return f"""
func.func @f(%a: {s}, %b: {s}) -> {s} {{
  %sh = "tosa.const"() <{{values = dense<0> : tensor<1xi8>}}> : () -> tensor<1xi8>
  %0 = tosa.tanh %a : ({s}) -> {s}
  %1 = tosa.mul %0, %b, %sh : ({s}, {s}, tensor<1xi8>) -> {s}
  %2 = tosa.add %1, %a : ({s}, {s}) -> {s}
  %3 = tosa.clamp %2 {{min_val = 0.0 : f32, max_val = 3.4e38 : f32}} : ({s}) -> {s}
  return %3 : {s}
}}""", [(m, n), (m, n)], [m, n], lambda a, b: np.maximum(np.tanh(a) * b + a, 0)


def reduce_src(m, n):
    return f"""
func.func @f(%a: {t([m, n])}) -> {t([m])} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t([m])}
  %o = linalg.fill ins(%z : f32) outs(%e : {t([m])}) -> {t([m])}
  %r = linalg.reduce ins(%a : {t([m, n])}) outs(%o : {t([m])}) dimensions = [1]
    (%x: f32, %acc: f32) {{
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }}
  return %r : {t([m])}
}}""", [(m, n)], [m], lambda a: a.sum(axis=1)


def conv_src(h, c, f):
    # 1 x h x h x c, 3x3, no padding.
    o = [1, h - 2, h - 2, f]

    def ref(x, w):
        out = np.zeros(o)
        for i in range(3):
            for j in range(3):
                out += np.einsum("nhwc,cf->nhwf",
                                 x[:, i:i + h - 2, j:j + h - 2], w[i, j])
        return out

    return f"""
func.func @f(%x: {t([1, h, h, c])}, %w: {t([3, 3, c, f])}) -> {t(o)} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {t(o)}
  %i = linalg.fill ins(%z : f32) outs(%e : {t(o)}) -> {t(o)}
  %r = linalg.conv_2d_nhwc_hwcf
         {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
         ins(%x, %w : {t([1, h, h, c])}, {t([3, 3, c, f])}) outs(%i : {t(o)}) -> {t(o)}
  return %r : {t(o)}
}}""", [(1, h, h, c), (3, 3, c, f)], o, ref


MATMULS = [(64, 64, 64), (128, 256, 64), (200, 300, 100), (257, 257, 257),
           (33, 1024, 128), (1024, 64, 256), (512, 512, 512)]
OTHERS = ([("eltwise", "%dx%d" % s, eltwise_src(*s))
           for s in [(32, 32), (100, 257), (512, 512), (1024, 1024)]] +
          [("reduce", "%dx%d" % s, reduce_src(*s))
           for s in [(33, 257), (256, 1024), (1024, 2048)]] +
          [("conv", "%dx%dx%d" % s, conv_src(*s))
           for s in [(16, 8, 8), (34, 16, 16), (34, 32, 32)]])

#===------------------------------------------------------------------------===#
# Model side
#===------------------------------------------------------------------------===#

CAND_RE = re.compile(
    r"tile \[([\d, ]+)\] register tile \[([\d, ]+)\] parallel dim (-?\d+) "
    r"threads (\d+) operating point (\d+): ([\d.e+-]+) J, ([\d.e+-]+) s")


def candidates(green_opt, path, work):
    """All candidates of the one contraction, the model's pick first."""
    stderr, _ = harness.lower(green_opt, path, os.devnull, [
        "--green-cpu-select-schedule=target=host objective=latency "
        "threads=%d num-rejected=100000" % THREADS
    ])
    remark = next(l for l in stderr.splitlines() if "remark: chose" in l)
    out = []
    for m in CAND_RE.finditer(remark):
        tile, rt, pd, th, opp, e, lat = m.groups()
        out.append({
            "attr": "#green.cpu_schedule<tile = [%s], register_tile = [%s], "
                    "parallel_dim = %s, threads = %s, operating_point = %s>" %
                    (tile, rt, pd, th, opp),
            "label": "t[%s] r[%s] %sT" % (tile.replace(" ", ""),
                                          rt.replace(" ", ""), th),
            "threads": int(th), "op": int(opp), "pred": float(lat)
        })
    return out


def spread(cands, count):
    """The pick, one single-threaded candidate, and others evenly spaced
    in predicted latency, all at the pick's operating point."""
    pick = cands[0]
    pool = sorted((c for c in cands[1:] if c["op"] == pick["op"]),
                  key=lambda c: c["pred"])
    chosen = [pick]
    single = [c for c in pool if c["threads"] != pick["threads"]]
    if single:
        chosen.append(single[len(single) // 2])
    rest = [c for c in pool if c not in chosen]
    need = count - len(chosen)
    if rest and need > 0:
        idx = np.linspace(0, len(rest) - 1, need).round().astype(int)
        chosen += [rest[i] for i in sorted(set(idx))]
    return chosen


def report(green_opt, path):
    """Energy report (threads=1): function latency, per-op latencies and
    the summed work in green-calibration/1 form."""
    proc = subprocess.run([
        green_opt, path, "--green-energy-report=format=json threads=1 "
        "target=host", "-o", os.devnull
    ], capture_output=True, text=True, check=True)
    doc = json.loads(proc.stdout)
    ops, bread, bwritten, other = {}, 0, 0, 0.0
    contraction_s = 0.0
    for op in doc["ops"]:
        w, mult = op["work"], op.get("multiplier", 1)
        bread += w["bytes_read"] * mult
        bwritten += w["bytes_written"] * mult
        for key, count in w["ops"].items():
            ops[key] = ops.get(key, 0) + count * mult
        if any(k.endswith(".contraction") for k in w["ops"]):
            contraction_s += op["latency_s"]
        else:
            other += op["latency_s"]
    work = {"ops": [], "bytes_read": bread, "bytes_written": bwritten}
    for key, count in sorted(ops.items()):
        parts = key.split(".")
        work["ops"].append({"kind": parts[0], "class": parts[1],
                            "count": count,
                            "contraction": "contraction" in parts[2:]})
    return {"latency": doc["functions"][0]["latency_s"], "other": other,
            "work": work, "target": doc["target"]["name"]}


#===------------------------------------------------------------------------===#
# Statistics
#===------------------------------------------------------------------------===#


def ranks(x):
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    xs = np.asarray(x)[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and xs[j + 1] == xs[i]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2.0
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    return float(np.corrcoef(ra, rb)[0, 1])


#===------------------------------------------------------------------------===#
# Driver
#===------------------------------------------------------------------------===#


def measure(fn, inputs, ref, args):
    got = fn(*inputs)
    expected = ref(*[x.astype(np.float64) for x in inputs])
    err = np.max(np.abs(got - expected)) / max(np.max(np.abs(expected)),
                                              1e-30)
    if not err <= 1e-4:
        raise RuntimeError("result mismatch: max rel err %.2e" % err)
    return harness.time_call_min(fn.bind(*inputs), args.calls, args.min_time)


def main():
    global THREADS
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--green-opt", default="build/bin/green-opt")
    parser.add_argument("--green-calibrate",
                        default="build/bin/green-calibrate")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--min-time", type=float, default=0.1)
    parser.add_argument("--per-shape", type=int, default=4,
                        help="matmul schedules measured per shape")
    parser.add_argument("--threads", type=int, default=2,
                        help="most threads a schedule may use; 1 keeps the "
                        "measurements clear of other jobs' load")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--calibration-out", default=None,
                        help="green-calibration/1 file (default: workdir)")
    args = parser.parse_args()
    THREADS = args.threads
    workdir = args.workdir or tempfile.mkdtemp(prefix="green-costmodel-")
    os.makedirs(workdir, exist_ok=True)
    rng = np.random.default_rng(0)
    points = []  # dicts: op, shape, sched, pred, meas, spread, threads, work
    picks = []   # (shape, pick measured, best measured, best label)

    for (m, n, k) in MATMULS:
        shape = "%dx%dx%d" % (m, n, k)
        base = os.path.join(workdir, "mm-" + shape)
        with open(base + ".mlir", "w") as f:
            f.write(matmul_src(m, n, k))
        rep = report(args.green_opt, base + ".mlir")
        inputs = [rng.standard_normal(s).astype(np.float32)
                  for s in [(m, k), (k, n)]]
        cands = spread(candidates(args.green_opt, base + ".mlir", None),
                       args.per_shape)
        measured = []
        for i, c in enumerate(cands):
            name = "mm-%s-c%d" % (shape, i)
            fn, _ = harness.compile_module(
                args.green_opt, matmul_src(m, n, k, c["attr"]), workdir, name,
                ["--pass-pipeline=" + FORCED_PIPELINE % THREADS], "f", [m, n])
            if i == 0:
                # The forced pipeline must reproduce green-lower-cpu.
                harness.lower(args.green_opt, base + ".mlir",
                              base + ".lower.mlir", [
                                  "--green-lower-cpu=target=host objective="
                                  "latency threads=%d remarks=false" % THREADS
                              ])
                if open(base + ".lower.mlir").read() != open(
                        os.path.join(workdir, name + ".llvm.mlir")).read():
                    print("warning: FORCED_PIPELINE differs from "
                          "green-lower-cpu for %s" % shape)
            best, sp = measure(fn, inputs, lambda a, b: a @ b, args)
            measured.append((best, c["label"]))
            points.append({"op": "matmul", "shape": shape,
                           "sched": c["label"] + (" (pick)" if i == 0 else ""),
                           "pred": c["pred"] + rep["other"], "meas": best,
                           "spread": sp, "threads": c["threads"],
                           "work": rep["work"]})
        best = min(measured)
        picks.append((shape, measured[0][0], best[0], best[1]))

    for op, shape, (src, shapes, out_shape, ref) in OTHERS:
        name = "%s-%s" % (op, shape)
        base = os.path.join(workdir, name)
        with open(base + ".mlir", "w") as f:
            f.write(src)
        rep = report(args.green_opt, base + ".mlir")
        fn, _ = harness.compile_module(
            args.green_opt, src, workdir, name,
            ["--green-lower-cpu=target=host threads=%d remarks=false" %
             THREADS], "f", out_shape)
        inputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
        best, sp = measure(fn, inputs, ref, args)
        points.append({"op": op, "shape": shape, "sched": "loops 1T",
                       "pred": rep["latency"], "meas": best, "spread": sp,
                       "threads": 1, "work": rep["work"]})

    print("| op | shape | schedule | predicted s | measured s (min) "
          "| median/min | pred/meas |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for p in points:
        print("| %s | %s | %s | %.3e | %.3e | %.0f%% | %.2f |" %
              (p["op"], p["shape"], p["sched"], p["pred"], p["meas"],
               p["spread"] * 100, p["pred"] / p["meas"]))
    pred = [p["pred"] for p in points]
    meas = [p["meas"] for p in points]
    print("\npoints: %d" % len(points))
    print("spearman(predicted, measured), all points:    %.3f" %
          spearman(pred, meas))
    mm = [p for p in points if p["op"] == "matmul"]
    print("spearman(predicted, measured), matmuls only:  %.3f" %
          spearman([p["pred"] for p in mm], [p["meas"] for p in mm]))
    within = []
    for p in set(p["shape"] for p in mm):
        sub = [q for q in mm if q["shape"] == p]
        if len(sub) > 2:
            within.append(spearman([q["pred"] for q in sub],
                                   [q["meas"] for q in sub]))
    print("spearman within one matmul shape (schedules), mean over shapes: "
          "%.3f" % np.mean(within))
    print("\nmodel's pick against the best measured candidate:")
    for shape, pick, best, label in picks:
        print("  %-12s pick %.3e s, best %.3e s (%s): pick is %+.1f%%" %
              (shape, pick, best, label, (pick / best - 1) * 100))
    print("  worst: %+.1f%% (target: within 15%%)" %
          (max(p / b - 1 for _, p, b, _ in picks) * 100))

    # What 'host' resolved to.
    target = report(args.green_opt,
                    os.path.join(workdir, "mm-64x64x64.mlir"))["target"]
    cal = args.calibration_out or os.path.join(workdir, "calibration.json")
    with open(cal, "w") as f:
        json.dump({"schema": "green-calibration/1", "target": target,
                   "points": [{"name": "%s-%s-%s" % (p["op"], p["shape"],
                                                     p["sched"]),
                               "measured_s": p["meas"],
                               "threads": p["threads"], "work": p["work"]}
                              for p in points]}, f, indent=1)
    out = os.path.join(workdir, target + "-calibrated.json")
    print("\n$ green-calibrate %s --target %s -o %s" % (cal, target, out))
    proc = subprocess.run([args.green_calibrate, cal, "--target", target,
                           "-o", out], capture_output=True, text=True)
    print(proc.stdout + proc.stderr)
    print("load average during the run: %.1f %.1f %.1f (on %d CPUs)" %
          (os.getloadavg() + (os.cpu_count(),)))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
