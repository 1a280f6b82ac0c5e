#!/usr/bin/env python3
# ===- torch_models_exec.py - torchvision and transformer models, end to end =#
#
# Part of green-opt. SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#
# Real PyTorch models through the whole flow, compared with PyTorch:
#   torch.onnx.export (random weights from a fixed seed, eval mode, batch 1)
#   -> build/bin/green-import-onnx
#   -> green-opt --green-lower-cpu, mlir-translate, clang (green.compile)
#   -> run through the Python package's ctypes callable, and again with
#      green-run --lib on the same library (its own --expect check)
#   -> compare with torch's output.
#
# Models: torchvision resnet18, mobilenet_v2 and squeezenet1_0 on 1x3x64x64,
# and an nn.TransformerEncoder (2 layers, d_model 64, 4 heads, feed-forward
# 128, sequence 16, batch-first) exported at opsets 13 and 17 (torch 1.13's
# highest; 14 to 16 export the same graph as 13) and at opset 9 (old
# attribute forms: Split with a `split` attribute, Softmax coerced to 2-D).
#
# Why 64x64 and not 224x224: compile time does not depend on the image size
# (it is dominated by the weights, which the compiled library embeds:
# resnet18's 11.7M parameters take most of this test's time), but running the
# model and PyTorch's reference does, by 12x. At 64x64 every model still goes
# through all its layers with the same op kinds, strides, paddings and groups
# (five stride-2 stages leave 2x2 for the ResNet/MobileNet heads, 3x3 for
# SqueezeNet), each output still sums thousands of products, and the spatial
# sizes (64, 32, 16, 8, 4, 2; 29, 14, 7, 3 in SqueezeNet) do not divide the
# tiles, so remainders are exercised. bench/torchvision.py runs the same
# models at 224x224. Times on 2 cores: see the `total` line (about 1.5 CPU-
# minutes for all models when idle).
#
# Error metric (fp32, torch is the reference b, green's output a):
#   normwise relative error  max_i |a_i - b_i| / max_i |b_i|  < 1e-4
# (the error relative to the output's scale: a logit near zero is not held
# to a relative bound it cannot meet after thousands of rounded sums), and
# elementwise, every element must satisfy
#   |a_i - b_i| <= 1e-4 * |b_i| + 1e-5 * max_j |b_j|
# (numpy's allclose with rtol 1e-4 and atol 1e-5 of the output's scale; the
# same bound green-run's --expect check applies). The largest elementwise
# relative error |a_i - b_i| / |b_i| over elements with |b_i| >= 1e-2 *
# max |b| is printed too.
#
# Exit status: 0 pass, 1 fail, 77 skipped (PyTorch or torchvision missing).
#
# Usage: PYTHONPATH=python GREEN_OPT_BUILD_DIR=build torch_models_exec.py
#        [--models resnet18,transformer13,...]
# ===-----------------------------------------------------------------------=== #

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

SKIP = 77
NORMWISE_TOL = 1e-4
RTOL, ATOL_SCALE = 1e-4, 1e-5

try:
    import torch
    import torchvision
except ImportError as e:
    print(f"SKIP: PyTorch and torchvision are needed ({e}); on Debian: "
          f"apt-get install python3-torch python3-torchvision")
    sys.exit(SKIP)

import green  # noqa: E402
from green.tools import GreenToolError, find_tool  # noqa: E402


class Encoder(torch.nn.Module):
    """nn.TransformerEncoder: 2 layers, d_model 64, 4 heads, seq 16."""

    def __init__(self):
        super().__init__()
        layer = torch.nn.TransformerEncoderLayer(
            d_model=64, nhead=4, dim_feedforward=128, dropout=0.0,
            batch_first=True)
        self.encoder = torch.nn.TransformerEncoder(
            layer, num_layers=2, enable_nested_tensor=False)

    def forward(self, x):
        return self.encoder(x)


def vision(name):
    return lambda: (getattr(torchvision.models, name)(weights=None),
                    (1, 3, 64, 64), 13)


def transformer(opset):
    return lambda: (Encoder(), (1, 16, 64), opset)


MODELS = {
    "resnet18": vision("resnet18"),
    "mobilenet_v2": vision("mobilenet_v2"),
    "squeezenet1_0": vision("squeezenet1_0"),
    "transformer9": transformer(9),
    "transformer13": transformer(13),
    "transformer17": transformer(17),
}


