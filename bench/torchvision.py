#!/usr/bin/env python3
#===- torchvision.py - torchvision models: green-opt against PyTorch ------===#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
#===------------------------------------------------------------------------===#
"""torchvision models end to end, f32, batch 1, 3x224x224: green-opt against
PyTorch (eager, CPU) with the same thread count.

Each model (random weights from torch.manual_seed(0), eval mode) is exported
with torch.onnx.export (opset 13), imported with green-import-onnx and
compiled with green.compile (green-opt --green-lower-cpu target=host
threads=T, mlir-translate, clang -O3 -march=native). Its output is checked
against PyTorch's (max |a - b| / max |b| < 1e-4) before anything is timed.

Timing: for T in --threads, torch.set_num_threads(T) and the library built
with threads=T; warm-up calls, then --runs rounds that each time one PyTorch
call and one green call back to back (interleaved, so that load from other
processes hits both alike); the median of each side is printed, with the
spread max/min - 1 of the rounds.

Estimated energy per inference: green's cost model (--green-energy-report,
threads=T) gives E_pred at its predicted latency. From measured times, both
sides are estimated the same way: E = E_dyn + P_static x t_measured, where
E_dyn (compute + memory + transfer energy of the model's work) comes from the
report and P_static = static_j / latency_s of the target. The work is the
model's for both sides (PyTorch's own data movement is not modelled), so
this energy ratio follows the time ratio through static power; it is an
estimate, not a measurement (there is no power meter here).

Ratios are green / PyTorch (< 1: green is faster or cheaper).

  /usr/bin/python3 bench/torchvision.py                 # 3 models, 1 thread
  /usr/bin/python3 bench/torchvision.py --threads 1,2 --runs 20
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# This file is named torchvision.py: keep its directory off sys.path so that
# `import torchvision` finds the real package.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != HERE]
sys.path.insert(0, os.path.join(ROOT, "python"))
os.environ.setdefault("GREEN_OPT_BUILD_DIR", os.path.join(ROOT, "build"))

import torch  # noqa: E402
import torchvision  # noqa: E402

import green  # noqa: E402
import green.torch  # noqa: E402

MODELS = ["resnet18", "mobilenet_v2", "squeezenet1_0"]


def measure(fn_torch, fn_green, x_torch, x_np, runs, warmup):
    for _ in range(warmup):
        fn_torch(x_torch)
        fn_green(x_np)
    tt, tg = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn_torch(x_torch)
        t1 = time.perf_counter()
        fn_green(x_np)
        t2 = time.perf_counter()
        tt.append(t1 - t0)
        tg.append(t2 - t1)
    return tt, tg


def spread(samples):
    return max(samples) / min(samples) - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--threads", default="1",
                        help="comma-separated thread counts (default 1)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]

    print(f"batch 1, 3x{args.size}x{args.size}, f32, torch "
          f"{torch.__version__}, torchvision {getattr(torchvision, '__version__', '(Debian)')}, "
          f"{args.runs} interleaved rounds after {args.warmup} warm-up")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    header = (f"{'model':<14}{'T':>2}{'compile':>9}{'err':>9}"
              f"{'torch ms':>10}{'±':>5}{'green ms':>10}{'±':>5}"
              f"{'time g/t':>9}{'E_pred mJ':>10}{'E torch mJ':>11}"
              f"{'E green mJ':>11}{'E g/t':>7}")
    rows = []
    for name in args.models.split(","):
        torch.manual_seed(0)
        module = getattr(torchvision.models, name)(weights=None).eval()
        x = torch.randn(1, 3, args.size, args.size)
        with torch.inference_mode():
            ref = module(x).numpy()
        for t in threads:
            torch.set_num_threads(t)
            t0 = time.perf_counter()
            fn = green.torch.compile(module, (x,), target="host", threads=t)
            compile_s = time.perf_counter() - t0
            out = fn(x.numpy())
            err = float(np.abs(out - ref).max() / np.abs(ref).max())
            if not err < 1e-4:
                print(f"{name}: green's output differs from PyTorch's "
                      f"(normwise {err:.2e}); not timed")
                continue
            report = fn.report(threads=t)["totals"]
            comps = report["components"]
            p_static = comps["static_j"] / report["latency_s"]
            e_dyn = report["energy_j"] - comps["static_j"]

            def run_torch(inp):
                with torch.inference_mode():
                    return module(inp)

            tt, tg = measure(run_torch, fn, x, x.numpy(), args.runs,
                             args.warmup)
            mt, mg = statistics.median(tt), statistics.median(tg)
            et, eg = e_dyn + p_static * mt, e_dyn + p_static * mg
            rows.append(
                f"{name:<14}{t:>2}{compile_s:>8.1f}s{err:>9.1e}"
                f"{mt * 1e3:>10.2f}{100 * spread(tt):>4.0f}%"
                f"{mg * 1e3:>10.2f}{100 * spread(tg):>4.0f}%"
                f"{mg / mt:>9.2f}{report['energy_per_inference_j'] * 1e3:>10.2f}"
                f"{et * 1e3:>11.2f}{eg * 1e3:>11.2f}{eg / et:>7.2f}")
            print(rows[-1] if len(rows) > 1 else header + "\n" + rows[-1],
                  flush=True)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    print("time g/t, E g/t: green / PyTorch (< 1: green better); E_pred: "
          "the cost model at its predicted latency; E torch, E green: "
          "E_dyn + P_static x measured time")


if __name__ == "__main__":
    main()
