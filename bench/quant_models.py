#!/usr/bin/env python3
# ===- quant_models.py - digits MLP and CNN in fp32, int8 and mixed ------=== #
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# End to end, from one run: the digits MLP and CNN of
# examples/quant_digits.py (trained with torch, exported to linalg), compiled
# by green-opt in fp32, int8 and mixed precision; per model and scheme the
# held-out accuracy, the measured time per batch (median of --runs calls,
# with the min-max spread) and the estimated energy per batch on the
# target, and the ratios to fp32.
#
#   PYTHONPATH=python GREEN_OPT_BUILD_DIR=build /usr/bin/python3 \
#       bench/quant_models.py --target cpu-zen4 --runs 50
# ===-----------------------------------------------------------------------=== #

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "examples"))
import quant_digits  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", default="host")
    ap.add_argument("--budget", type=float, default=25.0)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--epochs", type=int, default=40)
    args = ap.parse_args()
    load = open("/proc/loadavg").read().split()[:3]
    rows, torch_acc, n = quant_digits.run_all(args.epochs, args.target,
                                              args.budget, args.runs)
    print("quant_models: digits, batch %d, target %s, mixed budget %g dB "
          "SQNR, %d timed calls, load %s" % (n, args.target, args.budget,
                                             args.runs, " ".join(load)))
    print("| model | scheme | layers | accuracy | ms/batch | est. mJ/batch "
          "| time vs fp32 | energy vs fp32 |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name in ("mlp", "cnn"):
        fp32 = next(r for r in rows if r[0] == name and r[1] == "fp32")
        for r in rows:
            if r[0] != name:
                continue
            print("| %s | %s | %s | %.2f%% | %.3f | %.3f | %.2fx | %.2fx |"
                  % (name, r[1], r[5] or "fp32 (all)", 100 * r[2], 1e3 * r[3],
                     1e3 * r[4], r[3] / fp32[3], r[4] / fp32[4]))
    print("torch accuracy: mlp %.2f%%, cnn %.2f%%; load after: %s"
          % (100 * torch_acc["mlp"], 100 * torch_acc["cnn"],
             " ".join(open("/proc/loadavg").read().split()[:3])))


if __name__ == "__main__":
    main()