def errors(a, b):
    """(normwise, max elementwise relative over significant elements,
    number of elements outside the elementwise bound)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    scale = float(np.max(np.abs(b)))
    diff = np.abs(a - b)
    normwise = float(diff.max()) / scale if scale else float(diff.max())
    significant = np.abs(b) >= 1e-2 * scale
    elementwise = float((diff[significant] / np.abs(b[significant])).max())
    outside = int(np.count_nonzero(diff > RTOL * np.abs(b)
                                   + ATOL_SCALE * scale))
    return normwise, elementwise, outside


def run_model(name, workdir):
    """Returns (ok, row) for one model."""
    torch.manual_seed(0)
    module, shape, opset = MODELS[name]()
    module.eval()
    x = torch.randn(*shape)
    times = {}
    t0 = time.monotonic()
    with torch.no_grad():
        ref = module(x).numpy()
    path = os.path.join(workdir, f"{name}.onnx")
    torch.onnx.export(module, (x,), path, opset_version=opset,
                      input_names=["x"], output_names=["y"])
    times["export"] = time.monotonic() - t0

    # Import with the C++ importer (through green.import_onnx, which runs
    # build/bin/green-import-onnx).
    t0 = time.monotonic()
    try:
        ir = green.import_onnx(path)
    except GreenToolError as e:
        print(f"{name:<14} FAIL: import: {e}")
        return False, None
    times["import"] = time.monotonic() - t0
    mlir = os.path.join(workdir, f"{name}.mlir")
    with open(mlir, "w") as f:
        f.write(ir)

    t0 = time.monotonic()
    try:
        model = green.compile(mlir)
    except GreenToolError as e:
        print(f"{name:<14} FAIL: compile: {e}")
        return False, None
    times["compile"] = time.monotonic() - t0

    t0 = time.monotonic()
    out = model(x.numpy())
    times["run"] = time.monotonic() - t0
    normwise, elementwise, outside = errors(out, ref)
    ok = out.shape == ref.shape and normwise < NORMWISE_TOL and outside == 0

    # The same library through green-run, which checks with its own code.
    lib = os.path.join(workdir, f"{name}.so")
    model.save(lib)
    np.save(os.path.join(workdir, "x.npy"), x.numpy())
    np.save(os.path.join(workdir, "ref.npy"), ref)
    report = os.path.join(workdir, f"{name}.run.json")
    t0 = time.monotonic()
    proc = subprocess.run(
        [str(find_tool("green-run")), mlir, "--lib", lib,
         os.path.join(workdir, "x.npy"), "--expect",
         os.path.join(workdir, "ref.npy"), f"--rtol={RTOL}",
         f"--atol={ATOL_SCALE * float(np.abs(ref).max())!r}",
         "--runs=3", "--warmup=1", "--json", report],
        capture_output=True, text=True, check=False)
    times["green-run"] = time.monotonic() - t0
    if proc.returncode != 0:
        print(f"{name:<14} FAIL: green-run --lib: {proc.stdout[-2000:]}"
              f"{proc.stderr[-2000:]}")
        return False, None
    with open(report) as f:
        run = json.load(f)
    ok = ok and run["status"] == "pass"

    row = (f"{name:<14} {'PASS' if ok else 'FAIL'} opset {opset} "
           f"{'x'.join(map(str, shape)):<10} -> "
           f"{'x'.join(map(str, ref.shape)):<8} normwise {normwise:.2e} "
           f"elementwise {elementwise:.2e} outside {outside} "
           f"green-run {run['status']} "
           f"median {run['timing']['median_s'] * 1e3:.2f} ms | "
           + " ".join(f"{k} {v:.1f}s" for k, v in times.items()))
    print(row, flush=True)
    return ok, row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=",".join(MODELS),
                        help="comma-separated subset of " + ",".join(MODELS))
    args = parser.parse_args()
    names = [n for n in args.models.split(",") if n]
    for n in names:
        if n not in MODELS:
            parser.error(f"unknown model '{n}'")
    torch.set_num_threads(1)
    failed, skipped = [], []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="green-torch-models-") as tmp:
        for name in names:
            ok, _ = run_model(name, tmp)
            if ok == "skip":
                skipped.append(name)
            elif not ok:
                failed.append(name)
    print(f"total {time.monotonic() - start:.1f} s")
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    if len(skipped) == len(names):
        return SKIP
    print("all passed" + (f" (skipped: {', '.join(skipped)})"
                          if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
